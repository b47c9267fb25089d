"""What readers keep in the store's `cache/` folder per registry version: the keyword indexes and,
for short-lived readers, the current vectors. Same results as without them; never one of another
version (real Chroma, fake vectors)."""

from __future__ import annotations

from pathlib import Path

import pytest

import assistant.retrieval
from assistant.retrieval import KeywordIndex, Retriever
from ingest.embedding import embed_query
from ingest.pipeline import ingest_paths
from ingest.store import CACHE_FOLDER, Store

pytestmark = pytest.mark.integration

VORLAGEN = {
    "radweg.txt": "Betreff: Radweg an der Kreisstraße\nStatus: öffentlich\n\nDer Radweg wird saniert.\n",
    "bruecke.txt": "Betreff: Brücke über die Aller\nStatus: öffentlich\n\nDie Brücke wird neu gebaut.\n",
    "kauf.txt": "Betreff: Ankauf Grundstück\nStatus: nichtöffentlich\n\nDer Kaufpreis beträgt 1 €.\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in VORLAGEN.items():
        (docs / name).write_text(text, encoding="utf-8")
    return docs


@pytest.fixture
def store(tmp_path: Path, folder: Path, fake_embedder) -> Store:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "store", fake_embedder.model_id)
    ingest_paths(store, fake_embedder, [folder])
    return store


def cache_files(store: Store) -> list[str]:
    folder = store.path / CACHE_FOLDER
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_vector_snapshot_finds_the_nearest_chunks_chroma_finds(store: Store, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    reader = Store(store.path, fake_embedder.model_id, snapshot_reads=True)
    for query in ("Radweg saniert", "Brücke Aller", "Kaufpreis"):
        vector = embed_query(fake_embedder, query)
        expected = store.dense_query(vector, 3, None)
        found = reader.dense_query(vector, 3, None)
        assert [(m.doc_id, m.index) for m in found] == [(m.doc_id, m.index) for m in expected]
        assert [m.similarity for m in found] == pytest.approx([m.similarity for m in expected], abs=1e-5)
    assert any(name.startswith("vectors-") for name in cache_files(store))


def test_a_reader_after_a_change_makes_a_new_snapshot_and_the_old_one_goes(
    store: Store, tmp_path: Path, fake_embedder
) -> None:  # type: ignore[no-untyped-def]
    reader = Store(store.path, fake_embedder.model_id, snapshot_reads=True)
    reader.dense_query(embed_query(fake_embedder, "Radweg"), 3, None)
    before = cache_files(store)
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "hallenbad.txt").write_text(
        "Betreff: Hallenbad\nStatus: öffentlich\n\nDas Hallenbad schließt.\n"
    )
    ingest_paths(store, fake_embedder, [extra])

    nearest = reader.dense_query(embed_query(fake_embedder, "Hallenbad schließt"), 1, None)
    assert nearest[0].doc_id == "hallenbad"
    assert [n for n in cache_files(store) if n.startswith("vectors-")] != before
    assert len([n for n in cache_files(store) if n.startswith("vectors-")]) == 1


def test_no_snapshot_is_made_while_vectors_are_missing(store: Store, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    vector_id = store._collection.get(limit=1)["ids"][0]
    store._collection.delete(ids=[vector_id])
    reader = Store(store.path, fake_embedder.model_id, snapshot_reads=True)
    expected = store.dense_query(embed_query(fake_embedder, "Radweg"), 3, None)
    assert reader.dense_query(embed_query(fake_embedder, "Radweg"), 3, None) == expected
    assert not [n for n in cache_files(store) if n.startswith("vectors-")]


def test_nothing_is_kept_for_a_version_that_is_no_longer_current(store: Store) -> None:
    store.write_cache("probe", store.version() - 1, b"stale")
    assert store.read_cache("probe", store.version() - 1) is None
    store.write_cache("probe", store.version(), b"current")
    assert store.read_cache("probe", store.version()) == b"current"


def test_the_next_retriever_reads_the_keyword_index_instead_of_building_it(
    store: Store, fake_embedder, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    first = [h.to_json() for h in Retriever(store, fake_embedder).search("Radweg saniert", role="public")]
    assert "keywords-public-v" + str(store.version()) in cache_files(store)

    def not_again(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("built again")

    monkeypatch.setattr(KeywordIndex, "__init__", not_again)
    again = [h.to_json() for h in Retriever(store, fake_embedder).search("Radweg saniert", role="public")]
    assert again == first


def test_a_keyword_index_made_by_other_code_is_built_anew(store: Store, fake_embedder, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    Retriever(store, fake_embedder).search("Radweg", role="public")
    monkeypatch.setattr(assistant.retrieval, "analysis_fingerprint", lambda: b"other code\n")
    built = []
    original = KeywordIndex.__init__

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(KeywordIndex, "__init__", counted)
    assert Retriever(store, fake_embedder).search("Radweg", role="public")
    assert built == [1]


def test_the_public_keyword_cache_holds_no_non_public_text(store: Store, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    Retriever(store, fake_embedder).search("Kaufpreis", role="public")
    cached = store.read_cache("keywords-public", store.version())
    assert cached is not None and b"kaufpreis" not in cached.lower()
