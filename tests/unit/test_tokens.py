"""Personal API tokens: made once, stored as a hash, revocable, dead with their user; and whom an MCP call
or a request to the JSON routes acts for."""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from fastapi import HTTPException
from mcp.server.mcpserver.exceptions import ToolError
from starlette.requests import Request

from assistant.access import Access, Visitor
from assistant.tokens import TokenStore
from assistant.users import UserError, UserStore
from ui.account import SESSION_COOKIE
from ui.api import ANONYMOUS_OFF_TEXT as API_ANONYMOUS_OFF_TEXT
from ui.api import INVALID_TOKEN_TEXT as API_INVALID_TOKEN_TEXT
from ui.api import JsonApi
from ui.cli import main
from ui.mcp import ANONYMOUS_OFF_TEXT, INVALID_TOKEN_TEXT, CouncilTools

PASSWORD = "Stadtrat-2024!"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr("assistant.users._hasher", cheap)
    monkeypatch.setattr("assistant.tokens._hasher", cheap)


@pytest.fixture
def users(tmp_path: Path) -> UserStore:
    store = UserStore(tmp_path / "store" / "users.json")
    store.add("anna", "member", PASSWORD)
    store.add("clara", "clerk", PASSWORD)
    return store


@pytest.fixture
def tokens(users: UserStore) -> TokenStore:
    return TokenStore(users)


def test_a_token_names_its_user_with_their_current_role(users: UserStore, tokens: TokenStore) -> None:
    token = tokens.issue("anna")
    assert tokens.user_for(token) == users.get("anna")
    users.add("anna", "clerk", PASSWORD, replace=True)
    user = tokens.user_for(token)
    assert user is not None and user.role == "clerk"


def test_the_tokens_file_holds_only_an_argon2_hash_and_only_its_owner_reads_it(tokens: TokenStore) -> None:
    token = tokens.issue("anna")
    content = tokens.path.read_text(encoding="utf-8")
    assert token.split("_")[-1] not in content
    assert json.loads(content)["tokens"][0]["token_hash"].startswith("$argon2id$")
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600


def test_a_wrong_or_malformed_token_names_nobody(tokens: TokenStore) -> None:
    token = tokens.issue("anna")
    assert tokens.user_for(token + "x") is None
    assert tokens.user_for(token.rsplit("_", 1)[0]) is None
    assert tokens.user_for("") is None
    assert tokens.user_for("Bearer") is None


def test_a_new_token_replaces_the_earlier_one(tokens: TokenStore) -> None:
    first = tokens.issue("anna")
    second = tokens.issue("anna")
    assert tokens.user_for(first) is None and tokens.user_for(second) is not None


def test_a_revoked_token_names_nobody(tokens: TokenStore) -> None:
    token = tokens.issue("anna")
    assert tokens.revoke("anna") and not tokens.revoke("anna")
    assert tokens.user_for(token) is None


def test_removing_the_user_revokes_the_token(users: UserStore, tokens: TokenStore) -> None:
    token = tokens.issue("anna")
    users.remove("anna")
    assert tokens.user_for(token) is None


def test_a_token_for_an_unknown_user_is_refused(tokens: TokenStore) -> None:
    with pytest.raises(UserError, match="gibt es nicht"):
        tokens.issue("niemand")


# --- the command line ----------------------------------------------------------------------------


def run(tmp_path: Path, *args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, ["--store", str(tmp_path / "store"), *args], input=input)


def test_cli_users_token_prints_the_token_once_and_revoke_ends_it(tmp_path: Path) -> None:
    run(tmp_path, "users", "add", "anna", "--role", "member", input=f"{PASSWORD}\n{PASSWORD}\n")
    made = run(tmp_path, "users", "token", "anna")
    token = made.output.splitlines()[0]
    tokens = TokenStore(UserStore(tmp_path / "store" / "users.json"))
    assert made.exit_code == 0 and tokens.user_for(token) is not None
    assert "nur jetzt" in made.output
    revoked = run(tmp_path, "users", "token", "anna", "--revoke")
    assert revoked.exit_code == 0 and tokens.user_for(token) is None
    assert run(tmp_path, "users", "token", "anna", "--revoke").exit_code == 1


