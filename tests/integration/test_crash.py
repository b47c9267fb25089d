"""A SIGKILL at any moment of `ratsauskunft ingest` never leaves the index inconsistent.

The CLI runs as a real subprocess on a folder of generated Vorlagen and is killed again and again:
every other kill after a random (seeded) delay spread over the whole run, the others shortly after
the run starts writing a document (its vectors, the registry transaction, the clean-up of the old
vectors). Between kills one file is sometimes rewritten, so a later run has to replace a document
an earlier, killed run may have been halfway through (one of them changes in its first paragraph
only, so its re-ingests keep the vectors of its other chunks). After every kill a reader must find each
indexed document complete in one version; after one undisturbed final run the registry, the
Chroma vectors and the facts ledger must agree with each other and with the files on disk.

The multilingual USE encoder is used because it embeds ~15x faster than MiniLM: more of each run
is then spent parsing and writing, where a crash can do harm, than inside the encoder.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest
from chromadb.api.shared_system_client import SharedSystemClient

from ingest.chunking import chunk_document
from ingest.embedding import load_embedder
from ingest.facts import extract_facts
from ingest.parsing import parse
from ingest.pipeline import embedding_text
from ingest.store import Store

pytestmark = pytest.mark.integration

MODEL = "use-onnx"
SEED = 20240611
KILLS = 22
DOCUMENTS = 12
# Paragraphs per document: most Vorlagen are short, a few are long (many chunks to embed).
PARAGRAPHS = (1, 1, 2, 2, 3, 4, 5, 7, 9, 12, 16, 22)
MUTABLE = (7, 9, 11)  # the documents rewritten between kills: a medium, an HTML and a long one
PARTLY_REWRITTEN = 11  # only its first paragraph changes: a re-ingest keeps its other vectors


def vorlage_text(number: int, paragraphs: int, version: int) -> str:
    """A Vorlage with a distinct subsidy amount per version, so facts show which version is stored."""
    amount = f"{number * 1000 + version * 7:,}".replace(",", ".")
    rest = 0 if number == PARTLY_REWRITTEN else version  # the version the other paragraphs name
    body = [
        f"Der Verein Heimatpflege Nummer {number} e.V. erhält in der Fassung {version} einen Zuschuss "
        f"in Höhe von jährlich {amount} € vom Landkreis Peine."
    ]
    body += [
        f"Absatz {k} der Fassung {rest} von Vorlage {number}: Die Verwaltung hat die Maßnahme {k} "
        f"im Ausschuss für Finanzen vorgestellt. Die Kosten für Abschnitt {k} liegen bei {k * 130 + number} "
        f"Euro. Die Arbeiten am Gebäude {number}-{k} sollen im Frühjahr beginnen und etwa {k + 2} Monate "
        "dauern. Die Nachbarkommunen wurden beteiligt, Einwände wurden nicht erhoben."
        for k in range(1, paragraphs)
    ]
    return (
        f"Vorlage - 2021/{number:03d}\n\nBetreff: Zuschuss an den Verein Heimatpflege Nummer {number} e.V.\n"
        "Vorlage-Art: Beschlussvorlage\nStatus: öffentlich\nBeratungsfolge:\n"
        f"Kreisausschuss – {number:02d}.03.2021\n\nSachverhalt:\n" + "\n\n".join(body) + "\n"
    )


def vorlage_html(number: int, paragraphs: int, version: int) -> str:
    text = vorlage_text(number, paragraphs, version)
    head, _, body = text.partition("Sachverhalt:\n")
    rows = "".join(
        f"<tr><td>{line.split(':', 1)[0]}:</td><td>{line.split(':', 1)[1].strip()}</td></tr>"
        for line in head.splitlines()
        if ": " in line
    )
    paragraphs_html = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<html><head><title>Vorlage</title><script>var x = 1;</script></head><body><nav>Menü</nav>"
        f"<h1>Vorlage - 2021/{number:03d}</h1><table>{rows}</table>"
        f"<h2>Sachverhalt</h2>{paragraphs_html}</body></html>"
    )


def write_vorlage(folder: Path, number: int, version: int) -> Path:
    paragraphs = PARAGRAPHS[number % len(PARAGRAPHS)]
    suffix = ".html" if number % 3 == 0 else ".txt"
    path = folder / f"2021-{number:03d}-vorlage{suffix}"
    render = vorlage_html if suffix == ".html" else vorlage_text
    path.write_text(render(number, paragraphs, version), encoding="utf-8")
    return path


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RATSAUSKUNFT_")}
    env |= {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "TOKENIZERS_PARALLELISM": "false",
        "RATSAUSKUNFT_EMBEDDING_MODEL": MODEL,
        # Small write batches: many commit points in one run for the kills to land between.
        "RATSAUSKUNFT_INGEST_BATCH": "2",
    }
    return env


def cli(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", "--store", str(store), *args]


def timed_run(command: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(command, env=cli_env(), check=True, capture_output=True, timeout=300)
    return time.monotonic() - started


def start(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command,
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill(process: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the process (and its process group); True when it was still running."""
    if process.poll() is not None:
        return False
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return True


def kill_after(command: list[str], delay: float) -> float | None:
    """Kill the command after `delay` seconds; None when it was killed, else the seconds it took."""
    started = time.monotonic()
    process = start(command)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=delay)
    finished = time.monotonic() - started
    return None if kill(process) else finished


def write_progress(store_dir: Path) -> tuple[int, int] | None:
    """(cached vectors, registry version): the one grows just before a document is written, the
    other just after its transaction commits. None while the registry does not exist yet."""
    try:
        with sqlite3.connect(f"file:{store_dir / 'registry.sqlite3'}?mode=ro", uri=True, timeout=5) as db:
            cached = db.execute("SELECT COUNT(*) FROM vector_cache").fetchone()[0]
            version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    except sqlite3.Error:
        return None
    return int(cached), int(version[0]) if version else 0


