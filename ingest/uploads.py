"""Files added through the app: checked before anything parses them, then kept in the store.

An upload is accepted only when its name, size and content are what they claim to be:
- the name becomes a plain file name (folders, control characters and leading dots removed), as
  the file stem is the document id and the file is written under exactly that name;
- the size is within the limit, checked before a byte is read and again while copying;
- the content matches the extension: "%PDF-" for .pdf; for .docx a zip archive holding
  word/document.xml, neither a zip bomb nor XML with entity declarations; for .html markup that
  decodes as text and is not larger than the HTML limit; for .txt text that decodes.
An accepted file is copied to the uploads folder of the store (STORE/uploads/<name>) and nowhere
else; a rejected one leaves nothing behind. Every refusal is an IngestError with a German reason.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ingest.parsers import docx, html
from ingest.parsers.text import decode_bytes
from ingest.parsing import SUPPORTED_SUFFIXES
from ingest.types import IngestError

MAX_STEM_CHARS = 120
_COPY_BLOCK = 1024 * 1024
_HEAD_BYTES = 64 * 1024
_PDF_MAGIC = b"%PDF-"
_PDF_MAGIC_WITHIN = 1024  # readers accept the header anywhere in the first kilobyte
_ZIP_MAGIC = b"PK\x03\x04"
_UNSAFE_NAME_CHARS = re.compile(r"[^\w.-]+")
_MARKUP = re.compile(
    r"<\s*(?:!doctype|html|head|body|meta|title|main|article|section|div|p|table|h[1-6]|span|br|ul|ol)\b",
    re.IGNORECASE,
)
# Binary formats that are sometimes renamed to one of ours, by their first bytes.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (_PDF_MAGIC, "ein PDF"),
    (_ZIP_MAGIC, "ein Zip-Archiv (z. B. eine Word-Datei)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "eine alte Office-Datei (.doc/.xls)"),
    (b"\x89PNG", "ein PNG-Bild"),
    (b"\xff\xd8\xff", "ein JPEG-Bild"),
    (b"GIF8", "ein GIF-Bild"),
    (b"\x1f\x8b", "ein gzip-Archiv"),
    (b"MZ", "ein Windows-Programm"),
    (b"\x7fELF", "ein Programm"),
)


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 50 * 1024 * 1024
    max_html_bytes: int = html.MAX_HTML_BYTES


def accept_upload(source: Path, original_name: str, folder: Path, limits: UploadLimits) -> Path:
    """Check an uploaded file and copy it to `folder/<safe name>`; returns that path."""
    name = safe_file_name(original_name)
    try:
        size = source.stat().st_size
    except OSError as error:
        raise IngestError(f"{name}: Datei konnte nicht gelesen werden (Hochladen abgebrochen?).") from error
    check_size(name, size, limits.max_bytes)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    except OSError as error:
        raise _not_saved(name) from error
    try:
        with os.fdopen(handle, "wb") as target, source.open("rb") as data:
            _copy_at_most(data, target, name, limits.max_bytes)
        check_content(Path(temporary), name, limits)
        destination = folder / name
        os.replace(temporary, destination)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise _not_saved(name) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return destination


ABANDONED_AFTER_S = 24 * 3600


def remove_abandoned_uploads(
    folder: Path, indexed_sources: set[str], older_than_s: float = ABANDONED_AFTER_S
) -> list[Path]:
    """Delete uploads nobody indexed (the clerk left the preview) once older than `older_than_s`,
    and temporary copies left by an interrupted upload; returns what was deleted."""
    if not folder.is_dir():
        return []
    indexed = {str(Path(source).resolve()) for source in indexed_sources if source}
    cutoff = time.time() - older_than_s
    removed: list[Path] = []
    for path in folder.iterdir():
        try:
            old = path.lstat().st_mtime < cutoff
            if old and path.is_file() and str(path.resolve()) not in indexed:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone meanwhile, or not ours to delete
    return removed


def _not_saved(name: str) -> IngestError:
    return IngestError(
        f"{name}: Datei konnte nicht im Index-Ordner gespeichert werden (Speicherplatz, Rechte?)."
    )


def safe_file_name(original_name: str) -> str:
    """A file name without folders, control characters or leading dots; the extension in lower case.

    "../../etc/passwd.txt" → "passwd.txt", "C:\\\\Temp\\\\Vorlage 12.PDF" → "Vorlage-12.pdf".
    """
    base = re.split(r"[\\/]", original_name)[-1]
    base = "".join(ch if ch.isprintable() else "-" for ch in unicodedata.normalize("NFC", base))
    stem, suffix = _split_suffix(base)
    stem = _UNSAFE_NAME_CHARS.sub("-", stem)
    stem = re.sub(r"-{2,}", "-", stem).strip("._- ")[:MAX_STEM_CHARS].rstrip("._- ")
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise IngestError(
            f"{base}: Dateityp „{suffix or 'ohne Endung'}“ wird nicht unterstützt (erlaubt: {allowed})."
        )
    if not stem:
        raise IngestError(f"„{base}“: ungültiger Dateiname – bitte die Datei umbenennen.")
    return stem + suffix


def _split_suffix(base: str) -> tuple[str, str]:
    stem, dot, suffix = base.rpartition(".")
    if not dot or not suffix.strip():
        return base, ""
    return stem, "." + suffix.strip().lower()


def size_text(size: int) -> str:
    """A file size as people read it: "512 KB", "50 MB", "1,5 MB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    megabytes = round(size / 1024 / 1024, 1)
    return f"{megabytes:.0f} MB" if megabytes.is_integer() else f"{megabytes:.1f} MB".replace(".", ",")


