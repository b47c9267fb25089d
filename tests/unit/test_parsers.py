"""Turning files of each format into text, and files into Documents (parse, sidecar overrides)."""

from __future__ import annotations

import hashlib
import json
import random
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from ingest.parsers import docx as docx_parser
from ingest.parsers import html as html_parser
from ingest.parsers import pdf as pdf_parser
from ingest.parsing import SUPPORTED_SUFFIXES, extract_text, is_sidecar, parse
from ingest.types import IngestError

VORLAGE = """Vorlage - 2015/201

Betreff: Allianz für die Region GmbH – Planungen 2016 bis 2018
Vorlage-Art: Mitteilungsvorlage
Status: öffentlich
Beratungsfolge:
Kreisausschuss – 24.11.2015 – zur Kenntnis genommen

Sachverhalt:
Der Landkreis Peine zahlt jährlich 60.000 € an die Gesellschaft.
"""


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    page_canvas = canvas.Canvas(str(path))
    for lines in pages:
        for number, line in enumerate(lines):
            page_canvas.drawString(72, 760 - 16 * number, line)
        page_canvas.showPage()
    page_canvas.save()
    return path


def write_image_only_pdf(path: Path) -> Path:
    Image.new("L", (400, 200), 255).save(path, resolution=150)
    return path


def random_bytes(size: int = 4096) -> bytes:
    return random.Random(7).randbytes(size)


# --- plain text ---------------------------------------------------------------------------------


def test_txt_in_windows_1252_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.txt"
    path.write_bytes("Zuschüsse für Straßen – 60.000 € (Größe)".encode("cp1252"))
    assert extract_text(path) == "Zuschüsse für Straßen – 60.000 € (Größe)"


def test_txt_in_utf8_is_decoded_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.txt"
    path.write_bytes("Überörtliche Maßnahme – 1.500 €".encode())
    assert extract_text(path) == "Überörtliche Maßnahme – 1.500 €"


def test_txt_utf8_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.txt"
    path.write_bytes("\ufeffVorlage - 2015/179".encode())
    assert extract_text(path) == "Vorlage - 2015/179"


def test_txt_utf16_with_byte_order_mark_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.txt"
    path.write_bytes("Betreff: Gebührenänderung".encode("utf-16"))
    assert extract_text(path) == "Betreff: Gebührenänderung"


def test_txt_crlf_line_endings_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.txt"
    path.write_bytes("Vorlage - 2014/284\r\n\r\nBetreff: Haushalt\r\n".encode("cp1252"))
    assert extract_text(path) == "Vorlage - 2014/284\n\nBetreff: Haushalt"


def test_txt_with_nul_bytes_is_rejected_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.txt"
    path.write_bytes(b"Vorlage\x00\x00\x01\x02 - 2015/179")
    with pytest.raises(IngestError, match="keine lesbare Textdatei"):
        extract_text(path)


