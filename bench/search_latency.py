"""Search and ask latency (p50/p95) over the development questions, in-process.

    python bench/search_latency.py
    python bench/search_latency.py --model use-onnx --repeat 3

Indexes ../shared/eval/docs into a temporary store (not timed), warms up, then times
`Assistant.search` (the same query the evaluation uses, k=10) and `Assistant.ask` for every
question of ../shared/eval/questions.jsonl, asked as a council member (as the evaluation does).
Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from benchenv import EVAL_DIR, commit, default_model


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value at least `share` of all values are <= to."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def row(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{name:<26}{len(ms):>6}{percentile(ms, 0.5):>10.1f}{percentile(ms, 0.95):>10.1f}"
        f"{statistics.fmean(ms):>10.1f}{max(ms):>10.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--model",
        default=None,
        help="embedder (default: $RATSAUSKUNFT_EMBEDDING_MODEL, else the product default)",
    )
    parser.add_argument(
        "--eval-dir", type=Path, default=EVAL_DIR, help="folder with docs/ and questions.jsonl"
    )
    parser.add_argument("--repeat", type=int, default=1, help="times every question is asked (default 1)")
    parser.add_argument("--k", type=int, default=10, help="hits per search (default 10)")
    args = parser.parse_args()
    args.model = args.model or default_model()

    from assistant.answer import retrieval_query
    from assistant.evaluation import load_questions
    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.types import Role

    questions = load_questions(args.eval_dir / "questions.jsonl")
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        assistant = Assistant(Settings(store=Path(tmp), embedding_model=args.model))
        started = time.perf_counter()
        report = assistant.ingest([args.eval_dir / "docs"], role=Role.ADMIN, user="bench")
        ingest_seconds = time.perf_counter() - started
        assistant.ask(questions[0].question, role="member")  # warm-up: keyword index, caches

        search_times: list[float] = []
        ask_times: list[float] = []
        ask_by_type: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.repeat):
            for q in questions:
                started = time.perf_counter()
                assistant.search(retrieval_query(q.question, q.history), k=args.k, role="member")
                search_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                assistant.ask(q.question, history=q.history, role="member")
                ask_times.append(time.perf_counter() - started)
                ask_by_type[q.type].append(ask_times[-1])
        chunks = len(assistant.store.chunks())
        assistant.store.close()

    print(f"Search/ask latency · model {args.model} · commit {commit()} · {os.cpu_count()} CPUs · in-process")
    print(
        f"index: {report.summary()}; {chunks} chunks (ingest {ingest_seconds:.1f} s, not timed below); "
        f"{len(questions)} questions × {args.repeat}"
    )
    print()
    print(f"{'operation':<26}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}{'max ms':>10}")
    print(row(f"search (k={args.k})", search_times))
    print(row("ask", ask_times))
    for qtype, times in sorted(ask_by_type.items()):
        print(row(f"  ask · {qtype}", times))


if __name__ == "__main__":
    main()
