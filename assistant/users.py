"""Users of the web app: names, roles and argon2 password hashes in one local JSON file.

The file (settings.users_path, by default STORE/users.json) is written atomically and readable
only by its owner; it never holds a password, only its argon2id hash. It is re-read when it
changes on disk, so `ratsauskunft users add/remove` takes effect in a running app at once.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from assistant.types import Role
from ingest.types import RatsauskunftError

# Roles a user account can have; "public" is what everybody is without signing in.
USER_ROLES = (Role.MEMBER, Role.CLERK, Role.ADMIN)
ROLE_NAMES: dict[str, str] = {
    Role.PUBLIC: "Öffentlichkeit",
    Role.MEMBER: "Ratsmitglied",
    Role.CLERK: "Verwaltung",
    Role.ADMIN: "Administration",
}
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
_NAME = re.compile(r"[^\W_][\w.@-]{0,63}")
_FILE_VERSION = 1

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when a name is unknown, so a wrong name takes as long as a wrong password.
    Made when the first UserStore opens, not at import: hashing takes ~150 ms, which every
    command (`ask` too) would otherwise pay at start."""
    return _hasher.hash("ratsauskunft-kein-benutzer")


class UserError(RatsauskunftError):
    """An expected problem with a user account or the users file, worded for the admin (German)."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    password_hash: str
    created_at: str

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


def normalise_name(name: str) -> str:
    """User names are compared in lower case, without surrounding spaces."""
    return name.strip().lower()


def check_name(name: str) -> str:
    normalised = normalise_name(name)
    if not _NAME.fullmatch(normalised):
        raise UserError(
            f"Ungültiger Benutzername „{name}“: erlaubt sind Buchstaben, Ziffern und . _ @ - "
            "(höchstens 64 Zeichen, am Anfang ein Buchstabe oder eine Ziffer)."
        )
    return normalised


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"Das Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen lang sein.")


class UserStore:
    """The users file: read when it changed on disk, written atomically with owner-only access."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._users: dict[str, User] = {}
        _dummy_hash()  # made now, so the first unknown name takes no longer than later ones

    # --- reading -------------------------------------------------------------------------------

    def users(self) -> list[User]:
        return sorted(self._load().values(), key=lambda u: u.name)

    def get(self, name: str) -> User | None:
        return self._load().get(normalise_name(name))

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is theirs; None for a wrong name or password (same effort)."""
        user = self.get(name)
        try:
            _hasher.verify(user.password_hash if user else _dummy_hash(), password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if user is None:
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user = self._save_user(User(user.name, user.role, _hasher.hash(password), user.created_at))
        return user

    # --- writing -------------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str, replace: bool = False) -> User:
        """Create a user (or, with `replace`, give an existing one a new role and password)."""
        normalised = check_name(name)
        if role not in USER_ROLES:
            raise UserError(f"Unbekannte Rolle „{role}“ (möglich: {', '.join(USER_ROLES)}).")
        check_password(password)
        existing = self.get(normalised)
        if existing is not None and not replace:
            raise UserError(f"Benutzer „{normalised}“ gibt es schon (ändern mit --replace).")
        created = existing.created_at if existing else datetime.now(UTC).isoformat(timespec="seconds")
        return self._save_user(User(normalised, role, _hasher.hash(password), created))

    def remove(self, name: str) -> bool:
        with self._lock:
            users = dict(self._read())
            if users.pop(normalise_name(name), None) is None:
                return False
            self._write(users)
        return True

    def _save_user(self, user: User) -> User:
        with self._lock:
            users = dict(self._read())
            users[user.name] = user
            self._write(users)
        return user

    # --- the file ------------------------------------------------------------------------------

    def _load(self) -> dict[str, User]:
        with self._lock:
            return self._read()

    def _read(self) -> dict[str, User]:
        """The users as on disk; parsed again only when the file's size or time changed."""
        try:
            status = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._users = None, {}
            return self._users
        stamp = (status.st_mtime_ns, status.st_size)
        if stamp != self._stamp:
            self._users = _parse_users(self.path)
            self._stamp = stamp
        return self._users

    def _write(self, users: dict[str, User]) -> None:
        content = {
            "version": _FILE_VERSION,
            "users": [asdict(u) for u in sorted(users.values(), key=_by_name)],
        }
        write_private_json(self.path, content)
        self._stamp = None  # read back on next access


def write_private_json(path: Path, content: dict[str, Any]) -> None:
    """Replace `path` atomically with `content`, readable by its owner only: a crash leaves the old
    file or the new one, never half of one (users and their tokens hold password hashes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(content, file, ensure_ascii=False, indent=2)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _by_name(user: User) -> str:
    return user.name


def _parse_users(path: Path) -> dict[str, User]:
    try:
        content: Any = json.loads(path.read_text(encoding="utf-8"))
        rows = content["users"]
        users = [
            User(str(r["name"]), str(r["role"]), str(r["password_hash"]), str(r.get("created_at", "")))
            for r in rows
        ]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise UserError(f"{path}: Benutzerdatei ist beschädigt ({error}).") from error
    # A hand-edited entry with a role that does not exist grants nothing: it cannot sign in.
    return {u.name: u for u in users if u.role in USER_ROLES}
