"""Steps on the app's page that several browser test modules take: ask a question, run a search."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

ANSWER_TIMEOUT_MS = 60_000


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
