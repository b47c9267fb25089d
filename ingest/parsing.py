"""Turn one file into a Document: text by file format, metadata and sections read from the text.

A sidecar file `<filename>.meta.json` next to the document (e.g. `vorlage-2015-179.txt.meta.json`)
overrides metadata read from the text: that is how a clerk's corrections and OParl metadata win.
"""

from __future__ import annotations

import errno
import hashlib
import importlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ingest.german.sections import split_sections
from ingest.metadata import DocumentMetadata, apply_overrides, read_metadata
from ingest.parsers import DocumentLimits, limited
from ingest.types import Document, IngestError

SIDECAR_SUFFIX = ".meta.json"
# The parser module (in ingest.parsers) of each file type; imported when a file of that type is
# parsed first, so that reading the store (`ratsauskunft ask`) loads no PDF, OCR or DOCX library.
_PARSERS: dict[str, str] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_PARSERS)


def parse(
    path: Path, overrides: Mapping[str, object] | None = None, limits: DocumentLimits | None = None
) -> Document:
    """Parse a council document file; `overrides` win over both the text and the sidecar file.

    Extraction stops with an IngestError as soon as the file exceeds `limits` (text or time).
    """
    with limited(limits or DocumentLimits()):
        document_text = extract_text(path)
    metadata = read_metadata(document_text)
    corrections: list[Mapping[str, object]] = []
    sidecar = sidecar_path(path)
    if _has_sidecar(sidecar):
        corrections.append(read_sidecar(sidecar))
        metadata = apply_overrides(metadata, corrections[-1], sidecar.name)
    if overrides:
        corrections.append(overrides)
        metadata = apply_overrides(metadata, overrides, path.name)
    return _document(path, document_text, metadata, content_hash(path, corrections))


def extract_text(path: Path) -> str:
    """The normalised text of a file, by its extension; IngestError for anything unreadable."""
    if is_sidecar(path):
        raise IngestError(f"{path.name}: ist eine Metadaten-Datei, kein Dokument.")
    parser = _PARSERS.get(path.suffix.lower())
    if parser is None:
        allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise IngestError(
            f"{path.name}: Dateityp „{path.suffix}“ wird nicht unterstützt (erlaubt: {allowed})."
        )
    if not path.is_file():
        raise IngestError(f"{path.name}: Datei nicht gefunden.")
    extractor: Callable[[Path], str] = importlib.import_module(f"ingest.parsers.{parser}").extract_text
    return extractor(path)


def is_sidecar(path: Path) -> bool:
    """Whether a file holds metadata for a document beside it; a folder walk skips these."""
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def _has_sidecar(sidecar: Path) -> bool:
    """Whether the sidecar exists; a document whose name is already near the file-name limit of 255
    bytes cannot have one (adding ".meta.json" makes the name too long, ENAMETOOLONG)."""
    try:
        return sidecar.is_file()
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            return False
        raise


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(sidecar: Path) -> dict[str, object]:
    try:
        content = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IngestError(f"{sidecar.name}: Metadaten-Datei ist kein gültiges JSON ({error}).") from error
    if not isinstance(content, dict):
        raise IngestError(f"{sidecar.name}: Metadaten-Datei muss ein JSON-Objekt enthalten.")
    return content


def add_to_sidecar(path: Path, fields: Mapping[str, str]) -> None:
    """Record metadata for the document at `path` in its sidecar, keeping what the sidecar says
    already; a re-ingest of the file reads it again. IngestError when it cannot be written."""
    sidecar = sidecar_path(path)
    content: dict[str, object] = read_sidecar(sidecar) if sidecar.is_file() else {}
    content.update(fields)
    try:
        sidecar.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise IngestError(
            f"{sidecar.name}: Metadaten-Datei kann nicht geschrieben werden ({error.strerror})."
        ) from error


def content_hash(path: Path, corrections: Sequence[Mapping[str, object]] = ()) -> str:
    """sha256 of the file's bytes and of the metadata corrections applied to it, so a re-ingest
    notices a changed file as well as a changed sidecar or OParl metadata."""
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256")
    for correction in corrections:
        digest.update(json.dumps(correction, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    return digest.hexdigest()


def _document(path: Path, document_text: str, metadata: DocumentMetadata, digest: str) -> Document:
    return Document(
        doc_id=path.stem,
        text=document_text,
        source=str(path),
        reference=metadata.reference,
        title=metadata.title,
        doc_type=metadata.doc_type,
        status=metadata.status,
        body=metadata.body,
        date=metadata.date,
        consultations=list(metadata.consultations),
        sections=split_sections(document_text),
        content_hash=digest,
    )
