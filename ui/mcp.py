"""Council documents as MCP tools: search, cited answers, the ledger, decisions and documents.

Thin over `assistant.service.Assistant`, like the app and the CLI: every tool asks who is
calling, lets the service answer for that role and records the call in the store's audit log.

Who is calling: over HTTP, `Authorization: Bearer <token>` names a user (a personal token from
`ratsauskunft users token NAME`) and the call acts with that user's role; over stdio the token
comes from RATSAUSKUNFT_TOKEN. Without a token a call acts as `public`, unless anonymous access is
off (RATSAUSKUNFT_ANONYMOUS=0). An unknown or revoked token is refused, never downgraded to
public, so a client notices. Results are the JSON the CLI prints with `--json`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Annotated, Any

import gradio as gr
from fastapi import APIRouter, FastAPI
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from assistant.access import Access, Visitor
from assistant.service import Assistant
from assistant.tokens import TokenStore
from assistant.types import Role, SearchFilters
from ui.api import audit_detail, bearer_token
from ui.render import PAGE_CSS, PAGE_JS
from ui.tables import ledger_sums

MAX_HITS = 50
MCP_PATH = "/mcp"
TOKEN_ENV = "RATSAUSKUNFT_TOKEN"
INVALID_TOKEN_TEXT = "Zugangsschlüssel ungültig oder widerrufen. / Invalid or revoked token."
ANONYMOUS_OFF_TEXT = (
    "Zugriff ohne Zugangsschlüssel ist abgeschaltet (RATSAUSKUNFT_ANONYMOUS=0). "
    "/ Anonymous access is off: send a personal token."
)
NOT_FOUND_TEXT = "Kein Dokument mit dieser ID oder Vorlagennummer gefunden. / No such document."

INSTRUCTIONS = (
    "Ratsauskunft: Ratsdokumente (Vorlagen, Beschlüsse, Niederschriften) einer Kommune – Suche, "
    "Antworten mit geprüften Belegen, Beteiligungen und Beschlüsse. Jede Aussage einer Antwort trägt "
    "einen Beleg, dessen Zitat wörtlich im Dokument steht (quote == text[start:end]).\n"
    "Council documents of a German municipality: search, answers with checked citations, the "
    "ledger of memberships and payments, decisions, full documents."
)

Query = Annotated[str, Field(description="Suchanfrage auf Deutsch / search query in German")]
Hits = Annotated[int, Field(description="Anzahl Treffer / number of hits", ge=1, le=MAX_HITS)]
Committee = Annotated[str, Field(description="Gremium, Teilwort genügt / committee (substring)")]
DocType = Annotated[str, Field(description="Vorlage-Art, z. B. Beschlussvorlage / document type")]
Body = Annotated[str, Field(description="Körperschaft, Teilwort genügt / municipality or county (substring)")]
YearFrom = Annotated[int | None, Field(description="frühestes Jahr / earliest year")]
YearTo = Annotated[int | None, Field(description="spätestes Jahr / latest year")]
Question = Annotated[str, Field(description="Frage auf Deutsch / question in German")]
History = Annotated[
    list[str] | None,
    Field(description="frühere Fragen desselben Gesprächs, älteste zuerst / earlier questions, oldest first"),
]
Organisation = Annotated[str, Field(description="Organisation, Teilwort genügt / organisation (substring)")]
Year = Annotated[int | None, Field(description="Jahr / year")]
Outcome = Annotated[str, Field(description="Ergebnis, z. B. beschlossen, abgelehnt / outcome (substring)")]
DocumentKey = Annotated[
    str,
    Field(
        description="Dokument-ID (vorlage-2015-179) oder Vorlagennummer (2015/179) / document id or Vorlage number"
    ),
]


class CouncilTools:
    """The five tools over one Assistant; `caller` decides the role of every call."""

    def __init__(
        self, assistant: Assistant, access: Access, tokens: TokenStore, stdio_token: str = ""
    ) -> None:
        self.assistant = assistant
        self.access = access
        self.tokens = tokens
        self.stdio_token = stdio_token

    def caller(self, ctx: Context) -> Visitor:
        """The user and role of a call: a Bearer token over HTTP, RATSAUSKUNFT_TOKEN over stdio."""
        headers = ctx.headers
        token = self.stdio_token if headers is None else bearer_token(headers.get("authorization"))
        visitor = self.access.visitor_by_token(token, self.tokens)
        if visitor is None:
            raise ToolError(INVALID_TOKEN_TEXT)
        if visitor.role is None:
            raise ToolError(ANONYMOUS_OFF_TEXT)
        return visitor

    def _begin(self, ctx: Context, tool: str, arguments: dict[str, Any]) -> Role:
        """Who calls, audited (refused calls too) before anything is read; returns the role to act as."""
        try:
            visitor = self.caller(ctx)
        except ToolError:
            self.assistant.record_read("mcp:abgewiesen", f"mcp:{tool}", audit_detail(arguments))
            raise
        self.assistant.record_read(f"mcp:{visitor.user or 'anonym'}", f"mcp:{tool}", audit_detail(arguments))
        assert visitor.role is not None
        return visitor.role

    # --- the tools -----------------------------------------------------------------------------

    def suche(
        self,
        query: Query,
        ctx: Context,
        k: Hits = 10,
        committee: Committee = "",
        doc_type: DocType = "",
        body: Body = "",
        year_from: YearFrom = None,
        year_to: YearTo = None,
    ) -> dict[str, Any]:
        filters = SearchFilters(committee, doc_type, body, year_from, year_to)
        role = self._begin(ctx, "suche", {"query": query, "k": k} | asdict(filters))
        hits = self.assistant.search(query, k=max(1, min(k, MAX_HITS)), filters=filters, role=role)
        results = []
        for hit in hits:
            doc = self.assistant.document(hit.doc_id, role)
            committees = doc.committees if doc is not None else []
            results.append(hit.to_json() | {"passage": hit.text, "committees": committees})
        return {"hits": results}

    def frage(self, question: Question, ctx: Context, history: History = None) -> dict[str, Any]:
        role = self._begin(ctx, "frage", {"question": question, "history": history or []})
        return dict(
            self.assistant.ask(question, history=[str(h) for h in history or []], role=role).to_json()
        )

    def beteiligungen(self, ctx: Context, body: Body = "", organisation: Organisation = "") -> dict[str, Any]:
        role = self._begin(ctx, "beteiligungen", {"body": body, "organisation": organisation})
        rows = [
            r
            for r in self.assistant.ledger(role=role, body=body)
            if organisation.lower() in str(r["organisation"]).lower()
        ]
        return {"rows": rows, "totals": ledger_sums(rows)}

    def beschluesse(
        self, ctx: Context, committee: Committee = "", year: Year = None, outcome: Outcome = ""
    ) -> dict[str, Any]:
        role = self._begin(ctx, "beschluesse", {"committee": committee, "year": year, "outcome": outcome})
        return {
            "decisions": self.assistant.decisions(role=role, committee=committee, year=year, outcome=outcome)
        }

    def dokument(self, id_or_reference: DocumentKey, ctx: Context) -> dict[str, Any]:
        role = self._begin(ctx, "dokument", {"id_or_reference": id_or_reference})
        doc = self.assistant.find_document(id_or_reference, role)
        if doc is None:
            raise ToolError(NOT_FOUND_TEXT)
        return {"document": doc.to_json() | {"text": doc.text}}


TOOL_DESCRIPTIONS = {
    "suche": (
        "Durchsucht die Ratsdokumente und liefert die besten Textstellen mit Dokument, Vorlagennummer, "
        "Datum und Gremium; Filter nach Gremium, Vorlage-Art, Körperschaft und Jahren.\n"
        "Searches the council documents: ranked passages with document, reference (Vorlage number), "
        "date and committees; filters by committee, document type, body and years."
    ),
    "frage": (
        "Beantwortet eine Frage aus den Dokumenten. Jede Aussage trägt einen Beleg [n]; jedes Zitat "
        "steht wörtlich im Dokument (quote == text[start:end]). abstained=true: nichts Belastbares gefunden.\n"
        "Answers a question from the documents with citations whose quotes are exact spans of their "
        "documents; abstained=true when the documents do not say."
    ),
    "beteiligungen": (
        "Beteiligungen und Zahlungen (Mitgliedsbeiträge, Zuschüsse, Umlagen …) aus allen Dokumenten, "
        "mit Summen je Körperschaft, Jahr und Währung.\n"
        "Memberships and payments found in the documents, with totals per paying body, year and currency."
    ),
    "beschluesse": (
        "Beschlüsse der Gremien: Gremium, Datum, Ergebnis (Beschlussart) und Abstimmung, mit Dokument "
        "und Vorlagennummer; Filter nach Gremium, Jahr und Ergebnis.\n"
        "Decisions of the committees: committee, date, outcome and vote, with their document."
    ),
    "dokument": (
        "Ein Dokument mit Metadaten (Betreff, Status, Körperschaft, Beratungsfolge) und vollem Text, "
        "per Dokument-ID oder Vorlagennummer.\n"
        "One document with its metadata and full text, by document id or Vorlage number."
    ),
}


def build_server(
    assistant: Assistant, access: Access, tokens: TokenStore, stdio_token: str = ""
) -> MCPServer:
    """The MCP server with the five read-only tools; serve it over stdio or streamable HTTP."""
    tools = CouncilTools(assistant, access, tokens, stdio_token)
    server: MCPServer = MCPServer("ratsauskunft", title="Ratsauskunft", instructions=INSTRUCTIONS)
    for name, description in TOOL_DESCRIPTIONS.items():
        server.add_tool(getattr(tools, name), name=name, description=description)
    return server


def stdio_token_from_env() -> str:
    return os.environ.get(TOKEN_ENV, "").strip()


def web_app(demo: gr.Blocks, server: MCPServer, api: APIRouter, host: str, **gradio_options: Any) -> FastAPI:
    """One ASGI app: the MCP endpoint at /mcp (streamable HTTP), the JSON routes of `api` (/api)
    and the Gradio app at /.

    MCP and /api go first, so the Gradio app mounted at / never sees them; the MCP session
    manager runs in the app's lifespan, around Gradio's own startup. The app gets the page styles
    its own launch would give it (render.PAGE_CSS, render.PAGE_JS).
    """
    mcp_app = server.streamable_http_app(streamable_http_path=MCP_PATH, host=host)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with server.session_manager.run():
            yield

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.router.routes.extend(mcp_app.routes)
    app.include_router(api)
    return gr.mount_gradio_app(app, demo, path="/", **{"css": PAGE_CSS, "js": PAGE_JS, **gradio_options})
