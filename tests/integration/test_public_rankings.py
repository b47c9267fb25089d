"""What the public sees does not depend on what it may not see.

Two stores of the development set, one with and one without its non-public Vorlage 2023/117: every
development question (and a few more) asked as the public role must give the same search hits in
the same order with the same scores, and the same answer with the same citations and the same
"vielleicht relevant" list. The keyword statistics (vocabulary, compound parts, IDF, `max_idf`) of
the public role come from public chunks only; the dense side is per vector and filtered in Chroma.
The HashEmbedder stands in for the model: the property holds for any encoder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fakes import HashEmbedder

from assistant.service import Assistant
from assistant.settings import Settings
from assistant.types import Role

pytestmark = pytest.mark.integration

RESTRICTED_ID = "2023-117-peine-grundstueck"
MORE_QUESTIONS = (
    "Grundstück Kauf Landkreis Peine",
    "Welche Flächen hat der Landkreis gekauft?",
    "Rettungswache",
    "Verkehrswert Gutachterausschuss Kaufpreis",
    "Zuschuss Verein Mitgliedsbeitrag",
    "Kosten Gebäudemanagement",
)


def _assistant(tmp_path: Path, docs: Path, name: str, *, with_restricted: bool) -> Assistant:
    folder = tmp_path / f"{name}-docs"
    shutil.copytree(docs, folder)
    if not with_restricted:
        for path in folder.glob(f"{RESTRICTED_ID}*"):
            path.unlink()
    assistant = Assistant(Settings(store=tmp_path / f"{name}-store"), embedder=HashEmbedder())
    report = assistant.ingest([folder], role=Role.ADMIN, user="test")
    assert not report.failed
    return assistant


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory, eval_docs: Path) -> tuple[Assistant, Assistant]:
    tmp_path = tmp_path_factory.mktemp("twins")
    with_it = _assistant(tmp_path, eval_docs, "with", with_restricted=True)
    without = _assistant(tmp_path, eval_docs, "without", with_restricted=False)
    assert RESTRICTED_ID in {d.doc_id for d in with_it.documents("member")}
    assert RESTRICTED_ID not in {d.doc_id for d in without.documents("member")}
    return with_it, without


@pytest.fixture(scope="module")
def questions(eval_docs: Path) -> list[str]:
    lines = (eval_docs.parent / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()] + list(MORE_QUESTIONS)


def _hits(assistant: Assistant, query: str) -> list[tuple[str, int, float]]:
    return [(h.doc_id, h.chunk_index, round(h.score, 12)) for h in assistant.search(query, k=20)]


def _answer(assistant: Assistant, question: str) -> dict[str, Any]:
    return assistant.ask(question).to_json()


def test_public_search_is_the_same_with_and_without_the_non_public_document(
    twins: tuple[Assistant, Assistant], questions: list[str]
) -> None:
    with_it, without = twins
    differing = [q for q in questions if _hits(with_it, q) != _hits(without, q)]
    assert differing == []


def test_public_answers_and_related_lists_are_the_same_with_and_without_it(
    twins: tuple[Assistant, Assistant], questions: list[str]
) -> None:
    with_it, without = twins
    differing = [q for q in questions if _answer(with_it, q) != _answer(without, q)]
    assert differing == []


def test_members_still_rank_with_statistics_of_everything_they_may_see(
    twins: tuple[Assistant, Assistant],
) -> None:
    with_it, _ = twins
    hits = with_it.search("Rettungswache Grundstück", k=5, role="member")
    assert hits and hits[0].doc_id == RESTRICTED_ID
