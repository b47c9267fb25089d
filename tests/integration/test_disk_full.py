"""A disk that fills up in the middle of an ingest leaves the previous version of every document.

The failure is simulated where the store writes: Chroma's add (the vectors of the new versions)
and the registry transaction of one document (SQLite's "database or disk is full"). Each run must
end with German failures for the files it could not write, every document still complete in its
previous version, and a later run (disk freed) must write all new versions.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fakes import HashEmbedder

from ingest.pipeline import ADDED, UPDATED, ingest_paths
from ingest.store import Store

pytestmark = pytest.mark.integration

DOCUMENTS = 6


def _write_versions(folder: Path, version: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(DOCUMENTS):
        paragraphs = "\n\n".join(
            f"Absatz {k} der Fassung {version}: Der Verein {n} erhält {version * 1000 + n} € für Maßnahme {k}."
            for k in range(1 + n)
        )
        (folder / f"vorlage-{n}.txt").write_text(
            f"Vorlage {n}/2024\nBetreff: Zuschuss {n}\nStatus: öffentlich\n\n{paragraphs}\n", encoding="utf-8"
        )


def _assert_every_document_in_version(store: Store, version: int) -> None:
    assert len(store.documents()) == DOCUMENTS
    for doc in store.documents():
        assert f"Fassung {version}:" in doc.text
        chunks = [c for c in store.chunks() if c.doc_id == doc.doc_id]
        assert chunks and all(c.text == doc.text[c.start : c.end] for c in chunks)
    report = store.reconcile()
    assert report.incomplete_documents == []


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Store, Path]:
    folder = tmp_path / "docs"
    _write_versions(folder, 1)
    store = Store(tmp_path / "store", HashEmbedder.model_id)
    report = ingest_paths(store, HashEmbedder(), [folder], batch_documents=2)
    assert report.count(ADDED) == DOCUMENTS
    _write_versions(folder, 2)
    return store, folder


def _disk_full_after(calls: int, raise_error: Exception, real: Any) -> Any:
    count = {"n": 0}

    def write(*args: Any, **kwargs: Any) -> Any:
        count["n"] += 1
        if count["n"] > calls:
            raise raise_error
        return real(*args, **kwargs)

    return write


def test_chroma_add_failing_with_enospc_keeps_the_previous_version_of_every_document(
    indexed: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, folder = indexed
    full = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(store._collection, "add", _disk_full_after(1, full, store._collection.add))
    report = ingest_paths(store, HashEmbedder(), [folder], batch_documents=2)
    assert report.count(UPDATED) == 2 and len(report.failed) == DOCUMENTS - 2
    assert all("Der Index konnte nicht geschrieben werden" in r.message for r in report.failed)
    assert all("Speicherplatz" in r.message for r in report.failed)
    monkeypatch.undo()
    written = {r.doc_id for r in report.results if r.outcome == UPDATED}
    for doc in store.documents():
        assert f"Fassung {2 if doc.doc_id in written else 1}:" in doc.text
    assert store.reconcile().incomplete_documents == []
    assert ingest_paths(store, HashEmbedder(), [folder]).count(UPDATED) == DOCUMENTS - 2
    _assert_every_document_in_version(store, 2)


def test_registry_full_in_the_middle_of_a_batch_keeps_the_previous_version(
    indexed: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, folder = indexed
    full = sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(Store, "_register", _disk_full_after(1, full, Store._register))
    report = ingest_paths(store, HashEmbedder(), [folder], batch_documents=DOCUMENTS)
    assert report.count(UPDATED) == 1  # each document of a batch commits on its own
    assert len(report.failed) == DOCUMENTS - 1
    assert all("database or disk is full" in r.message for r in report.failed)
    monkeypatch.undo()
    written = {r.doc_id for r in report.results if r.outcome == UPDATED}
    for doc in store.documents():
        assert f"Fassung {2 if doc.doc_id in written else 1}:" in doc.text
    assert store.reconcile().incomplete_documents == []
    ingest_paths(store, HashEmbedder(), [folder])
    _assert_every_document_in_version(store, 2)
