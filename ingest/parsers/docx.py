"""Word files (.docx): paragraphs and tables in document order, table rows as "a | b | c"."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import lxml.etree
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.parsers import finish_text, table_row_lines
from ingest.types import IngestError

# A .docx is a zip archive; one that unpacks to more than this is refused (zip bomb).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_HEADING_STYLE_PREFIXES = ("heading", "überschrift", "title", "titel")


def extract_text(path: Path) -> str:
    _check_archive(path)
    try:
        document = docx.Document(str(path))
        lines = [line for block in document.iter_inner_content() for line in _block_lines(block)]
    except (
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        ValueError,
        lxml.etree.XMLSyntaxError,
    ) as error:
        raise _damaged(path, error) from error
    return finish_text("\n".join(lines), path)


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise _damaged(path, error) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise IngestError(
            f"{path.name}: Word-Datei würde entpackt mehr als 200 MB belegen und wird nicht verarbeitet."
        )


def _block_lines(block: Paragraph | Table) -> list[str]:
    if isinstance(block, Table):
        return [line for row in block.rows for line in table_row_lines(_row_texts(row))]
    if _is_heading(block):
        return ["", block.text]
    return [block.text]


def _row_texts(row: docx.table._Row) -> list[str]:
    """Cell texts of a row; a merged cell spanning several grid columns counts once."""
    texts: list[str] = []
    previous = None
    for cell in row.cells:
        if cell._tc is not previous:
            texts.append(cell.text)
        previous = cell._tc
    return texts


def _is_heading(paragraph: Paragraph) -> bool:
    style_name = (paragraph.style.name or "") if paragraph.style is not None else ""
    return style_name.lower().startswith(_HEADING_STYLE_PREFIXES)


def _damaged(path: Path, error: Exception) -> IngestError:
    return IngestError(f"{path.name}: Word-Datei ist beschädigt oder kein .docx ({error}).")
