"""How the product scales with the corpus: ingest, disk, memory, latency and retrieval quality.

    python bench/scale.py --docs 1000
    RATSAUSKUNFT_EMBEDDING_MODEL=use-onnx python bench/scale.py --docs 10000 --work /tmp/scale

For each corpus size a synthetic corpus is generated (bench/make_corpus.py, seeded) and then:
1. ingest: in-process `ingest_paths` into a fresh store (model loaded beforehand, not timed);
   seconds and chunks/s; then a second ingest of the same folder plus one new file (repair reads
   the whole collection in pages: a store of this size must keep accepting writes);
2. retrieval quality, in-process: hit@1, hit@5 and MRR of `Assistant.search` on the generated
   questions (asked as a council member, as `ratsauskunft eval` does);
3. store size on disk (registry + Chroma);
4. serving: `ratsauskunft serve` on that store as a subprocess; start-up until /ask answers,
   resident memory (VmRSS after warm-up, VmHWM at the end, from /proc) of the server process
   and its children, and search and ask latency p50/p95 measured against the served app, role
   public: through gradio_client (named endpoints /search and /ask) and as plain HTTP requests
   to the JSON routes /api/search and /api/ask (one keep-alive connection, like a program).

`--reuse-store` keeps a store of that size from an earlier run in `--work` (its ingest figures are
then those of re-ingesting an unchanged folder). The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchenv import BENCH, commit, default_model


@dataclass
class ScaleResult:
    documents: int
    chunks: int = 0
    ingest_seconds: float = 0.0
    failed_files: int = 0
    second_ingest_seconds: float = 0.0
    second_ingest_summary: str = ""
    store_mb: float = 0.0
    retrieval: dict[str, float] = field(default_factory=dict)
    startup_seconds: float = 0.0
    rss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    search_ms: list[float] = field(default_factory=list)
    ask_ms: list[float] = field(default_factory=list)
    api_search_ms: list[float] = field(default_factory=list)
    api_ask_ms: list[float] = field(default_factory=list)
    store_reused: bool = False
    local_search_ms: list[float] = field(default_factory=list)
    local_ask_ms: list[float] = field(default_factory=list)


def load_make_corpus() -> Any:
    spec = importlib.util.spec_from_file_location("make_corpus", BENCH / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1] if ordered else float("nan")


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- in-process: ingest and retrieval quality ----------------------------------------------------


def ingest_and_score(
    result: ScaleResult, corpus: Path, store: Path, model: str, latency_questions: int
) -> None:
    from assistant.answer import retrieval_query
    from assistant.evaluation import load_questions, score
    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.types import Hit, Role

    assistant = Assistant(Settings(store=store, embedding_model=model))
    done = 0

    def progress(_: Any) -> None:
        nonlocal done
        done += 1
        if done % 500 == 0:
            log(f"  {done}/{result.documents} files")

    started = time.perf_counter()
    report = assistant.ingest([corpus / "docs"], role=Role.ADMIN, user="bench", on_progress=progress)
    result.ingest_seconds = time.perf_counter() - started
    result.failed_files = len(report.failed)
    result.chunks = len(assistant.store.chunks())
    log(f"  ingested: {report.summary()}, {result.chunks} chunks in {result.ingest_seconds:.0f} s")

    # The run a council makes every day: the same folder again plus one new file. Its repair step
    # reads the whole collection, which once failed past ~45 000 vectors.
    extra = store.parent / f"nachtrag-{result.documents}.txt"
    extra.write_text("Status: öffentlich\n\nDer Kreistag nimmt den Bericht zur Kenntnis.\n", encoding="utf-8")
    started = time.perf_counter()
    second = assistant.ingest([corpus / "docs", extra], role=Role.ADMIN, user="bench")
    result.second_ingest_seconds = time.perf_counter() - started
    result.second_ingest_summary = second.summary()
    result.failed_files += len(second.failed)
    log(f"  second ingest: {second.summary()} in {result.second_ingest_seconds:.0f} s")

    def search(question: str, history: list[str], role: str) -> list[Hit]:
        started = time.perf_counter()
        hits = assistant.search(retrieval_query(question, history), k=10, role=role)
        result.local_search_ms.append((time.perf_counter() - started) * 1000)
        return list(hits)

    questions = load_questions(corpus / "questions.jsonl")
    result.retrieval = score(questions, search, None)["retrieval"]
    for q in random.Random(7).sample(questions, min(latency_questions, len(questions))):
        started = time.perf_counter()
        assistant.ask(q.question, history=q.history, role="member")
        result.local_ask_ms.append((time.perf_counter() - started) * 1000)
    assistant.store.close()


# --- the served app ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def process_tree(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [pid]
    if children.exists():
        for child in children.read_text().split():
            found += process_tree(int(child))
    return found


def memory_mb(pid: int, field_name: str) -> float:
    """Sum of a /proc/PID/status memory field (VmRSS, VmHWM) over the process and its children."""
    total_kb = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith(f"{field_name}:"):
                    total_kb += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total_kb / 1024


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


def serve_and_measure(
    result: ScaleResult, corpus: Path, store: Path, model: str, latency_questions: int, work: Path
) -> None:
    from gradio_client import Client

    questions = [
        json.loads(line) for line in (corpus / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    sample = random.Random(7).sample(questions, min(latency_questions, len(questions)))
    port = free_port()
    env = dict(os.environ, RATSAUSKUNFT_EMBEDDING_MODEL=model)
    started = time.monotonic()
    with (work / "serve.log").open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "--store", str(store), "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    try:
        client = None
        while client is None:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited with {process.returncode}; see {work / 'serve.log'}")
            if time.monotonic() - started > 900:
                raise TimeoutError("serve did not come up in 15 minutes")
            try:
                client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.5)
        client.predict(sample[0]["question"], api_name="/ask")
        result.startup_seconds = time.monotonic() - started
        for q in sample[:5]:  # warm-up
            client.predict(q["question"], api_name="/search")
            client.predict(q["question"], api_name="/ask")
        result.rss_mb = memory_mb(process.pid, "VmRSS")
        for q in sample:
            t0 = time.perf_counter()
            client.predict(q["question"], api_name="/search")
            t1 = time.perf_counter()
            client.predict(q["question"], api_name="/ask")
            t2 = time.perf_counter()
            result.search_ms.append((t1 - t0) * 1000)
            result.ask_ms.append((t2 - t1) * 1000)
        measure_api(f"http://127.0.0.1:{port}", sample, result)
        result.peak_rss_mb = memory_mb(process.pid, "VmHWM")
    finally:
        stop(process)


def measure_api(url: str, sample: list[dict[str, Any]], result: ScaleResult) -> None:
    """The same questions through the JSON routes, as plain HTTP on one keep-alive connection."""
    import httpx

    with httpx.Client(base_url=url, timeout=300) as http:
        for q in sample[:5]:  # warm-up
            http.post("/api/search", json={"query": q["question"]}).raise_for_status()
            http.post("/api/ask", json={"question": q["question"]}).raise_for_status()
        for q in sample:
            t0 = time.perf_counter()
            http.post("/api/search", json={"query": q["question"]}).raise_for_status()
            t1 = time.perf_counter()
            http.post("/api/ask", json={"question": q["question"]}).raise_for_status()
            t2 = time.perf_counter()
            result.api_search_ms.append((t1 - t0) * 1000)
            result.api_ask_ms.append((t2 - t1) * 1000)


# --- report --------------------------------------------------------------------------------------


def print_table(results: list[ScaleResult], model: str) -> None:
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"Scale benchmark · model {model} · commit {commit()} · {os.cpu_count()} CPUs · load {load}")
    print("ingest, hit@k and in-process latency: Assistant in this process (role member);")
    print("/search and /ask: gradio_client against `ratsauskunft serve` on the same store (role public);")
    print("/api/search and /api/ask: plain HTTP POST to the same server (role public)")
    if any(r.store_reused for r in results):
        print("store reused from an earlier run: ingest figures are of re-ingesting an unchanged folder")
    print()
    rows: list[tuple[str, list[str]]] = [
        ("documents", [f"{r.documents}" for r in results]),
        ("chunks", [f"{r.chunks}" for r in results]),
        ("failed files", [f"{r.failed_files}" for r in results]),
        ("ingest seconds", [f"{r.ingest_seconds:.0f}" for r in results]),
        ("ingest chunks/s", [f"{r.chunks / r.ingest_seconds:.1f}" for r in results]),
        ("2nd ingest (+1 file) seconds", [f"{r.second_ingest_seconds:.0f}" for r in results]),
        ("store on disk MB", [f"{r.store_mb:.0f}" for r in results]),
        ("serve: start to 1st /ask s", [f"{r.startup_seconds:.1f}" for r in results]),
        ("serve RSS after warm-up MB", [f"{r.rss_mb:.0f}" for r in results]),
        ("serve peak RSS MB", [f"{r.peak_rss_mb:.0f}" for r in results]),
        ("in-process search p50 ms", [f"{percentile(r.local_search_ms, 0.5):.0f}" for r in results]),
        ("in-process search p95 ms", [f"{percentile(r.local_search_ms, 0.95):.0f}" for r in results]),
        ("in-process ask p50 ms", [f"{percentile(r.local_ask_ms, 0.5):.0f}" for r in results]),
        ("in-process ask p95 ms", [f"{percentile(r.local_ask_ms, 0.95):.0f}" for r in results]),
        ("/search p50 ms", [f"{percentile(r.search_ms, 0.5):.0f}" for r in results]),
        ("/search p95 ms", [f"{percentile(r.search_ms, 0.95):.0f}" for r in results]),
        ("/ask p50 ms", [f"{percentile(r.ask_ms, 0.5):.0f}" for r in results]),
        ("/ask p95 ms", [f"{percentile(r.ask_ms, 0.95):.0f}" for r in results]),
        ("/api/search p50 ms", [f"{percentile(r.api_search_ms, 0.5):.0f}" for r in results]),
        ("/api/search p95 ms", [f"{percentile(r.api_search_ms, 0.95):.0f}" for r in results]),
        ("/api/ask p50 ms", [f"{percentile(r.api_ask_ms, 0.5):.0f}" for r in results]),
        ("/api/ask p95 ms", [f"{percentile(r.api_ask_ms, 0.95):.0f}" for r in results]),
        ("latency questions (served)", [f"{len(r.ask_ms)}" for r in results]),
        ("hit@1", [f"{r.retrieval.get('hit@1', 0):.3f}" for r in results]),
        ("hit@5", [f"{r.retrieval.get('hit@5', 0):.3f}" for r in results]),
        ("MRR", [f"{r.retrieval.get('mrr', 0):.3f}" for r in results]),
    ]
    for name, cells in rows:
        print(f"{name:<30}" + "".join(f"{cell:>12}" for cell in cells))
    for r in results:
        print(f"second ingest at {r.documents} documents: {r.second_ingest_summary}")
    if any(r.search_ms for r in results):
        print()
        print(
            "mean /search ms:",
            ", ".join(f"{statistics.fmean(r.search_ms):.0f}" for r in results if r.search_ms),
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, nargs="+", default=[1000], help="corpus sizes (default 1000)")
    parser.add_argument(
        "--model",
        default=None,
        help="embedder (default: $RATSAUSKUNFT_EMBEDDING_MODEL, else the product default)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--questions", type=int, default=300, help="generated questions for hit@k")
    parser.add_argument(
        "--latency-questions", type=int, default=100, help="questions timed against the server"
    )
    parser.add_argument(
        "--work", type=Path, help="keep corpora and stores here (default: a temp dir, removed)"
    )
    parser.add_argument("--no-serve", action="store_true", help="skip the served-app measurements")
    parser.add_argument(
        "--reuse-store",
        action="store_true",
        help="keep a store of that size in --work instead of a fresh one",
    )
    args = parser.parse_args()
    args.model = args.model or default_model()

    make_corpus = load_make_corpus()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    results = []
    try:
        for size in args.docs:
            result = ScaleResult(size)
            corpus, store = work / f"corpus-{size}", work / f"store-{size}-{args.model}"
            result.store_reused = args.reuse_store and (store / "registry.sqlite3").exists()
            if not result.store_reused:
                shutil.rmtree(store, ignore_errors=True)
            if not (corpus / "questions.jsonl").exists():
                log(f"generating {size} documents")
                make_corpus.generate_corpus(corpus, size, seed=args.seed, questions=args.questions)
            log(f"ingesting {size} documents with {args.model}")
            ingest_and_score(result, corpus, store, args.model, args.latency_questions)
            result.store_mb = folder_mb(store)
            if not args.no_serve:
                log("serving")
                serve_and_measure(result, corpus, store, args.model, args.latency_questions, work)
            results.append(result)
            print_table(results, args.model)
            print()
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
