"""Signing in and out in the app, and the one place where a handler learns its role.

Handlers (ui.app.Handlers) take the role, and the user name where they write, as plain
arguments. `bind_session` turns such a handler into an event handler whose only access input is
the session – a gr.State, held on the server per browser tab, that only the sign-in handler
sets – and resolves role and user from it on every call. The browser never sends a role.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.access import SIGN_IN_REQUIRED_TEXT, Access, Session, Visitor

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
    session_signature = signature.replace(parameters=parameters)

    @functools.wraps(method)
    def handler(*args: Any, **kwargs: Any) -> Any:
        arguments = session_signature.bind(*args, **kwargs).arguments
        visitor = access.visitor(arguments.pop("session"))
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
