"""The store keeps registry and vectors consistent: replace, remove, crash halfway, model switch."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.pipeline import embed_chunks, index_document, repair
from ingest.store import Store
from ingest.types import Chunk, Document

pytestmark = pytest.mark.integration


def _doc(doc_id: str, text: str, status: str = "öffentlich") -> Document:
    return Document(doc_id=doc_id, text=text, source=f"{doc_id}.txt", status=status, content_hash=text)


def _vector_count(store: Store, doc_id: str) -> int:
    return len(store._collection.get(where={"doc_id": doc_id}, include=[])["ids"])


def test_reindex_of_changed_document_replaces_old_chunks(tmp_path, embedder):
    store = Store(tmp_path, embedder.model_id)
    index_document(store, embedder, _doc("a", "Erster Satz über den Zuschuss.\n\nZweiter Absatz zur Umlage."))
    index_document(store, embedder, _doc("a", "Nur noch ein Satz über die Metropolregion."))
    chunks = [c for c in store.chunks() if c.doc_id == "a"]
    assert [c.text for c in chunks] == ["Nur noch ein Satz über die Metropolregion."]
    assert _vector_count(store, "a") == 1


def test_remove_deletes_document_chunks_vectors_and_facts(tmp_path, embedder):
    store = Store(tmp_path, embedder.model_id)
    index_document(store, embedder, _doc("a", "Der Verein erhält einen Zuschuss von 5.000 € jährlich."))
    assert store.remove_document("a")
    assert store.get_document("a") is None
    assert store.chunks() == []
    assert store.facts() == []
    assert _vector_count(store, "a") == 0
    assert not store.remove_document("a")


def test_crash_between_vectors_and_registry_keeps_old_version_and_repair_drops_orphans(
    tmp_path, embedder, monkeypatch
):
    store = Store(tmp_path, embedder.model_id)
    index_document(store, embedder, _doc("a", "Alte Fassung der Vorlage."))

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("simulated crash after the vectors were written")

    monkeypatch.setattr(store, "_audit", crash)
    with pytest.raises(KeyboardInterrupt):
        index_document(store, embedder, _doc("a", "Neue Fassung der Vorlage mit anderem Text."))
    monkeypatch.undo()

    reopened = Store(tmp_path, embedder.model_id)
    doc = reopened.get_document("a")
    assert doc is not None and doc.text == "Alte Fassung der Vorlage."
    assert _vector_count(reopened, "a") == 2  # the old vector plus the orphan of the failed write
    assert repair(reopened, embedder) == []
    assert _vector_count(reopened, "a") == 1


def test_dense_query_ignores_vectors_of_a_generation_that_is_not_current(tmp_path, embedder):
    store = Store(tmp_path, embedder.model_id)
    doc = _doc("a", "Die Metropolregion kostet 3.000 € im Jahr.")
    chunk = Chunk("a", 0, "Text", 0, len(doc.text), doc.text)
    vectors = embed_chunks(store, embedder, doc, [chunk])
    store._add_vectors(doc, [chunk], vectors, generation="never-committed")
    assert store.dense_query(vectors[0].tolist(), 5, None) == []


def test_model_switch_rebuilds_vectors_from_the_registry(tmp_path, embedder):
    store = Store(tmp_path, embedder.model_id)
    index_document(store, embedder, _doc("a", "Die Metropolregion kostet 3.000 € im Jahr."))
    store.close()

    class OtherModel:
        model_id = "other-model"

        def embed(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 3), dtype=np.float32) / np.sqrt(3)

    switched = Store(tmp_path, OtherModel.model_id)
    assert _vector_count(switched, "a") == 0
    assert repair(switched, OtherModel()) == ["a"]
    assert _vector_count(switched, "a") == 1
    assert switched._collection.metadata["embedding_model"] == "other-model"


def test_vectors_are_cached_by_text_so_unchanged_chunks_are_not_encoded_again(tmp_path, embedder):
    store = Store(tmp_path, embedder.model_id)
    calls: list[int] = []

    class Counting:
        model_id = embedder.model_id

        def embed(self, texts: list[str]) -> np.ndarray:
            calls.append(len(texts))
            return embedder.embed(texts)

    doc = _doc("a", "Ein Satz.")
    chunk = Chunk("a", 0, "Text", 0, 9, "Ein Satz.")
    embed_chunks(store, Counting(), doc, [chunk])
    embed_chunks(store, Counting(), doc, [chunk])
    assert calls == [1]
