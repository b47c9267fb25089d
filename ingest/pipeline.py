"""Files in, consistent index out: parse → chunk → facts → embed (with cache) → atomic write."""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ingest.chunking import chunk_document
from ingest.embedding import Embedder
from ingest.facts import extract_facts
from ingest.parsers import DocumentLimits
from ingest.parsing import SUPPORTED_SUFFIXES, add_to_sidecar, is_sidecar, parse
from ingest.store import DocumentWrite, Store, text_hash
from ingest.types import Chunk, Document, IngestError, non_public_reason

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
    non_public: dict[str, int] = field(default_factory=dict)  # documents of the run by reason

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


def non_public_counts(status_counts: dict[str, int]) -> dict[str, int]:
    """Documents that count as non-public, by reason ("ohne Status-Angabe", "nichtöffentlich" …)."""
    counts: dict[str, int] = {}
    for status, count in status_counts.items():
        reason = non_public_reason(status)
        if reason and count:
            counts[reason] = counts.get(reason, 0) + count
    return counts


def non_public_text(counts: dict[str, int]) -> str:
    """ "3 Dokumente gelten als nicht öffentlich (2 ohne Status-Angabe, 1 nichtöffentlich)"; "" for none."""
    total = sum(counts.values())
    if not total:
        return ""
    reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
    subject = "1 Dokument gilt" if total == 1 else f"{total} Dokumente gelten"
    return f"{subject} als nicht öffentlich ({reasons})"


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every supported document below a named folder (sidecars excluded)."""
    return walk_files(paths)[0]


def walk_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """The files `collect_files` finds, and a failure for every path below a folder that cannot be
    read: an unreadable folder, a link that loops or leads nowhere. Links to folders are not followed."""
    files: list[Path] = []
    problems: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            found: list[Path] = []
            _walk_folder(path, found, problems)
            files.extend(sorted(found))
        else:
            files.append(path)
    return files, problems


def _walk_folder(folder: Path, files: list[Path], problems: list[FileResult]) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError as error:
        problems.append(_path_failure(folder, f"Ordner kann nicht gelesen werden ({error.strerror})"))
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk_folder(path, files, problems)
            elif entry.is_file():
                if path.suffix.lower() in SUPPORTED_SUFFIXES and not is_sidecar(path):
                    files.append(path)
            elif entry.is_symlink() and not path.exists():
                problems.append(_path_failure(path, "Verknüpfung führt ins Leere"))
        except OSError as error:  # a link that loops (ELOOP) and the like
            problems.append(_path_failure(path, f"kann nicht gelesen werden ({error.strerror})"))


def shown_name(path: Path) -> str:
    """A path as it can be printed and stored: bytes that are not UTF-8 become "�"."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def _path_failure(path: Path, reason: str) -> FileResult:
    shown = shown_name(path)
    return FileResult(shown, FAILED, Path(shown).stem, f"{Path(shown).name}: {reason}.")


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
    vectors, fresh = encode_uncached(store, embedder, items)
    if fresh:
        store.cache_vectors(fresh)
    return vectors


def encode_uncached(
    store: Store, embedder: Embedder, items: list[tuple[Document, list[Chunk]]]
) -> tuple[list[np.ndarray], dict[str, np.ndarray]]:
    """Vectors for the chunks of several documents: cached ones looked up, the others encoded in one
    call. Also returns the newly encoded ones by text hash, for the caller to cache; reads the store
    but never writes it, so it may run beside the store's writer."""
    texts = [[embedding_text(doc, c) for c in chunks] for doc, chunks in items]
    keys = [[text_hash(t) for t in doc_texts] for doc_texts in texts]
    flat_keys = [k for doc_keys in keys for k in doc_keys]
    flat_texts = [t for doc_texts in texts for t in doc_texts]
    vectors = store.cached_vectors(flat_keys)
    missing = {k: t for k, t in zip(flat_keys, flat_texts, strict=True) if k not in vectors}
    fresh: dict[str, np.ndarray] = {}
    if missing:
        encoded = embedder.embed(list(missing.values()))
        fresh = {key: encoded[i] for i, key in enumerate(missing)}
        vectors.update(fresh)
    return [
        np.vstack([vectors[k] for k in doc_keys]) if doc_keys else np.zeros((0, 1), dtype=np.float32)
        for doc_keys in keys
    ], fresh


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
    limits: DocumentLimits | None = None,
) -> FileResult:
    """Index one file; every expected failure becomes a FileResult with a German reason."""
    prepared = _prepare(store, path, seen_hashes or {}, overrides, limits)
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
ENCODED_AHEAD = 1  # encoded batches that may wait for the writer (each holds its documents' text)


