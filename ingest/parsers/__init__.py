"""Text extraction, one module per file format, each exposing `extract_text(path) -> str`.

Every format module hands its raw text to `finish_text`, so all formats come out with the same
line endings, whitespace and Unicode form, and a file without any text fails the same way.
`table_row_lines` is shared by the HTML and DOCX parsers so tables read alike in both.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from ingest.types import IngestError


@dataclass(frozen=True)
class DocumentLimits:
    """What one file may cost to parse: the text it yields and the time it takes.

    A 12.8 MB one-line text file became 45 000 vectors, a 150 MB Word file took minutes and
    800 MB: limits keep one careless (or hostile) file from occupying the whole server.
    """

    max_chars: int = 5_000_000  # about 2 000 pages of dense text
    max_seconds: float = 120.0


# Markup around the text of a Word file: its document.xml may be this many bytes per character
# of the text limit before it is refused unread (python-docx loads the whole XML at once).
XML_BYTES_PER_CHAR = 16


@dataclass
class _Budget:
    limits: DocumentLimits
    started: float
    chars: int = 0


_budget: ContextVar[_Budget | None] = ContextVar("parse_budget", default=None)


@contextmanager
def limited(limits: DocumentLimits) -> Iterator[None]:
    """Parse within `limits`: the format modules report their progress with `spend`."""
    token = _budget.set(_Budget(limits, time.monotonic()))
    try:
        yield
    finally:
        _budget.reset(token)


def spend(path: Path, chars: int) -> None:
    """Count `chars` more characters of extracted text; IngestError when the file exceeds its
    text or time limit. Format modules call this page by page, block by block."""
    budget = _budget.get()
    if budget is None:
        return
    budget.chars += chars
    limits = budget.limits
    if budget.chars > limits.max_chars:
        raise IngestError(
            f"{path.name}: enthält mehr Text als erlaubt (über {limits.max_chars:,} Zeichen; "
            "Grenze RATSAUSKUNFT_MAX_DOCUMENT_CHARS) und wird nicht verarbeitet.".replace(",", ".")
        )
    if time.monotonic() - budget.started > limits.max_seconds:
        raise IngestError(
            f"{path.name}: Auslesen dauert zu lange (über {limits.max_seconds:.0f} s; Grenze "
            "RATSAUSKUNFT_MAX_PARSE_SECONDS) und wurde abgebrochen."
        )


def current_limits() -> DocumentLimits | None:
    budget = _budget.get()
    return budget.limits if budget is not None else None


# Control characters, zero-width marks and bidirectional overrides (which can reorder what a reader sees).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def finish_text(raw: str, path: Path) -> str:
    """Normalise extracted text (NFC, \\n line ends, no trailing spaces, at most one blank line).

    Raises IngestError when nothing but whitespace is left, so no format yields an empty document.
    """
    spend(path, 0)  # the time limit once more, after the format's own work
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
