"""Plain JSON routes beside the app: `POST /api/ask` and `POST /api/search`.

The same answers as the app's named Gradio endpoints and the CLI's `--json` (the `AnswerJson` and
`SearchJson` shapes of assistant.types), without Gradio's queue and event protocol in between: one
request, one JSON response.

Who is calling, as for the MCP tools: `Authorization: Bearer <token>` (a personal token from
`ratsauskunft users token NAME`) acts with that user's role; else the app's session cookie of a
browser signed in to the app does; else the call is anonymous and acts as `public` – refused when
anonymous access is off (RATSAUSKUNFT_ANONYMOUS=0). An unknown or revoked token is refused, never
downgraded to public. Every call is in the audit log as `api:<user>` (`api:anonym`, refused ones as
`api:abgewiesen`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant.access import Access, Visitor
from assistant.service import Assistant
from assistant.tokens import TokenStore
from assistant.types import AnswerJson, Role, SearchJson
from ui.account import SESSION_COOKIE

API_PREFIX = "/api"
MAX_HITS = 50
MAX_QUESTION_CHARS = 2000
MAX_HISTORY = 20
INVALID_TOKEN_TEXT = "Zugangsschlüssel ungültig oder widerrufen."
ANONYMOUS_OFF_TEXT = (
    "Zugriff ohne Anmeldung ist abgeschaltet (RATSAUSKUNFT_ANONYMOUS=0): bitte einen persönlichen "
    "Zugangsschlüssel senden (Authorization: Bearer …)."
)


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    history: list[str] = Field(default_factory=list, max_length=MAX_HISTORY)


class SearchRequest(BaseModel):
    query: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    k: int = Field(default=10, ge=1, le=MAX_HITS)


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer …` header ("" without one)."""
    scheme, _, credentials = (authorization or "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def audit_detail(arguments: dict[str, Any]) -> str:
    """A call's arguments as the audit log keeps them: JSON without the empty ones."""
    return json.dumps({k: v for k, v in arguments.items() if v not in ("", None, [])}, ensure_ascii=False)


class JsonApi:
    """The two routes over one Assistant; `caller` decides the role of every request."""

    def __init__(self, assistant: Assistant, access: Access, tokens: TokenStore) -> None:
        self.assistant = assistant
        self.access = access
        self.tokens = tokens

    def caller(self, request: Request) -> Visitor:
        """A Bearer token's user, else the signed-in user of the session cookie, else anonymous."""
        token = bearer_token(request.headers.get("authorization"))
        if token:
            visitor = self.access.visitor_by_token(token, self.tokens)
            if visitor is None:
                raise HTTPException(401, INVALID_TOKEN_TEXT, headers={"WWW-Authenticate": "Bearer"})
        else:
            visitor = self.access.visitor_by_cookie(request.cookies.get(SESSION_COOKIE, ""))
        if visitor.role is None:
            raise HTTPException(401, ANONYMOUS_OFF_TEXT, headers={"WWW-Authenticate": "Bearer"})
        return visitor

    def begin(self, request: Request, action: str, arguments: dict[str, Any]) -> Role:
        """Who calls, audited (refused calls too) before anything is read; the role to act as."""
        detail = audit_detail(arguments)
        try:
            visitor = self.caller(request)
        except HTTPException:
            self.assistant.record_read("api:abgewiesen", f"api:{action}", detail)
            raise
        self.assistant.record_read(f"api:{visitor.user or 'anonym'}", f"api:{action}", detail)
        assert visitor.role is not None
        return visitor.role

    def ask(self, body: AskRequest, request: Request) -> AnswerJson:
        role = self.begin(request, "ask", body.model_dump())
        return self.assistant.ask(body.question, history=body.history, role=role).to_json()

    def search(self, body: SearchRequest, request: Request) -> SearchJson:
        role = self.begin(request, "search", body.model_dump())
        return {"hits": [h.to_json() for h in self.assistant.search(body.query, k=body.k, role=role)]}


def api_router(assistant: Assistant, access: Access, tokens: TokenStore) -> APIRouter:
    """`/api/ask` and `/api/search`; FastAPI runs each request in its thread pool."""
    api = JsonApi(assistant, access, tokens)
    router = APIRouter(prefix=API_PREFIX)

    @router.post("/ask")
    def ask(body: AskRequest, request: Request) -> JSONResponse:
        return JSONResponse(api.ask(body, request))

    @router.post("/search")
    def search(body: SearchRequest, request: Request) -> JSONResponse:
        return JSONResponse(api.search(body, request))

    return router