@dataclass
class _Prepared:
    path: Path
    doc: Document
    chunks: list[Chunk]
    replaces: bool


@dataclass
class _Encoded:
    """A batch with one vector per chunk; `fresh` are the vectors the encoder made for it (by text
    hash), cached by the writer just before it writes the batch."""

    batch: list[_Prepared]
    vectors: list[np.ndarray]
    fresh: dict[str, np.ndarray]


def ingest_paths(
    store: Store,
    embedder: Embedder,
    paths: Iterable[Path],
    user: str = "system",
    on_progress: Callable[[FileResult], None] | None = None,
    batch_documents: int = BATCH_DOCUMENTS,
    on_wait: Callable[[str], None] | None = None,
    limits: DocumentLimits | None = None,
    status_if_missing: str = "",
    overlap: bool = True,
) -> IngestReport:
    """Index files and folders; a failing file never stops the others.

    The whole run holds the store's write lock (a second writer waits, then gets StoreBusy).
    Documents are prepared one by one (parse, chunk) and then embedded and written in batches, so
    the encoder and Chroma see few large calls instead of many small ones. With `overlap`, a
    thread parses and encodes the next batch while this one extracts the facts of the previous
    batch and writes it (a bounded queue between them; only this thread writes the store).
    `status_if_missing` is given, in a sidecar, to every document of the run that states no status.
    """
    with store.write_lock.held(on_wait=on_wait):
        repair(store, embedder)
        report = IngestReport()
        batches = _prepared_batches(store, paths, batch_documents, limits, status_if_missing)
        encoded = _encoded_batches(store, embedder, batches)
        for result in _written_results(
            store, in_background(encoded, ENCODED_AHEAD) if overlap else encoded, user
        ):
            report.results.append(result)
            if on_progress:
                on_progress(result)
        indexed = [r.doc_id for r in report.results if r.outcome != FAILED]
        report.non_public = non_public_counts(store.status_counts(indexed))
        return report


def _prepared_batches(
    store: Store,
    paths: Iterable[Path],
    batch_documents: int,
    limits: DocumentLimits | None,
    status_if_missing: str,
) -> Iterator[list[_Prepared] | FileResult]:
    """The files below `paths`, parsed and chunked, in batches; a file that fails or is skipped
    comes as its FileResult, in order."""
    seen = {d.content_hash: d.doc_id for d in store.documents()}
    claimed: dict[str, str] = {}
    pending: list[_Prepared] = []
    files, problems = walk_files(paths)
    yield from problems
    for path in files:
        if path.stem in claimed:
            yield FileResult(
                str(path),
                FAILED,
                path.stem,
                f"{path.name}: Dokument-ID '{path.stem}' kommt doppelt vor (auch {claimed[path.stem]}).",
            )
            continue
        claimed[path.stem] = path.name
        prepared = _prepare(store, path, seen, limits=limits, status_if_missing=status_if_missing)
        if isinstance(prepared, FileResult):
            yield prepared
            continue
        seen[prepared.doc.content_hash] = prepared.doc.doc_id
        pending.append(prepared)
        if len(pending) >= batch_documents:
            yield pending
            pending = []
    if pending:
        yield pending


_T = TypeVar("_T")


