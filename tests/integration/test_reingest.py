"""Re-ingesting a document with one changed paragraph encodes and writes only the changed chunk;
the unchanged chunks keep their vectors, and readers see the old or the new version, never a mix."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from fakes import HashEmbedder

from assistant.retrieval import Retriever
from ingest.chunking import chunk_document
from ingest.pipeline import embedding_text, index_document, repair
from ingest.store import Store
from ingest.types import Document

pytestmark = pytest.mark.integration

OLD_PARAGRAPH = (
    "Der Zuschuss an den Heimatverein Edemissen beträgt jährlich 4.000 Euro für die Pflege des Museums."
)
NEW_PARAGRAPH = (
    "Der Zuschuss an den Heimatverein Edemissen beträgt jährlich 6.500 Euro für die Pflege des Museums."
)


class CountingEmbedder(HashEmbedder):
    """The fake embedder, keeping every text it was asked to encode."""

    def __init__(self) -> None:
        super().__init__()
        self.encoded: list[str] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return super().embed(texts)


def vorlage(middle: str) -> Document:
    """A Vorlage of several chunks; the paragraph `middle` stands in the middle of it."""
    paragraphs = [
        f"Absatz {k}: Die Verwaltung hat die Maßnahme {k} im Ausschuss für Finanzen vorgestellt. Die "
        f"Arbeiten am Gebäude {k} sollen im Frühjahr beginnen und etwa {k + 2} Monate dauern. Die "
        "Nachbarkommunen wurden beteiligt, Einwände wurden nicht erhoben."
        for k in range(1, 13)
    ]
    paragraphs.insert(6, middle)
    text = "Sachverhalt:\n" + "\n\n".join(paragraphs) + "\n"
    return Document(
        doc_id="2021-007-vorlage",
        text=text,
        source="2021-007-vorlage.txt",
        title="Zuschuss an den Heimatverein",
        status="öffentlich",
        content_hash=str(hash(text)),
    )


def vector_ids(store: Store) -> dict[str, str]:
    """Chunk text -> the id of the vector that embeds it, as the registry says."""
    return dict(store._db.execute("SELECT text, vector_id FROM chunks"))


def stored_vector_ids(store: Store) -> set[str]:
    return set(store._collection.get(include=[])["ids"])


@pytest.fixture
def indexed(tmp_path):  # type: ignore[no-untyped-def]
    embedder = CountingEmbedder()
    store = Store(tmp_path, embedder.model_id)
    index_document(store, embedder, vorlage(OLD_PARAGRAPH))
    embedder.encoded.clear()
    return store, embedder


def test_reingest_of_one_changed_paragraph_encodes_and_adds_only_the_changed_chunk(indexed, monkeypatch):
    store, embedder = indexed
    before = vector_ids(store)
    added: list[str] = []
    add = store._collection.add
    monkeypatch.setattr(store._collection, "add", lambda ids, **kw: (added.extend(ids), add(ids=ids, **kw)))

    index_document(store, embedder, vorlage(NEW_PARAGRAPH))

    after = vector_ids(store)
    changed = [text for text in after if text not in before]
    assert len(after) > 3 and len(changed) == 1 and NEW_PARAGRAPH in changed[0]
    assert len(embedder.encoded) == 1 and NEW_PARAGRAPH in embedder.encoded[0]
    assert added == [after[changed[0]]]
    assert {text: after[text] for text in after if text in before} == {
        text: before[text] for text in after if text in before
    }
    assert stored_vector_ids(store) == set(after.values())


def test_search_after_reingest_finds_the_new_paragraph_and_never_the_old(indexed):
    store, embedder = indexed
    index_document(store, embedder, vorlage(NEW_PARAGRAPH))

    retriever = Retriever(store, embedder)
    hits = retriever.search("Zuschuss Heimatverein Edemissen jährlich Euro", k=20, role="member")
    assert any("6.500 Euro" in hit.text for hit in hits)
    assert not any("4.000 Euro" in hit.text for hit in hits)
    old_vector = embedder.embed([OLD_PARAGRAPH])[0].tolist()
    texts = {(c.doc_id, c.index): c.text for c in store.chunks()}
    matches = store.dense_query(old_vector, 20, None)
    assert len(matches) == len(texts)
    assert not any("4.000 Euro" in texts[(m.doc_id, m.index)] for m in matches)


def test_a_reingest_that_moves_chunks_keeps_their_vectors_under_their_new_index(indexed):
    store, embedder = indexed
    before = set(vector_ids(store).values())
    original = vorlage(OLD_PARAGRAPH)
    preface = "Vorab: " + "Die Vorlage wurde um einen einleitenden Absatz ergänzt. " * 16
    moved = replace(original, text=preface + "\n\n" + original.text)
    index_document(store, embedder, moved)

    kept = before & set(vector_ids(store).values())
    kept_indexes = {
        vector_id: index for index, vector_id in store._db.execute("SELECT idx, vector_id FROM chunks")
    }
    written_at = {vector_id: meta["index"] for vector_id, meta in store._vector_pages() if vector_id in kept}
    assert kept and all(kept_indexes[v] == written_at[v] + 1 for v in kept)
    for chunk in chunk_document(moved):
        vector = embedder.embed([embedding_text(moved, chunk)])[0]
        best = store.dense_query(vector.tolist(), 1, None)[0]
        assert (best.doc_id, best.index) == (chunk.doc_id, chunk.index)


def crashed_reingest(store: Store, embedder, monkeypatch, method: str) -> Store:  # type: ignore[no-untyped-def]
    """Re-ingests the Vorlage with its new paragraph, killed when the store calls `method`; the
    store as the next process opens it."""

    def crash(*args, **kwargs):
        raise KeyboardInterrupt(f"simulated crash in Store.{method}")

    monkeypatch.setattr(store, method, crash)
    with pytest.raises(KeyboardInterrupt):
        index_document(store, embedder, vorlage(NEW_PARAGRAPH))
    monkeypatch.undo()
    return Store(store.path, embedder.model_id)


def test_a_crash_before_the_registry_commits_leaves_the_old_version_whole(indexed, monkeypatch):
    store, embedder = indexed
    before = vector_ids(store)

    reopened = crashed_reingest(store, embedder, monkeypatch, "_audit")  # after the new vectors were written
    doc = reopened.get_document("2021-007-vorlage")
    assert doc is not None and OLD_PARAGRAPH in doc.text
    assert vector_ids(reopened) == before
    assert reopened.reconcile().incomplete_documents == []
    assert stored_vector_ids(reopened) == set(before.values())
    matches = reopened.dense_query(embedder.embed([OLD_PARAGRAPH])[0].tolist(), 20, None)
    assert len(matches) == len(before)


def test_a_crash_after_the_registry_commits_leaves_the_new_version_whole(indexed, monkeypatch):
    store, embedder = indexed

    reopened = crashed_reingest(store, embedder, monkeypatch, "_delete_vectors")  # before the old vector went
    after = vector_ids(reopened)
    assert any(NEW_PARAGRAPH in text for text in after)
    assert repair(reopened, embedder) == []
    assert stored_vector_ids(reopened) == set(after.values())


def test_a_changed_status_rewrites_every_vector_with_the_new_filter_metadata(indexed):
    store, embedder = indexed
    before = vector_ids(store)
    hidden = replace(vorlage(NEW_PARAGRAPH), status="nichtöffentlich")
    index_document(store, embedder, hidden)

    after = vector_ids(store)
    assert not set(after.values()) & set(before.values())
    public = store._collection.get(where={"is_public": True}, include=[])["ids"]
    assert public == []
