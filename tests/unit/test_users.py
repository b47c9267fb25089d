"""Users, sign-in and sessions: who may sign in, which role a request acts as, and the CLI for it."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

from assistant.access import (
    CLIENT_THROTTLE,
    NAME_THROTTLE,
    WRONG_LOGIN_TEXT,
    Access,
    LoginError,
    Session,
)
from assistant.throttle import Throttle, ThrottleRule
from assistant.users import UserError, UserStore
from ui.account import account_text, bind_session
from ui.cli import main

PASSWORD = "Stadtrat-2024!"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with its real cost takes a good part of a second per hash; the tests need no such cost."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr("assistant.users._hasher", cheap)
    dummy_hash = cheap.hash("kein-benutzer")
    monkeypatch.setattr("assistant.users._dummy_hash", lambda: dummy_hash)


@pytest.fixture
def users(tmp_path: Path) -> UserStore:
    store = UserStore(tmp_path / "store" / "users.json")
    store.add("anna", "member", PASSWORD)
    store.add("clara", "clerk", PASSWORD)
    return store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def access(users: UserStore, clock: Clock) -> Access:
    return Access(users, allow_anonymous=True, session_seconds=3600, clock=clock)


# --- the users file ------------------------------------------------------------------------------


def test_password_is_stored_only_as_argon2_hash_in_an_owner_only_file(users: UserStore) -> None:
    content = users.path.read_text(encoding="utf-8")
    assert PASSWORD not in content
    assert json.loads(content)["users"][0]["password_hash"].startswith("$argon2id$")
    assert stat.S_IMODE(users.path.stat().st_mode) == 0o600


def test_right_password_authenticates_and_wrong_password_or_name_does_not(users: UserStore) -> None:
    user = users.authenticate("anna", PASSWORD)
    assert user is not None and user.role == "member"
    assert users.authenticate("anna", PASSWORD + "x") is None
    assert users.authenticate("anna", "") is None
    assert users.authenticate("niemand", PASSWORD) is None


def test_user_names_are_compared_in_lower_case(users: UserStore) -> None:
    assert users.authenticate(" Anna ", PASSWORD) is not None


def test_adding_an_existing_user_needs_replace(users: UserStore) -> None:
    with pytest.raises(UserError, match="gibt es schon"):
        users.add("Anna", "clerk", PASSWORD)
    users.add("anna", "clerk", "Neues-Passwort-1", replace=True)
    assert users.authenticate("anna", PASSWORD) is None
    replaced = users.authenticate("anna", "Neues-Passwort-1")
    assert replaced is not None and replaced.role == "clerk"


@pytest.mark.parametrize("role", ["public", "superuser", ""])
def test_only_member_clerk_and_admin_can_be_given(users: UserStore, role: str) -> None:
    with pytest.raises(UserError, match="Unbekannte Rolle"):
        users.add("bernd", role, PASSWORD)


@pytest.mark.parametrize("name", ["", "a b", "../x", "-start", "x" * 65, "anna;rm"])
def test_unusable_user_names_are_refused(users: UserStore, name: str) -> None:
    with pytest.raises(UserError, match="Ungültiger Benutzername"):
        users.add(name, "member", PASSWORD)


def test_short_passwords_are_refused(users: UserStore) -> None:
    with pytest.raises(UserError, match="mindestens 8 Zeichen"):
        users.add("bernd", "member", "kurz")


def test_removed_user_is_gone(users: UserStore) -> None:
    assert users.remove("ANNA")
    assert users.get("anna") is None
    assert not users.remove("anna")


def test_a_change_by_another_process_is_seen(users: UserStore) -> None:
    other = UserStore(users.path)
    other.add("dora", "admin", PASSWORD)
    assert users.get("dora") is not None


def test_a_damaged_users_file_is_reported_in_german(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    path.write_text("{kaputt", encoding="utf-8")
    with pytest.raises(UserError, match="Benutzerdatei ist beschädigt"):
        UserStore(path).users()


def test_a_hand_edited_unknown_role_grants_nothing(tmp_path: Path, users: UserStore) -> None:
    content = json.loads(users.path.read_text(encoding="utf-8"))
    content["users"][0]["role"] = "superuser"
    users.path.write_text(json.dumps(content), encoding="utf-8")
    assert UserStore(users.path).authenticate("anna", PASSWORD) is None


# --- sign-in and sessions ------------------------------------------------------------------------


def test_sign_in_gives_a_session_whose_role_comes_from_the_users_file(access: Access) -> None:
    session = access.sign_in("anna", PASSWORD)
    visitor = access.visitor(session)
    assert (visitor.user, visitor.role, visitor.signed_in) == ("anna", "member", True)


def test_wrong_password_and_unknown_user_get_the_same_message(access: Access) -> None:
    for name, password in (("anna", "falsch-falsch"), ("niemand", PASSWORD)):
        with pytest.raises(LoginError) as refused:
            access.sign_in(name, password)
        assert str(refused.value) == WRONG_LOGIN_TEXT


def test_empty_sign_in_is_refused(access: Access) -> None:
    with pytest.raises(LoginError, match="Bitte Benutzername und Passwort eingeben"):
        access.sign_in("", "")


def _fail(access: Access, name: str, client: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(LoginError, match="falsch"):
            access.sign_in(name, "falsch-falsch", client=client)


def test_repeated_failures_for_a_name_make_it_wait_with_growing_delays_not_a_lock(
    access: Access, clock: Clock
) -> None:
    free = NAME_THROTTLE.free_failures
    for n in range(free):
        _fail(access, "anna", client=f"10.0.0.{n}")
    _fail(access, "anna", client="10.0.1.1")  # the first failure beyond the free ones: wait 1 s
    with pytest.raises(LoginError, match=r"bitte in 1 s erneut versuchen"):
        access.sign_in("anna", PASSWORD, client="192.168.1.7")
    clock.now += 1.0
    _fail(access, "anna", client="10.0.1.2")  # next wait 2 s
    with pytest.raises(LoginError, match=r"bitte in 2 s erneut versuchen"):
        access.sign_in("anna", PASSWORD, client="192.168.1.7")
    clock.now += 2.0
    assert access.visitor(access.sign_in("anna", PASSWORD, client="192.168.1.7")).role == "member"


def test_nobody_can_keep_a_user_out_for_longer_than_the_name_cap(access: Access, clock: Clock) -> None:
    for n in range(200):  # many addresses, many guesses, each made as soon as allowed
        clock.now += access._names.wait_s("anna")
        _fail(access, "anna", client=f"10.{n // 250}.{n % 250}.1")
    assert access._names.wait_s("anna") <= NAME_THROTTLE.max_wait_s
    clock.now += NAME_THROTTLE.max_wait_s
    assert access.visitor(access.sign_in("anna", PASSWORD, client="192.168.1.7")).role == "member"


def test_a_client_that_keeps_failing_waits_for_every_name(access: Access, clock: Clock) -> None:
    for n in range(CLIENT_THROTTLE.free_failures + 3):
        clock.now += access._clients.wait_s("203.0.113.9")
        _fail(access, f"rate-{n}", client="203.0.113.9")
    with pytest.raises(LoginError, match="erneut versuchen"):
        access.sign_in("clara", PASSWORD, client="203.0.113.9")
    assert access.visitor(access.sign_in("clara", PASSWORD, client="192.168.1.7")).role == "clerk"


def test_a_refused_try_does_not_make_the_wait_longer(access: Access, clock: Clock) -> None:
    _fail(access, "anna", client="10.0.0.1", times=NAME_THROTTLE.free_failures + 1)
    for _ in range(50):
        with pytest.raises(LoginError, match="erneut versuchen"):
            access.sign_in("anna", "falsch-falsch", client="10.0.0.2")
    clock.now += NAME_THROTTLE.first_wait_s
    assert access.sign_in("anna", PASSWORD, client="10.0.0.2").user == "anna"


def test_failure_tables_stay_bounded(clock: Clock) -> None:
    throttle = Throttle(ThrottleRule(free_failures=1, first_wait_s=1, max_wait_s=8, max_entries=100), clock)
    for n in range(1000):
        throttle.failed(f"name-{n}")
    assert len(throttle) == 100
    assert throttle.wait_s("name-0") == 0.0  # the longest quiet were dropped
    throttle.failed("name-999")
    assert throttle.wait_s("name-999") == 1.0


def test_long_names_are_refused_without_entering_the_failure_table(access: Access) -> None:
    huge = "x" * 2_000_000
    with pytest.raises(LoginError) as refused:
        access.sign_in(huge, PASSWORD, client="10.0.0.1")
    assert str(refused.value) == WRONG_LOGIN_TEXT
    assert len(access._names) == 0


def test_without_session_a_visitor_acts_as_public(access: Access) -> None:
    assert access.visitor(None).role == "public"
    assert not access.visitor(None).signed_in


def test_with_anonymous_access_off_a_visitor_without_session_has_no_role(users: UserStore) -> None:
    closed = Access(users, allow_anonymous=False)
    assert closed.visitor(None).role is None
    assert closed.visitor(closed.sign_in("anna", PASSWORD)).role == "member"


def test_an_expired_session_counts_as_not_signed_in(access: Access, clock: Clock) -> None:
    session = access.sign_in("clara", PASSWORD)
    clock.now += 3601
    assert access.visitor(session).role == "public"


def test_removing_a_user_or_changing_the_role_takes_effect_on_the_open_session(
    access: Access, users: UserStore
) -> None:
    session = access.sign_in("clara", PASSWORD)
    users.add("clara", "member", PASSWORD, replace=True)
    assert access.visitor(session).role == "member"
    users.remove("clara")
    assert access.visitor(session) == access.visitor(None)


def test_a_session_for_a_made_up_user_grants_nothing(access: Access) -> None:
    forged = Session(user="admin", expires_at=float("inf"))
    assert access.visitor(forged).role == "public"


# --- binding handlers to the session -------------------------------------------------------------


class Recorder:
    """Stands in for ui.app.Handlers: records the role and user each call received."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def read(self, query: str, role: str) -> str:
        self.calls.append((query, role))
        return "ok"

    def write(self, doc_id: str, role: str, user: str = "web") -> str:
        self.calls.append((doc_id, role, user))
        return "ok"

    def click(self, role: str, evt: gr.EventData) -> str:
        self.calls.append((role, evt))
        return "ok"


