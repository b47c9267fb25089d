"""Load on a running app: N concurrent gradio_client sessions × M requests each.

    ratsauskunft --store /tmp/loadstore ingest ../shared/eval/docs
    ratsauskunft --store /tmp/loadstore serve --port 7899 &
    python bench/load.py http://127.0.0.1:7899 --sessions 20 --requests 20

Questions come from ../shared/eval/questions.jsonl (with their follow-up histories) when present,
else from a built-in list about corpus/. Every fourth request of a session is a /search for the
question, the others are /ask. All sessions start together; each waits for its answer before it
sends the next request, like a person would. Printed: errors, answers that differ from another
answer to the same question (a sign of shared state between sessions), throughput and latency
percentiles. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO.parent / "shared" / "eval" / "questions.jsonl"
METROPOLREGION_QUESTION = "Was kostet die Mitgliedschaft in der Metropolregion?"
BUILT_IN_QUESTIONS: list[tuple[str, list[str]]] = [
    (METROPOLREGION_QUESTION, []),
    ("Und das EWH-Netzwerk?", [METROPOLREGION_QUESTION]),
    ("Wie hoch ist der jährliche Zuschuss an die Allianz für die Region?", []),
    ("Wie viel wurde für das Regionalportal beantragt?", []),
    ("In welchen Vereinen und Gesellschaften ist der Landkreis Mitglied?", []),
    ("Welche Zuschüsse werden jährlich gezahlt?", []),
    ("Worum geht es in Vorlage 2015/179?", []),
    ("Wie viele Einwohner hat die Metropolregion?", []),
]


@dataclass(frozen=True)
class Request:
    api_name: str  # "/ask" or "/search"
    question: str
    history: tuple[str, ...] = ()

    def arguments(self) -> tuple[Any, ...]:
        return (self.question, list(self.history)) if self.api_name == "/ask" else (self.question,)


@dataclass
class Outcome:
    request: Request
    seconds: float
    result: Any = None
    error: str = ""


@dataclass
class SessionLog:
    outcomes: list[Outcome] = field(default_factory=list)


def load_questions(path: Path) -> list[tuple[str, list[str]]]:
    if not path.is_file():
        return BUILT_IN_QUESTIONS
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(str(row["question"]), [str(h) for h in row.get("history", [])]) for row in rows]


def session_requests(questions: list[tuple[str, list[str]]], session: int, count: int) -> list[Request]:
    """A session's requests: different questions per session, every fourth one a search."""
    requests = []
    for position in range(count):
        question, history = questions[(session * 7 + position * 3) % len(questions)]
        if position % 4 == 3:
            requests.append(Request("/search", question))
        else:
            requests.append(Request("/ask", question, tuple(history)))
    return requests


def run_session(url: str, requests: list[Request], start: threading.Barrier) -> SessionLog:
    from gradio_client import Client

    client = Client(url, verbose=False)
    log = SessionLog()
    start.wait()
    for request in requests:
        began = time.perf_counter()
        try:
            result = client.predict(*request.arguments(), api_name=request.api_name)
        except Exception as error:  # counted and shown, the run goes on
            log.outcomes.append(Outcome(request, time.perf_counter() - began, error=f"{error!r}"[:200]))
            continue
        log.outcomes.append(Outcome(request, time.perf_counter() - began, result=result))
    return log


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value at least `share` of all values are <= to."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def latency_row(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    if not ms:
        return f"{name:<10}{0:>6}"
    return (
        f"{name:<10}{len(ms):>6}{percentile(ms, 0.5):>10.0f}{percentile(ms, 0.95):>10.0f}"
        f"{statistics.fmean(ms):>10.0f}{max(ms):>10.0f}"
    )


def inconsistent_answers(outcomes: list[Outcome]) -> int:
    """Requests whose answer differs from the most common answer to the same request."""
    answers: dict[Request, list[str]] = defaultdict(list)
    for outcome in outcomes:
        if not outcome.error:
            answers[outcome.request].append(json.dumps(outcome.result, sort_keys=True, ensure_ascii=False))
    differing = 0
    for texts in answers.values():
        most_common = max(set(texts), key=texts.count)
        differing += sum(text != most_common for text in texts)
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:7860", help="the running app")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent users (default 20)")
    parser.add_argument("--requests", type=int, default=20, help="requests per user (default 20)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="questions.jsonl to draw from")
    args = parser.parse_args()

    from gradio_client import Client

    questions = load_questions(args.questions)
    Client(args.url, verbose=False).predict(questions[0][0], api_name="/ask")  # warm-up, not timed
    plans = [session_requests(questions, n, args.requests) for n in range(args.sessions)]
    start = threading.Barrier(args.sessions + 1)
    with ThreadPoolExecutor(max_workers=args.sessions) as pool:
        futures = [pool.submit(run_session, args.url, plan, start) for plan in plans]
        start.wait()
        began = time.perf_counter()
        logs = [future.result() for future in futures]
        wall = time.perf_counter() - began

    outcomes = [outcome for log in logs for outcome in log.outcomes]
    errors = [o for o in outcomes if o.error]
    source = args.questions if args.questions.is_file() else "built-in list"
    print(f"Load · {args.url} · {args.sessions} sessions × {args.requests} requests · questions: {source}")
    print(
        f"requests {len(outcomes)} · errors {len(errors)} · differing answers {inconsistent_answers(outcomes)}"
        f" · wall {wall:.1f} s · throughput {len(outcomes) / wall:.1f} req/s"
    )
    print()
    print(f"{'endpoint':<10}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}{'max ms':>10}")
    for api_name in ("/ask", "/search"):
        print(latency_row(api_name, [o.seconds for o in outcomes if o.request.api_name == api_name]))
    print(latency_row("all", [o.seconds for o in outcomes]))
    for outcome in errors[:5]:
        print(f"error: {outcome.request.api_name} {outcome.request.question!r}: {outcome.error}")


if __name__ == "__main__":
    main()
