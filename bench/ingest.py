"""Ingest throughput: the full pipeline against the bare encoder, and the re-ingest speed-up.

    python bench/ingest.py                      # the product's default model (e5-small)
    python bench/ingest.py --model use-onnx --docs 200

1. A generated corpus (bench/make_corpus.py) goes through the whole pipeline (parse → chunk →
   encode → facts → write) into a fresh store with an empty vector cache, once with the encoding
   of the next batch overlapping the writing of the previous one (the default) and once one step
   after the other. The same run encodes exactly the same embedding texts with the bare encoder,
   in a single call (the encoder's best case) and in the pipeline's batches. Every timing is
   repeated, interleaved, and the median kept, so a busy machine skews all of them alike.
   The ratio pipeline / bare encoder says how much the rest of the pipeline costs (goal ≥ 0.8).
2. A long Vorlage is ingested into a fresh store, one paragraph is changed, and it is ingested
   again: only the changed chunk is encoded and written (goal: ≥ 5× faster than the first ingest).

Time spent in each stage of the pipeline run is measured by wrapping the functions the pipeline
calls, so the table shows what dominates; with overlap, stages run at the same time and their sum
exceeds the wall time. Model loading is excluded and shown on its own.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchenv import BENCH, commit


def make_corpus(out: Path, docs: int, seed: int) -> Path:
    spec = importlib.util.spec_from_file_location("make_corpus", BENCH / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    module.generate_corpus(out, docs, seed=seed, questions=0)
    return out / "docs"


class StageClock:
    """Seconds spent per pipeline stage, collected by wrapping the callables the pipeline uses."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started
                self.calls[stage] += 1

        return timed


