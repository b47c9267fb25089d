"""A store far beyond 50 000 vectors keeps accepting writes: repair and ingest read Chroma in pages."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import HashEmbedder

from ingest.pipeline import ingest_paths
from ingest.store import DocumentWrite, ReconcileReport, Store
from ingest.types import Chunk, Document

pytestmark = pytest.mark.integration

DOCUMENTS = 1010
CHUNKS_PER_DOCUMENT = 100  # 101 000 vectors in all


def _generated_writes(embedder: HashEmbedder) -> list[DocumentWrite]:
    """Many small documents with precomputed random vectors: cheap to make, real to store."""
    rng = np.random.default_rng(7)
    writes = []
    for n in range(DOCUMENTS):
        doc_id = f"gen-{n:05d}"
        text = "Satz. " * CHUNKS_PER_DOCUMENT
        doc = Document(
            doc_id=doc_id, text=text, source=f"{doc_id}.txt", status="öffentlich", content_hash=doc_id
        )
        chunks = [Chunk(doc_id, i, "", 6 * i, 6 * i + 5, "Satz.") for i in range(CHUNKS_PER_DOCUMENT)]
        vectors = rng.standard_normal((CHUNKS_PER_DOCUMENT, embedder.dimensions)).astype(np.float32)
        writes.append(DocumentWrite(doc, chunks, vectors, []))
    return writes


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):  # type: ignore[no-untyped-def]
    embedder = HashEmbedder()
    path = tmp_path_factory.mktemp("big-store")
    store = Store(path, embedder.model_id)
    writes = _generated_writes(embedder)
    for i in range(0, len(writes), 200):
        store.write_documents(writes[i : i + 200])
    assert store._collection.count() == DOCUMENTS * CHUNKS_PER_DOCUMENT
    return path, embedder


def test_reconcile_of_a_store_beyond_100000_vectors_finds_no_orphans(big_store):
    path, embedder = big_store
    report = Store(path, embedder.model_id).reconcile()
    assert report.orphan_vectors_removed == 0
    assert report.incomplete_documents == []


def test_reconcile_of_a_big_store_removes_orphans_and_names_incomplete_documents(big_store):
    path, embedder = big_store
    store = Store(path, embedder.model_id)
    store._collection.add(
        ids=["stray@old"],
        embeddings=[[0.0] * embedder.dimensions],
        metadatas=[{"doc_id": "gone", "generation": "old"}],
    )
    store._collection.delete(ids=["gen-00003#5@" + _generation(store, "gen-00003")])
    report = store.reconcile()
    assert report.orphan_vectors_removed == 1
    assert report.incomplete_documents == ["gen-00003"]


def test_second_ingest_into_a_big_store_repairs_and_indexes_the_new_file(big_store, tmp_path):
    path, embedder = big_store
    new_file = tmp_path / "neue-vorlage.txt"
    new_file.write_text("Status: öffentlich\n\nDer Kreistag beschließt den Zuschuss an den Sportverein.\n")
    store = Store(path, embedder.model_id)
    report = ingest_paths(store, embedder, [new_file])
    assert report.failed == []
    assert report.count("added") == 1
    assert store.get_document("neue-vorlage") is not None
    assert store.reconcile() == ReconcileReport(0, [])


def _generation(store: Store, doc_id: str) -> str:
    row = store._db.execute("SELECT generation FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    return str(row[0])
