"""The one module that talks to Chroma and to the registry database.

Layout of a store directory:
- `registry.sqlite3`: documents (with text and metadata), chunks, facts, a vector cache and an
  audit log. The registry is the source of truth for what is indexed.
- `chroma/`: the persistent Chroma collection with one vector per chunk (or a Chroma server when
  `chroma_url` is set). On a server, the collection is named after the registry's `store_id`, so
  several registries can share one server without seeing, or deleting, each other's vectors.

Consistency without distributed transactions: every write of a document gets a fresh
`generation`. Vectors are written to Chroma first, tagged with it; then one SQLite transaction
makes the generation current; then the previous generation's vectors are deleted. A crash at any
point leaves either the old or the new version current, never a mix: readers ignore vectors whose
generation is not the registry's current one, and `reconcile()` deletes such orphans.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import numpy as np

from ingest.types import Chunk, Consultation, Document, Fact, IngestError, Section

log = logging.getLogger(__name__)

COLLECTION = "ratsauskunft-chunks"
PAGE_SIZE = 5000  # vectors per Chroma read or delete: far below SQLite's variable limit
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    generation TEXT NOT NULL,
    reference TEXT, title TEXT, doc_type TEXT, status TEXT, body TEXT, date TEXT,
    consultations TEXT, sections TEXT,
    source TEXT, content_hash TEXT, ingested_at TEXT,
    text TEXT NOT NULL,
    web TEXT
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
class DenseMatch:
    doc_id: str
    index: int
    similarity: float


@dataclass(frozen=True)
class ReconcileReport:
    orphan_vectors_removed: int
    incomplete_documents: list[str]


class ChromaUnavailable(IngestError):
    """The Chroma server named by `chroma_url` does not answer."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _chroma_client(path: Path, chroma_url: str) -> Any:
    import chromadb
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


