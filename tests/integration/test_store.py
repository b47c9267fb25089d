"""The store keeps registry and vectors consistent: replace, remove, crash halfway, model switch."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from ingest.pipeline import embed_chunks, index_document, repair
from ingest.store import MIGRATIONS, RegistryTooNew, Store, migrate, vector_metadata
from ingest.types import Chunk, Document

pytestmark = pytest.mark.integration


def _doc(doc_id: str, text: str, status: str = "öffentlich") -> Document:
    return Document(doc_id=doc_id, text=text, source=f"{doc_id}.txt", status=status, content_hash=text)


def _vector_count(store: Store, doc_id: str) -> int:
    return len(store._collection.get(where={"doc_id": doc_id}, include=[])["ids"])


def test_reindex_of_changed_document_replaces_old_chunks(tmp_path, fake_embedder):
    store = Store(tmp_path, fake_embedder.model_id)
    index_document(
        store, fake_embedder, _doc("a", "Erster Satz über den Zuschuss.\n\nZweiter Absatz zur Umlage.")
    )
    index_document(store, fake_embedder, _doc("a", "Nur noch ein Satz über die Metropolregion."))
    chunks = [c for c in store.chunks() if c.doc_id == "a"]
    assert [c.text for c in chunks] == ["Nur noch ein Satz über die Metropolregion."]
    assert _vector_count(store, "a") == 1


def test_remove_deletes_document_chunks_vectors_and_facts(tmp_path, fake_embedder):
    store = Store(tmp_path, fake_embedder.model_id)
    index_document(store, fake_embedder, _doc("a", "Der Verein erhält einen Zuschuss von 5.000 € jährlich."))
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


# --- the registry's schema --------------------------------------------------------------------

# The registry as commit 92dbbd4 created it, before its schema was numbered (user_version 0).
SCHEMA_AT_92DBBD4 = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    generation TEXT NOT NULL,
    reference TEXT, title TEXT, doc_type TEXT, status TEXT, body TEXT, date TEXT,
    consultations TEXT, sections TEXT,
    source TEXT, content_hash TEXT, ingested_at TEXT,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    section TEXT, start INTEGER, end INTEGER, text TEXT,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE IF NOT EXISTS facts (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    row TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE TABLE IF NOT EXISTS vector_cache (
    model_id TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (model_id, text_hash)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS audit (
    at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL, doc_id TEXT NOT NULL, detail TEXT
);
"""


def _user_version(path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def test_a_registry_of_the_previous_schema_opens_upgraded_with_its_documents(tmp_path, fake_embedder):
    registry = tmp_path / "registry.sqlite3"
    with sqlite3.connect(registry) as db:
        db.executescript(SCHEMA_AT_92DBBD4)
        db.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ("alt", "g1", "2015/179", "Metropolregion", "Beschlussvorlage", "öffentlich", "Landkreis Peine",
             "2015-03-12", '[{"committee": "Kreistag", "date": "", "resolution": ""}]', "[]", "alt.txt",
             "hash", "2015-03-12T10:00:00+00:00", "Text der alten Vorlage."),
        )  # fmt: skip
        db.execute("INSERT INTO chunks VALUES ('alt', 0, 'Text', 0, 23, 'Text der alten Vorlage.')")
    assert _user_version(registry) == 0

    store = Store(tmp_path, fake_embedder.model_id)

    assert _user_version(registry) == len(MIGRATIONS)
    doc = store.get_document("alt")
    assert doc is not None
    assert (doc.reference, doc.title, doc.status, doc.body, doc.year) == (
        "2015/179", "Metropolregion", "öffentlich", "Landkreis Peine", 2015,
    )  # fmt: skip
    assert doc.committees == ["Kreistag"] and doc.text == "Text der alten Vorlage."
    assert store._current_vectors().chunk_of == {"alt#0@g1": ("alt", 0)}  # the id its vector has


def test_a_step_added_later_runs_once_on_an_existing_registry(tmp_path):
    db = sqlite3.connect(tmp_path / "registry.sqlite3")
    assert migrate(db) == len(MIGRATIONS)
    later = [
        *MIGRATIONS,
        "ALTER TABLE documents ADD COLUMN note TEXT; CREATE INDEX audit_doc ON audit(doc_id)",
    ]

    assert migrate(db, later) == len(later)
    assert migrate(db, later) == len(later)  # a second opening runs nothing again
    assert "note" in [row[1] for row in db.execute("PRAGMA table_info(documents)")]


def test_a_registry_of_a_newer_version_is_refused_in_german(tmp_path, fake_embedder):
    with sqlite3.connect(tmp_path / "registry.sqlite3") as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(RegistryTooNew, match="Bitte Ratsauskunft aktualisieren"):
        Store(tmp_path, fake_embedder.model_id)


# --- vector metadata ------------------------------------------------------------------------------


def test_a_correction_gives_every_vector_the_metadata_of_the_corrected_row(tmp_path, fake_embedder):
    store = Store(tmp_path, fake_embedder.model_id)
    text = "Erster Absatz über den Zuschuss.\n\n" + "Zweiter Absatz zur Umlage. " * 80
    index_document(store, fake_embedder, _doc("a", text))
    store.update_metadata(
        "a",
        {"date": "2020-05-04", "status": "nichtöffentlich", "body": "Stadt Peine", "doc_type": "Mitteilung"},
    )
    corrected = store.get_document("a")
    assert corrected is not None

    vectors = list(store._vector_pages({"doc_id": "a"}))
    assert len(vectors) > 1
    indexes = sorted(int(meta["index"]) for _, meta in vectors)
    assert indexes == list(range(len(vectors)))
    for _, meta in vectors:
        assert {k: v for k, v in meta.items() if k not in ("generation", "index")} == vector_metadata(
            corrected
        )
        assert meta["year"] == 2020 and meta["is_public"] is False
    assert store.dense_query(fake_embedder.embed(["Zuschuss"])[0].tolist(), 5, {"year": 2020})
