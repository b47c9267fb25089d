"""Hybrid retrieval over the store: German BM25 plus dense vectors, fused, filtered, access-checked.

Access and metadata filters are applied where candidates are produced, never to a short list
after ranking, so a non-public passage cannot surface for a user who may not see it, and a filter
never empties a page of results. The one rule is a mask over the keyword index of the role's
chunks; the dense side applies the same mask to the nearest chunks it fetches, and asks Chroma
with a `where` clause only when too few of them are allowed (`Retriever._dense_matches`).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import pickle
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from assistant.access import may_see
from assistant.keywords import CompoundSplitter, analyze, content_words, synonyms
from assistant.types import Hit, SearchFilters
from ingest.embedding import Embedder, embed_query
from ingest.german.references import find_references, mention_keys, select_amendments, select_by_reference
from ingest.german.words import stem
from ingest.store import ChromaUnavailable, DenseMatch, Store, StoredChunk
from ingest.types import Document

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import

_reading_role: ContextVar[str] = ContextVar("reading_role", default="public")
QUOTED_PATTERN = re.compile(r"[\"„“”»«]([^\"„“”»«]{3,})[\"„“”»«]")


# Dense queries fetch unfiltered `OVER_FETCH_MARGIN` times the chunks expected to hold the wanted
# number of allowed ones, up to `MAX_OVER_FETCH` times that number (see Retriever._dense_matches).
OVER_FETCH_MARGIN = 1.5
MAX_OVER_FETCH = 8

FUSION_RRF = "rrf"
FUSION_SCORES = "scores"


@dataclass(frozen=True)
class RetrievalSettings:
    """How keyword and dense rankings are combined.

    - `rrf`: weighted reciprocal rank fusion, `weight / (rrf_k + rank)` per ranking;
    - `scores`: candidates from both sides, each scored by `(1 - dense_share) * bm25 / best bm25
      + dense_share * cosine` with the cosines min-max scaled over the candidates. With
      `dense_candidates = 0` the dense side only re-ranks the keyword candidates.
    """

    fusion: str = FUSION_SCORES
    keyword_weight: float = 2.0
    dense_weight: float = 1.0
    dense_share: float = 0.4
    synonym_weight: float = 0.3
    rrf_k: int = 60
    candidates: int = 50
    dense_candidates: int | None = None  # None: as many as `candidates`
    use_dense: bool = True
    use_keywords: bool = True
    # Passages that name a number the query names ("DS-Nr.: 111/2014" in a list of agenda items);
    # a number named in more documents than `mention_documents` tells nothing apart.
    mention_weight: float = 0.5
    mention_documents: int = 5


class KeywordIndex:
    """BM25 over German stems of every chunk (with its document's title), rebuilt when the store changes.

    Its statistics (vocabulary, compound parts, IDF, `max_idf`) come from exactly the chunks it
    holds; the retriever keeps one index per audience, so what the public sees is ranked as if
    the non-public documents did not exist.
    """

    def __init__(self, chunks: list[StoredChunk], documents: dict[str, Document]) -> None:
        self.chunks = chunks
        self.rows = {(c.doc_id, c.index): i for i, c in enumerate(chunks)}
        vocabulary = Counter(w for c in chunks for w in content_words(c.text))
        self.splitter = CompoundSplitter(vocabulary)
        corpus = [
            analyze(f"{documents[c.doc_id].title} {c.section} {c.text}", self.splitter) or ["∅"]
            for c in chunks
        ]
        self._bm25 = bm25s.BM25()
        if chunks:
            self._bm25.index(corpus, show_progress=False)
        self.document_frequency = Counter(term for terms in corpus for term in set(terms))
        self.max_idf = float(np.log(1 + len(chunks))) if chunks else 1.0
        self.document_cache: dict[tuple[str, str, str, str], tuple[set[str], str]] = {}
        self.mentions: dict[str, list[int]] = {}
        for row, chunk in enumerate(chunks):
            for key in mention_keys(chunk.text):
                self.mentions.setdefault(key, []).append(row)

    def rows_mentioning(self, query: str, max_documents: int) -> set[int]:
        """Passages that name one of the query's numbers, in any writing; none for a number that
        more than `max_documents` documents name."""
        rows: set[int] = set()
        for key in mention_keys(query):
            mentioning = self.mentions.get(key, [])
            if len({self.chunks[row].doc_id for row in mentioning}) <= max_documents:
                rows.update(mentioning)
        return rows

    def idf(self, term: str) -> float | None:
        """Inverse document frequency of a stem over chunks; None when the corpus never uses it."""
        frequency = self.document_frequency.get(term)
        if not frequency:
            return None
        return float(np.log(1 + (len(self.chunks) - frequency + 0.5) / (frequency + 0.5)))

    def scores(self, query: str, synonym_weight: float) -> np.ndarray:
        if not self.chunks:
            return np.zeros(0, dtype=np.float32)
        terms = analyze(query, self.splitter)
        scores = self._bm25.get_scores(terms) if terms else np.zeros(len(self.chunks), dtype=np.float32)
        extra = sorted({s for t in terms for s in synonyms(t)} - set(terms))
        if extra and synonym_weight:
            scores = scores + synonym_weight * self._bm25.get_scores(extra)
        return np.asarray(scores, dtype=np.float32)


class Retriever:
    """Finds passages for a query; the one place that decides what a role may see."""

    def __init__(self, store: Store, embedder: Embedder | None, settings: RetrievalSettings | None = None):
        self.store = store
        self.embedder = embedder
        self.settings = settings or RetrievalSettings()
        self._lock = threading.Lock()
        self._version = -1
        self._indexes: dict[bool, KeywordIndex] = {}  # by "sees non-public documents", built on demand
        self._chunks: list[StoredChunk] = []
        self._documents: dict[str, Document] = {}

    # --- state ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        with self._lock:
            version = self.store.version()
            if version == self._version:
                return
            self._documents = {d.doc_id: d for d in self.store.documents()}
            self._chunks = self.store.chunks()
            self._indexes = {}
            self._version = version

    def index_for(self, role: str) -> KeywordIndex:
        """The keyword index over exactly the chunks `role` may see (its statistics included)."""
        self.refresh()
        sees_all = may_see(role, False)
        with self._lock:
            if sees_all not in self._indexes:
                self._indexes[sees_all] = self._load_or_build_index(sees_all)
            return self._indexes[sees_all]

    def _load_or_build_index(self, sees_all: bool) -> KeywordIndex:
        """The index from the store's read cache when it was made from this registry version by
        this code; else built, and kept there for the next process (`ratsauskunft ask` starts
        without analysing every chunk anew). The cache is a pickle in the owner-only store folder:
        whoever could change it could change the registry itself."""
        name = "keywords-all" if sees_all else "keywords-public"
        fingerprint = analysis_fingerprint()
        cached = self.store.read_cache(name, self._version)
        if cached is not None and cached.startswith(fingerprint):
            index: KeywordIndex = pickle.loads(cached[len(fingerprint) :])
            return index
        chunks = self._chunks if sees_all else [c for c in self._chunks if c.is_public]
        index = KeywordIndex(chunks, self._documents)
        self.store.write_cache(name, self._version, fingerprint + pickle.dumps(index, protocol=5))
        return index

    @property
    def index(self) -> KeywordIndex:
        """The keyword index of the role set by `reading_as` (the public one outside of it)."""
        return self.index_for(_reading_role.get())

    @contextmanager
    def reading_as(self, role: str) -> Iterator[None]:
        """Term weights and compound parts read through `index` come from what `role` may see."""
        token = _reading_role.set(role)
        try:
            yield
        finally:
            _reading_role.reset(token)

    def document(self, doc_id: str, role: str) -> Document | None:
        self.refresh()
        doc = self._documents.get(doc_id)
        return doc if doc is not None and may_see(role, doc.is_public) else None

    def documents(self, role: str) -> list[Document]:
        self.refresh()
        return [d for d in self._documents.values() if may_see(role, d.is_public)]

    def visible_doc_ids(self, role: str, filters: SearchFilters | None = None) -> set[str]:
        return {d.doc_id for d in self.documents(role) if _matches(d, filters or SearchFilters())}

    def find_reference(self, query: str, role: str) -> list[Document]:
        """Documents whose own number the query names, in any writing ("Vorlage 157/2017",
        "vo 2019/397-01", "GRDrs 812/2008" for 812/2008; see ingest.german.references)."""
        wanted = find_references(query)
        return select_by_reference(wanted, self.documents(role), lambda d: d.reference) if wanted else []

    def find_amendments(self, query: str, role: str) -> list[Document]:
        """Documents that amend a number the query names ("80/2019 1. Ergänzung" for "80/2019")."""
        wanted = find_references(query)
        return select_amendments(wanted, self.documents(role), lambda d: d.reference) if wanted else []

    # --- search --------------------------------------------------------------------------------

    def search(
        self, query: str, k: int = 10, filters: SearchFilters | None = None, role: str = "public"
    ) -> list[Hit]:
        filters = filters or SearchFilters()
        index = self.index_for(role)
        allowed = self.visible_doc_ids(role, filters)
        if not allowed or not index.chunks:
            return []
        mask = np.array([c.doc_id in allowed for c in index.chunks])
        phrases = [p.lower() for p in QUOTED_PATTERN.findall(query)]
        if phrases:
            mask &= np.array([all(p in c.text.lower() for p in phrases) for c in index.chunks])
        where = chroma_where(filters, role, allowed)
        if self.settings.fusion == FUSION_SCORES:
            fused = self._score_fusion(index, query, where, mask)
        else:
            fused = self._rank_fusion(index, query, where, mask)
        # A document named by its number comes before anything else, its first passages first;
        # the papers amending it ("80/2019 1. Ergänzung") come right after it. A boost of
        # `above_ordinary` lifts a passage over every ordinary one (its mention bonus included),
        # one of `above_amendments` over every amending one.
        above_ordinary = max(fused.values(), default=0.0) + self.settings.mention_weight
        above_amendments = 2 * above_ordinary + 1.0
        for boost, docs in (
            (above_ordinary, self.find_amendments(query, role)),
            (above_amendments, self.find_reference(query, role)),
        ):
            for doc in docs:
                if doc.doc_id in allowed:
                    for row, chunk in enumerate(index.chunks):
                        if chunk.doc_id == doc.doc_id:
                            fused[row] = fused.get(row, 0.0) + boost + 1.0 / (1 + chunk.index)
        for row in index.rows_mentioning(query, self.settings.mention_documents):
            if mask[row]:
                fused[row] = fused.get(row, 0.0) + self.settings.mention_weight
        ranked = sorted(fused.items(), key=lambda item: -item[1])[:k]
        return [self._hit(index.chunks[row], score, query) for row, score in ranked]

    @property
    def _dense_on(self) -> bool:
        return self.settings.use_dense and self.embedder is not None

    def _rank_fusion(
        self, index: KeywordIndex, query: str, where: dict[str, Any] | None, mask: np.ndarray
    ) -> dict[int, float]:
        fused: dict[int, float] = {}
        rankings: list[tuple[list[int], float]] = []
        if self.settings.use_keywords:
            keyword_scores = self._keyword_scores(index, query, mask)
            rankings.append((self._keyword_ranking(keyword_scores), self.settings.keyword_weight))
        if self._dense_on:
            try:
                assert self.embedder is not None
                dense = self._dense_matches(index, embed_query(self.embedder, query), where, mask)
                rankings.append((list(dense), self.settings.dense_weight))
            except ChromaUnavailable as error:
                log.warning("dense search unavailable, keyword search only: %s", error)
        for ranking, weight in rankings:
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + weight / (self.settings.rrf_k + rank + 1)
        return fused

    def _score_fusion(
        self, index: KeywordIndex, query: str, where: dict[str, Any] | None, mask: np.ndarray
    ) -> dict[int, float]:
        """Normalised BM25 and cosine, added with `dense_share`, over the candidates of both sides."""
        keyword_scores = self._keyword_scores(index, query, mask)
        rows = self._keyword_ranking(keyword_scores)
        best = float(keyword_scores[rows[0]]) if rows else 1.0
        fused = {row: float(keyword_scores[row]) / best for row in rows}
        if not self._dense_on:
            return fused
        try:
            cosines = self._candidate_cosines(index, query, where, mask, rows)
        except ChromaUnavailable as error:
            log.warning("dense search unavailable, keyword search only: %s", error)
            return fused
        if not cosines:
            return fused
        low, high = min(cosines.values()), max(cosines.values())
        share = self.settings.dense_share
        return {
            row: (1 - share) * fused.get(row, 0.0) + share * (cosine - low) / max(high - low, 1e-6)
            for row, cosine in cosines.items()
        }

    def _candidate_cosines(
        self,
        index: KeywordIndex,
        query: str,
        where: dict[str, Any] | None,
        mask: np.ndarray,
        keyword_rows: list[int],
    ) -> dict[int, float]:
        """Cosine to the query of the dense candidates and of every keyword candidate."""
        assert self.embedder is not None
        vector = embed_query(self.embedder, query)
        dense_k = (
            self.settings.candidates
            if self.settings.dense_candidates is None
            else self.settings.dense_candidates
        )
        cosines = self._dense_matches(index, vector, where, mask, dense_k) if dense_k else {}
        missing = [row for row in keyword_rows if row not in cosines]
        if missing:
            chunks = index.chunks
            stored = self.store.chunk_vectors([(chunks[row].doc_id, chunks[row].index) for row in missing])
            query_vector = np.asarray(vector, dtype=np.float32)
            for row in missing:
                found = stored.get((chunks[row].doc_id, chunks[row].index))
                if found is not None:
                    cosines[row] = float(found @ query_vector)
        return cosines

    def _keyword_scores(self, index: KeywordIndex, query: str, mask: np.ndarray) -> np.ndarray:
        if not self.settings.use_keywords:
            return np.zeros(len(mask), dtype=np.float32)
        return np.where(mask, index.scores(query, self.settings.synonym_weight), 0.0)

    def _keyword_ranking(self, scores: np.ndarray) -> list[int]:
        top = np.argsort(-scores)[: self.settings.candidates]
        return [int(i) for i in top if scores[i] > 0]

    def _dense_matches(
        self,
        index: KeywordIndex,
        vector: list[float],
        where: dict[str, Any] | None,
        mask: np.ndarray,
        k: int | None = None,
    ) -> dict[int, float]:
        """The `k` nearest chunks the mask allows, best first, with their cosine to the query.

        The mask decides what may be returned; Chroma's `where` only helps to find enough of it.
        Filtering inside Chroma is slow on a large collection (~140 ms against ~5 ms unfiltered at
        53 000 vectors), so while the mask allows a large share of the chunks, the nearest chunks
        are fetched unfiltered, enough of them that `k` allowed ones are expected among them, and
        the mask is applied here. Only when fewer than `k` of them are allowed (the nearest
        chunks happened to be ones the role may not see) is the filtered query asked.
        """
        wanted = k or self.settings.candidates
        visible = int(mask.sum())
        fetch = unfiltered_fetch(wanted, visible, len(self._chunks))
        if where is None or fetch is not None:
            rows = _allowed(index, self.store.dense_query(vector, fetch or wanted, None), mask, wanted)
            if where is None or len(rows) >= min(wanted, visible):
                return rows
            log.debug("dense over-fetch held %d of %d allowed chunks: filtered query", len(rows), wanted)
        return _allowed(index, self.store.dense_query(vector, wanted, where), mask, wanted)

    def _hit(self, chunk: StoredChunk, score: float, query: str) -> Hit:
        doc = self._documents[chunk.doc_id]
        return Hit(
            doc_id=chunk.doc_id,
            chunk_index=chunk.index,
            reference=doc.reference,
            title=doc.title,
            date=doc.date,
            section=chunk.section,
            score=score,
            snippet=mark_snippet(chunk.text, query),
            start=chunk.start,
            end=chunk.end,
            text=chunk.text,
        )


@functools.cache
def analysis_fingerprint() -> bytes:
    """Names the code that turns chunks into a keyword index: a cached index made by other code
    (another release, another stemmer) is never read."""
    import assistant.keywords
    import ingest.german.references
    import ingest.german.words

    digest = hashlib.sha256(bm25s.__version__.encode())
    for module in (assistant.keywords, ingest.german.words, ingest.german.references, sys.modules[__name__]):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest().encode() + b"\n"


def unfiltered_fetch(wanted: int, visible: int, total: int) -> int | None:
    """How many nearest chunks to fetch unfiltered so that about `wanted` of the `visible` ones
    are among them (with a margin); None when that would be more than `MAX_OVER_FETCH` times
    `wanted`, and the filtered query is the cheaper one."""
    if visible == 0 or total == 0:
        return None
    fetch = math.ceil(wanted * OVER_FETCH_MARGIN * total / visible)
    return fetch if fetch <= MAX_OVER_FETCH * wanted else None


def _allowed(
    index: KeywordIndex, matches: list[DenseMatch], mask: np.ndarray, wanted: int
) -> dict[int, float]:
    """The first `wanted` matches whose chunk is in `index` and allowed by `mask`, by row."""
    rows: dict[int, float] = {}
    for match in matches:
        row = index.rows.get((match.doc_id, match.index))
        if row is not None and mask[row]:
            rows[row] = match.similarity
            if len(rows) == wanted:
                break
    return rows


def _matches(doc: Document, filters: SearchFilters) -> bool:
    if filters.committee and not any(filters.committee.lower() in c.lower() for c in doc.committees):
        return False
    if filters.doc_type and filters.doc_type.lower() != doc.doc_type.lower():
        return False
    if filters.body and filters.body.lower() not in doc.body.lower():
        return False
    year = doc.year
    if filters.year_from is not None and (year is None or year < filters.year_from):
        return False
    return not (filters.year_to is not None and (year is None or year > filters.year_to))


def chroma_where(filters: SearchFilters, role: str, allowed: set[str]) -> dict[str, Any] | None:
    """The same access rule and filters, as a Chroma `where` clause.

    Committee and body match by substring, which Chroma cannot express; for them the clause lists
    the allowed documents themselves.
    """
    clauses: list[dict[str, Any]] = []
    if filters.committee or filters.body:
        clauses.append({"doc_id": {"$in": sorted(allowed)}})
    if not may_see(role, False):
        clauses.append({"is_public": True})
    if filters.doc_type:
        clauses.append({"doc_type": filters.doc_type})
    if filters.year_from is not None:
        clauses.append({"year": {"$gte": filters.year_from}})
    if filters.year_to is not None:
        clauses.append({"year": {"$lte": filters.year_to}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def mark_snippet(text: str, query: str, width: int = 240) -> str:
    """A window of the passage around the first matching word, matching words wrapped in «»."""
    query_stems = {stem(w) for w in content_words(query)}
    spans = [m.span() for m in re.finditer(r"[0-9A-Za-zÄÖÜäöüß]+(?:[.,][0-9]+)*", text)]
    matching = [(a, b) for a, b in spans if stem(text[a:b]) in query_stems]
    first = matching[0][0] if matching else 0
    begin = max(0, first - width // 3)
    end = min(len(text), begin + width)
    if begin > 0:
        begin = text.rfind(" ", 0, begin) + 1
    out, cursor = [], begin
    for a, b in matching:
        if a < begin or b > end:
            continue
        out.append(text[cursor:a])
        out.append(f"«{text[a:b]}»")
        cursor = b
    out.append(text[cursor:end])
    return ("…" if begin > 0 else "") + "".join(out).strip() + ("…" if end < len(text) else "")
