"""Steps on the app's page that several browser test modules take: sign in, ask, search."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

ANSWER_TIMEOUT_MS = 60_000
PASSWORD = "Stadtrat-2024!"
USERS = {"ratsmitglied": "member", "verwaltung": "clerk"}


def fill_sign_in(page: Any, name: str, password: str) -> None:
    """Open the sign-in form if it is closed, fill it in and send it."""
    if not page.locator("#login-name input").is_visible():
        page.locator("#login button.label-wrap").click()
    page.locator("#login-name input").fill(name)
    page.locator("#login-password input").fill(password)
    page.locator("#login-button").click()


def sign_in(page: Any, name: str) -> None:
    """Sign in as one of USERS and wait until the page says so."""
    fill_sign_in(page, name, PASSWORD)
    expect(page.locator("#account-note")).to_contain_text(f"Angemeldet als {name}")


def ask(page: Any, question: str) -> Any:
    """Ask and wait for the answer of exactly this turn; returns the answer element."""
    turns = page.locator("#transcript .turn")
    before = turns.count()
    page.locator("#question textarea").fill(question)
    page.locator("#ask-button").click()
    expect(turns).to_have_count(before + 1)
    answer = turns.nth(before).locator(".answer:not(.pending)")
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    return answer


def search(page: Any, query: str) -> None:
    page.get_by_role("tab", name="Suche").click()
    page.locator("#search-query textarea").fill(query)
    page.locator("#search-button").click()
