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

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.settings import Settings
from assistant.types import Role
from assistant.users import ROLE_NAMES, UserStore, normalise_name
from ingest.types import RatsauskunftError

SESSION_SECONDS = 8 * 3600
MAX_FAILED_LOGINS = 5
LOCKOUT_SECONDS = 300

WRONG_LOGIN_TEXT = "Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch."
LOCKED_TEXT = "Zu viele Fehlversuche für diesen Benutzer – bitte in einigen Minuten erneut versuchen."
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


@dataclass(frozen=True)
class Session:
    """A signed-in user; held by the server, never taken from what a browser sends."""

    user: str
    expires_at: float


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
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    @property
    def anonymous(self) -> Visitor:
        return Visitor("", Role.PUBLIC if self.allow_anonymous else None)

    def sign_in(self, name: str, password: str) -> Session:
        name = normalise_name(name or "")
        if not name or not password:
            raise LoginError(EMPTY_LOGIN_TEXT)
        if self._locked(name):
            raise LoginError(LOCKED_TEXT)
        user = self.users.authenticate(name, password)
        if user is None:
            self._note_failure(name)
            raise LoginError(WRONG_LOGIN_TEXT)
        with self._lock:
            self._failures.pop(name, None)
        return Session(user.name, self._clock() + self.session_seconds)

    def visitor(self, session: Session | None) -> Visitor:
        """The user and role a request of `session` acts as, looked up now."""
        if session is None or self._clock() >= session.expires_at:
            return self.anonymous
        user = self.users.get(session.user)
        if user is None:
            return self.anonymous
        return Visitor(user.name, Role(user.role))

    def _recent_failures(self, name: str) -> list[float]:
        since = self._clock() - LOCKOUT_SECONDS
        recent = [t for t in self._failures.get(name, []) if t > since]
        if recent:
            self._failures[name] = recent
        else:
            self._failures.pop(name, None)
        return recent

    def _locked(self, name: str) -> bool:
        with self._lock:
            return len(self._recent_failures(name)) >= MAX_FAILED_LOGINS

    def _note_failure(self, name: str) -> None:
        with self._lock:
            self._failures[name] = [*self._recent_failures(name), self._clock()]


def access_from_settings(settings: Settings) -> Access:
    return Access(UserStore(settings.users_path), allow_anonymous=settings.allow_anonymous)