def kill_while_writing(command: list[str], store_dir: Path, delay: float) -> bool:
    """Kill `delay` seconds after the ingest starts writing a document (vectors, registry, cleanup)."""
    before = write_progress(store_dir)
    process = start(command)
    while process.poll() is None:
        if write_progress(store_dir) not in (None, before):
            time.sleep(delay)
            break
        time.sleep(0.005)
    return kill(process)


def vector_ids(store: Store) -> list[str]:
    return store._collection.get(include=[])["ids"]


def incomplete_documents(store: Store) -> list[str]:
    """Documents whose current chunks do not each have the vector the registry names for them."""
    chunk_of = store._current_vectors().chunk_of
    vectors = Counter(chunk_of[v][0] for v in vector_ids(store) if v in chunk_of)
    chunks = Counter(c.doc_id for c in store.chunks())
    documents = [d.doc_id for d in store.documents()]
    return sorted(doc_id for doc_id in documents if vectors[doc_id] != chunks[doc_id] or not chunks[doc_id])


def reader_view(store_dir: Path, model_id: str) -> tuple[int, list[str]]:
    """What a reader opening the store right after a crash sees: (documents, incomplete ones)."""
    if not (store_dir / "registry.sqlite3").exists():
        return 0, []
    store = Store(store_dir, model_id)
    try:
        return len(store.documents()), incomplete_documents(store)
    finally:
        store.close()
        # Drop Chroma's per-path client, so the next ingest process is the only one holding the store.
        SharedSystemClient.clear_system_cache()


def test_ingest_survives_sigkill_crash_at_random_points(tmp_path):
    rng = random.Random(SEED)
    embedder = load_embedder(MODEL)
    folder = tmp_path / "docs"
    folder.mkdir()
    versions = {number: 0 for number in range(1, DOCUMENTS + 1)}
    files = {number: write_vorlage(folder, number, 0) for number in versions}

    # Calibrate: a process's start-up (model load) and one full ingest of the folder.
    startup = timed_run(cli(tmp_path / "calibration-empty", "documents"))
    full = timed_run(cli(tmp_path / "calibration-full", "ingest", str(folder)))

    # Every other kill lands at a random moment of the whole run, the others while a document is
    # being written (vectors added, registry transaction, old vectors deleted). Later runs only redo
    # what changed, so the range of the random moments shrinks to the last run that finished.
    store_dir = tmp_path / "store"
    command = cli(store_dir, "ingest", str(folder))
    interrupted = {"anywhere": 0, "while writing": 0}
    run_seconds = full
    for attempt in range(KILLS):
        if rng.random() < 0.6:
            number = rng.choice(MUTABLE)
            versions[number] += 1
            files[number] = write_vorlage(folder, number, versions[number])
        if attempt % 2 == 0:
            earliest = 0.7 * startup
            finished = kill_after(command, rng.uniform(earliest, max(earliest, run_seconds) + 0.3))
            interrupted["anywhere"] += finished is None
            run_seconds = finished or run_seconds
        else:
            interrupted["while writing"] += kill_while_writing(command, store_dir, rng.uniform(0.0, 0.25))
        indexed, incomplete = reader_view(store_dir, embedder.model_id)
        assert incomplete == [], (
            f"after kill {attempt}: {indexed} documents, a mix of versions in {incomplete}"
        )
    timings = f"start-up {startup:.1f} s, full run {full:.1f} s, last finished run {run_seconds:.1f} s"
    assert sum(interrupted.values()) >= KILLS // 2, (
        f"too few kills hit a running ingest: {interrupted}, {timings}"
    )
    assert interrupted["while writing"] >= KILLS // 4, interrupted

    final = subprocess.run(
        cli(store_dir, "ingest", str(folder)), env=cli_env(), capture_output=True, text=True, timeout=300
    )
    assert final.returncode == 0, final.stdout + final.stderr

    with sqlite3.connect(store_dir / "registry.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = Store(store_dir, embedder.model_id)
    try:
        documents = {d.doc_id: d for d in store.documents()}
        assert sorted(documents) == sorted(p.stem for p in files.values())

        chunk_of = store._current_vectors().chunk_of
        orphans = [v for v in vector_ids(store) if v not in chunk_of]
        assert orphans == [], f"{len(orphans)} vectors no current chunk uses"
        assert incomplete_documents(store) == []
        stored_chunks = store.chunks()

        for number, path in files.items():
            expected = parse(path)
            stored = documents[path.stem]
            assert stored.content_hash == expected.content_hash, f"{path.name}: not the latest version"
            assert stored.text == expected.text
            assert f"Fassung {versions[number]} " in stored.text
            texts = [c.text for c in stored_chunks if c.doc_id == path.stem]
            assert texts == [c.text for c in chunk_document(expected)]
            stored_facts = [asdict(f) for f in store.facts([path.stem])]
            assert stored_facts == [asdict(f) for f in extract_facts(expected)], path.name
        assert {f.doc_id for f in store.facts()} <= set(documents)

        # The vector index still answers queries: a chunk's own embedding text finds that chunk.
        latest = parse(files[MUTABLE[-1]])
        probe = chunk_document(latest)[-1]
        query = embedder.embed([embedding_text(latest, probe)])[0].tolist()
        nearest = store.dense_query(query, 3, None)
        assert nearest and (nearest[0].doc_id, nearest[0].index) == (probe.doc_id, probe.index)
    finally:
        store.close()
