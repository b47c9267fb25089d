"""Text extraction, one module per file format, each exposing `extract_text(path) -> str`.

Every format module hands its raw text to `finish_text`, so all formats come out with the same
line endings, whitespace and Unicode form, and a file without any text fails the same way.
`table_row_lines` is shared by the HTML and DOCX parsers so tables read alike in both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from ingest.types import IngestError

# Control characters, zero-width marks and bidirectional overrides (which can reorder what a reader sees).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def finish_text(raw: str, path: Path) -> str:
    """Normalise extracted text (NFC, \\n line ends, no trailing spaces, at most one blank line).

    Raises IngestError when nothing but whitespace is left, so no format yields an empty document.
    """
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\xad", "")
    text = _CONTROL_CHARS.sub(" ", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _MANY_BLANK_LINES.sub("\n\n", text).strip()
    if not text:
        raise IngestError(f"{path.name}: Datei ist leer – es wurde kein Text gefunden.")
    return text


def table_row_lines(cells: Sequence[str]) -> list[str]:
    """Turn one table row into text lines.

    A row of label/value pairs ("Status:" | "öffentlich" | "Vorlage-Art:" | "Beschlussvorlage") becomes
    one "Label: value" line per pair, the way the council system shows it; any other row becomes
    one line with its cells joined by " | ".
    """
    texts = [" ".join(cell.split()) for cell in cells]
    while texts and not texts[-1]:
        texts.pop()
    if not any(texts):
        return []
    if _is_label_value_row(texts):
        return [f"{label} {value}".strip() for label, value in zip(texts[::2], texts[1::2], strict=True)]
    return [" | ".join(texts)]


def _is_label_value_row(texts: Sequence[str]) -> bool:
    labels, values = texts[::2], texts[1::2]
    return (
        len(texts) % 2 == 0
        and all(label.endswith(":") for label in labels)
        and not any(value.endswith(":") for value in values)
    )
