"""Word files (.docx): paragraphs and tables in document order, table rows as "a | b | c"."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

import docx
import lxml.etree
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.parsers import XML_BYTES_PER_CHAR, current_limits, finish_text, spend, table_row_lines
from ingest.types import IngestError

# A .docx is a zip archive; one that unpacks to more than this is refused (zip bomb), as is one
# with more members than any Word file has, or a large member packed tighter than text packs.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_PACKING_RATIO = 200
_RATIO_CHECKED_BYTES = 1024 * 1024
# Office XML never declares a DTD or entities; a part that does is an XML bomb or worse.
_XML_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_HEAD_BYTES = 4096
_HEADING_STYLE_PREFIXES = ("heading", "überschrift", "title", "titel")


def extract_text(path: Path) -> str:
    check_archive(path)
    _check_text_size(path)
    try:
        document = docx.Document(str(path))
        lines = []
        for block in document.iter_inner_content():
            block_lines = _block_lines(block)
            spend(path, sum(len(line) + 1 for line in block_lines))
            lines.extend(block_lines)
    except (
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        ValueError,
        lxml.etree.XMLSyntaxError,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,
        AttributeError,
        TypeError,
        IndexError,
    ) as error:
        raise _damaged(path, error) from error
    return finish_text("\n".join(lines), path)


def _check_text_size(path: Path) -> None:
    """Refuse, unread, a document.xml too large for the text limit: python-docx loads it whole."""
    limits = current_limits()
    if limits is None:
        return
    try:
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo("word/document.xml").file_size
    except (KeyError, zipfile.BadZipFile, OSError):
        return  # python-docx reports the damage in its own words
    if size > XML_BYTES_PER_CHAR * limits.max_chars:
        spend(path, limits.max_chars + 1)


def check_archive(path: Path) -> None:
    """Refuse zip bombs and XML with DTDs before python-docx unpacks anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(path, members)
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels")):
                    with archive.open(member) as part:
                        head = part.read(_XML_HEAD_BYTES)
                    if _XML_DECLARATION.search(head.replace(b"\0", b"")):
                        raise IngestError(
                            f"{path.name}: Word-Datei enthält XML-Deklarationen (DOCTYPE/ENTITY) in "
                            f"{member.filename} und wird nicht verarbeitet."
                        )
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as error:
        raise _damaged(path, error) from error


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise IngestError(
            f"{path.name}: Word-Datei enthält mehr als {MAX_MEMBERS} Teile und wird nicht verarbeitet."
        )
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise IngestError(
            f"{path.name}: Word-Datei würde entpackt mehr als 200 MB belegen und wird nicht verarbeitet."
        )
    for member in members:
        if member.file_size > _RATIO_CHECKED_BYTES and member.file_size > MAX_PACKING_RATIO * max(
            member.compress_size, 1
        ):
            raise IngestError(
                f"{path.name}: Word-Datei ist ungewöhnlich stark gepackt ({member.filename}; Zip-Bombe?) "
                "und wird nicht verarbeitet."
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
