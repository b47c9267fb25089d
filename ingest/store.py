"""The one module that talks to Chroma and to the registry database.

Layout of a store directory:
- `registry.sqlite3`: documents (with text and metadata), chunks, facts, a vector cache and an
  audit log. The registry is the source of truth for what is indexed.
- `chroma/`: the persistent Chroma collection with one vector per chunk (or a Chroma server when
  `chroma_url` is set). On a server, the collection is named after the registry's `store_id`, so
  several registries can share one server without seeing, or deleting, each other's vectors.
- `cache/`: what readers derive from one registry version and keep to start faster next time
  (`read_cache`, `write_cache`): the keyword indexes, and for short-lived readers
  (`snapshot_reads`) the current vectors as one matrix, so `ratsauskunft ask` needs no Chroma
  (whose import alone takes about a second). Each file names the version it was made from; one of
  another version is never read, and a newer one replaces it. Owner-only like the registry.

Consistency without distributed transactions: every write of a document gets a fresh
`generation`. Vectors are written to Chroma first, tagged with it; then one SQLite transaction
makes the generation current; then the previous generation's vectors are deleted. A crash at any
point leaves either the old or the new version current, never a mix: readers ignore vectors the
registry's current chunks do not name, and `reconcile()` deletes such orphans. The same holds when
the disk refuses a write (ENOSPC): the write fails as StoreWriteFailed, in German.

Which vector embeds which chunk is the registry's word: each chunk row names its vector (`vector_id`)
and the hash of that vector's bytes (`vector_hash`). A re-ingest therefore writes only the vectors
of changed chunks: a chunk whose new vector is bit for bit one the document's current version
already has in Chroma (same text, same model, same filter metadata) keeps that vector, and the
registry transaction moves it into the new generation together with the rest. Nothing in Chroma
changes for a kept vector, so until the transaction commits the old version is whole; after it, the
new one. A kept vector's own metadata (`generation`, `index`) says where it was first written, not
which chunk it embeds now.

One writer at a time: every method that changes the store holds the store's write lock
(`ingest.writelock`), so one run's `reconcile()` never deletes the vectors another run has
written but not yet registered.

Each vector carries the metadata that searches filter on (`vector_metadata`): derived from the
registry row by one function, on add and on a clerk's correction alike, so the dense side never
filters on a value the registry no longer has.

The registry's schema grows by numbered steps (`MIGRATIONS`); `PRAGMA user_version` counts the
steps a registry has had, and opening it runs the missing ones, so an old registry upgrades.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import sqlite3
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypedDict, TypeVar
from urllib.parse import urlparse

import numpy as np

from ingest.german.references import select_by_reference
from ingest.types import EDITABLE_FIELDS, Chunk, Consultation, Document, Fact, IngestError, Section
from ingest.writelock import DEFAULT_WAIT_S, WriteLock

log = logging.getLogger(__name__)

COLLECTION = "ratsauskunft-chunks"
CACHE_FOLDER = "cache"
PAGE_SIZE = 5000  # vectors per Chroma read or delete: far below SQLite's variable limit
# Step 1 is the schema registries had before they were numbered (commit 92dbbd4): `IF NOT
# EXISTS` makes it a no-op on them and the start of a new one.
SCHEMA_1 = """
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
# The registry's schema, one step after the other; append a step, never change one that shipped.
# A step is SQL statements separated by ";" (none inside a statement).
MIGRATIONS: list[str] = [
    SCHEMA_1,
    # 2: the document's page in the council's own information system (OParl `web`)
    "ALTER TABLE documents ADD COLUMN web TEXT",
    # 3: which Chroma vector embeds each chunk, and the hash of its bytes, so a re-ingest keeps the
    # vectors of unchanged chunks; until now a vector's id was the chunk's id at its generation
    "ALTER TABLE chunks ADD COLUMN vector_id TEXT; ALTER TABLE chunks ADD COLUMN vector_hash TEXT; "
    "UPDATE chunks SET vector_id = doc_id || '#' || idx || '@' "
    "|| (SELECT generation FROM documents WHERE documents.doc_id = chunks.doc_id)",
]


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as the registry holds it, with the access-relevant metadata of its document."""

    doc_id: str
    index: int
    section: str
    start: int
    end: int
    text: str
    is_public: bool


@dataclass(frozen=True)
class DocumentWrite:
    """One document as it goes into the store: its chunks, one vector per chunk, its ledger rows."""

    doc: Document
    chunks: list[Chunk]
    vectors: np.ndarray
    facts: list[Fact]


@dataclass(frozen=True)
class _VectorPlan:
    """The vectors of one document write: one id and hash per chunk; `added` are the positions of
    the chunks whose vector is new (the others keep a vector of the document's current version)."""

    vector_ids: list[str]
    vector_hashes: list[str]
    added: list[int]


@dataclass(frozen=True)
class _CurrentVectors:
    """The registry's current chunks by the id of their vector and back, at one registry version."""

    version: int
    chunk_of: dict[str, tuple[str, int]]  # vector id -> (doc_id, index)
    vector_of: dict[tuple[str, int], str]


@dataclass(frozen=True)
class DenseMatch:
    doc_id: str
    index: int
    similarity: float


class VectorSnapshot:
    """The vectors of every current chunk at one registry version, as one matrix: what a reader
    searches exactly (`nearest`) when it should not open Chroma. Kept in `cache/` as .npz."""

    def __init__(self, version: int, keys: list[tuple[str, int]], matrix: np.ndarray) -> None:
        self.version = version
        self.keys = keys
        self.rows = {key: row for row, key in enumerate(keys)}
        norms = np.linalg.norm(matrix, axis=1, keepdims=True) if len(matrix) else np.ones((0, 1))
        self.matrix = (matrix / np.maximum(norms, 1e-12)).astype(np.float32)

    def nearest(self, vector: list[float], k: int) -> list[DenseMatch]:
        """The `k` chunks of highest cosine to `vector`, best first."""
        if not self.keys or k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        similarities = self.matrix @ (query / max(float(np.linalg.norm(query)), 1e-12))
        k = min(k, len(similarities))
        top = np.argpartition(-similarities, k - 1)[:k]
        top = top[np.argsort(-similarities[top], kind="stable")]
        return [DenseMatch(self.keys[row][0], self.keys[row][1], float(similarities[row])) for row in top]

    def vectors(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], np.ndarray]:
        return {key: self.matrix[self.rows[key]] for key in keys if key in self.rows}

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        doc_ids = np.array([doc_id for doc_id, _ in self.keys], dtype=np.str_)
        indexes = np.array([index for _, index in self.keys], dtype=np.int64)
        np.savez(buffer, doc_ids=doc_ids, indexes=indexes, matrix=self.matrix)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, version: int, data: bytes) -> VectorSnapshot:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            keys = list(zip(arrays["doc_ids"].tolist(), arrays["indexes"].tolist(), strict=True))
            return cls(version, keys, arrays["matrix"])