class Store:
    """Registry (SQLite) plus vectors (Chroma) of one index, kept consistent with each other."""

    def __init__(self, path: Path, model_id: str, chroma_url: str = "") -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.model_id = model_id
        self._db = sqlite3.connect(self.path / "registry.sqlite3", timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(SCHEMA)
        self._add_missing_columns()
        self.store_id = self._store_id()
        self.collection_name = f"{COLLECTION}-{self.store_id}" if chroma_url else COLLECTION
        self._client = _chroma_client(self.path, chroma_url)
        self._collection = self._open_collection()

    # --- collection and model ---------------------------------------------------------------

    def _add_missing_columns(self) -> None:
        """Columns added after a registry was created: `web` (the document's page in the council's system)."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(documents)")}
        if "web" not in columns:
            with self._transaction() as db:
                db.execute("ALTER TABLE documents ADD COLUMN web TEXT")

    def _store_id(self) -> str:
        """A random id of this registry, made once: it names the collection on a Chroma server."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        if row is None:
            with self._transaction() as db:
                db.execute("INSERT OR IGNORE INTO meta VALUES ('store_id', ?)", (uuid.uuid4().hex[:12],))
            row = self._db.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        return str(row[0])

    def _open_collection(self) -> Any:
        collection = self._client.get_or_create_collection(
            self.collection_name,
            metadata={"hnsw:space": "cosine", "embedding_model": self.model_id},
            embedding_function=None,
        )
        stored_model = (collection.metadata or {}).get("embedding_model")
        if stored_model != self.model_id:
            log.warning(
                "embedding model changed (%s -> %s): vectors are rebuilt", stored_model, self.model_id
            )
            self._client.delete_collection(self.collection_name)
            collection = self._client.create_collection(
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

    def write_documents(self, writes: list[DocumentWrite], user: str = "system") -> None:
        """Make each document the current version, each one atomically on its own.

        The vectors of all of them go to Chroma in few large calls (per-call overhead dominates
        when documents are small); then one registry transaction per document makes its new
        generation current, then the replaced generations' vectors are deleted.
        """
        for write in writes:
            if len(write.chunks) != len(write.vectors):
                raise ValueError("one vector per chunk")
        generations = [uuid.uuid4().hex[:12] for _ in writes]
        existed = [self.document_hash(w.doc.doc_id) is not None for w in writes]
        ids: list[str] = []
        metadatas: list[dict[str, Any]] = []
        for write, generation in zip(writes, generations, strict=True):
            rows = self._vector_rows(write.doc, write.chunks, generation)
            ids.extend(rows[0])
            metadatas.extend(rows[1])
        vectors = np.vstack([w.vectors for w in writes if len(w.vectors)]) if ids else np.zeros((0, 1))
        self._add_rows(ids, vectors, metadatas)
        for write, generation, replaced in zip(writes, generations, existed, strict=True):
            with self._transaction() as db:
                self._register(db, write, generation, replaced, user)
        for write, generation, replaced in zip(writes, generations, existed, strict=True):
            if replaced:
                self._delete_vectors(write.doc.doc_id, keep_generation=generation)

    def _register(
        self, db: sqlite3.Connection, write: DocumentWrite, generation: str, replaced: bool, user: str
    ) -> None:
        doc = write.doc
        db.execute("DELETE FROM documents WHERE doc_id = ?", (doc.doc_id,))
        db.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.doc_id,
                generation,
                doc.reference,
                doc.title,
                doc.doc_type,
                doc.status,
                doc.body,
                doc.date,
                json.dumps([asdict(c) for c in doc.consultations], ensure_ascii=False),
                json.dumps([asdict(s) for s in doc.sections], ensure_ascii=False),
                doc.source,
                doc.content_hash,
                doc.ingested_at or _now(),
                doc.text,
                doc.web,
            ),
        )
        db.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?,?)",
            [(c.doc_id, c.index, c.section, c.start, c.end, c.text) for c in write.chunks],
        )
        db.executemany(
            "INSERT INTO facts VALUES (?,?)",
            [(f.doc_id, json.dumps(asdict(f), ensure_ascii=False)) for f in write.facts],
        )
        self._audit(db, user, "update" if replaced else "add", doc.doc_id, doc.content_hash)
        self._bump_version(db)

    def _add_vectors(self, doc: Document, chunks: list[Chunk], vectors: np.ndarray, generation: str) -> None:
        ids, metadatas = self._vector_rows(doc, chunks, generation)
        self._add_rows(ids, vectors, metadatas)

    @staticmethod
    def _vector_rows(
        doc: Document, chunks: list[Chunk], generation: str
    ) -> tuple[list[str], list[dict[str, Any]]]:
        metadata: dict[str, Any] = {
            "doc_id": doc.doc_id,
            "generation": generation,
            "is_public": doc.is_public,
            "body": doc.body,
            "doc_type": doc.doc_type,
            "year": doc.year or 0,
        }
        if doc.committees:
            metadata["committees"] = doc.committees
        ids = [f"{c.chunk_id}@{generation}" for c in chunks]
        return ids, [{**metadata, "index": c.index} for c in chunks]

    def _add_rows(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        batch = 2000
        for i in range(0, len(ids), batch):
            self._collection.add(
                ids=ids[i : i + batch], embeddings=vectors[i : i + batch], metadatas=metadatas[i : i + batch]
            )

    def _delete_vectors(self, doc_id: str, keep_generation: str | None = None) -> None:
        where: dict[str, Any] = {"doc_id": doc_id}
        if keep_generation is not None:
            where = {"$and": [{"doc_id": doc_id}, {"generation": {"$ne": keep_generation}}]}
        self._delete_ids([vector_id for vector_id, _ in self._vector_pages(where)])

    def _delete_ids(self, ids: list[str]) -> None:
        for i in range(0, len(ids), PAGE_SIZE):
            self._collection.delete(ids=ids[i : i + PAGE_SIZE])

    def remove_document(self, doc_id: str, user: str = "system") -> bool:
        with self._transaction() as db:
            removed = db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount > 0
            if removed:
                self._audit(db, user, "remove", doc_id, "")
                self._bump_version(db)
        if removed:
            self._delete_vectors(doc_id)
        return removed

    def update_metadata(self, doc_id: str, fields: dict[str, str], user: str = "system") -> None:
        """A clerk's correction of reference/title/status/body without re-embedding."""
        allowed = {"reference", "title", "doc_type", "status", "body", "date"}
        unknown = set(fields) - allowed
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
        ids = [vector_id for vector_id, _ in self._vector_pages({"doc_id": doc_id})]
        changed = {"is_public": updated.is_public, "body": updated.body, "doc_type": updated.doc_type}
        for i in range(0, len(ids), PAGE_SIZE):
            part = ids[i : i + PAGE_SIZE]
            self._collection.update(ids=part, metadatas=[changed for _ in part])

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

    def reconcile(self) -> ReconcileReport:
        """Delete vectors no current document owns; name documents whose vectors are incomplete.

        Incomplete documents (after an embedding-model switch, or a store tampered with) still have
        their text in the registry; the ingest pipeline re-embeds them from there.
        """
        current = dict(self._db.execute("SELECT doc_id, generation FROM documents"))
        expected = dict(self._db.execute("SELECT doc_id, COUNT(*) FROM chunks GROUP BY doc_id"))
        orphans: list[str] = []
        found: dict[str, int] = {}
        for vector_id, meta in self._vector_pages():
            doc_id = str(meta.get("doc_id"))
            if current.get(doc_id) != meta.get("generation"):
                orphans.append(vector_id)
            else:
                found[doc_id] = found.get(doc_id, 0) + 1
        self._delete_ids(orphans)
        incomplete = [d for d in current if found.get(d, 0) != expected.get(d, 0)]
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
        return list(self._select_documents("WHERE lower(reference) = lower(?)", (reference,)))

    def _select_documents(self, clause: str, params: tuple[Any, ...]) -> Iterator[Document]:
        query = (
            "SELECT doc_id, reference, title, doc_type, status, body, date, consultations, sections,"
            f" source, content_hash, ingested_at, text, web FROM documents {clause}"
        )
        for row in self._db.execute(query, params):
            yield Document(
                doc_id=row[0],
                reference=row[1] or "",
                title=row[2] or "",
                doc_type=row[3] or "",
                status=row[4] or "",
                body=row[5] or "",
                date=row[6] or "",
                consultations=[Consultation(**c) for c in json.loads(row[7] or "[]")],
                sections=[Section(**s) for s in json.loads(row[8] or "[]")],
                source=row[9] or "",
                content_hash=row[10] or "",
                ingested_at=row[11] or "",
                text=row[12],
                web=row[13] or "",
            )

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

    def audit_log(self) -> list[dict[str, str]]:
        rows = self._db.execute("SELECT at, user, action, doc_id, detail FROM audit ORDER BY rowid")
        return [dict(zip(("at", "user", "action", "doc_id", "detail"), r, strict=True)) for r in rows]

    def dense_query(self, vector: list[float], k: int, where: dict[str, Any] | None) -> list[DenseMatch]:
        """Nearest chunks of current documents; `where` is applied inside Chroma's query.

        Raises ChromaUnavailable when a Chroma server stopped answering, so callers can degrade.
        """
        try:
            count = self._collection.count()
            if count == 0:
                return []
            result = self._collection.query(
                query_embeddings=[vector],
                n_results=min(k, count),
                where=where or None,
                include=["metadatas", "distances"],
            )
        except (httpx.HTTPError, ConnectionError) as error:
            raise ChromaUnavailable(f"Chroma-Server antwortet nicht ({error}).") from error
        current = self._current_generations()
        matches = []
        for meta, distance in zip(result["metadatas"][0], result["distances"][0], strict=True):
            if current.get(str(meta["doc_id"])) == meta["generation"]:
                matches.append(DenseMatch(str(meta["doc_id"]), int(meta["index"]), 1.0 - float(distance)))
        return matches

    def _current_generations(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT doc_id, generation FROM documents"))

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

    def cache_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO vector_cache VALUES (?,?,?)",
                [(self.model_id, key, vec.astype(np.float32).tobytes()) for key, vec in vectors.items()],
            )

    def close(self) -> None:
        self._db.close()