def check_size(name: str, size: int, limit: int) -> None:
    if size == 0:
        raise IngestError(f"{name}: Datei ist leer.")
    if size > limit:
        raise IngestError(
            f"{name}: Datei ist zu groß ({size_text(size)}; erlaubt sind höchstens {size_text(limit)})."
        )


def _copy_at_most(source: BinaryIO, target: BinaryIO, name: str, limit: int) -> None:
    """Copy block by block; a file that grows beyond the limit while being read is refused."""
    copied = 0
    while block := source.read(_COPY_BLOCK):
        copied += len(block)
        if copied > limit:
            raise IngestError(f"{name}: Datei ist zu groß (erlaubt sind höchstens {size_text(limit)}).")
        target.write(block)


def check_content(path: Path, name: str, limits: UploadLimits) -> None:
    """The content is what the extension says: IngestError with the reason otherwise."""
    suffix = Path(name).suffix.lower()
    with path.open("rb") as file:
        head = file.read(_HEAD_BYTES)
    if suffix == ".pdf":
        if _PDF_MAGIC not in head[:_PDF_MAGIC_WITHIN]:
            raise IngestError(
                f"{name}: ist kein PDF – die PDF-Kennung „%PDF-“ fehlt{_found(head)}. "
                "Wurde eine andere Datei umbenannt?"
            )
    elif suffix == ".docx":
        _check_word(path, name, head)
    elif suffix in (".html", ".htm"):
        _check_html(path, name, head, limits.max_html_bytes)
    else:
        _check_text(path, name, head)


def _found(head: bytes) -> str:
    """ " (die Datei ist ein PNG-Bild)" when the first bytes give the real type away."""
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            return f" (die Datei ist {kind})"
    return ""


def _check_word(path: Path, name: str, head: bytes) -> None:
    if not head.startswith(_ZIP_MAGIC):
        raise IngestError(
            f"{name}: ist keine Word-Datei (.docx) – sie ist kein Zip-Archiv{_found(head)}. "
            "Wurde eine andere Datei umbenannt?"
        )
    _check_archive(path, name)
    with zipfile.ZipFile(path) as archive:
        if "word/document.xml" not in archive.namelist():
            raise IngestError(f"{name}: ist keine Word-Datei (.docx) – word/document.xml fehlt.")


def _check_archive(path: Path, name: str) -> None:
    """docx.check_archive, with messages naming the uploaded file rather than its temporary copy."""
    try:
        docx.check_archive(path)
    except IngestError as error:
        raise IngestError(str(error).replace(path.name, name, 1)) from error


def _check_html(path: Path, name: str, head: bytes, limit: int) -> None:
    size = path.stat().st_size
    if size > limit:
        raise IngestError(
            f"{name}: HTML-Datei ist zu groß ({size_text(size)}; erlaubt sind höchstens {size_text(limit)})."
        )
    kind = _found(head)
    if kind:
        raise IngestError(f"{name}: ist keine HTML-Datei{kind}.")
    markup = decode_bytes(path.read_bytes(), name)
    if not _MARKUP.search(markup[:_HEAD_BYTES]):
        raise IngestError(f"{name}: enthält kein HTML (keine Tags gefunden) – bitte als .txt hinzufügen.")


def _check_text(path: Path, name: str, head: bytes) -> None:
    kind = _found(head)
    if kind:
        raise IngestError(f"{name}: ist keine Textdatei{kind}.")
    decode_bytes(path.read_bytes(), name)
