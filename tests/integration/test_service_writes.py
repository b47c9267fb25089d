"""Writes go through the service: only the administration writes, whatever the front end, and a
clerk's correction reaches the keyword side and the dense side of search alike.

The fake embedder stands in for the model (these tests are about the plumbing); Chroma is real.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import AccessDenied
from assistant.retrieval import RetrievalSettings, Retriever
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.types import Role, SearchFilters

pytestmark = pytest.mark.integration

DOC_ID = "heimatverein"
TEXT = (
    "Vorlage - 2015/179\n"
    "Betreff: Zuschuss an den Heimatverein\n"
    "Datum: 12.03.2015\n"
    "Status: öffentlich\n\n"
    "Sachverhalt:\n"
    "Der Heimatverein Kreuzau erhält einen Zuschuss für die Sanierung der Dorfscheune.\n"
)
QUERY = "Zuschuss Heimatverein Dorfscheune"


@pytest.fixture
def assistant(tmp_path: Path, fake_embedder: object) -> Assistant:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / f"{DOC_ID}.txt").write_text(TEXT, encoding="utf-8")
    service = Assistant(Settings(store=tmp_path / "store"), embedder=fake_embedder)  # type: ignore[arg-type]
    report = service.ingest([docs], role=Role.CLERK, user="anna")
    assert not report.failed, report.failed
    return service


def _found_in_year(assistant: Assistant, year: int, side: RetrievalSettings) -> set[str]:
    retriever = Retriever(assistant.store, assistant.embedder, side)
    filters = SearchFilters(year_from=year, year_to=year)
    return {hit.doc_id for hit in retriever.search(QUERY, filters=filters, role=Role.PUBLIC)}


@pytest.mark.parametrize(
    "side",
    [RetrievalSettings(use_dense=False), RetrievalSettings(use_keywords=False)],
    ids=["keyword", "dense"],
)
def test_a_date_correction_moves_the_document_to_its_new_year_on_both_sides(
    assistant: Assistant, side: RetrievalSettings
) -> None:
    assert _found_in_year(assistant, 2015, side) == {DOC_ID}

    assistant.correct_metadata(DOC_ID, {"date": "2020-03-12"}, role=Role.CLERK, user="anna")

    assert _found_in_year(assistant, 2020, side) == {DOC_ID}
    assert _found_in_year(assistant, 2015, side) == set()


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.MEMBER])
def test_a_member_can_neither_add_correct_nor_remove_a_document(
    assistant: Assistant, role: Role, tmp_path: Path
) -> None:
    other = tmp_path / "neu.txt"
    other.write_text(TEXT.replace("2015/179", "2015/180"), encoding="utf-8")
    before = assistant.store.get_document(DOC_ID)

    with pytest.raises(AccessDenied, match="Nur die Verwaltung"):
        assistant.correct_metadata(DOC_ID, {"title": "Geändert"}, role=role, user="bernd")
    with pytest.raises(AccessDenied, match="Nur die Verwaltung"):
        assistant.remove(DOC_ID, role=role, user="bernd")
    with pytest.raises(AccessDenied, match="Nur die Verwaltung"):
        assistant.ingest([other], role=role, user="bernd")
    with pytest.raises(AccessDenied, match="Nur die Verwaltung"):
        assistant.ingest_one(other, role=role, user="bernd")

    assert assistant.store.get_document(DOC_ID) == before
    assert [d.doc_id for d in assistant.documents(Role.ADMIN)] == [DOC_ID]
    assert [(e["user"], e["action"]) for e in assistant.store.audit_log()] == [("anna", "add")]


def test_a_clerks_correction_keeps_only_changed_fields_and_is_audited(assistant: Assistant) -> None:
    changed = assistant.correct_metadata(
        DOC_ID,
        {"title": " Zuschuss an den Heimatverein ", "status": "Nicht öffentlich"},
        role=Role.CLERK,
        user="anna",
    )

    assert changed == {"status": "nichtöffentlich"}
    assert assistant.document(DOC_ID, role=Role.PUBLIC) is None
    last = assistant.store.audit_log()[-1]
    assert (last["user"], last["action"], last["doc_id"]) == ("anna", "correct", DOC_ID)


def test_a_clerk_removes_a_document_through_the_service(assistant: Assistant) -> None:
    assert assistant.remove(DOC_ID, role=Role.CLERK, user="anna")
    assert assistant.documents(Role.ADMIN) == []
    assert [(e["user"], e["action"]) for e in assistant.store.audit_log()] == [
        ("anna", "add"),
        ("anna", "remove"),
    ]
