"""Several people at once: concurrent gradio_client sessions against the running app.

Every session asks, follows up with its own history and searches, interleaved with the others;
no request may fail and every answer must be the one a lone user gets. `bench/load.py` measures
the same with more sessions; this test only guards correctness under concurrency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from assistant.types import Role

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SESSIONS = 5
METROPOLREGION_QUESTION = "Was kostet die Mitgliedschaft in der Metropolregion?"
BRIDGE_TXT = """Vorlage - 2023/041

Betreff: Sanierung der Fuhsebrücke in Abbensen
Status: öffentlich

Sachverhalt:
Die Fuhsebrücke in Abbensen ist marode. Die Sanierung kostet voraussichtlich 412.000 €.
"""

Check = Callable[[dict[str, Any]], bool]


def _first_reference(result: dict[str, Any]) -> str:
    hits = result["hits"]
    return str(hits[0]["reference"]) if hits else ""


# One session's five requests: (arguments, api_name, what the result must satisfy).
SESSION_REQUESTS: list[tuple[tuple[Any, ...], str, Check]] = [
    ((METROPOLREGION_QUESTION,), "/ask", lambda r: "3.000" in r["answer"] and not r["abstained"]),
    (("Und das EWH-Netzwerk?", [METROPOLREGION_QUESTION]), "/ask", lambda r: "4.400" in r["answer"]),
    (("2015/179",), "/search", lambda r: _first_reference(r) == "2015/179"),
    (
        ("Was kostet die Sanierung der Fuhsebrücke?",),
        "/ask",
        lambda r: "412.000" in r["answer"] and r["citations"][0]["reference"] == "2023/041",
    ),
    (
        ("Metropolregion Kosten", 3),
        "/search",
        lambda r: _first_reference(r) == "2015/179" and len(r["hits"]) <= 3,
    ),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, embedder: Any, serve_app: Any) -> Iterator[str]:
    from assistant.service import Assistant
    from assistant.settings import Settings

    extra = tmp_path_factory.mktemp("corpus")
    (extra / "2023-041-fuhsebruecke.txt").write_text(BRIDGE_TXT, encoding="utf-8")
    assistant = Assistant(Settings(store=tmp_path_factory.mktemp("store")), embedder=embedder)
    report = assistant.ingest([REPO / "corpus", extra], role=Role.ADMIN, user="test")
    assert not report.failed, report.failed
    with serve_app(assistant) as url:
        yield url


def _session(url: str, number: int) -> list[str]:
    """One user's requests (rotated so sessions interleave differently); returns what went wrong."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    requests = SESSION_REQUESTS[number:] + SESSION_REQUESTS[:number]
    problems = []
    for args, api_name, check in requests:
        try:
            result = client.predict(*args, api_name=api_name)
        except Exception as error:  # collected so that one failure does not hide the others
            problems.append(f"session {number} {api_name} {args[0]!r}: {type(error).__name__}: {error}")
            continue
        if not check(result):
            problems.append(f"session {number} {api_name} {args[0]!r}: unexpected result {result}")
    return problems


def test_load_small_concurrent_sessions_answer_correctly(app_url: str) -> None:
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        outcomes = list(pool.map(lambda n: _session(app_url, n), range(SESSIONS)))
    problems = [problem for outcome in outcomes for problem in outcome]
    assert problems == []
