"""PDF files: the text layer via pypdf; pages without one (scans) via tesseract OCR in German.

A scanned page is rendered at 300 dpi with poppler's `pdftoppm` when it is installed, otherwise the
images embedded in the page are read directly. Pages are separated by a blank line.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdf
import pytesseract
from PIL import Image
from pypdf.errors import PyPdfError

from ingest.german.sections import is_label_line, section_heading
from ingest.parsers import finish_text, spend
from ingest.types import IngestError

logger = logging.getLogger(__name__)

OCR_LANGUAGE = "deu"
OCR_DPI = 300
_OCR_TIMEOUT_S = 180
_RUNS_OF_SPACES = re.compile(r"[ \t]{2,}")
# What pypdf raises on damaged files besides its own errors.
_READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, OSError)


def extract_text(path: Path) -> str:
    reader = _open_pdf(path)
    try:
        pages = list(reader.pages)
    except _READ_ERRORS as error:
        raise _damaged(path, error) from error
    texts = []
    for number, page in enumerate(pages, start=1):
        texts.append(unwrap_lines(_page_text(path, page, number)))
        spend(path, len(texts[-1]))
    return finish_text("\n\n".join(texts), path)


def unwrap_lines(text: str) -> str:
    """Join the lines a PDF wrapped at the page margin back into their paragraph.

    A line is taken as wrapped when it nearly fills the page's text width and does not end a
    sentence, a label or a list entry; headings and short lines stay lines of their own.
    """
    lines = text.split("\n")
    width = max((len(line.rstrip()) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        previous = out[-1].rstrip() if out else ""
        wrapped = (
            previous
            and line.strip()
            and len(previous) >= 0.75 * width
            and not previous.endswith((".", ":", ";", "!", "?"))
            and not is_label_line(line.strip())
            and section_heading(line.strip()) is None
        )
        if wrapped and previous.endswith("-") and line[:1].islower():
            out[-1] = previous[:-1] + line.lstrip()
        elif wrapped:
            out[-1] = f"{previous} {line.lstrip()}"
        else:
            out.append(line)
    return "\n".join(out)


@functools.cache
def ocr_available() -> bool:
    """Whether tesseract with the German language data can be run on this machine."""
    try:
        return OCR_LANGUAGE in pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return False


def _open_pdf(path: Path) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(path)
        encrypted = reader.is_encrypted
    except _READ_ERRORS as error:
        raise _damaged(path, error) from error
    if encrypted:
        _decrypt(path, reader)
    return reader


def _decrypt(path: Path, reader: pypdf.PdfReader) -> None:
    """Open a PDF that is encrypted only against editing (empty user password); refuse all others."""
    try:
        opened = reader.decrypt("") != pypdf.PasswordType.NOT_DECRYPTED
    except _READ_ERRORS:
        opened = False
    if not opened:
        raise IngestError(
            f"{path.name}: PDF ist verschlüsselt (passwortgeschützt) und kann nicht gelesen werden."
        )


def _page_text(path: Path, page: pypdf.PageObject, number: int) -> str:
    try:
        text = page.extract_text() or ""
    except _READ_ERRORS as error:
        raise IngestError(f"{path.name}: Seite {number} des PDF ist beschädigt ({error}).") from error
    if text.strip():
        return _RUNS_OF_SPACES.sub(" ", text)
    if not _has_images(page):
        return ""  # an empty page, nothing to recognise
    return _ocr_page(path, page, number)


def _has_images(page: pypdf.PageObject) -> bool:
    resources = page.get("/Resources")
    return bool(resources and resources.get_object().get("/XObject"))


def _ocr_page(path: Path, page: pypdf.PageObject, number: int) -> str:
    if not ocr_available():
        raise IngestError(
            f"{path.name}: keine Textebene gefunden (gescanntes PDF?) auf Seite {number} – "
            "für die Texterkennung müssen tesseract-ocr und tesseract-ocr-deu installiert sein."
        )
    logger.info("%s: OCR of page %d", path.name, number)
    images = _rendered_page(path, number) if shutil.which("pdftoppm") else _embedded_images(path, page)
    return "\n\n".join(_recognise(path, image, number) for image in images)


def _rendered_page(path: Path, number: int) -> list[Image.Image]:
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        prefix = Path(folder) / "page"
        command = ["pdftoppm", "-r", str(OCR_DPI), "-gray", "-png", "-singlefile"]
        command += ["-f", str(number), "-l", str(number), str(path), str(prefix)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=_OCR_TIMEOUT_S)
            with Image.open(prefix.with_suffix(".png")) as image:
                image.load()
                return [image]
        except (subprocess.SubprocessError, OSError) as error:
            raise IngestError(
                f"{path.name}: Seite {number} konnte nicht gerendert werden ({error})."
            ) from error


def _embedded_images(path: Path, page: pypdf.PageObject) -> list[Image.Image]:
    try:
        return [image_file.image for image_file in page.images if image_file.image is not None]
    except _READ_ERRORS as error:
        raise _damaged(path, error) from error


def _recognise(path: Path, image: Image.Image, number: int) -> str:
    try:
        return str(pytesseract.image_to_string(image, lang=OCR_LANGUAGE, timeout=_OCR_TIMEOUT_S))
    except (pytesseract.TesseractError, RuntimeError, OSError) as error:
        raise IngestError(
            f"{path.name}: Texterkennung auf Seite {number} fehlgeschlagen ({error})."
        ) from error


def _damaged(path: Path, error: Exception) -> IngestError:
    return IngestError(f"{path.name}: PDF ist beschädigt oder kein PDF ({error}).")