@contextmanager
def instrumented(store: Any, embedder: Any, clock: StageClock) -> Iterator[None]:
    """Wrap parse, chunking, facts, the encoder, the vector cache and the store write."""
    import ingest.pipeline as pipeline

    patches: list[tuple[Any, str, Any]] = [
        (pipeline, "parse", "parse"),
        (pipeline, "chunk_document", "chunk"),
        (pipeline, "extract_facts", "facts"),
        (embedder, "embed", "encode"),
        (store, "cached_vectors", "vector cache read"),
        (store, "cache_vectors", "vector cache write"),
        (store, "write_documents", "store write (Chroma + SQLite)"),
        (store, "reconcile", "repair"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    try:
        for owner, name, stage in patches:
            setattr(owner, name, clock.wrap(stage, getattr(owner, name)))
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def embedding_texts(store: Any) -> tuple[list[str], list[list[str]]]:
    """The texts the pipeline encoded, all together and per document (in ingest order)."""
    from ingest.chunking import chunk_document
    from ingest.pipeline import embedding_text

    per_document = []
    for doc in store.documents():
        per_document.append([embedding_text(doc, c) for c in chunk_document(doc)])
    return [t for texts in per_document for t in texts], per_document


def timed(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def ingest_once(embedder: Any, folder: Path, store_dir: Path, overlap: bool) -> tuple[float, Any]:
    """Seconds to ingest `folder` into a fresh store, and the stage clock of that run."""
    from ingest.pipeline import ingest_paths
    from ingest.store import Store

    store = Store(store_dir, embedder.model_id)
    clock = StageClock()
    with instrumented(store, embedder, clock):
        seconds = timed(lambda: ingest_paths(store, embedder, [folder], overlap=overlap))
    store.close()
    return seconds, clock


def pipeline_run(embedder: Any, folder: Path, work: Path, repeats: int) -> dict[str, Any]:
    from ingest.pipeline import BATCH_DOCUMENTS
    from ingest.store import Store

    overlapped_runs: list[tuple[float, StageClock]] = []
    sequential_times, one_call_times, per_batch_times = [], [], []
    for attempt in range(repeats):
        overlapped_runs.append(ingest_once(embedder, folder, work / f"overlapped-{attempt}", overlap=True))
        if attempt == 0:
            store = Store(work / "overlapped-0", embedder.model_id)
            chunks = len(store.chunks())
            all_texts, per_document = embedding_texts(store)
            store.close()
            assert len(all_texts) == chunks, (len(all_texts), chunks)
            per_batch = [
                [t for texts in per_document[i : i + BATCH_DOCUMENTS] for t in texts]
                for i in range(0, len(per_document), BATCH_DOCUMENTS)
            ]
        sequential_times.append(ingest_once(embedder, folder, work / f"sequential-{attempt}", False)[0])
        one_call_times.append(timed(lambda: embedder.embed(all_texts)))  # noqa: B023
        per_batch_times.append(timed(lambda: [embedder.embed(texts) for texts in per_batch]))  # noqa: B023
    overlapped_runs.sort(key=lambda run: run[0])
    seconds, clock = overlapped_runs[len(overlapped_runs) // 2]  # the median run, with its stages
    return {
        "documents": len(per_document),
        "chunks": chunks,
        "seconds": seconds,
        "sequential": statistics.median(sequential_times),
        "bare_one_call": statistics.median(one_call_times),
        "bare_per_batch": statistics.median(per_batch_times),
        "stages": dict(clock.seconds),
        "calls": dict(clock.calls),
        "repeats": repeats,
    }


def long_vorlage(folder: Path, paragraphs: int) -> str:
    """A long Vorlage made of the Sachverhalt paragraphs of many generated ones."""
    body: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        body += [line for line in text.split("Sachverhalt:\n", 1)[-1].splitlines() if len(line) > 200]
        if len(body) >= paragraphs:
            break
    head = (
        "Vorlage - 2024/500\n\nBetreff: Haushaltsbegleitbericht 2024\nVorlage-Art: Mitteilungsvorlage\n"
        "Status: öffentlich\nBeratungsfolge:\nKreisausschuss – 12.03.2024\n\nSachverhalt:\n"
    )
    return head + "\n\n".join(body[:paragraphs]) + "\n"


def reingest_run(embedder: Any, folder: Path, work: Path, repeats: int = 3) -> dict[str, Any]:
    """Full ingest of a long document into a fresh store vs re-ingest after one changed paragraph."""
    from ingest.pipeline import ingest_file
    from ingest.store import Store

    original = long_vorlage(folder, paragraphs=40)
    paragraphs = original.split("\n\n")
    middle = len(paragraphs) // 2
    full_times, changed_times, chunk_counts = [], [], []
    encoded: list[int] = []
    added: list[int] = []
    for attempt in range(repeats):
        path = work / f"reingest-{attempt}" / "2024-500-haushalt.txt"
        path.parent.mkdir(parents=True)
        path.write_text(original, encoding="utf-8")
        store = Store(path.parent / "store", embedder.model_id)
        full_times.append(timed(lambda: ingest_file(store, embedder, path)))  # noqa: B023
        changed = list(paragraphs)
        changed[middle] = changed[middle].replace(".", f" (geändert in Lauf {attempt}).", 1)
        path.write_text("\n\n".join(changed), encoding="utf-8")
        result = ingest_file(store, embedder, path)
        assert result.outcome == "updated", result
        path.write_text("\n\n".join(changed).replace("geändert", "nochmals geändert"), encoding="utf-8")
        with counted(embedder, "embed", encoded), counted(store._collection, "add", added):
            changed_times.append(timed(lambda: ingest_file(store, embedder, path)))  # noqa: B023
        chunk_counts.append(len(store.chunks()))
        store.close()
    full, changed_median = statistics.median(full_times), statistics.median(changed_times)
    return {
        "chunks": chunk_counts[0],
        "full": full,
        "changed": changed_median,
        "speedup": full / changed_median,
        "encoded": max(encoded),
        "added": max(added),
    }


@contextmanager
def counted(owner: Any, name: str, counts: list[int]) -> Iterator[None]:
    """Count the texts (or vector ids) one call of `owner.name` gets, appended to `counts`."""
    original = getattr(owner, name)
    calls: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        items = args[0] if args else kwargs.get("ids", kwargs.get("texts", []))
        calls.append(len(items))
        return original(*args, **kwargs)

    setattr(owner, name, counting)
    try:
        yield
    finally:
        setattr(owner, name, original)
        counts.append(sum(calls))


def print_report(model: str, load_seconds: float, run: dict[str, Any], reingest: dict[str, Any]) -> None:
    chunks, seconds = run["chunks"], run["seconds"]
    rates = {
        "full pipeline, overlapped (default)": chunks / seconds,
        "full pipeline, one step after the other": chunks / run["sequential"],
        "bare encoder, one call": chunks / run["bare_one_call"],
        "bare encoder, the pipeline's batches": chunks / run["bare_per_batch"],
    }
    print(f"Ingest benchmark · model {model} · commit {commit()} · {os.cpu_count()} CPUs")
    print(f"model load: {load_seconds:.1f} s (not counted below)")
    print(
        f"1-min load average before/after: {run['load'][0]:.1f} / {run['load'][1]:.1f} (other work skews timings)"
    )
    print(
        f"corpus: {run['documents']} documents, {chunks} chunks (fresh store, empty vector cache); "
        f"every timing the median of {run['repeats']}"
    )
    print()
    print(f"{'stage (median overlapped run)':<32}{'seconds':>9}{'calls':>8}")
    for stage, spent in sorted(run["stages"].items(), key=lambda kv: -kv[1]):
        print(f"{stage:<32}{spent:>9.2f}{run['calls'].get(stage, '')!s:>8}")
    print(f"{'wall time (stages overlap)':<32}{seconds:>9.2f}")
    print()
    print(f"{'throughput':<44}{'chunks/s':>10}")
    for name, rate in rates.items():
        print(f"{name:<44}{rate:>10.2f}")
    ratio = rates["full pipeline, overlapped (default)"] / rates["bare encoder, one call"]
    verdict = "ok" if ratio >= 0.8 else "BELOW GOAL"
    print(f"ratio pipeline / bare encoder (one call): {ratio:.2f}  (goal ≥ 0.80: {verdict})")
    print(f"ratio pipeline / bare encoder (same batches): {run['bare_per_batch'] / seconds:.2f}")
    print(f"ratio overlapped / one step after the other: {run['sequential'] / seconds:.2f}")
    # Within one run the encoder and the rest see the same load: the share of the wall time the
    # encoder was busy is the ratio that drifting load between separate runs cannot skew.
    print(f"encoder busy / wall time of the same run: {run['stages'].get('encode', 0.0) / seconds:.2f}")
    print()
    print(f"re-ingest of a long Vorlage ({reingest['chunks']} chunks), one paragraph changed, median of 3:")
    print(f"  full ingest (fresh store)   {reingest['full']:>7.2f} s")
    print(f"  re-ingest, changed paragraph{reingest['changed']:>7.2f} s")
    print(f"  chunks encoded / vectors added on re-ingest: {reingest['encoded']} / {reingest['added']}")
    verdict = "ok" if reingest["speedup"] >= 5 else "BELOW GOAL"
    print(f"  speed-up                    {reingest['speedup']:>7.1f}x  (goal ≥ 5: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--model", choices=["e5-small", "minilm", "use-onnx"], help="embedder (default: the product default)"
    )
    parser.add_argument("--docs", type=int, default=60, help="generated documents (default 60)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="timings per figure, median (default 3)")
    args = parser.parse_args()

    from ingest.embedding import DEFAULT_MODEL, load_embedder

    args.model = args.model or DEFAULT_MODEL
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        work = Path(tmp)
        folder = make_corpus(work / "corpus", args.docs, args.seed)
        started = time.perf_counter()
        embedder = load_embedder(args.model)
        embedder.embed(["Aufwärmen"])
        load_seconds = time.perf_counter() - started
        load_before = os.getloadavg()[0]
        run = pipeline_run(embedder, folder, work, args.repeat)
        reingest = reingest_run(embedder, folder, work)
        run["load"] = (load_before, os.getloadavg()[0])
    print_report(args.model, load_seconds, run, reingest)


if __name__ == "__main__":
    main()