def test_bound_handler_takes_the_session_where_the_role_was(access: Access) -> None:
    recorder = Recorder()
    read = bind_session(recorder.read, access)
    assert list(read.__signature__.parameters) == ["query", "session", "request"]  # type: ignore[attr-defined]
    read("Zuschuss", access.sign_in("anna", PASSWORD))
    read("Zuschuss", None)
    assert recorder.calls == [("Zuschuss", "member"), ("Zuschuss", "public")]


def test_bound_writer_gets_the_signed_in_user_for_the_audit_log(access: Access) -> None:
    recorder = Recorder()
    write = bind_session(recorder.write, access)
    assert list(write.__signature__.parameters) == ["doc_id", "session", "request"]  # type: ignore[attr-defined]
    write("2015-179", access.sign_in("clara", PASSWORD))
    assert recorder.calls == [("2015-179", "clerk", "clara")]


def test_bound_handler_keeps_the_event_data_hint_gradio_reads(access: Access) -> None:
    import typing

    click = bind_session(Recorder().click, access)
    assert typing.get_type_hints(click)["evt"] is gr.EventData


def test_bound_handler_refuses_when_nothing_may_be_shown(users: UserStore) -> None:
    recorder = Recorder()
    read = bind_session(recorder.read, Access(users, allow_anonymous=False))
    with pytest.raises(gr.Error):
        read("Zuschuss", None)
    assert recorder.calls == []


