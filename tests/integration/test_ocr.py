"""Scanned PDFs (pages that are only an image) are read with tesseract OCR in German."""

from __future__ import annotations

from pathlib import Path

import pytest
import reportlab
from PIL import Image, ImageDraw, ImageFont

from ingest.parsers import pdf as pdf_parser
from ingest.parsing import parse

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not pdf_parser.ocr_available(), reason="tesseract with German language data not installed"
    ),
]

# Bitstream Vera ships inside reportlab, so the umlauts render the same on every machine.
FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
SCANNED_LINES = [
    "Vorlage - 2024/017",
    "Betreff: Zuschuss für die Straßenmeisterei",
    "Status: nichtöffentlich",
    "Die Gemeinde Überlingen zahlt jährlich 5.000 Euro.",
    "Größere Maßnahmen für Bürgerinnen und Bürger.",
]


def write_scanned_pdf(path: Path) -> Path:
    """An A4 page at 300 dpi with nothing but a picture of typed German text."""
    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 50)
    for number, line in enumerate(SCANNED_LINES):
        draw.text((200, 250 + 120 * number), line, font=font, fill=0)
    page.save(path, resolution=300)
    return path


def test_scanned_pdf_is_read_with_umlauts_and_eszett(tmp_path: Path) -> None:
    document = parse(write_scanned_pdf(tmp_path / "scan.pdf"))
    assert [line for line in document.text.split("\n") if line] == SCANNED_LINES
    assert (document.reference, document.title, document.status) == (
        "2024/017",
        "Zuschuss für die Straßenmeisterei",
        "nichtöffentlich",
    )


def test_scanned_pdf_is_read_from_embedded_image_without_pdftoppm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_parser.shutil, "which", lambda command: None)
    document = parse(write_scanned_pdf(tmp_path / "scan.pdf"))
    assert "Die Gemeinde Überlingen zahlt jährlich 5.000 Euro." in document.text
