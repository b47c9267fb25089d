"""A folder ingest encodes the next batch while the previous one is written, with the same result
as one step after the other."""

from __future__ import annotations

import threading
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
from fakes import HashEmbedder

from ingest.pipeline import FAILED, ingest_paths
from ingest.store import Store
from ingest.types import IngestError

pytestmark = pytest.mark.integration


def write_vorlagen(folder: Path, count: int) -> Path:
    folder.mkdir()
    for number in range(1, count + 1):
        (folder / f"2022-{number:03d}-vorlage.txt").write_text(
            f"Vorlage - 2022/{number:03d}\n\nBetreff: Zuschuss an den Sportverein {number}\nStatus: öffentlich\n\n"
            f"Sachverhalt:\nDer Sportverein {number} erhält einen Zuschuss von {number * 100} € jährlich "
            "vom Landkreis Peine.\n",
            encoding="utf-8",
        )
    return folder


def snapshot(store: Store) -> tuple[list[tuple[str, str]], list[str], list[dict[str, object]]]:
    documents = [(d.doc_id, d.text) for d in store.documents()]
    chunks = [c.text for c in store.chunks()]
    facts = sorted((asdict(f) for f in store.facts()), key=repr)
    return documents, chunks, facts


def test_overlapped_ingest_indexes_the_same_as_one_step_after_the_other(tmp_path):
    folder = write_vorlagen(tmp_path / "docs", 7)
    embedder = HashEmbedder()
    overlapped = Store(tmp_path / "overlapped", embedder.model_id)
    sequential = Store(tmp_path / "sequential", embedder.model_id)

    report = ingest_paths(overlapped, embedder, [folder], batch_documents=2)
    ingest_paths(sequential, embedder, [folder], batch_documents=2, overlap=False)

    assert [r.outcome for r in report.results] == ["added"] * 7
    assert snapshot(overlapped) == snapshot(sequential)
    assert overlapped.reconcile().incomplete_documents == []


def test_the_next_batch_is_encoded_while_the_previous_one_is_written(tmp_path):
    folder = write_vorlagen(tmp_path / "docs", 4)
    written = threading.Event()
    overlapped: list[bool] = []

    class WaitingEmbedder(HashEmbedder):
        """Encodes the second batch only once the first is being written (or gives up after 30 s)."""

        calls = 0

        def embed(self, texts: list[str]) -> np.ndarray:
            self.calls += 1
            if self.calls == 2:
                overlapped.append(written.wait(timeout=30))
            return super().embed(texts)

    embedder = WaitingEmbedder()
    store = Store(tmp_path / "store", embedder.model_id)
    write_documents = store.write_documents

    def signalling_write(*args, **kwargs):  # type: ignore[no-untyped-def]
        written.set()
        return write_documents(*args, **kwargs)

    store.write_documents = signalling_write  # type: ignore[method-assign]
    report = ingest_paths(store, embedder, [folder], batch_documents=2)

    assert overlapped == [True]
    assert report.count("added") == 4


def test_a_batch_the_encoder_fails_on_fails_alone(tmp_path):
    folder = write_vorlagen(tmp_path / "docs", 6)

    class FailingOnce(HashEmbedder):
        calls = 0

        def embed(self, texts: list[str]) -> np.ndarray:
            self.calls += 1
            if self.calls == 2:
                raise IngestError("Embedding-Modell antwortet nicht.")
            return super().embed(texts)

    embedder = FailingOnce()
    store = Store(tmp_path / "store", embedder.model_id)
    report = ingest_paths(store, embedder, [folder], batch_documents=2)

    assert [r.outcome for r in report.results] == ["added", "added", FAILED, FAILED, "added", "added"]
    assert len(store.documents()) == 4