def test_cli_users_remove_revokes_the_token(tmp_path: Path) -> None:
    run(tmp_path, "users", "add", "anna", "--role", "member", input=f"{PASSWORD}\n{PASSWORD}\n")
    run(tmp_path, "users", "token", "anna")
    assert run(tmp_path, "users", "remove", "anna").exit_code == 0
    assert not TokenStore(UserStore(tmp_path / "store" / "users.json")).has_token("anna")


# --- whom an MCP call acts for -------------------------------------------------------------------


@dataclass
class FakeContext:
    headers: dict[str, str] | None


def tools(tokens: TokenStore, allow_anonymous: bool = True, stdio_token: str = "") -> CouncilTools:
    access = Access(tokens.users, allow_anonymous=allow_anonymous)
    return CouncilTools(None, access, tokens, stdio_token)  # type: ignore[arg-type]


def caller(council: CouncilTools, headers: dict[str, str] | None) -> Visitor:
    return council.caller(FakeContext(headers))  # type: ignore[arg-type]


def test_an_http_call_with_a_bearer_token_acts_as_its_user(tokens: TokenStore) -> None:
    token = tokens.issue("clara")
    assert caller(tools(tokens), {"authorization": f"Bearer {token}"}) == Visitor("clara", "clerk")


def test_an_http_call_without_a_token_acts_as_public(tokens: TokenStore) -> None:
    assert caller(tools(tokens), {}) == Visitor("", "public")


def test_an_invalid_token_is_refused_not_treated_as_public(tokens: TokenStore) -> None:
    with pytest.raises(ToolError, match=INVALID_TOKEN_TEXT[:20]):
        caller(tools(tokens), {"authorization": "Bearer ra_000000000000_falsch"})


def test_anonymous_calls_are_refused_when_anonymous_access_is_off(tokens: TokenStore) -> None:
    with pytest.raises(ToolError, match=ANONYMOUS_OFF_TEXT[:20]):
        caller(tools(tokens, allow_anonymous=False), {})
    token = tokens.issue("anna")
    council = tools(tokens, allow_anonymous=False)
    assert caller(council, {"authorization": f"Bearer {token}"}).role == "member"


def test_a_stdio_call_acts_with_the_token_from_the_environment(tokens: TokenStore) -> None:
    token = tokens.issue("anna")
    assert caller(tools(tokens, stdio_token=token), None) == Visitor("anna", "member")
    assert caller(tools(tokens), None) == Visitor("", "public")


# --- the JSON routes (/api/ask, /api/search) decide the caller the same way ---------------------


def api_caller(access: Access, tokens: TokenStore, headers: dict[str, str]) -> Visitor:
    scope = {"type": "http", "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    return JsonApi(None, access, tokens).caller(Request(scope))  # type: ignore[arg-type]


def test_an_api_request_with_a_bearer_token_acts_as_its_user(tokens: TokenStore) -> None:
    token = tokens.issue("clara")
    visitor = api_caller(Access(tokens.users), tokens, {"Authorization": f"Bearer {token}"})
    assert visitor == Visitor("clara", "clerk")


def test_an_api_request_with_the_cookie_of_a_signed_in_browser_acts_as_its_user(tokens: TokenStore) -> None:
    access = Access(tokens.users)
    access.sign_in("anna", PASSWORD, cookie="browser-secret")
    visitor = api_caller(access, tokens, {"Cookie": f"{SESSION_COOKIE}=browser-secret"})
    assert visitor == Visitor("anna", "member")
    assert api_caller(access, tokens, {"Cookie": f"{SESSION_COOKIE}=other"}) == Visitor("", "public")


def test_an_api_request_with_an_invalid_token_is_refused_not_treated_as_public(tokens: TokenStore) -> None:
    with pytest.raises(HTTPException) as refused:
        api_caller(Access(tokens.users), tokens, {"Authorization": "Bearer ra_000000000000_falsch"})
    assert refused.value.status_code == 401 and refused.value.detail == API_INVALID_TOKEN_TEXT


def test_anonymous_api_requests_are_refused_when_anonymous_access_is_off(tokens: TokenStore) -> None:
    access = Access(tokens.users, allow_anonymous=False)
    with pytest.raises(HTTPException) as refused:
        api_caller(access, tokens, {})
    assert refused.value.status_code == 401 and refused.value.detail == API_ANONYMOUS_OFF_TEXT
    token = tokens.issue("anna")
    assert api_caller(access, tokens, {"Authorization": f"Bearer {token}"}).role == "member"
