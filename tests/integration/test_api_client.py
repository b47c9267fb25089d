"""The app's named API endpoints, called with gradio_client against the running app.

The API is stateless: a follow-up question carries its history itself, and every call acts as
the public role (a non-public document never shows up).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.types import Role

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
METROPOLREGION_QUESTION = "Was kostet die Mitgliedschaft in der Metropolregion?"
NON_PUBLIC_TXT = """Vorlage - 2024/200

Betreff: Verkauf des Grundstücks Am Wallgraben 7
Status: nichtöffentlich

Beschlussvorschlag:
Das Grundstück Am Wallgraben 7 wird zum Kaufpreis von 318.000 € an die Wallgraben GmbH verkauft.
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, embedder: Any, serve_app: Any) -> Iterator[Any]:
    from gradio_client import Client

    from assistant.service import Assistant
    from assistant.settings import Settings

    extra = tmp_path_factory.mktemp("corpus")
    (extra / "2024-200-grundstueck.txt").write_text(NON_PUBLIC_TXT, encoding="utf-8")
    assistant = Assistant(Settings(store=tmp_path_factory.mktemp("store")), embedder=embedder)
    report = assistant.ingest([REPO / "corpus", extra], role=Role.ADMIN, user="test")
    assert not report.failed, report.failed
    with serve_app(assistant) as url:
        yield Client(url, verbose=False)


def test_only_ask_and_search_are_public_endpoints(client: Any) -> None:
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/ask", "/search"}


def test_ask_returns_the_answer_json_with_citations(client: Any) -> None:
    result = client.predict(METROPOLREGION_QUESTION, api_name="/ask")
    assert set(result) == {"answer", "citations", "abstained", "related", "ledger_rows"}
    assert "3.000" in result["answer"]
    assert not result["abstained"]
    citation = result["citations"][0]
    assert citation["doc_id"] == "vorlage-2015-179"
    assert citation["reference"] == "2015/179"
    assert f"[{citation['n']}]" in result["answer"]


def test_ask_uses_the_history_it_is_given(client: Any) -> None:
    result = client.predict("Und das EWH-Netzwerk?", [METROPOLREGION_QUESTION], api_name="/ask")
    assert "4.400" in result["answer"]


def test_search_returns_hits_as_json(client: Any) -> None:
    result = client.predict("Metropolregion Kosten", api_name="/search")
    hits = result["hits"]
    assert hits
    assert hits[0]["reference"] == "2015/179"
    assert {"doc_id", "title", "snippet", "start", "end", "score"} <= set(hits[0])


def test_search_takes_the_number_of_hits(client: Any) -> None:
    result = client.predict("Zuschuss", 2, api_name="/search")
    assert 1 <= len(result["hits"]) <= 2


def test_api_acts_as_the_public_role(client: Any) -> None:
    hits = client.predict("Grundstück Wallgraben Kaufpreis", api_name="/search")["hits"]
    assert all(hit["doc_id"] != "2024-200-grundstueck" for hit in hits)
    answer = client.predict(
        "Zu welchem Kaufpreis wird das Grundstück Am Wallgraben verkauft?", api_name="/ask"
    )
    assert "318.000" not in answer["answer"]
    assert all(c["doc_id"] != "2024-200-grundstueck" for c in answer["citations"])
