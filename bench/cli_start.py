"""How long `ratsauskunft ask "…"` takes from the shell, on a store of 1 000 documents.

    python bench/cli_start.py                        # corpus and store in /tmp/ratsauskunft-cli-start
    python bench/cli_start.py --work /tmp/wtq --docs 1000 --runs 5
    RATSAUSKUNFT_EMBEDDING_MODEL=use-onnx python bench/cli_start.py

The store is built once (bench/make_corpus.py, then `ratsauskunft ingest`) and reused while its
folder exists. Then `ratsauskunft --store STORE ask QUESTION` runs as a new process again and
again, each one cold in the sense that matters here (a fresh interpreter, nothing imported, the
model loaded anew; the operating system's file cache stays warm). The first run after a change of
the store writes the read caches the later ones load (keyword index, vector snapshot); it is
printed apart, the median is over the runs after it. Wall time is what a person waits; the CPU time
(user + system) of each process is printed beside it, with the load average: on a shared machine
the wall time is only as good as the machine is quiet.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchenv import BENCH, REPO, commit, default_model

QUESTION = "Wie hoch ist der jährliche Mitgliedsbeitrag?"


def ratsauskunft(store: Path, *args: str) -> list[str]:
    """The installed console script, run on this checkout's code; `python -m ui.cli` (the same
    start) when the script is missing or was installed for an older layout of the code."""
    script = Path(sys.executable).with_name("ratsauskunft")
    if script.is_file() and "from ui.cli import main" in script.read_text(encoding="utf-8"):
        return [str(script), "--store", str(store), *args]
    return [sys.executable, "-m", "ui.cli", "--store", str(store), *args]


def environment(model: str) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO), RATSAUSKUNFT_EMBEDDING_MODEL=model)


def build_store(work: Path, docs: int, model: str) -> Path:
    corpus, store = work / f"corpus-{docs}", work / f"store-{docs}-{model}"
    if not (corpus / "docs").is_dir():
        subprocess.run(
            [sys.executable, str(BENCH / "make_corpus.py"), str(corpus), "--docs", str(docs)], check=True
        )
    if not (store / "registry.sqlite3").exists():
        print(f"indexing {docs} documents with {model} (once) …", file=sys.stderr, flush=True)
        subprocess.run(
            ratsauskunft(store, "ingest", str(corpus / "docs")), env=environment(model), check=True
        )
    return store


def timed_ask(store: Path, model: str, question: str) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one `ask` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        ratsauskunft(store, "ask", question),
        env=environment(model),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/ratsauskunft-cli-start"))
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--model", default=None, help="embedder (default: as `ratsauskunft` would)")
    args = parser.parse_args()
    model = args.model or default_model()
    args.work.mkdir(parents=True, exist_ok=True)
    store = build_store(args.work, args.docs, model)

    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    first_wall, first_cpu = timed_ask(store, model, args.question)
    runs = [timed_ask(store, model, args.question) for _ in range(args.runs)]
    walls, cpus = [wall for wall, _ in runs], [cpu for _, cpu in runs]
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    command = " ".join(Path(part).name for part in ratsauskunft(store, "ask")[:3])
    print(f"CLI start · `{command} …` · {args.docs} documents · model {model} · commit {commit()}")
    print(f"load average (1/5/15 min) before {load_before}, after {load} · {os.cpu_count()} CPUs")
    print(f"first run (makes the read caches when missing): {first_wall:.2f} s wall, {first_cpu:.2f} s CPU")
    print(f"runs, wall: {', '.join(f'{w:.2f}' for w in walls)} s")
    print(f"runs, CPU (user + system): {', '.join(f'{c:.2f}' for c in cpus)} s")
    print(
        f"median of {len(runs)}: {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU"
    )


if __name__ == "__main__":
    main()