@pytest.mark.parametrize("suffix", [".txt", ".pdf", ".docx", ".html"])
def test_random_bytes_are_rejected(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"kaputt{suffix}"
    path.write_bytes(random_bytes())
    with pytest.raises(IngestError, match="kaputt"):
        extract_text(path)


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n  "])
def test_empty_or_whitespace_txt_is_rejected(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "leer.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError, match="leer.txt: Datei ist leer"):
        extract_text(path)


# --- HTML ---------------------------------------------------------------------------------------

RIS_PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Vorlage - 2022/346</title>
<script>window.trackingId = "ris-2022";</script><style>td{padding:2px}</style></head>
<body>
<div id="navigation"><a href="/">Startseite</a> | <a href="/vo040.asp">Vorlagen</a></div>
<nav>Bürgerinformationssystem</nav>
<h1>Vorlage - 2022/346</h1>
<table class="risdeco">
<tr><td>Betreff:</td><td>Kommunaler Strukturentwicklungsfonds</td></tr>
<tr><td>Status:</td><td>öffentlich</td><td>Vorlage-Art:</td><td>Beschlussvorlage</td></tr>
</table>
<h3>Beratungsfolge</h3>
<table><tr><td>Ausschuss für Wirtschaft</td><td>21.11.2022</td><td>ungeändert beschlossen</td></tr></table>
<h3>Beschlussvorschlag</h3>
<p>Die Mittel werden <b>wie folgt</b>
verteilt:</p>
<table border="1">
<tr><th>Nr.</th><th>Kommune</th><th>Zuschuss</th></tr>
<tr><td>1</td><td>Gemeinde Amt Neuhaus</td><td>13.350 €</td></tr>
</table>
<div id="footer">Impressum | Datenschutz</div>
<script>alert("nie ausführen")</script>
</body></html>
"""


@pytest.fixture
def ris_page_text(tmp_path: Path) -> str:
    path = tmp_path / "vorlage.html"
    path.write_text(RIS_PAGE, encoding="utf-8")
    return extract_text(path)


def test_html_drops_navigation_script_style_and_footer(ris_page_text: str) -> None:
    for chrome in ("Startseite", "Bürgerinformationssystem", "trackingId", "padding", "Impressum", "alert"):
        assert chrome not in ris_page_text


def test_html_headings_and_paragraphs_become_lines(ris_page_text: str) -> None:
    lines = ris_page_text.split("\n")
    assert lines[0] == "Vorlage - 2022/346"
    assert "Beschlussvorschlag" in lines
    assert "Die Mittel werden wie folgt verteilt:" in lines


def test_html_heading_is_preceded_by_blank_line(ris_page_text: str) -> None:
    assert "\n\nBeschlussvorschlag\n" in ris_page_text


def test_html_label_value_rows_become_label_lines(ris_page_text: str) -> None:
    lines = ris_page_text.split("\n")
    assert "Betreff: Kommunaler Strukturentwicklungsfonds" in lines
    assert "Status: öffentlich" in lines
    assert "Vorlage-Art: Beschlussvorlage" in lines


def test_html_table_rows_become_cells_joined_by_pipes(ris_page_text: str) -> None:
    lines = ris_page_text.split("\n")
    assert "Nr. | Kommune | Zuschuss" in lines
    assert "1 | Gemeinde Amt Neuhaus | 13.350 €" in lines
    assert "Ausschuss für Wirtschaft | 21.11.2022 | ungeändert beschlossen" in lines


def test_html_definition_list_becomes_label_lines(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.html"
    path.write_text("<dl><dt>Betreff</dt><dd>Jugendarbeit</dd><dt>Status</dt><dd>öffentlich</dd></dl>")
    assert extract_text(path) == "Betreff: Jugendarbeit\nStatus: öffentlich"


def test_html_declared_windows_1252_charset_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.htm"
    page = '<html><head><meta charset="windows-1252"></head><body><p>Größe: 5.000 €</p></body></html>'
    path.write_bytes(page.encode("cp1252"))
    assert extract_text(path) == "Größe: 5.000 €"


def test_html_larger_than_limit_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_parser, "MAX_HTML_BYTES", 100)
    path = tmp_path / "riesig.html"
    path.write_text("<p>" + "Text " * 100 + "</p>")
    with pytest.raises(IngestError, match="größer als 20 MB"):
        extract_text(path)


def test_html_keeps_the_council_that_only_the_navigation_names(tmp_path: Path) -> None:
    path = tmp_path / "gebuehren.html"
    path.write_text(
        "<html><head><title>Abfallgebühren 2025</title></head><body>"
        "<nav>Bürgerinformationssystem Talkreis &raquo; Tagesordnung | Suche</nav>"
        "<p>Der Kreistag beschließt die Gebühren für das Jahr 2025.</p></body></html>",
        encoding="utf-8",
    )
    text = extract_text(path)
    assert text.split("\n")[0] == "[Quelle: Bürgerinformationssystem Talkreis]"
    assert "Tagesordnung" not in text and "Suche" not in text


def test_html_menu_entries_after_the_system_name_are_no_council(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.html"
    path.write_text(
        "<html><body><nav>Ratsinformationssystem Sitzungskalender Gremien Recherche</nav>"
        "<header>Ratsinformationssystem der Stadt Talheim am See Startseite</header>"
        "<p>Der Rat beschließt die Satzung.</p></body></html>",
        encoding="utf-8",
    )
    assert extract_text(path).split("\n")[0] == "[Quelle: Ratsinformationssystem der Stadt Talheim am See]"


def test_html_with_only_navigation_naming_a_council_is_still_empty(tmp_path: Path) -> None:
    path = tmp_path / "menue.html"
    path.write_text("<html><body><nav>Ratsinformationssystem der Stadt Talheim</nav></body></html>")
    with pytest.raises(IngestError, match="Datei ist leer"):
        extract_text(path)


def test_html_with_only_navigation_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "menue.html"
    path.write_text("<html><body><nav>Startseite</nav><script>x()</script></body></html>")
    with pytest.raises(IngestError, match="Datei ist leer"):
        extract_text(path)


def test_deeply_nested_html_is_read(tmp_path: Path) -> None:
    path = tmp_path / "tief.html"
    path.write_text("<div>" * 250 + "Sachverhalt" + "</div>" * 250)
    assert extract_text(path) == "Sachverhalt"


def test_html_nested_beyond_parser_limit_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "tief.html"
    path.write_text("<div>" * 50_000 + "Sachverhalt")
    with pytest.raises(IngestError, match="zu tief verschachtelt"):
        extract_text(path)


# --- DOCX ---------------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_keep_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Vorlage - 2021/0412", level=1)
    document.add_paragraph("Betreff: Verband Region Starkenburg")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(
        table.rows, [("Nr.", "Mitglied", "Beitrag"), ("1", "Kreis Bergstraße", "0,30 €")], strict=True
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_heading("Sachverhalt", level=2)
    document.add_paragraph("Der Verband fördert die Zusammenarbeit.")
    path = tmp_path / "vorlage.docx"
    document.save(str(path))

    assert extract_text(path) == (
        "Vorlage - 2021/0412\n"
        "Betreff: Verband Region Starkenburg\n"
        "Nr. | Mitglied | Beitrag\n"
        "1 | Kreis Bergstraße | 0,30 €\n"
        "\n"
        "Sachverhalt\n"
        "Der Verband fördert die Zusammenarbeit."
    )


def test_docx_that_is_a_zip_but_not_a_word_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hallo.txt", "kein Word")
    with pytest.raises(IngestError, match="kaputt.docx: Word-Datei ist beschädigt"):
        extract_text(path)


def test_docx_unpacking_beyond_limit_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bombe.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 10_000)
    monkeypatch.setattr(docx_parser, "MAX_UNPACKED_BYTES", 5_000)
    with pytest.raises(IngestError, match="mehr als 200 MB"):
        extract_text(path)


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "leer.docx"
    docx.Document().save(str(path))
    with pytest.raises(IngestError, match="Datei ist leer"):
        extract_text(path)


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_text_layer_is_extracted(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "vorlage.pdf", [["Vorlage - 2025/064", "Betreff: Größere Garagen für die FTZ"]]
    )
    assert extract_text(path) == "Vorlage - 2025/064\nBetreff: Größere Garagen für die FTZ"


def test_pdf_page_break_becomes_blank_line(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "vorlage.pdf", [["Seite eins."], ["Seite zwei."]])
    assert extract_text(path) == "Seite eins.\n\nSeite zwei."


def test_truncated_pdf_is_rejected(tmp_path: Path) -> None:
    good = write_pdf(tmp_path / "gut.pdf", [["Sachverhalt"]]).read_bytes()
    path = tmp_path / "kaputt.pdf"
    path.write_bytes(good[: len(good) // 3])
    with pytest.raises(IngestError, match="kaputt.pdf"):
        extract_text(path)


def test_password_protected_pdf_is_rejected(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=write_pdf(tmp_path / "offen.pdf", [["Geheim"]]))
    writer.encrypt("geheim", algorithm="RC4-128")
    path = tmp_path / "geschuetzt.pdf"
    writer.write(path)
    with pytest.raises(IngestError, match="verschlüsselt"):
        extract_text(path)


def test_pdf_locked_only_against_editing_is_read(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=write_pdf(tmp_path / "offen.pdf", [["Sachverhalt"]]))
    writer.encrypt(user_password="", owner_password="verwaltung", algorithm="RC4-128")
    path = tmp_path / "gesperrt.pdf"
    writer.write(path)
    assert extract_text(path) == "Sachverhalt"


def test_scanned_pdf_without_ocr_reports_missing_text_layer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_parser, "ocr_available", lambda: False)
    path = write_image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(IngestError, match=r"scan.pdf: keine Textebene gefunden \(gescanntes PDF\?\)"):
        extract_text(path)


def test_pdf_with_only_blank_pages_is_empty(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "leer.pdf", [[]])
    with pytest.raises(IngestError, match="Datei ist leer"):
        extract_text(path)


# --- parse --------------------------------------------------------------------------------------


def test_unsupported_extension_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "tabelle.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(IngestError, match="Dateityp „.xlsx“ wird nicht unterstützt"):
        parse(path)


def test_missing_file_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="nicht gefunden"):
        parse(tmp_path / "fehlt.txt")


def test_parse_sets_id_source_hash_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "vorlage-2015-201.txt"
    path.write_text(VORLAGE, encoding="utf-8")
    document = parse(path)
    assert document.doc_id == "vorlage-2015-201"
    assert document.source == str(path)
    assert document.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (document.reference, document.status, document.body) == (
        "2015/201",
        "öffentlich",
        "Landkreis Peine",
    )
    assert [section.name for section in document.sections] == ["Kopf", "Sachverhalt"]


def test_sidecar_file_overrides_metadata_from_text(tmp_path: Path) -> None:
    path = tmp_path / "vorlage-2015-201.txt"
    path.write_text(VORLAGE, encoding="utf-8")
    sidecar = {"title": "Korrigierter Betreff", "status": "nicht öffentlich", "date": "01.12.2015"}
    (tmp_path / "vorlage-2015-201.txt.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    document = parse(path)
    assert (document.title, document.status, document.date) == (
        "Korrigierter Betreff",
        "nichtöffentlich",
        "2015-12-01",
    )
    assert document.reference == "2015/201"


def test_sidecar_committees_replace_beratungsfolge_keeping_known_dates(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.txt"
    path.write_text(VORLAGE, encoding="utf-8")
    (tmp_path / "vorlage.txt.meta.json").write_text(
        json.dumps({"committees": ["Kreisausschuss", "Kreistag"]})
    )
    document = parse(path)
    assert document.committees == ["Kreisausschuss", "Kreistag"]
    assert document.consultations[0].date == "2015-11-24"


def test_overrides_argument_wins_over_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.txt"
    path.write_text(VORLAGE, encoding="utf-8")
    (tmp_path / "vorlage.txt.meta.json").write_text(json.dumps({"body": "Stadt Peine"}))
    assert parse(path, overrides={"body": "Landkreis Wolfenbüttel"}).body == "Landkreis Wolfenbüttel"


def test_invalid_sidecar_json_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.txt"
    path.write_text(VORLAGE, encoding="utf-8")
    (tmp_path / "vorlage.txt.meta.json").write_text("{kein json")
    with pytest.raises(IngestError, match="vorlage.txt.meta.json: Metadaten-Datei ist kein gültiges JSON"):
        parse(path)


def test_sidecar_field_of_wrong_type_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.txt"
    path.write_text(VORLAGE, encoding="utf-8")
    (tmp_path / "vorlage.txt.meta.json").write_text(json.dumps({"title": 42}))
    with pytest.raises(IngestError, match="„title“ muss ein Text sein"):
        parse(path)


def test_sidecar_files_are_recognised_and_not_documents(tmp_path: Path) -> None:
    sidecar = tmp_path / "vorlage-2015-179.txt.meta.json"
    sidecar.write_text("{}")
    assert is_sidecar(sidecar)
    assert not is_sidecar(tmp_path / "vorlage-2015-179.txt")
    assert sidecar.suffix not in SUPPORTED_SUFFIXES
    with pytest.raises(IngestError, match="Metadaten-Datei"):
        parse(sidecar)


def test_pdf_lines_wrapped_at_the_margin_are_joined_but_headings_and_labels_stay():
    from ingest.parsers.pdf import unwrap_lines

    text = (
        "Betreff: Erweiterung der Feuerwehrtechnischen Zentrale um Garagen und Stellplätze\n"
        "Status: öffentlich\n"
        "Sachverhalt\n"
        "Die Investition beläuft sich auf rund 1,3 Millionen Euro. Die Mittel sind im Haushaltsplan\n"
        "2026 veranschlagt.\n"
        "Anlagen: keine"
    )
    assert unwrap_lines(text).split("\n") == [
        "Betreff: Erweiterung der Feuerwehrtechnischen Zentrale um Garagen und Stellplätze",
        "Status: öffentlich",
        "Sachverhalt",
        "Die Investition beläuft sich auf rund 1,3 Millionen Euro. Die Mittel sind im Haushaltsplan 2026 veranschlagt.",
        "Anlagen: keine",
    ]


def test_content_hash_changes_when_only_the_sidecar_changes(tmp_path):
    from ingest.parsing import parse

    path = tmp_path / "vorlage.txt"
    path.write_text(
        "Vorlage - 2024/1\nBetreff: Test\nStatus: öffentlich\n\nSachverhalt:\nText.\n", encoding="utf-8"
    )
    before = parse(path).content_hash
    (tmp_path / "vorlage.txt.meta.json").write_text('{"title": "Korrigiert"}', encoding="utf-8")
    after = parse(path)
    assert after.title == "Korrigiert"
    assert after.content_hash != before


def test_text_mixing_utf8_and_windows_1252_reads_both_parts(tmp_path):
    from ingest.parsing import extract_text

    path = tmp_path / "gemischt.txt"
    path.write_bytes("Förderverein erhält ".encode() + "Zuschuß".encode("cp1252"))
    assert extract_text(path) == "Förderverein erhält Zuschuß"


def test_utf32_text_with_bom_is_read(tmp_path):
    from ingest.parsing import extract_text

    path = tmp_path / "utf32.txt"
    path.write_bytes("Förderverein erhält".encode("utf-32"))
    assert extract_text(path) == "Förderverein erhält"


def test_html_in_utf8_that_declares_latin1_is_read_as_utf8(tmp_path):
    from ingest.parsing import extract_text

    path = tmp_path / "seite.html"
    path.write_bytes(
        '<html><head><meta charset="iso-8859-1"></head><body><p>Förderverein</p></body></html>'.encode()
    )
    assert "Förderverein" in extract_text(path)


def test_bidirectional_override_characters_are_removed(tmp_path):
    from ingest.parsing import extract_text

    path = tmp_path / "rtl.txt"
    path.write_text("\u202eDer Verein erhält 12.500 €\u202c", encoding="utf-8")
    assert extract_text(path) == "Der Verein erhält 12.500 €"
