"""What the browser test modules share: one headless Chromium, fresh pages that record dialogs,
and an Assistant whose users are a council member and a clerk (page_steps.USERS)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_READY_MS = 30_000


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def dialogs() -> list[str]:
    """Messages of every alert/confirm/prompt the page opened (there must be none)."""
    return []


@pytest.fixture
def open_page(chromium: Any, dialogs: list[str]) -> Callable[[str, str], AbstractContextManager[Any]]:
    """`with open_page(url, ready) as page:` a page in a fresh browser context (no session), once the
    element `ready` shows; dialogs it opens are dismissed and recorded in `dialogs`."""
    from playwright.sync_api import expect

    @contextmanager
    def open_(url: str, ready: str) -> Iterator[Any]:
        context = chromium.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page = context.new_page()

        def record(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", record)
        try:
            page.goto(url)
            expect(page.locator(ready)).to_be_visible(timeout=PAGE_READY_MS)
            yield page
        finally:
            context.close()

    return open_


@pytest.fixture(scope="module")
def assistant_with_users(
    tmp_path_factory: pytest.TempPathFactory, embedder: Any
) -> Callable[[list[Path], int], Any]:
    """`assistant_with_users(paths, max_upload_bytes)`: an Assistant over a fresh store with the
    users of page_steps.USERS (password page_steps.PASSWORD) and `paths` indexed."""
    from page_steps import PASSWORD, USERS

    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.types import Role
    from assistant.users import UserStore

    def make(paths: list[Path], max_upload_bytes: int) -> Any:
        settings = Settings(store=tmp_path_factory.mktemp("store"), max_upload_bytes=max_upload_bytes)
        for name, role in USERS.items():
            UserStore(settings.users_path).add(name, role, PASSWORD)
        assistant = Assistant(settings, embedder=embedder)
        report = assistant.ingest(paths, role=Role.ADMIN, user="test")
        assert not report.failed, report.failed
        return assistant

    return make
