"""The JSON routes /api/ask and /api/search of `ratsauskunft serve`, as a program calls them over HTTP.

The installation of the MCP tests (tests/integration/test_mcp.py): a public Vorlage on a
membership fee, a non-public one on a land sale, member anna with a token, bert's revoked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, get_type_hints

import httpx
import pytest
from test_mcp import (  # noqa: F401 - `installation` is the fixture `served` uses
    FEE_QUESTION,
    REPO,
    SALE_QUESTION,
    SECRET_MARKS,
    Installation,
    cli,
    installation,
    serving,
)

from assistant.types import AnswerJson, CitationJson, HitJson

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Served:
    url: str
    installation: Installation


@pytest.fixture(scope="module")
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    """`ratsauskunft serve` on the MCP tests' installation (`test_mcp.serving`)."""
    prepared: Installation = request.getfixturevalue("installation")
    with serving(prepared) as url:
        yield Served(url, prepared)


def post(url: str, path: str, body: dict[str, Any], token: str = "") -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{url}{path}", json=body, headers=headers, timeout=300)


def test_ask_answers_with_citations_in_the_answer_json_shape(served: Served) -> None:
    response = post(served.url, "/api/ask", {"question": FEE_QUESTION})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    answer = response.json()
    assert set(answer) == set(get_type_hints(AnswerJson))
    assert not answer["abstained"] and "12.500" in answer["answer"]
    assert answer["citations"] and set(answer["citations"][0]) == set(get_type_hints(CitationJson))
    assert {c["reference"] for c in answer["citations"]} == {"2024/101"}


def test_search_returns_hits_in_the_search_json_shape(served: Served) -> None:
    response = post(served.url, "/api/search", {"query": "Mitgliedsbeitrag Zweckverband Radwege", "k": 3})
    hits = response.json()["hits"]
    assert response.status_code == 200 and hits
    assert set(hits[0]) == set(get_type_hints(HitJson)) and hits[0]["reference"] == "2024/101"


def test_an_anonymous_caller_gets_nothing_of_the_non_public_document(served: Served) -> None:
    answer = post(served.url, "/api/ask", {"question": SALE_QUESTION}).text
    hits = post(served.url, "/api/search", {"query": "Grundstück Am Mühlenteich Kaufpreis 2024/202"}).text
    for text in (answer, hits):
        assert not any(mark in text for mark in SECRET_MARKS), text


def test_a_member_token_gets_the_non_public_document(served: Served) -> None:
    answer = post(
        served.url, "/api/ask", {"question": SALE_QUESTION}, served.installation.member_token
    ).json()
    hits = post(
        served.url, "/api/search", {"query": "Grundstück Am Mühlenteich"}, served.installation.member_token
    )
    assert "418.000" in answer["answer"]
    assert {c["reference"] for c in answer["citations"]} == {"2024/202"}
    assert hits.json()["hits"][0]["reference"] == "2024/202"


def test_a_revoked_token_is_refused_not_treated_as_public(served: Served) -> None:
    for path, body in (("/api/ask", {"question": FEE_QUESTION}), ("/api/search", {"query": "Radwege"})):
        response = post(served.url, path, body, served.installation.revoked_token)
        assert response.status_code == 401 and "widerrufen" in response.json()["detail"]


def test_a_request_without_a_question_is_refused_with_422(served: Served) -> None:
    assert post(served.url, "/api/ask", {"question": ""}).status_code == 422
    assert post(served.url, "/api/search", {"query": "Radwege", "k": 500}).status_code == 422


def test_every_api_call_is_audited_with_the_user_it_acted_for(served: Served) -> None:
    post(served.url, "/api/search", {"query": "Prüfzeile Audit"}, served.installation.member_token)
    post(served.url, "/api/search", {"query": "Prüfzeile Audit anonym"})
    post(
        served.url, "/api/search", {"query": "Prüfzeile Audit widerrufen"}, served.installation.revoked_token
    )
    entries = json.loads(cli(served.installation.env, "audit", "--json"))["audit"]
    searches = {(e["user"], json.loads(e["detail"])["query"]) for e in entries if e["action"] == "api:search"}
    assert ("api:anna", "Prüfzeile Audit") in searches
    assert ("api:anonym", "Prüfzeile Audit anonym") in searches
    assert ("api:abgewiesen", "Prüfzeile Audit widerrufen") in searches
