"""Files in, consistent index out: parse → chunk → facts → embed (with cache) → atomic write."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest.chunking import chunk_document
from ingest.embedding import Embedder
from ingest.facts import extract_facts
from ingest.parsing import SUPPORTED_SUFFIXES, is_sidecar, parse
from ingest.store import DocumentWrite, Store, text_hash
from ingest.types import Chunk, Document, Fact, IngestError

log = logging.getLogger(__name__)

ADDED, UPDATED, SKIPPED, FAILED = "added", "updated", "skipped", "failed"


@dataclass(frozen=True)
class FileResult:
    path: str
    outcome: str  # added / updated / skipped / failed
    doc_id: str = ""
    message: str = ""  # the reason, in German, for skipped and failed files


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.outcome == FAILED]

    def summary(self) -> str:
        return (
            f"{self.count(ADDED)} hinzugefügt, {self.count(UPDATED)} aktualisiert, "
            f"{self.count(SKIPPED)} unverändert, {self.count(FAILED)} fehlgeschlagen"
        )


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every supported document below a named folder (sidecars excluded)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not is_sidecar(p)
            )
        else:
            files.append(path)
    return files


def embedding_text(doc: Document, chunk: Chunk) -> str:
    """What the encoder sees: the passage with the document's subject as context."""
    heading = " – ".join(part for part in (doc.title, chunk.section) if part)
    return f"{heading}\n{chunk.text}" if heading else chunk.text


def embed_chunks(store: Store, embedder: Embedder, doc: Document, chunks: list[Chunk]) -> np.ndarray:
    """Vectors for the chunks; a passage embedded before (same text, same model) is never encoded again."""
    return embed_documents(store, embedder, [(doc, chunks)])[0]


def embed_documents(
    store: Store, embedder: Embedder, items: list[tuple[Document, list[Chunk]]]
) -> list[np.ndarray]:
    """Vectors for the chunks of several documents, with one encoder call for all passages not cached."""
    texts = [[embedding_text(doc, c) for c in chunks] for doc, chunks in items]
    keys = [[text_hash(t) for t in doc_texts] for doc_texts in texts]
    flat_keys = [k for doc_keys in keys for k in doc_keys]
    flat_texts = [t for doc_texts in texts for t in doc_texts]
    cached = store.cached_vectors(flat_keys)
    missing = {k: t for k, t in zip(flat_keys, flat_texts, strict=True) if k not in cached}
    if missing:
        fresh = embedder.embed(list(missing.values()))
        new = {key: fresh[i] for i, key in enumerate(missing)}
        store.cache_vectors(new)
        cached.update(new)
    return [
        np.vstack([cached[k] for k in doc_keys]) if doc_keys else np.zeros((0, 1), dtype=np.float32)
        for doc_keys in keys
    ]


def index_document(store: Store, embedder: Embedder, doc: Document, user: str = "system") -> None:
    chunks = chunk_document(doc)
    if not chunks:
        raise IngestError(f"{Path(doc.source).name}: kein Text zum Indexieren gefunden.")
    vectors = embed_chunks(store, embedder, doc, chunks)
    store.write_document(doc, chunks, vectors, extract_facts(doc), user=user)


def ingest_file(
    store: Store,
    embedder: Embedder,
    path: Path,
    user: str = "system",
    overrides: dict[str, Any] | None = None,
    seen_hashes: dict[str, str] | None = None,
) -> FileResult:
    """Index one file; every expected failure becomes a FileResult with a German reason."""
    prepared = _prepare(store, path, seen_hashes or {}, overrides)
    if isinstance(prepared, FileResult):
        return prepared
    if seen_hashes is not None:
        seen_hashes[prepared.doc.content_hash] = prepared.doc.doc_id
    return _write_batch(store, embedder, [prepared], user)[0]


def ingest_document(store: Store, embedder: Embedder, doc: Document, user: str = "system") -> FileResult:
    """Index a Document composed elsewhere (an OParl paper with its Anlagen, a meeting's Niederschrift);
    skipped as "unverändert" when its content_hash is the one indexed."""
    prepared = _prepared_document(store, Path(doc.source), doc, {})
    if isinstance(prepared, FileResult):
        return prepared
    return _write_batch(store, embedder, [prepared], user)[0]


BATCH_DOCUMENTS = 32  # documents embedded and written together; each still commits on its own


