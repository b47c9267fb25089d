"""Personal API tokens: how a user's assistant (an MCP client) acts with that user's role.

A token is shown once, when it is made; the tokens file (beside the users file) keeps only its
argon2id hash. A token reads `ra_<id>_<secret>`: the id finds the entry without trying every
hash, the secret is what is verified. A user has at most one token; a new one replaces the old.
A token is valid only while its user exists with the same creation time: removing the user (or
removing and adding them again) revokes it, and `revoke` does so explicitly.
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from assistant.users import User, UserError, UserStore, normalise_name, write_private_json

TOKEN_PREFIX = "ra_"
_FILE_VERSION = 1

_hasher = PasswordHasher()


@dataclass(frozen=True)
class TokenEntry:
    """The stored half of a token: whose it is, for which incarnation of the user, and its hash."""

    user: str
    token_id: str
    token_hash: str
    user_created_at: str  # the user's created_at when the token was made
    created_at: str


def tokens_path_for(users_path: Path) -> Path:
    """The tokens file lives beside the users file, with the same owner-only access."""
    return users_path.with_name("tokens.json")


class TokenStore:
    """The tokens file, read anew on every call (tokens are few) and written atomically."""

    def __init__(self, users: UserStore, path: Path | None = None) -> None:
        self.users = users
        self.path = path or tokens_path_for(users.path)
        self._lock = threading.Lock()

    def issue(self, name: str) -> str:
        """A new token for user `name`, replacing any earlier one; the only time it is visible."""
        user = self.users.get(name)
        if user is None:
            raise UserError(f"Benutzer „{normalise_name(name)}“ gibt es nicht.")
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        entry = TokenEntry(
            user=user.name,
            token_id=token_id,
            token_hash=_hasher.hash(secret),
            user_created_at=user.created_at,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self._lock:
            entries = {e.user: e for e in self._read()}
            entries[user.name] = entry
            self._write(list(entries.values()))
        return f"{TOKEN_PREFIX}{token_id}_{secret}"

    def revoke(self, name: str) -> bool:
        """Remove the token of user `name`; False when they had none."""
        with self._lock:
            entries = self._read()
            kept = [e for e in entries if e.user != normalise_name(name)]
            if len(kept) == len(entries):
                return False
            self._write(kept)
        return True

    def has_token(self, name: str) -> bool:
        return any(e.user == normalise_name(name) for e in self._read())

    def user_for(self, token: str) -> User | None:
        """The user a token belongs to, as they are now; None for an unknown, revoked or orphaned token."""
        token_id, _, secret = token.strip().removeprefix(TOKEN_PREFIX).partition("_")
        entry = next((e for e in self._read() if e.token_id == token_id), None)
        if entry is None or not secret:
            return None
        try:
            _hasher.verify(entry.token_hash, secret)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        user = self.users.get(entry.user)
        if user is None or user.created_at != entry.user_created_at:
            return None
        return user

    # --- the file ------------------------------------------------------------------------------

    def _read(self) -> list[TokenEntry]:
        try:
            content: Any = json.loads(self.path.read_text(encoding="utf-8"))
            return [TokenEntry(**row) for row in content["tokens"]]
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
            raise UserError(f"{self.path}: Token-Datei ist beschädigt ({error}).") from error

    def _write(self, entries: list[TokenEntry]) -> None:
        content = {"version": _FILE_VERSION, "tokens": [asdict(e) for e in sorted(entries, key=_by_user)]}
        write_private_json(self.path, content)


def _by_user(entry: TokenEntry) -> str:
    return entry.user