def test_account_text_says_who_is_signed_in(access: Access) -> None:
    assert "Nicht angemeldet" in account_text(access.visitor(None))
    assert "Angemeldet als **anna** (Ratsmitglied)" in account_text(
        access.visitor(access.sign_in("anna", PASSWORD))
    )


# --- the CLI -------------------------------------------------------------------------------------


def _run(store: Path, *args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, ["--store", str(store), *args], input=input)


def test_cli_users_add_asks_for_the_password_twice_and_stores_only_its_hash(tmp_path: Path) -> None:
    result = _run(tmp_path, "users", "add", "Anna", "--role", "member", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Benutzer „anna“ (Ratsmitglied) gespeichert" in result.output
    assert "Passwort wiederholen" in result.output
    assert PASSWORD not in (tmp_path / "users.json").read_text(encoding="utf-8")
    assert UserStore(tmp_path / "users.json").authenticate("anna", PASSWORD) is not None


def test_cli_users_add_asks_again_for_a_too_short_or_mismatched_password(tmp_path: Path) -> None:
    typed = f"kurz\n{PASSWORD}\nanders-anders\n{PASSWORD}\n{PASSWORD}\n"
    result = _run(tmp_path, "users", "add", "clara", "--role", "clerk", input=typed)
    assert result.exit_code == 0, result.output
    assert "mindestens 8 Zeichen" in result.output
    assert UserStore(tmp_path / "users.json").authenticate("clara", PASSWORD) is not None


def test_cli_users_add_refuses_an_existing_user_before_asking_for_a_password(tmp_path: Path) -> None:
    _run(tmp_path, "users", "add", "anna", "--role", "member", input=f"{PASSWORD}\n{PASSWORD}\n")
    result = _run(tmp_path, "users", "add", "anna", "--role", "admin")
    assert result.exit_code == 1
    assert "gibt es schon" in result.output and "Passwort" not in result.output


def test_cli_users_add_refuses_the_public_role(tmp_path: Path) -> None:
    result = _run(tmp_path, "users", "add", "anna", "--role", "public")
    assert result.exit_code == 2


def test_cli_users_list_and_remove(tmp_path: Path) -> None:
    _run(tmp_path, "users", "add", "anna", "--role", "member", input=f"{PASSWORD}\n{PASSWORD}\n")
    listed = _run(tmp_path, "users", "list", "--json")
    assert [(u["name"], u["role"]) for u in json.loads(listed.output)["users"]] == [("anna", "member")]
    assert "argon2" not in listed.output
    assert _run(tmp_path, "users", "remove", "anna").exit_code == 0
    assert _run(tmp_path, "users", "remove", "anna").exit_code == 1
    assert "0 Benutzer" in _run(tmp_path, "users", "list").output


def test_cli_users_file_can_live_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "geheim" / "benutzer.json"
    monkeypatch.setenv("RATSAUSKUNFT_USERS", str(elsewhere))
    _run(tmp_path / "store", "users", "add", "anna", "--role", "admin", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert UserStore(elsewhere).get("anna") is not None
    assert not (tmp_path / "store" / "users.json").exists()
