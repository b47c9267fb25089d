"""The MCP tools as an assistant sees them: `ratsauskunft serve` at /mcp and `ratsauskunft mcp` on stdio,
driven by the official MCP client, with access by personal tokens.

Two small documents written for the test: a public Vorlage on a membership fee and a non-public one on
a land sale. Whatever an anonymous client asks, nothing of the land sale comes back; a member's token
gets it; a revoked token gets nothing at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from click.testing import CliRunner
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from ui.cli import main
from ui.mcp import ANONYMOUS_OFF_TEXT, INVALID_TOKEN_TEXT

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Stadtrat-2024!"
TOOLS = {"suche", "frage", "beteiligungen", "beschluesse", "dokument"}

PUBLIC_TXT = """Vorlage - 2024/101

Betreff: Mitgliedschaft im Zweckverband Radwege Nordheide
Status: öffentlich
Datum: 12.03.2024

Beratungsfolge:
Kreisausschuss – 12.03.2024 – ungeändert beschlossen

Beschlussvorschlag:
Der Landkreis Nordheide tritt dem Zweckverband Radwege Nordheide bei. Der jährliche Mitgliedsbeitrag des Landkreises beträgt 12.500 €.

Sachverhalt:
Der Zweckverband Radwege Nordheide plant und unterhält Radwege zwischen den Gemeinden des Landkreises.
"""
NON_PUBLIC_TXT = """Vorlage - 2024/202

Betreff: Verkauf des Grundstücks Am Mühlenteich 4
Status: nichtöffentlich
Datum: 20.05.2024

Beratungsfolge:
Kreisausschuss – 20.05.2024 – abgelehnt

Beschlussvorschlag:
Das Grundstück Am Mühlenteich 4 wird zum Kaufpreis von 418.000 € an die Mühlenteich Bau GmbH verkauft.
"""
FEE_QUESTION = "Wie hoch ist der Mitgliedsbeitrag für den Zweckverband Radwege Nordheide?"
SALE_QUESTION = "Zu welchem Kaufpreis wird das Grundstück Am Mühlenteich 4 verkauft?"
# Every way the non-public document could show: its words, its number, its figure, its outcome.
SECRET_MARKS = ("Mühlenteich", "2024/202", "vorlage-2024-202", "418.000", "abgelehnt")


@dataclass(frozen=True)
class Installation:
    env: dict[str, str]
    member_token: str
    revoked_token: str


def cli(env: dict[str, str], *args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    """A store with both documents, member anna with a token, member bert whose token was revoked."""
    docs = tmp_path_factory.mktemp("docs")
    (docs / "vorlage-2024-101.txt").write_text(PUBLIC_TXT, encoding="utf-8")
    (docs / "vorlage-2024-202.txt").write_text(NON_PUBLIC_TXT, encoding="utf-8")
    env = {
        "RATSAUSKUNFT_STORE": str(tmp_path_factory.mktemp("store")),
        "RATSAUSKUNFT_EMBEDDING_MODEL": "minilm",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "PYTHONPATH": str(REPO),
    }
    cli(env, "ingest", str(docs))
    tokens = {}
    for name in ("anna", "bert"):
        cli(env, "users", "add", name, "--role", "member", input=f"{PASSWORD}\n{PASSWORD}\n")
        tokens[name] = cli(env, "users", "token", name).splitlines()[0].strip()
    cli(env, "users", "token", "bert", "--revoke")
    return Installation(env, tokens["anna"], tokens["bert"])


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(installation: Installation) -> Iterator[str]:
    """`ratsauskunft serve` on `installation` as a subprocess on a free loopback port; its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "serve", "--port", str(port)],
        env=os.environ | installation.env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def mcp_url(installation: Installation) -> Iterator[str]:
    """The MCP endpoint's URL of `serving`."""
    with serving(installation) as url:
        yield f"{url}/mcp"


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve ended: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@asynccontextmanager
async def http_client(url: str, token: str = "") -> AsyncIterator[Client]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=300) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client