@dataclass
class _Prepared:
    path: Path
    doc: Document
    chunks: list[Chunk]
    facts: list[Fact]
    replaces: bool


def ingest_paths(
    store: Store,
    embedder: Embedder,
    paths: Iterable[Path],
    user: str = "system",
    on_progress: Callable[[FileResult], None] | None = None,
    batch_documents: int = BATCH_DOCUMENTS,
) -> IngestReport:
    """Index files and folders; a failing file never stops the others.

    Documents are prepared one by one (parse, chunk, facts) and then embedded and written in
    batches, so the encoder and Chroma see few large calls instead of many small ones.
    """
    repair(store, embedder)
    seen = {d.content_hash: d.doc_id for d in store.documents()}
    report = IngestReport()
    claimed: dict[str, str] = {}
    pending: list[_Prepared] = []

    def emit(result: FileResult) -> None:
        report.results.append(result)
        if on_progress:
            on_progress(result)

    def flush() -> None:
        for result in _write_batch(store, embedder, pending, user):
            emit(result)
        pending.clear()

    for path in collect_files(paths):
        if path.stem in claimed:
            emit(
                FileResult(
                    str(path),
                    FAILED,
                    path.stem,
                    f"{path.name}: Dokument-ID '{path.stem}' kommt doppelt vor (auch {claimed[path.stem]}).",
                )
            )
            continue
        claimed[path.stem] = path.name
        prepared = _prepare(store, path, seen)
        if isinstance(prepared, FileResult):
            emit(prepared)
            continue
        seen[prepared.doc.content_hash] = prepared.doc.doc_id
        pending.append(prepared)
        if len(pending) >= batch_documents:
            flush()
    flush()
    return report


def _prepare(
    store: Store, path: Path, seen: dict[str, str], overrides: dict[str, Any] | None = None
) -> _Prepared | FileResult:
    """Parse, chunk and extract one file – or say why it is skipped or failed."""
    if not path.exists():
        return FileResult(str(path), FAILED, path.stem, f"{path}: Datei nicht gefunden.")
    try:
        doc = parse(path, overrides=overrides)
    except IngestError as error:
        return FileResult(str(path), FAILED, path.stem, str(error))
    except OSError as error:
        return FileResult(
            str(path), FAILED, path.stem, f"{path.name}: Datei kann nicht gelesen werden ({error.strerror})."
        )
    return _prepared_document(store, path, doc, seen)


def _prepared_document(
    store: Store, path: Path, doc: Document, seen: dict[str, str]
) -> _Prepared | FileResult:
    previous = store.document_hash(doc.doc_id)
    if previous == doc.content_hash:
        return FileResult(str(path), SKIPPED, doc.doc_id, "unverändert")
    twin = seen.get(doc.content_hash)
    if twin and twin != doc.doc_id:
        return FileResult(str(path), SKIPPED, doc.doc_id, f"Duplikat: gleicher Inhalt wie {twin}")
    chunks = chunk_document(doc)
    if not chunks:
        return FileResult(str(path), FAILED, doc.doc_id, f"{path.name}: kein Text zum Indexieren gefunden.")
    return _Prepared(path, doc, chunks, extract_facts(doc), previous is not None)


def _write_batch(store: Store, embedder: Embedder, batch: list[_Prepared], user: str) -> list[FileResult]:
    if not batch:
        return []
    try:
        vectors = embed_documents(store, embedder, [(p.doc, p.chunks) for p in batch])
        store.write_documents(
            [DocumentWrite(p.doc, p.chunks, v, p.facts) for p, v in zip(batch, vectors, strict=True)],
            user=user,
        )
    except IngestError as error:
        return [FileResult(str(p.path), FAILED, p.doc.doc_id, str(error)) for p in batch]
    return [FileResult(str(p.path), UPDATED if p.replaces else ADDED, p.doc.doc_id) for p in batch]


def repair(store: Store, embedder: Embedder) -> list[str]:
    """Drop orphan vectors and re-embed documents whose vectors are missing (e.g. after a model
    switch or a crash); their text is still in the registry. Returns the re-embedded doc ids."""
    report = store.reconcile()
    for doc_id in report.incomplete_documents:
        doc = store.get_document(doc_id)
        if doc is not None:
            index_document(store, embedder, doc, user="repair")
    return report.incomplete_documents
