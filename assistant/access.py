"""Who is asking: signing in web users, and the role each request of a session acts as.

A `Session` is made only by `Access.sign_in`, after the password was verified, and the app keeps
it on the server (a gr.State, which the browser can neither read nor set). Every request asks
`Access.visitor(session)` for its role anew: a user removed or given another role with
`ratsauskunft users` acts accordingly from the next click on, and an expired session counts as
not signed in.

What a role may do is decided here alone: `may_see` (read) and `may_edit` (write). Retrieval
applies the first where candidates are produced; the service's write methods check the second,
whichever front end calls them.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.settings import Settings
from assistant.throttle import Throttle, ThrottleRule
from assistant.types import Role
from assistant.users import MAX_PASSWORD_LENGTH, ROLE_NAMES, UserStore, normalise_name
from ingest.types import RatsauskunftError

if TYPE_CHECKING:
    from assistant.tokens import TokenStore

SESSION_SECONDS = 8 * 3600
# Failed sign-ins slow down whoever keeps failing: per client address (up to 5 minutes between
# tries) and per user name (at most 30 s, so nobody can keep a colleague out for long).
CLIENT_THROTTLE = ThrottleRule(free_failures=5, first_wait_s=1.0, max_wait_s=300.0)
NAME_THROTTLE = ThrottleRule(free_failures=5, first_wait_s=1.0, max_wait_s=30.0)
MAX_NAME_CHARS = 64  # longer names cannot exist (users.check_name); they are refused unread

WRONG_LOGIN_TEXT = "Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch."
EMPTY_LOGIN_TEXT = "Bitte Benutzername und Passwort eingeben."
SIGN_IN_REQUIRED_TEXT = "Bitte melden Sie sich an."

EDIT_DENIED_TEXT = "Nur die Verwaltung kann Dokumente hinzufügen, korrigieren und entfernen."


def may_see(role: Role | str, is_public: bool) -> bool:
    """The read rule: non-public documents only for signed-in council members and above."""
    return is_public or role in (Role.MEMBER, Role.CLERK, Role.ADMIN)


def may_edit(role: Role | str) -> bool:
    """The write rule: only the administration adds, corrects and removes documents."""
    return role in (Role.CLERK, Role.ADMIN)


class AccessDenied(RatsauskunftError):
    """A write asked for by a role that may not write (German, for the person who asked)."""


class LoginError(Exception):
    """A sign-in that did not succeed, worded for the person trying (German)."""


def throttled_text(wait_s: float) -> str:
    return f"Zu viele Fehlversuche – bitte in {max(1, round(wait_s))} s erneut versuchen."


@dataclass(frozen=True)
class Session:
    """A signed-in user; held by the server, never taken from what a browser sends."""

    user: str
    expires_at: float
    # sha256 of the secret cookie of the browser that signed in ("" outside the web app): the
    # session grants its rights only to requests carrying that cookie.
    cookie_digest: str = ""


def cookie_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest() if secret else ""


@dataclass(frozen=True)
class Visitor:
    """Whom a request acts for: a user name ("" when anonymous) and a role (None: no access at all)."""

    user: str
    role: Role | None

    @property
    def signed_in(self) -> bool:
        return bool(self.user)

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role or "", "")


class Access:
    """Sign-in with throttling of repeated failures, and the role of every request."""

    def __init__(
        self,
        users: UserStore,
        allow_anonymous: bool = True,
        session_seconds: float = SESSION_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.users = users
        self.allow_anonymous = allow_anonymous
        self.session_seconds = session_seconds
        self._clock = clock
        self._clients = Throttle(CLIENT_THROTTLE, clock)
        self._names = Throttle(NAME_THROTTLE, clock)
        self._by_cookie: dict[str, Session] = {}  # signed-in browsers, for routes without a gr.State
        self._lock = threading.Lock()

    @property
    def anonymous(self) -> Visitor:
        return Visitor("", Role.PUBLIC if self.allow_anonymous else None)

    def sign_in(self, name: str, password: str, client: str = "", cookie: str = "") -> Session:
        """A session for the user whose password this is; `client` is the address signing in,
        `cookie` the secret cookie of its browser, to which the session is then bound.

        After repeated failures the client and the name must wait (growing delays, see
        CLIENT_THROTTLE and NAME_THROTTLE); a refused try does not count as a failure.
        """
        name = normalise_name(name or "")
        client = client[:64]
        if not name or not password:
            raise LoginError(EMPTY_LOGIN_TEXT)
        too_long = len(name) > MAX_NAME_CHARS or len(password) > MAX_PASSWORD_LENGTH
        wait = max(self._clients.wait_s(client), 0.0 if too_long else self._names.wait_s(name))
        if wait > 0:
            raise LoginError(throttled_text(wait))
        user = None if too_long else self.users.authenticate(name, password)
        if user is None:
            self._clients.failed(client)
            if not too_long:
                self._names.failed(name)
            raise LoginError(WRONG_LOGIN_TEXT)
        self._names.forget(name)
        session = Session(user.name, self._clock() + self.session_seconds, cookie_digest(cookie))
        if cookie:
            with self._lock:
                now = self._clock()
                self._by_cookie = {d: s for d, s in self._by_cookie.items() if s.expires_at > now}
                self._by_cookie[session.cookie_digest] = session
        return session

    def sign_out(self, session: Session | None) -> None:
        if session is not None and session.cookie_digest:
            with self._lock:
                self._by_cookie.pop(session.cookie_digest, None)

    def visitor(self, session: Session | None, cookie: str | None = None) -> Visitor:
        """The user and role a request of `session` acts as, looked up now; a session bound to a
        browser's cookie counts only for a request that carries that `cookie`."""
        if session is None or self._clock() >= session.expires_at:
            return self.anonymous
        if session.cookie_digest and cookie_digest(cookie or "") != session.cookie_digest:
            return self.anonymous
        user = self.users.get(session.user)
        if user is None:
            return self.anonymous
        return Visitor(user.name, Role(user.role))

    def visitor_by_token(self, token: str, tokens: TokenStore) -> Visitor | None:
        """Whom a call with a personal API token acts for (MCP, /api): the token's user with their
        role now; anonymous without a token; None for an unknown or revoked token, which is
        refused, never downgraded to public."""
        if not token:
            return self.anonymous
        user = tokens.user_for(token)
        return None if user is None else Visitor(user.name, Role(user.role))

    def visitor_by_cookie(self, cookie: str) -> Visitor:
        """Whom a request acts for that has only its cookie (Gradio's file upload route)."""
        with self._lock:
            session = self._by_cookie.get(cookie_digest(cookie)) if cookie else None
        return self.visitor(session, cookie)


def access_from_settings(settings: Settings) -> Access:
    return Access(UserStore(settings.users_path), allow_anonymous=settings.allow_anonymous)
