"""The dense side fetches the nearest chunks unfiltered and applies the role's mask itself; it asks
Chroma's slower filtered query only when too few of them are allowed (real Chroma, fake vectors)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.retrieval import RetrievalSettings, Retriever, unfiltered_fetch
from ingest.pipeline import ingest_paths
from ingest.store import DenseMatch, Store

pytestmark = pytest.mark.integration

SECRET_WORDS = "Ankauf Grundstück Rettungswache Kaufpreis vertraulich"
PUBLIC_WORDS = "Radweg Sanierung Brücke Kreisstraße Ausbau"
DOCUMENTS = 8  # of each kind


def _vorlage(number: int, status: str, words: str) -> str:
    return (
        f"Vorlage - {number}/2023\n\nBetreff: Vorlage {number}\nVorlage-Art: Beschlussvorlage\n"
        f"Status: {status}\n\nSachverhalt:\n{words} {words} Nummer {number}.\n"
    )


@pytest.fixture
def store(tmp_path: Path, fake_embedder) -> Store:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(DOCUMENTS):
        (folder / f"geheim-{n}.txt").write_text(_vorlage(100 + n, "nichtöffentlich", SECRET_WORDS), "utf-8")
        (folder / f"offen-{n}.txt").write_text(_vorlage(200 + n, "öffentlich", PUBLIC_WORDS), "utf-8")
    store = Store(tmp_path / "store", fake_embedder.model_id)
    assert ingest_paths(store, fake_embedder, [folder]).count("added") == 2 * DOCUMENTS
    return store


class RecordedQueries:
    """Wraps Store.dense_query: what was asked (k, where) and what came back."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[int, dict[str, Any] | None, list[DenseMatch]]] = []
        original = store.dense_query

        def recorded(vector: list[float], k: int, where: dict[str, Any] | None) -> list[DenseMatch]:
            matches = original(vector, k, where)
            self.calls.append((k, where, matches))
            return matches

        monkeypatch.setattr(store, "dense_query", recorded)


def _dense_only(store: Store, fake_embedder, candidates: int = 2) -> Retriever:  # type: ignore[no-untyped-def]
    settings = RetrievalSettings(candidates=candidates, use_keywords=False)
    return Retriever(store, fake_embedder, settings)


def test_public_query_near_non_public_chunks_falls_back_to_the_filtered_query(
    store, fake_embedder, monkeypatch
):
    queries = RecordedQueries(store, monkeypatch)
    hits = _dense_only(store, fake_embedder).search(SECRET_WORDS, k=2, role="public")

    (fetched, unfiltered, nearest), (k, where, filtered) = queries.calls
    assert unfiltered is None and fetched == unfiltered_fetch(2, DOCUMENTS, 2 * DOCUMENTS)
    assert all(m.doc_id.startswith("geheim") for m in nearest)  # nothing the public may see
    assert (k, where) == (2, {"is_public": True})
    assert {(h.doc_id, h.chunk_index) for h in hits} == {(m.doc_id, m.index) for m in filtered}
    assert len(hits) == 2 and all(h.doc_id.startswith("offen") for h in hits)


def test_public_query_near_public_chunks_needs_no_filtered_query(store, fake_embedder, monkeypatch):
    queries = RecordedQueries(store, monkeypatch)
    hits = _dense_only(store, fake_embedder).search(PUBLIC_WORDS, k=2, role="public")

    assert [where for _, where, _ in queries.calls] == [None]
    filtered = store.dense_query(_query_vector(fake_embedder), 2, {"is_public": True})
    assert {(h.doc_id, h.chunk_index) for h in hits} == {(m.doc_id, m.index) for m in filtered}


def test_member_query_asks_chroma_once_without_a_filter(store, fake_embedder, monkeypatch):
    queries = RecordedQueries(store, monkeypatch)
    hits = _dense_only(store, fake_embedder).search(SECRET_WORDS, k=2, role="member")

    assert [where for _, where, _ in queries.calls] == [None]
    assert len(hits) == 2 and all(h.doc_id.startswith("geheim") for h in hits)


def test_a_small_visible_share_goes_straight_to_the_filtered_query():
    assert unfiltered_fetch(50, 45_000, 50_000) == 84
    assert unfiltered_fetch(50, 1_000, 50_000) is None
    assert unfiltered_fetch(50, 0, 50_000) is None


def _query_vector(fake_embedder) -> list[float]:  # type: ignore[no-untyped-def]
    from ingest.embedding import embed_query

    return embed_query(fake_embedder, PUBLIC_WORDS)
