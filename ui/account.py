"""Signing in and out in the app, and the one place where a handler learns its role.

Handlers (ui.app.Handlers) take the role, and the user name where they write, as plain
arguments. `bind_session` turns such a handler into an event handler whose only access input is
the session – a gr.State, held on the server per browser tab, that only the sign-in handler
sets – and resolves role and user from it on every call. The browser never sends a role.
"""

from __future__ import annotations

import functools
import inspect
import secrets
import typing
from collections.abc import Callable
from typing import Any

import gradio as gr
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request as StarletteRequest
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.access import SIGN_IN_REQUIRED_TEXT, Access, Session, Visitor
from ingest.uploads import size_text

ANONYMOUS_USER = "anonym"
ROLE_NOTES = {
    "public": "Sie sehen die öffentlichen Dokumente.",
    "member": "Sie sehen auch die nichtöffentlichen Dokumente.",
    "clerk": "Sie sehen alle Dokumente und können Dokumente hinzufügen, korrigieren und entfernen.",
    "admin": "Sie sehen alle Dokumente und können Dokumente hinzufügen, korrigieren und entfernen.",
}


def bind_session(method: Callable[..., Any], access: Access) -> Callable[..., Any]:
    """`method` with its `role` (and `user`) parameters replaced by one `session` parameter.

    The returned function keeps the signature and type hints Gradio reads (gr.EventData,
    gr.Progress), so it is wired like the method itself with the session state in the role's place.
    Without any access (anonymous access switched off, not signed in) it refuses to run.
    """
    signature = inspect.signature(method)
    hints = typing.get_type_hints(method)
    if "role" not in signature.parameters:
        raise TypeError(f"{method.__name__} has no role parameter to bind")
    writes = "user" in signature.parameters
    parameters = [
        p.replace(name="session", annotation=Session | None) if p.name == "role" else p
        for p in signature.parameters.values()
        if p.name != "user"
    ]
    # Gradio passes the request (with the browser's cookies) into a parameter annotated gr.Request.
    request_parameter = inspect.Parameter(
        "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=gr.Request | None
    )
    session_signature = signature.replace(parameters=[*parameters, request_parameter])

    @functools.wraps(method)
    def handler(*args: Any, **kwargs: Any) -> Any:
        arguments = session_signature.bind(*args, **kwargs).arguments
        visitor = access.visitor(arguments.pop("session"), cookie_secret(arguments.pop("request", None)))
        if visitor.role is None:
            raise gr.Error(SIGN_IN_REQUIRED_TEXT)
        arguments["role"] = visitor.role
        if writes:
            arguments["user"] = visitor.user or ANONYMOUS_USER
        return method(**arguments)

    handler.__signature__ = session_signature  # type: ignore[attr-defined]
    handler.__annotations__ = {
        **{name: hint for name, hint in hints.items() if name not in ("role", "user")},
        "session": Session | None,
        "request": gr.Request | None,
    }
    return handler


def account_text(visitor: Visitor) -> str:
    """Who is signed in and what that means, as Markdown for the page header."""
    if visitor.role is None:
        return "Bitte melden Sie sich an, um die Ratsdokumente zu sehen."
    note = ROLE_NOTES.get(visitor.role, ROLE_NOTES["public"])
    if not visitor.signed_in:
        return f"Nicht angemeldet. {note}"
    return f"Angemeldet als **{_markdown_safe(visitor.user)}** ({visitor.role_name}). {note}"


def _markdown_safe(text: str) -> str:
    """A user name is letters, digits and . _ @ -; the Markdown-active ones among them are escaped."""
    return text.replace("_", "\\_")


def client_address(request: gr.Request | None) -> str:
    """The address a request came from, for throttling failed sign-ins ("" when unknown).

    Behind a reverse proxy that does not pass the browser's address on, every request comes from
    the proxy and the per-client throttle slows all visitors together (README, access section).
    """
    client = getattr(request, "client", None) if request is not None else None
    return str(getattr(client, "host", "") or "")


SESSION_COOKIE = "ratsauskunft-sitzung"
UPLOAD_OVERHEAD_BYTES = 64 * 1024  # multipart headers around the file itself
COOKIE_NEEDED_TEXT = (
    "Anmelden geht nur mit dem Sitzungs-Cookie dieser Seite – bitte die Seite neu laden "
    "und Cookies für diese Seite erlauben."
)
UPLOAD_REFUSED_TEXT = "Dateien hochladen darf nur, wer als Verwaltung angemeldet ist."


def cookie_secret(request: gr.Request | None) -> str:
    """The browser's secret session cookie ("" without one, e.g. a direct call in a test)."""
    cookies = getattr(request, "cookies", None) if request is not None else None
    return str((cookies or {}).get(SESSION_COOKIE, ""))


class SessionCookies:
    """ASGI middleware in front of the Gradio app: the server's half of every browser session.

    - Every browser gets a random secret cookie (HttpOnly, SameSite=Strict, Secure over https),
      made by the server; a sign-in is bound to it (`Access.sign_in(cookie=…)`), so a tab's rights
      need that cookie as well as Gradio's session hash, which the browser makes itself and sends
      in URLs.
    - Gradio's file upload route stores a file only for a request whose cookie belongs to a
      signed-in clerk or admin, and only up to twice the app's own size limit (the app then
      explains a refusal in the preview); everyone else gets 403 (or 413) before a byte is stored.
    """

    def __init__(self, app: ASGIApp, access: Access, max_upload_bytes: int) -> None:
        self.app = app
        self.access = access
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secret = StarletteRequest(scope).cookies.get(SESSION_COOKIE, "")
        if scope["method"] == "POST" and scope["path"].rstrip("/").endswith("/upload"):
            refusal = self._upload_refusal(secret, Headers(scope=scope))
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        if secret:
            await self.app(scope, receive, send)
            return
        cookie = _cookie_header(secrets.token_urlsafe(32), secure=scope.get("scheme") == "https")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _upload_refusal(self, secret: str, headers: Headers) -> PlainTextResponse | None:
        role = self.access.visitor_by_cookie(secret).role
        if role not in ("clerk", "admin"):
            return PlainTextResponse(UPLOAD_REFUSED_TEXT, status_code=403)
        # Up to twice the limit the app itself refuses a file, in the preview, with a German reason.
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > 2 * self.max_upload_bytes + UPLOAD_OVERHEAD_BYTES:
            return PlainTextResponse(
                f"Datei ist zu groß (erlaubt sind höchstens {size_text(self.max_upload_bytes)}).",
                status_code=413,
            )
        return None


def _cookie_header(secret: str, secure: bool) -> str:
    return f"{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")
