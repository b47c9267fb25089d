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
from ingest.store import Store, text_hash
from ingest.types import Chunk, Document, IngestError

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
    texts = [embedding_text(doc, c) for c in chunks]
    keys = [text_hash(t) for t in texts]
    cached = store.cached_vectors(keys)
    missing = [i for i, key in enumerate(keys) if key not in cached]
    if missing:
        fresh = embedder.embed([texts[i] for i in missing])
        new = {keys[i]: fresh[j] for j, i in enumerate(missing)}
        store.cache_vectors(new)
        cached.update(new)
    return np.vstack([cached[k] for k in keys]) if keys else np.zeros((0, 1), dtype=np.float32)


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
    try:
        doc = parse(path, overrides=overrides)
    except IngestError as error:
        return FileResult(str(path), FAILED, path.stem, str(error))
    except OSError as error:
        return FileResult(
            str(path), FAILED, path.stem, f"{path.name}: Datei kann nicht gelesen werden ({error.strerror})."
        )
    previous = store.document_hash(doc.doc_id)
    if previous == doc.content_hash:
        return FileResult(str(path), SKIPPED, doc.doc_id, "unverändert")
    twin = (seen_hashes or {}).get(doc.content_hash)
    if twin and twin != doc.doc_id:
        return FileResult(str(path), SKIPPED, doc.doc_id, f"Duplikat: gleicher Inhalt wie {twin}")
    try:
        index_document(store, embedder, doc, user=user)
    except IngestError as error:
        return FileResult(str(path), FAILED, doc.doc_id, str(error))
    if seen_hashes is not None:
        seen_hashes[doc.content_hash] = doc.doc_id
    return FileResult(str(path), UPDATED if previous else ADDED, doc.doc_id)


def ingest_paths(
    store: Store,
    embedder: Embedder,
    paths: Iterable[Path],
    user: str = "system",
    on_progress: Callable[[FileResult], None] | None = None,
) -> IngestReport:
    """Index files and folders; a failing file never stops the others."""
    repair(store, embedder)
    seen = {d.content_hash: d.doc_id for d in store.documents()}
    report = IngestReport()
    claimed: dict[str, str] = {}
    for path in collect_files(paths):
        if not path.exists():
            result = FileResult(str(path), FAILED, path.stem, f"{path}: Datei nicht gefunden.")
        elif path.stem in claimed:
            result = FileResult(
                str(path),
                FAILED,
                path.stem,
                f"{path.name}: Dokument-ID '{path.stem}' kommt doppelt vor (auch {claimed[path.stem]}).",
            )
        else:
            claimed[path.stem] = path.name
            result = ingest_file(store, embedder, path, user=user, seen_hashes=seen)
        report.results.append(result)
        if on_progress:
            on_progress(result)
    return report


def repair(store: Store, embedder: Embedder) -> list[str]:
    """Drop orphan vectors and re-embed documents whose vectors are missing (e.g. after a model
    switch or a crash); their text is still in the registry. Returns the re-embedded doc ids."""
    report = store.reconcile()
    for doc_id in report.incomplete_documents:
        doc = store.get_document(doc_id)
        if doc is not None:
            index_document(store, embedder, doc, user="repair")
    return report.incomplete_documents
