"""No anonymous writes, and a tab's rights bound to a secret the server made.

The real app is served on a loopback port. Gradio's upload route takes a file only from a browser
whose secret cookie belongs to a signed-in clerk, and only up to the app's limit; a session
(Gradio state) grants its rights only together with the cookie it was signed in with.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fakes import HashEmbedder

from assistant.access import Access
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.users import UserStore
from ui.account import SESSION_COOKIE, UPLOAD_REFUSED_TEXT, bind_session

pytestmark = pytest.mark.integration

PASSWORD = "Stadtrat-2024!"
LIMIT = 256 * 1024


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, serve_app: Any) -> Any:
    import assistant.users

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    assistant.users._hasher, real = cheap, assistant.users._hasher
    settings = Settings(store=tmp_path_factory.mktemp("store"), max_upload_bytes=LIMIT)
    users = UserStore(settings.users_path)
    users.add("verwaltung", "clerk", PASSWORD)
    users.add("ratsmitglied", "member", PASSWORD)
    service = Assistant(settings, embedder=HashEmbedder())
    access = Access(users)
    with serve_app(service, access) as url:
        yield SimpleNamespace(url=url, access=access)
    assistant.users._hasher = real


def _browser(url: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=url, timeout=30)
    page = client.get("/")
    cookie = page.cookies.get(SESSION_COOKIE)
    assert cookie, "the page sets the session cookie"
    header = next(h for h in page.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in header and "SameSite=Strict" in header
    return client, cookie


def _upload(client: httpx.Client, size: int = 1000) -> httpx.Response:
    name = f"vorlage-{uuid.uuid4().hex}.txt"
    return client.post("/gradio_api/upload", files={"files": (name, b"Text " * (size // 5), "text/plain")})


def test_an_anonymous_upload_is_refused_before_anything_is_stored(served: Any) -> None:
    response = httpx.post(
        served.url + "gradio_api/upload", files={"files": ("a.txt", b"Text", "text/plain")}, timeout=30
    )
    assert response.status_code == 403
    assert response.text == UPLOAD_REFUSED_TEXT


def test_a_browser_that_is_not_signed_in_as_clerk_may_not_upload(served: Any) -> None:
    client, cookie = _browser(served.url)
    assert _upload(client).status_code == 403
    served.access.sign_in("ratsmitglied", PASSWORD, client="test", cookie=cookie)
    assert _upload(client).status_code == 403


def test_a_signed_in_clerk_uploads_up_to_the_apps_limit(served: Any) -> None:
    client, cookie = _browser(served.url)
    served.access.sign_in("verwaltung", PASSWORD, client="test", cookie=cookie)
    stored = _upload(client)
    assert stored.status_code == 200, stored.text
    assert Path(stored.json()[0]).is_file()
    too_big = _upload(client, size=3 * LIMIT)  # up to 2 × the limit the app explains it in the preview
    assert too_big.status_code == 413
    assert "zu groß" in too_big.text


def test_signing_out_ends_the_right_to_upload(served: Any) -> None:
    client, cookie = _browser(served.url)
    session = served.access.sign_in("verwaltung", PASSWORD, client="test", cookie=cookie)
    served.access.sign_out(session)
    assert _upload(client).status_code == 403


def test_a_session_counts_only_with_the_cookie_it_was_signed_in_with(served: Any) -> None:
    session = served.access.sign_in("verwaltung", PASSWORD, client="test", cookie="geheim-1")
    assert served.access.visitor(session, "geheim-1").role == "clerk"
    assert served.access.visitor(session, "geheim-2").role == "public"
    assert served.access.visitor(session, None).role == "public"

    def role_of(role: str) -> str:
        return role

    handler = bind_session(role_of, served.access)
    with_cookie = SimpleNamespace(cookies={SESSION_COOKIE: "geheim-1"})
    stolen_hash = SimpleNamespace(cookies={})
    assert handler(session, with_cookie) == "clerk"
    assert handler(session, stolen_hash) == "public"