class AuditEntry(TypedDict):
    """One line of the audit log; `action` is add, update, correct or remove."""

    at: str  # ISO timestamp, UTC
    user: str
    action: str
    doc_id: str
    detail: str  # the content hash (add, update) or the corrected fields as JSON (correct)


@dataclass(frozen=True)
class ReconcileReport:
    orphan_vectors_removed: int
    incomplete_documents: list[str]


class ChromaUnavailable(IngestError):
    """The Chroma server named by `chroma_url` does not answer."""


class RegistryTooNew(IngestError):
    """The registry was written by a newer version of Ratsauskunft than this one."""


def migrate(db: sqlite3.Connection, migrations: list[str] | None = None) -> int:
    """Run the steps of `migrations` (default `MIGRATIONS`) the registry has not had yet.

    Each step runs in its own write transaction together with its `user_version`, so a crash
    leaves the registry at the previous step, and of two processes opening an old registry at
    once only the first runs a step (the other sees the new version once it gets the lock).
    Returns the registry's version afterwards.
    """
    steps = MIGRATIONS if migrations is None else migrations
    known = _user_version(db)
    for number, step in enumerate(steps[known:], start=known + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            version = _user_version(db)
            if version < number:
                log.info("registry schema: step %d", number)
                for statement in filter(str.strip, step.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    version = _user_version(db)
    if version > len(steps):
        raise RegistryTooNew(
            f"Der Index hat Schema-Version {version}, diese Version von Ratsauskunft kennt nur "
            f"{len(steps)}. Bitte Ratsauskunft aktualisieren."
        )
    return version


def _user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def vector_metadata(doc: Document) -> dict[str, Any]:
    """What each vector of `doc` carries for filtering: the one mapping, on add and on correction.

    Chroma metadata values cannot be empty lists or None: a document without committees has no
    `committees` key, one without a date has `year` 0.
    """
    metadata: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "is_public": doc.is_public,
        "body": doc.body,
        "doc_type": doc.doc_type,
        "year": doc.year or 0,
    }
    if doc.committees:
        metadata["committees"] = doc.committees
    return metadata


def _document_row(doc: Document, generation: str) -> dict[str, Any]:
    """The registry row of `doc`, by column name (`_document_from_row` reads it back)."""
    return {
        "doc_id": doc.doc_id,
        "generation": generation,
        **{name: getattr(doc, name) for name in EDITABLE_FIELDS},
        "consultations": json.dumps([asdict(c) for c in doc.consultations], ensure_ascii=False),
        "sections": json.dumps([asdict(s) for s in doc.sections], ensure_ascii=False),
        "source": doc.source,
        "content_hash": doc.content_hash,
        "ingested_at": doc.ingested_at or _now(),
        "text": doc.text,
        "web": doc.web,
    }


def _document_from_row(row: sqlite3.Row) -> Document:
    return Document(
        doc_id=row["doc_id"],
        text=row["text"],
        **{name: row[name] or "" for name in EDITABLE_FIELDS},
        consultations=[Consultation(**c) for c in json.loads(row["consultations"] or "[]")],
        sections=[Section(**s) for s in json.loads(row["sections"] or "[]")],
        source=row["source"] or "",
        content_hash=row["content_hash"] or "",
        ingested_at=row["ingested_at"] or "",
        web=row["web"] or "",
    )


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def vector_hash(vector: np.ndarray) -> str:
    """The content address of a vector: equal bytes, equal hash (a cached vector is bit-identical)."""
    return hashlib.sha256(np.ascontiguousarray(vector, dtype=np.float32).tobytes()).hexdigest()[:32]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _no_answer() -> tuple[type[BaseException], ...]:
    """What a Chroma server that stopped answering raises (httpx comes with Chroma: imported with it)."""
    import httpx

    return (httpx.HTTPError, ConnectionError)


def _chroma_client(path: Path, chroma_url: str) -> Any:
    import chromadb
    import httpx
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url)
        try:
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=settings,
            )
        except (ValueError, httpx.HTTPError) as error:  # chromadb reports "could not connect" as ValueError
            raise ChromaUnavailable(
                f"Chroma-Server unter {chroma_url} ist nicht erreichbar ({error}). Läuft `chroma run`?"
            ) from error
    return chromadb.PersistentClient(path=str(path / "chroma"), settings=settings)