def in_background(items: Iterator[_T], ahead: int) -> Iterator[_T]:
    """The items of `items`, produced by a thread that runs at most `ahead` items ahead of the
    caller. An exception of the producer reaches the caller in its place; when the caller stops
    early (or fails), the producer stops after the item it is working on."""
    handed: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def hand(kind: str, value: Any) -> bool:
        while not stop.is_set():
            with contextlib.suppress(queue.Full):
                handed.put((kind, value), timeout=0.1)
                return True
        return False

    def produce() -> None:
        try:
            for item in items:
                if not hand("item", item):
                    return
            hand("end", None)
        except BaseException as error:  # raised again in the caller
            hand("error", error)

    threading.Thread(target=produce, name="ingest-encoder", daemon=True).start()
    try:
        while True:
            kind, value = handed.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()


def _encoded_batches(
    store: Store, embedder: Embedder, items: Iterable[list[_Prepared] | FileResult]
) -> Iterator[_Encoded | FileResult]:
    """Each batch with its vectors; a batch the encoder fails on comes as one failure per file."""
    for item in items:
        if isinstance(item, FileResult):
            yield item
            continue
        try:
            vectors, fresh = encode_uncached(store, embedder, [(p.doc, p.chunks) for p in item])
        except IngestError as error:
            yield from (FileResult(str(p.path), FAILED, p.doc.doc_id, str(error)) for p in item)
            continue
        yield _Encoded(item, vectors, fresh)


def _written_results(store: Store, items: Iterable[_Encoded | FileResult], user: str) -> Iterator[FileResult]:
    """Write each encoded batch (facts are extracted here); every item ends as FileResults, in order."""
    for item in items:
        if isinstance(item, FileResult):
            yield item
        else:
            yield from _write_encoded(store, item, user)


def _write_encoded(store: Store, encoded: _Encoded, user: str) -> list[FileResult]:
    batch = encoded.batch
    try:
        if encoded.fresh:
            store.cache_vectors(encoded.fresh)
        store.write_documents(
            [
                DocumentWrite(p.doc, p.chunks, vectors, extract_facts(p.doc))
                for p, vectors in zip(batch, encoded.vectors, strict=True)
            ],
            user=user,
        )
    except IngestError as error:  # each document commits on its own: some may be written already
        return [
            _written(p)
            if store.document_hash(p.doc.doc_id) == p.doc.content_hash
            else FileResult(str(p.path), FAILED, p.doc.doc_id, str(error))
            for p in batch
        ]
    return [_written(p) for p in batch]


def _write_batch(store: Store, embedder: Embedder, batch: list[_Prepared], user: str) -> list[FileResult]:
    return list(_written_results(store, _encoded_batches(store, embedder, [batch]), user))


def _prepare(
    store: Store,
    path: Path,
    seen: dict[str, str],
    overrides: dict[str, Any] | None = None,
    limits: DocumentLimits | None = None,
    status_if_missing: str = "",
) -> _Prepared | FileResult:
    """Parse and chunk one file – or say why it is skipped or failed."""
    if shown_name(path) != str(path):
        return _path_failure(path, "Dateiname ist kein gültiges UTF-8 – bitte die Datei umbenennen")
    try:
        if not path.exists():
            return FileResult(str(path), FAILED, path.stem, f"{path}: Datei nicht gefunden.")
        doc = parse(path, overrides=overrides, limits=limits)
        if status_if_missing and not doc.status:
            add_to_sidecar(path, {"status": status_if_missing})
            doc = parse(path, overrides=overrides, limits=limits)
    except IngestError as error:
        return FileResult(str(path), FAILED, path.stem, str(error))
    except OSError as error:
        return _path_failure(path, f"Datei kann nicht gelesen werden ({error.strerror})")
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
    return _Prepared(path, doc, chunks, previous is not None)


def _written(prepared: _Prepared) -> FileResult:
    return FileResult(str(prepared.path), UPDATED if prepared.replaces else ADDED, prepared.doc.doc_id)


def repair(store: Store, embedder: Embedder) -> list[str]:
    """Drop orphan vectors and re-embed documents whose vectors are missing (e.g. after a model
    switch or a crash); their text is still in the registry. Returns the re-embedded doc ids."""
    with store.write_lock.held():
        report = store.reconcile()
        for doc_id in report.incomplete_documents:
            doc = store.get_document(doc_id)
            if doc is not None:
                index_document(store, embedder, doc, user="repair")
        return report.incomplete_documents