async def call(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    return dict(json.loads(result.content[0].text))  # type: ignore[union-attr]


async def every_tool(client: Client) -> dict[str, dict[str, Any] | str]:
    """What each tool returns for questions aimed at the non-public document (error text if refused)."""
    calls: dict[str, dict[str, Any]] = {
        "suche": {"query": "Grundstück Am Mühlenteich Kaufpreis"},
        "frage": {"question": SALE_QUESTION},
        "beteiligungen": {},
        "beschluesse": {},
        "dokument": {"id_or_reference": "2024/202"},
    }
    results: dict[str, dict[str, Any] | str] = {}
    for tool, arguments in calls.items():
        result = await client.call_tool(tool, arguments)
        text = result.content[0].text  # type: ignore[union-attr]
        results[tool] = text if result.is_error else json.loads(text)
    return results


async def test_http_client_lists_the_five_tools_with_german_and_english_descriptions(mcp_url: str) -> None:
    async with http_client(mcp_url) as client:
        tools = (await client.list_tools()).tools
    assert {t.name for t in tools} == TOOLS
    for tool in tools:
        german, english = str(tool.description).split("\n")
        assert "Dokument" in german and "document" in english, tool.name


async def test_each_tool_answers_an_anonymous_client_from_the_public_document(mcp_url: str) -> None:
    async with http_client(mcp_url) as client:
        hits = (await call(client, "suche", query="Mitgliedsbeitrag Zweckverband Radwege", k=3))["hits"]
        answer = await call(client, "frage", question=FEE_QUESTION)
        ledger = await call(client, "beteiligungen", organisation="Radwege")
        decisions = (await call(client, "beschluesse", committee="Kreisausschuss"))["decisions"]
        document = (await call(client, "dokument", id_or_reference="2024/101"))["document"]
    assert hits[0]["reference"] == "2024/101" and hits[0]["committees"] == ["Kreisausschuss"]
    assert hits[0]["date"] == "2024-03-12" and hits[0]["passage"]
    assert "12.500" in answer["answer"] and not answer["abstained"]
    assert [r["value"] for r in ledger["rows"] if r["kind"] == "Mitgliedsbeitrag"] == [12500.0]
    assert ledger["totals"] == [
        {"body": "Landkreis Nordheide", "year": "jährlich", "currency": "EUR", "total": 12500.0, "count": 1}
    ]
    assert [(d["reference"], d["outcome"]) for d in decisions] == [("2024/101", "ungeändert beschlossen")]
    assert document["doc_id"] == "vorlage-2024-101" and document["status"] == "öffentlich"
    assert "Der jährliche Mitgliedsbeitrag des Landkreises beträgt 12.500 €." in document["text"]


async def test_citations_and_passages_quote_their_documents_exactly(
    mcp_url: str, installation: Installation
) -> None:
    async with http_client(mcp_url, installation.member_token) as client:
        answers = [await call(client, "frage", question=q) for q in (FEE_QUESTION, SALE_QUESTION)]
        hits = (await call(client, "suche", query="Mitgliedsbeitrag Kaufpreis Grundstück", k=5))["hits"]
        citations = [c for a in answers for c in a["citations"]]
        texts = {
            doc_id: (await call(client, "dokument", id_or_reference=doc_id))["document"]["text"]
            for doc_id in {c["doc_id"] for c in citations} | {h["doc_id"] for h in hits}
        }
    assert len(citations) >= 2
    for citation in citations:
        assert citation["quote"] == texts[citation["doc_id"]][citation["start"] : citation["end"]]
    for hit in hits:
        assert hit["passage"] == texts[hit["doc_id"]][hit["start"] : hit["end"]]


async def test_an_anonymous_client_gets_nothing_of_the_non_public_document_through_any_tool(
    mcp_url: str,
) -> None:
    async with http_client(mcp_url) as client:
        results = await every_tool(client)
    for tool, result in results.items():
        shown = json.dumps(result, ensure_ascii=False)
        assert not [mark for mark in SECRET_MARKS if mark in shown], (tool, shown)


async def test_a_member_token_gets_the_non_public_document_through_every_tool(
    mcp_url: str, installation: Installation
) -> None:
    async with http_client(mcp_url, installation.member_token) as client:
        results = await every_tool(client)
    for tool, result in results.items():
        assert isinstance(result, dict), (tool, result)
        assert "Mühlenteich" in json.dumps(result, ensure_ascii=False), tool
    answer = results["frage"]
    assert isinstance(answer, dict) and "418.000" in answer["answer"]


async def test_a_revoked_token_is_refused_by_every_tool(mcp_url: str, installation: Installation) -> None:
    async with http_client(mcp_url, installation.revoked_token) as client:
        results = await every_tool(client)
    assert all(INVALID_TOKEN_TEXT in str(result) for result in results.values()), results


def test_serve_keeps_the_app_and_its_api_beside_mcp(mcp_url: str) -> None:
    from gradio_client import Client as GradioClient

    app = GradioClient(mcp_url.removesuffix("mcp"), verbose=False)
    assert set(app.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {"/ask", "/search"}
    hits = app.predict("Mitgliedsbeitrag Zweckverband Radwege", api_name="/search")["hits"]
    assert hits[0]["reference"] == "2024/101"


def test_serve_keeps_the_session_cookie_and_the_upload_guard_of_the_app(mcp_url: str) -> None:
    from ui.account import SESSION_COOKIE

    base = mcp_url.removesuffix("mcp")
    page = httpx.get(base, timeout=30)
    assert SESSION_COOKIE in page.cookies
    upload = httpx.post(
        base + "gradio_api/upload", files={"files": ("a.txt", b"Text", "text/plain")}, timeout=30
    )
    assert upload.status_code == 403


def test_every_call_is_audited_with_the_user_it_acted_for(mcp_url: str, installation: Installation) -> None:
    import anyio

    async def ask_as_member() -> None:
        async with http_client(mcp_url, installation.member_token) as client:
            await call(client, "dokument", id_or_reference="2024/101")

    anyio.run(ask_as_member)
    entries = json.loads(cli(installation.env, "audit", "--json", "--user", "mcp:anna"))["audit"]
    assert {"action": "mcp:dokument", "detail": '{"id_or_reference": "2024/101"}'}.items() <= entries[
        -1
    ].items()


def stdio_server(installation: Installation, **env: str) -> Client:
    parameters = StdioServerParameters(
        command=sys.executable, args=["-m", "ui.cli", "mcp"], env=installation.env | env, cwd=REPO
    )
    return Client(parameters)


async def test_stdio_server_acts_with_the_token_from_the_environment(installation: Installation) -> None:
    async with stdio_server(installation, RATSAUSKUNFT_TOKEN=installation.member_token) as client:
        assert {t.name for t in (await client.list_tools()).tools} == TOOLS
        document = (await call(client, "dokument", id_or_reference="2024/202"))["document"]
    assert document["status"] == "nichtöffentlich" and "418.000 €" in document["text"]


async def test_stdio_server_refuses_anonymous_calls_when_anonymous_access_is_off(
    installation: Installation,
) -> None:
    async with stdio_server(installation, RATSAUSKUNFT_ANONYMOUS="0") as client:
        result = await client.call_tool("suche", {"query": "Mitgliedsbeitrag"})
    assert result.is_error and ANONYMOUS_OFF_TEXT in result.content[0].text  # type: ignore[union-attr]