def _private_store(folder: Path) -> Path:
    """Make the store folder owner-only (0700) and the registry, which holds every document's text,
    0600 (SQLite gives its -wal and -shm files the registry's mode); returns the registry's path."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    registry = folder / "registry.sqlite3"
    registry.touch(mode=0o600, exist_ok=True)
    registry.chmod(0o600)
    return registry


_P = ParamSpec("_P")
_R = TypeVar("_R")


class StoreWriteFailed(IngestError):
    """The disk refused a write (full, I/O error); the generation scheme kept the previous version."""


def _writes(method: Callable[Concatenate[Store, _P], _R]) -> Callable[Concatenate[Store, _P], _R]:
    """Run a Store method that changes the store while holding the store's write lock; a write the
    disk refuses (ENOSPC, "database or disk is full") becomes a StoreWriteFailed in German."""

    def locked(self: Store, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        from chromadb.errors import InternalError

        with self.write_lock.held():
            try:
                return method(self, *args, **kwargs)
            except (OSError, sqlite3.OperationalError, InternalError) as error:
                raise StoreWriteFailed(
                    f"Der Index konnte nicht geschrieben werden ({error}) – ist der Speicherplatz voll? "
                    "Die bisherige Fassung jedes Dokuments bleibt gültig; nach dem Freigeben von "
                    "Speicherplatz bitte erneut indexieren."
                ) from error

    locked.__doc__ = method.__doc__
    return locked


class Store:
    """Registry (SQLite) plus vectors (Chroma) of one index, kept consistent with each other."""

    def __init__(
        self,
        path: Path,
        model_id: str,
        chroma_url: str = "",
        write_wait_s: float = DEFAULT_WAIT_S,
        snapshot_reads: bool = False,
    ) -> None:
        """`snapshot_reads`: unfiltered dense queries search the current vectors kept in `cache/`
        (made from Chroma once per registry version) instead of Chroma, for short-lived readers."""
        self.path = Path(path)
        registry = _private_store(self.path)
        self.model_id = model_id
        self.write_lock = WriteLock(self.path, write_wait_s)
        self.snapshot_reads = snapshot_reads
        self._db = sqlite3.connect(registry, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        migrate(self._db)
        self.store_id = self._store_id()
        self.chroma_url = chroma_url
        self.collection_name = f"{COLLECTION}-{self.store_id}" if chroma_url else COLLECTION
        self._current: _CurrentVectors = _CurrentVectors(-1, {}, {})
        self._snapshot: VectorSnapshot | None = None
        self._chroma_lock = threading.Lock()
        self._chroma: tuple[Any, Any] | None = None  # client and collection, opened on first use
        if chroma_url:  # a server that does not answer stops every command at its start
            self._open_chroma()

    # --- collection and model ---------------------------------------------------------------

    @property
    def _collection(self) -> Any:
        return self._open_chroma()[1]

    @property
    def _client(self) -> Any:
        return self._open_chroma()[0]

    def _open_chroma(self) -> tuple[Any, Any]:
        """Chroma's client and the collection, opened when first needed: a reader that finds what
        it needs elsewhere (the keyword side, a vector snapshot) never imports Chroma."""
        with self._chroma_lock:
            if self._chroma is None:
                client = _chroma_client(self.path, self.chroma_url)
                self._chroma = (client, self._open_collection(client))
            return self._chroma

    def _store_id(self) -> str:
        """A random id of this registry, made once: it names the collection on a Chroma server."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        if row is None:
            with self._transaction() as db:
                db.execute("INSERT OR IGNORE INTO meta VALUES ('store_id', ?)", (uuid.uuid4().hex[:12],))
            row = self._db.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        return str(row[0])

    def _open_collection(self, client: Any) -> Any:
        collection = client.get_or_create_collection(
            self.collection_name,
            metadata={"hnsw:space": "cosine", "embedding_model": self.model_id},
            embedding_function=None,
        )
        stored_model = (collection.metadata or {}).get("embedding_model")
        if stored_model != self.model_id:
            log.warning(
                "embedding model changed (%s -> %s): vectors are rebuilt", stored_model, self.model_id
            )
            client.delete_collection(self.collection_name)
            collection = client.create_collection(
                self.collection_name,
                metadata={"hnsw:space": "cosine", "embedding_model": self.model_id},
                embedding_function=None,
            )
        return collection

    # --- writing ------------------------------------------------------------------------------

    def write_document(
        self,
        doc: Document,
        chunks: list[Chunk],
        vectors: np.ndarray,
        facts: list[Fact],
        user: str = "system",
    ) -> None:
        """Make `doc` (with its chunks, vectors and facts) the current version, atomically."""
        self.write_documents([DocumentWrite(doc, chunks, vectors, facts)], user=user)

    @_writes
    def write_documents(self, writes: list[DocumentWrite], user: str = "system") -> None:
        """Make each document the current version, each one atomically on its own.

        The new vectors of all of them go to Chroma in few large calls (per-call overhead dominates
        when documents are small); a chunk whose vector the document's current version already has
        keeps it instead. Then one registry transaction per document makes its new generation
        current, then the vectors the new version no longer uses are deleted.
        """
        for write in writes:
            if len(write.chunks) != len(write.vectors):
                raise ValueError("one vector per chunk")
        generations = [uuid.uuid4().hex[:12] for _ in writes]
        existed = [self.document_hash(w.doc.doc_id) is not None for w in writes]
        plans = self._vector_plans(writes, generations)
        ids: list[str] = []
        rows: list[np.ndarray] = []
        metadatas: list[dict[str, Any]] = []
        for write, generation, plan in zip(writes, generations, plans, strict=True):
            metadata = vector_metadata(write.doc)
            for position in plan.added:
                ids.append(plan.vector_ids[position])
                rows.append(write.vectors[position])
                metadatas.append(
                    {**metadata, "generation": generation, "index": write.chunks[position].index}
                )
        self._add_rows(ids, np.vstack(rows) if rows else np.zeros((0, 1)), metadatas)
        for write, generation, plan, replaced in zip(writes, generations, plans, existed, strict=True):
            with self._transaction() as db:
                self._register(db, write, generation, plan, replaced, user)
        for write, plan, replaced in zip(writes, plans, existed, strict=True):
            if replaced:
                self._delete_vectors(write.doc.doc_id, keep=set(plan.vector_ids))

    def _vector_plans(self, writes: list[DocumentWrite], generations: list[str]) -> list[_VectorPlan]:
        """For each write, which vector each chunk gets: a kept one or a new one under `generation`.

        A vector is kept when the current version of the same document has one with the same
        bytes that Chroma still holds with the filter metadata of the new version (a changed
        status or body must reach every vector, so it rewrites them all).
        """
        hashes = [[vector_hash(vector) for vector in write.vectors] for write in writes]
        stored = [self._current_vectors_by_hash(write.doc.doc_id) for write in writes]
        candidates = [vector_id for by_hash in stored for ids in by_hash.values() for vector_id in ids]
        reusable = self._vectors_with_metadata(candidates)
        plans = []
        for write, generation, doc_hashes, by_hash in zip(writes, generations, hashes, stored, strict=True):
            wanted = vector_metadata(write.doc)
            usable = {key: [i for i in ids if reusable.get(i) == wanted] for key, ids in by_hash.items()}
            vector_ids: list[str] = []
            added: list[int] = []
            for position, (chunk, key) in enumerate(zip(write.chunks, doc_hashes, strict=True)):
                if usable.get(key):
                    vector_ids.append(usable[key].pop(0))
                else:
                    vector_ids.append(f"{chunk.chunk_id}@{generation}")
                    added.append(position)
            plans.append(_VectorPlan(vector_ids, doc_hashes, added))
        return plans

    def _current_vectors_by_hash(self, doc_id: str) -> dict[str, list[str]]:
        """The vector ids of the document's current chunks, by the hash of their bytes."""
        by_hash: dict[str, list[str]] = {}
        rows = self._db.execute(
            "SELECT vector_hash, vector_id FROM chunks WHERE doc_id = ? AND vector_hash IS NOT NULL "
            "ORDER BY idx",
            (doc_id,),
        )
        for key, vector_id in rows:
            by_hash.setdefault(key, []).append(vector_id)
        return by_hash

    def _vectors_with_metadata(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The filter metadata (without generation and index) of those of `ids` Chroma holds."""
        found: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), PAGE_SIZE):
            page = self._collection.get(ids=ids[i : i + PAGE_SIZE], include=["metadatas"])
            for vector_id, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
                found[vector_id] = {k: v for k, v in meta.items() if k not in ("generation", "index")}
        return found

    def _register(
        self,
        db: sqlite3.Connection,
        write: DocumentWrite,
        generation: str,
        plan: _VectorPlan,
        replaced: bool,
        user: str,
    ) -> None:
        doc = write.doc
        db.execute("DELETE FROM documents WHERE doc_id = ?", (doc.doc_id,))
        row = _document_row(doc, generation)
        db.execute(
            f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join(':' + name for name in row)})", row
        )
        db.executemany(
            "INSERT INTO chunks (doc_id, idx, section, start, end, text, vector_id, vector_hash)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [
                (c.doc_id, c.index, c.section, c.start, c.end, c.text, vector_id, key)
                for c, vector_id, key in zip(write.chunks, plan.vector_ids, plan.vector_hashes, strict=True)
            ],
        )
        db.executemany(
            "INSERT INTO facts VALUES (?,?)",
            [(f.doc_id, json.dumps(asdict(f), ensure_ascii=False)) for f in write.facts],
        )
        self._audit(db, user, "update" if replaced else "add", doc.doc_id, doc.content_hash)
        self._bump_version(db)

    def _add_vectors(self, doc: Document, chunks: list[Chunk], vectors: np.ndarray, generation: str) -> None:
        """Add vectors under `generation` without registering them (what a crash before the
        registry transaction leaves behind)."""
        metadata = vector_metadata(doc)
        ids = [f"{c.chunk_id}@{generation}" for c in chunks]
        self._add_rows(
            ids, vectors, [{**metadata, "generation": generation, "index": c.index} for c in chunks]
        )

    def _add_rows(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        batch = 2000
        for i in range(0, len(ids), batch):
            self._collection.add(
                ids=ids[i : i + batch], embeddings=vectors[i : i + batch], metadatas=metadatas[i : i + batch]
            )

    def _delete_vectors(self, doc_id: str, keep: set[str] | None = None) -> None:
        """Delete the document's vectors, except those in `keep` (the ones its current version uses)."""
        keep = keep or set()
        self._delete_ids(
            [vector_id for vector_id, _ in self._vector_pages({"doc_id": doc_id}) if vector_id not in keep]
        )

    def _delete_ids(self, ids: list[str]) -> None:
        for i in range(0, len(ids), PAGE_SIZE):
            self._collection.delete(ids=ids[i : i + PAGE_SIZE])

    @_writes
    def remove_document(self, doc_id: str, user: str = "system") -> bool:
        with self._transaction() as db:
            removed = db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount > 0
            if removed:
                self._audit(db, user, "remove", doc_id, "")
                self._bump_version(db)
        if removed:
            self._delete_vectors(doc_id)
        return removed

    @_writes
    def update_metadata(self, doc_id: str, fields: dict[str, str], user: str = "system") -> None:
        """A clerk's correction of editable fields (`EDITABLE_FIELDS`) without re-embedding.

        The registry row changes in one transaction; then every vector of the document gets the
        metadata derived from the corrected row (keeping its own generation and index).
        """
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise IngestError(f"Unbekannte Felder: {', '.join(sorted(unknown))}")
        doc = self.get_document(doc_id)
        if doc is None:
            raise IngestError(f"Dokument {doc_id} ist nicht im Index.")
        with self._transaction() as db:
            for name, value in fields.items():
                db.execute(f"UPDATE documents SET {name} = ? WHERE doc_id = ?", (value, doc_id))
            self._audit(db, user, "correct", doc_id, json.dumps(fields, ensure_ascii=False))
            self._bump_version(db)
        updated = self.get_document(doc_id)
        assert updated is not None
        metadata = vector_metadata(updated)
        vectors = list(self._vector_pages({"doc_id": doc_id}))
        for i in range(0, len(vectors), PAGE_SIZE):
            part = vectors[i : i + PAGE_SIZE]
            self._collection.update(
                ids=[vector_id for vector_id, _ in part],
                metadatas=[
                    {**metadata, "generation": old["generation"], "index": old["index"]} for _, old in part
                ],
            )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._db:
            yield self._db

    @staticmethod
    def _audit(db: sqlite3.Connection, user: str, action: str, doc_id: str, detail: str) -> None:
        db.execute("INSERT INTO audit VALUES (?,?,?,?,?)", (_now(), user, action, doc_id, detail))

    @staticmethod
    def _bump_version(db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT INTO meta VALUES ('version', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    # --- consistency -----------------------------------------------------------------------

    @_writes
    def reconcile(self) -> ReconcileReport:
        """Delete vectors no current document owns; name documents whose vectors are incomplete.

        Incomplete documents (after an embedding-model switch, or a store tampered with) still have
        their text in the registry; the ingest pipeline re-embeds them from there.
        """
        documents = [row[0] for row in self._db.execute("SELECT doc_id FROM documents")]
        chunk_of = self._current_vectors().chunk_of
        expected = Counter(doc_id for doc_id, _ in chunk_of.values())
        orphans: list[str] = []
        found: Counter[str] = Counter()
        for vector_id, _ in self._vector_pages():
            if vector_id in chunk_of:
                found[chunk_of[vector_id][0]] += 1
            else:
                orphans.append(vector_id)
        self._delete_ids(orphans)
        incomplete = [d for d in documents if found[d] != expected[d]]
        return ReconcileReport(len(orphans), incomplete)

    def _vector_pages(self, where: dict[str, Any] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """The id and metadata of every vector (matching `where`), read page by page.

        One `get` of the whole collection binds one SQL variable per vector inside Chroma and fails
        with "too many SQL variables" past a few ten thousand vectors; pages keep every read small.
        Nothing may be deleted while paging (offsets would shift), so callers collect first.
        """
        offset = 0
        while True:
            page = self._collection.get(where=where, include=["metadatas"], limit=PAGE_SIZE, offset=offset)
            ids = page["ids"]
            yield from zip(ids, page["metadatas"] or [], strict=True)
            if len(ids) < PAGE_SIZE:
                return
            offset += len(ids)

    # --- reading -------------------------------------------------------------------------------

    def version(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return int(row[0]) if row else 0

    def document_hash(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT content_hash FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def get_document(self, doc_id: str) -> Document | None:
        rows = list(self._select_documents("WHERE doc_id = ?", (doc_id,)))
        return rows[0] if rows else None

    def documents(self) -> list[Document]:
        return list(self._select_documents("ORDER BY doc_id", ()))

    def find_by_reference(self, reference: str) -> list[Document]:
        """Documents numbered `reference` in any writing ("vo 2019/397-1" for VO/2019/397-01)."""
        numbered = self._select_documents("WHERE reference != ''", ())
        return select_by_reference([reference], numbered, lambda d: d.reference)

    def _select_documents(self, clause: str, params: tuple[Any, ...]) -> Iterator[Document]:
        cursor = self._db.cursor()
        cursor.row_factory = sqlite3.Row
        yield from map(_document_from_row, cursor.execute(f"SELECT * FROM documents {clause}", params))

    def chunks(self) -> list[StoredChunk]:
        """All chunks of all current documents, in a stable order (for the keyword index)."""
        rows = self._db.execute(
            "SELECT c.doc_id, c.idx, c.section, c.start, c.end, c.text, d.status"
            " FROM chunks c JOIN documents d USING (doc_id) ORDER BY c.doc_id, c.idx"
        )
        return [StoredChunk(r[0], r[1], r[2] or "", r[3], r[4], r[5], r[6] == "öffentlich") for r in rows]

    def facts(self, doc_ids: Iterable[str] | None = None) -> list[Fact]:
        if doc_ids is None:
            return [Fact(**json.loads(r[0])) for r in self._db.execute("SELECT row FROM facts")]
        ids = list(doc_ids)
        facts: list[Fact] = []
        for i in range(0, len(ids), 500):  # SQLite limits the number of bound parameters
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(f"SELECT row FROM facts WHERE doc_id IN ({marks})", part)
            facts.extend(Fact(**json.loads(r[0])) for r in rows)
        return facts

    def status_counts(self, doc_ids: Iterable[str] | None = None) -> dict[str, int]:
        """How many documents (all, or of `doc_ids`) carry each status; "" for none."""
        if doc_ids is None:
            rows = self._db.execute("SELECT coalesce(status, ''), count(*) FROM documents GROUP BY 1")
            return {str(r[0]): int(r[1]) for r in rows}
        counts: dict[str, int] = {}
        ids = list(doc_ids)
        for i in range(0, len(ids), 500):  # SQLite limits the number of bound parameters
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            query = (
                f"SELECT coalesce(status, ''), count(*) FROM documents WHERE doc_id IN ({marks}) GROUP BY 1"
            )
            for status, count in self._db.execute(query, part):
                counts[str(status)] = counts.get(str(status), 0) + int(count)
        return counts

    def record_read(self, user: str, action: str, detail: str) -> None:
        """Audit a read (e.g. an MCP tool call): who asked for what. Not a change: no new version."""
        with self._transaction() as db:
            self._audit(db, user, action, "", detail)

    def audit_log(self) -> list[AuditEntry]:
        rows = self._db.execute("SELECT at, user, action, doc_id, detail FROM audit ORDER BY rowid")
        return [
            AuditEntry(at=at, user=user, action=action, doc_id=doc_id, detail=detail or "")
            for at, user, action, doc_id, detail in rows
        ]

    def dense_query(self, vector: list[float], k: int, where: dict[str, Any] | None) -> list[DenseMatch]:
        """Nearest chunks of current documents; `where` is applied inside Chroma's query.

        With `snapshot_reads`, an unfiltered query searches the vector snapshot of the current
        version exactly (Chroma's index is approximate; the nearest chunks agree all but always).
        Raises ChromaUnavailable when a Chroma server stopped answering, so callers can degrade.
        """
        snapshot = self._current_snapshot() if where is None else None
        if snapshot is not None:
            return snapshot.nearest(vector, k)
        try:  # more results than vectors, or none at all, is not an error (Chroma ≥ 1.0)
            result = self._collection.query(
                query_embeddings=[vector],
                n_results=k,
                where=where or None,
                include=["distances"],
            )
        except _no_answer() as error:
            raise ChromaUnavailable(f"Chroma-Server antwortet nicht ({error}).") from error
        chunk_of = self._current_vectors().chunk_of
        matches = []
        for vector_id, distance in zip(result["ids"][0], result["distances"][0], strict=True):
            if vector_id in chunk_of:
                doc_id, index = chunk_of[vector_id]
                matches.append(DenseMatch(doc_id, index, 1.0 - float(distance)))
        return matches

    def chunk_vectors(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], np.ndarray]:
        """The current vectors of the given chunks (doc_id, index), for scoring candidates found otherwise.

        Raises ChromaUnavailable like `dense_query`.
        """
        snapshot = self._current_snapshot()
        if snapshot is not None:
            return snapshot.vectors(keys)
        current = self._current_vectors()
        ids = [current.vector_of[key] for key in keys if key in current.vector_of]
        if not ids:
            return {}
        try:
            found = self._collection.get(ids=ids, include=["embeddings"])
        except _no_answer() as error:
            raise ChromaUnavailable(f"Chroma-Server antwortet nicht ({error}).") from error
        return {
            current.chunk_of[vector_id]: np.asarray(vector, dtype=np.float32)
            for vector_id, vector in zip(found["ids"], found["embeddings"], strict=True)
        }

    def _current_vectors(self) -> _CurrentVectors:
        """Which chunk each current vector embeds, read anew only when the registry's version moved.

        Every write bumps the version (in any process), so the cached maps are never stale;
        reading the registry for every dense query cost ~25 ms at 10 000 documents.
        """
        version = self.version()
        if self._current.version != version:
            chunk_of = {
                str(vector_id): (str(doc_id), int(index))
                for vector_id, doc_id, index in self._db.execute("SELECT vector_id, doc_id, idx FROM chunks")
            }
            self._current = _CurrentVectors(version, chunk_of, {chunk: v for v, chunk in chunk_of.items()})
        return self._current

    # --- read caches ---------------------------------------------------------------------------

    def read_cache(self, name: str, version: int) -> bytes | None:
        """What `write_cache` kept under `name` for registry version `version`, if anything."""
        try:
            return self._cache_file(name, version).read_bytes()
        except FileNotFoundError:
            return None

    def write_cache(self, name: str, version: int, data: bytes) -> None:
        """Keep `data`, derived from registry version `version`, for later readers; not when the
        registry has moved on meanwhile (the data might mix versions). Replaces other versions."""
        if self.version() != version:
            return
        folder = self.path / CACHE_FOLDER
        folder.mkdir(mode=0o700, exist_ok=True)
        target = self._cache_file(name, version)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}-", delete=False) as part:
            part.write(data)  # NamedTemporaryFile is created 0600
        os.replace(part.name, target)
        for old in folder.glob(f"{name}-v*"):
            if old != target:
                old.unlink(missing_ok=True)

    def _cache_file(self, name: str, version: int) -> Path:
        return self.path / CACHE_FOLDER / f"{name}-v{version}"

    def _current_snapshot(self) -> VectorSnapshot | None:
        """The vector snapshot of the current version (with `snapshot_reads`): from memory, from
        `cache/`, or made from Chroma and kept there for the next reader."""
        if not self.snapshot_reads:
            return None
        version = self.version()
        if self._snapshot is not None and self._snapshot.version == version:
            return self._snapshot
        name = f"vectors-{text_hash(self.model_id)[:12]}"
        data = self.read_cache(name, version)
        if data is not None:
            self._snapshot = VectorSnapshot.from_bytes(version, data)
            return self._snapshot
        chunk_of = self._current_vectors().chunk_of
        keys: list[tuple[str, int]] = []
        vectors: list[Any] = []
        offset = 0
        while True:
            page = self._collection.get(include=["embeddings"], limit=PAGE_SIZE, offset=offset)
            embeddings = page["embeddings"] if page["embeddings"] is not None else []
            for vector_id, vector in zip(page["ids"], embeddings, strict=True):
                if vector_id in chunk_of:
                    keys.append(chunk_of[vector_id])
                    vectors.append(vector)
            if len(page["ids"]) < PAGE_SIZE:
                break
            offset += PAGE_SIZE
        registered = int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
        if self.version() != version or len(keys) != registered:
            # Written meanwhile, or vectors missing (a repair pending; orphans deleted while this
            # paged): Chroma answers, and a later reader makes the snapshot.
            return None
        self._snapshot = VectorSnapshot(
            version, keys, np.asarray(vectors, dtype=np.float32).reshape(len(keys), -1)
        )
        self.write_cache(name, version, self._snapshot.to_bytes())
        return self._snapshot

    # --- vector cache --------------------------------------------------------------------------

    def cached_vectors(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), 500):
            part = hashes[i : i + 500]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT text_hash, vector FROM vector_cache WHERE model_id = ? AND text_hash IN ({marks})",
                [self.model_id, *part],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    @_writes
    def cache_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO vector_cache VALUES (?,?,?)",
                [(self.model_id, key, vec.astype(np.float32).tobytes()) for key, vec in vectors.items()],
            )

    def close(self) -> None:
        self._db.close()
