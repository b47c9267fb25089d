"""Plain text files: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252/Latin-1."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

import charset_normalizer

from ingest.parsers import current_limits, finish_text, spend
from ingest.types import IngestError

# Legacy single-byte encodings German council systems export; charset-normalizer picks among them.
_LEGACY_ENCODINGS = ["cp1252", "iso8859_15", "latin_1"]
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16: its BOM starts with UTF-16-LE's
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Share of control characters above which decoded "text" is really binary data.
_MAX_CONTROL_SHARE = 0.005


def extract_text(path: Path) -> str:
    limits = current_limits()
    if limits is not None and path.stat().st_size > 4 * limits.max_chars:  # 4 bytes per char at most
        spend(path, limits.max_chars + 1)
    text = decode_bytes(path.read_bytes(), path.name)
    spend(path, len(text))
    return finish_text(text, path)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode file bytes: a BOM decides, else strict UTF-8, else the likeliest legacy encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], encoding, name)
    if b"\x00" in data:
        raise _binary_error(name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed_lines(data)
    if mixed is not None:
        if not _reads_like_text(mixed):
            raise _binary_error(name)
        return mixed
    match = charset_normalizer.from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best()
    if match is None:
        raise _binary_error(name)
    text = str(match)
    if _looks_binary(text) or not _reads_like_text(text):
        raise _binary_error(name)
    return text


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _legacy_byte(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("ratsauskunft-cp1252", _legacy_byte)


def _decode_mixed_lines(data: bytes) -> str | None:
    """Text pasted together from UTF-8 and Windows-1252 parts: UTF-8 where it is valid, the rest
    byte by byte as Windows-1252 – instead of reading the UTF-8 parts as mojibake."""
    if not _UTF8_SEQUENCE.search(data):
        return None
    return data.decode("utf-8", errors="ratsauskunft-cp1252")


def _decode_with_bom(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise IngestError(f"{name}: Text ist nicht gültig kodiert ({encoding} laut BOM).") from error


_PLAIN_PUNCTUATION = frozenset(".,;:!?-–—()[]/%€$&§\"'„“”‚‘’»«*+=#@_<>|·•°")


def _reads_like_text(text: str) -> bool:
    """Text of a council document is almost all letters, digits, spaces and common punctuation;
    random bytes read in a legacy encoding are full of symbols and private-use characters."""
    plain = sum(1 for char in text if char.isalnum() or char.isspace() or char in _PLAIN_PUNCTUATION)
    return plain >= 0.95 * max(len(text), 1)


def _looks_binary(text: str) -> bool:
    controls = sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in "\n\r\t\f")
    return controls > _MAX_CONTROL_SHARE * max(len(text), 1)


def _binary_error(name: str) -> IngestError:
    return IngestError(
        f"{name}: keine lesbare Textdatei (Binärdaten oder unbekannte Zeichenkodierung) – "
        "bitte als UTF-8-Text speichern."
    )
