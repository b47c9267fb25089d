"""Who is asking: signing in web users, and the role each request of a session acts as.

A `Session` is made only by `Access.sign_in`, after the password was verified, and the app keeps
it on the server (a gr.State, which the browser can neither read nor set). Every request asks
`Access.visitor(session)` for its role anew: a user removed or given another role with
`ratsauskunft users` acts accordingly from the next click on, and an expired session counts as
not signed in. What a role may see is decided in one place, `assistant.retrieval.may_see`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.settings import Settings
from assistant.throttle import Throttle, ThrottleRule
from assistant.users import MAX_PASSWORD_LENGTH, ROLE_NAMES, UserStore, normalise_name

SESSION_SECONDS = 8 * 3600
# Failed sign-ins slow down whoever keeps failing: per client address (up to 5 minutes between
# tries) and per user name (at most 30 s, so nobody can keep a colleague out for long).
CLIENT_THROTTLE = ThrottleRule(free_failures=5, first_wait_s=1.0, max_wait_s=300.0)
NAME_THROTTLE = ThrottleRule(free_failures=5, first_wait_s=1.0, max_wait_s=30.0)
MAX_NAME_CHARS = 64  # longer names cannot exist (users.check_name); they are refused unread

WRONG_LOGIN_TEXT = "Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch."
EMPTY_LOGIN_TEXT = "Bitte Benutzername und Passwort eingeben."
SIGN_IN_REQUIRED_TEXT = "Bitte melden Sie sich an."


class LoginError(Exception):
    """A sign-in that did not succeed, worded for the person trying (German)."""


def throttled_text(wait_s: float) -> str:
    return f"Zu viele Fehlversuche – bitte in {max(1, round(wait_s))} s erneut versuchen."


@dataclass(frozen=True)
class Session:
    """A signed-in user; held by the server, never taken from what a browser sends."""

    user: str
    expires_at: float


@dataclass(frozen=True)
class Visitor:
    """Whom a request acts for: a user name ("" when anonymous) and a role (None: no access at all)."""

    user: str
    role: str | None

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

    @property
    def anonymous(self) -> Visitor:
        return Visitor("", "public" if self.allow_anonymous else None)

    def sign_in(self, name: str, password: str, client: str = "") -> Session:
        """A session for the user whose password this is; `client` is the address signing in.

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
        return Session(user.name, self._clock() + self.session_seconds)

    def visitor(self, session: Session | None) -> Visitor:
        """The user and role a request of `session` acts as, looked up now."""
        if session is None or self._clock() >= session.expires_at:
            return self.anonymous
        user = self.users.get(session.user)
        if user is None:
            return self.anonymous
        return Visitor(user.name, user.role)


def access_from_settings(settings: Settings) -> Access:
    return Access(UserStore(settings.users_path), allow_anonymous=settings.allow_anonymous)
