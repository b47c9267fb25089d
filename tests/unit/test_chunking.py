"""Sections along the document's own headings, and chunks packed from them with exact spans."""

from __future__ import annotations

from itertools import pairwise

import pytest

from ingest.chunking import chunk_document
from ingest.german.sections import split_sections
from ingest.types import Document

VORLAGE = """Vorlage - 2015/201

Betreff: Allianz für die Region GmbH
Vorlage-Art: Mitteilungsvorlage
Status: öffentlich
Beratungsfolge:
Ausschuss für zentrale Verwaltung – 24.11.2015 – zur Kenntnis genommen

Beschlussvorschlag für den Rat:
Der Rat nimmt den Bericht zur Kenntnis.

Sachverhalt:
Der Geschäftsführer stellt die Planungen vor.
Die Gesellschaft hat z. B. für 2016 rd. 30.000 € beantragt.

Beschluss (Rat, 19. Sitzung am 27.06.2017):
Der Rat beschließt den Beitritt."""

NIEDERSCHRIFT = """Auszug aus der Niederschrift
Sitzung des Kreistages des Landkreises Wolfenbüttel am 27.01.2025
TOP Ö 9: Allianz für die Region GmbH (Vorlage 2025/041)
Status: öffentlich

Die CDU-Fraktion hat einen Änderungsantrag eingebracht.

Beschluss:
Der Beitrag wird erhöht."""

LONG_SACHVERHALT = (
    "Sachverhalt:\n"
    + " ".join(
        f"Am 22.04.15 beantragte der Verein Nr. {number} z. B. ca. 60.000 € für das Jahr 2016 beim Landkreis."
        for number in range(12)
    )
    + "\n\nFinanzielle Auswirkungen:\nKeine."
)


def document(text: str) -> Document:
    return Document(doc_id="vorlage", text=text, sections=split_sections(text))


def section_texts(text: str) -> dict[str, str]:
    return {section.name: text[section.start : section.end] for section in split_sections(text)}


# --- sections -----------------------------------------------------------------------------------


def test_header_block_is_the_kopf_section() -> None:
    kopf = section_texts(VORLAGE)["Kopf"]
    assert kopf.startswith("Vorlage - 2015/201")
    assert kopf.endswith("24.11.2015 – zur Kenntnis genommen")


def test_headings_start_sections_named_as_written() -> None:
    assert [section.name for section in split_sections(VORLAGE)] == [
        "Kopf",
        "Beschlussvorschlag für den Rat",
        "Sachverhalt",
        "Beschluss (Rat, 19. Sitzung am 27.06.2017)",
    ]


def test_section_includes_its_heading_line() -> None:
    assert section_texts(VORLAGE)["Sachverhalt"].startswith("Sachverhalt:\nDer Geschäftsführer")


def test_text_between_header_and_first_heading_is_a_text_section() -> None:
    assert [section.name for section in split_sections(NIEDERSCHRIFT)] == ["Kopf", "Text", "Beschluss"]


def test_text_without_headings_is_one_text_section() -> None:
    text = "Der Landkreis zahlt einen Zuschuss.\nEr beträgt 60.000 €."
    assert [(s.name, s.start, s.end) for s in split_sections(text)] == [("Text", 0, len(text))]


def test_headings_without_colon_as_in_pdf_and_html_start_sections() -> None:
    text = "Vorlage - 2025/064\nStatus: öffentlich\nBeschlussvorschlag\nDer Kreistag beschließt.\nSachverhalt\nDie Garagen."
    assert [section.name for section in split_sections(text)] == ["Kopf", "Beschlussvorschlag", "Sachverhalt"]


def test_short_line_after_blank_line_starts_a_section_like_an_html_heading() -> None:
    text = "Vorlage - 2022/346\n\nStellungnahme des Kreiselternrats\nDer Kreiselternrat begrüßt die Vorlage."
    assert [section.name for section in split_sections(text)] == ["Kopf", "Stellungnahme des Kreiselternrats"]


def test_anlagen_heading_with_inline_value_is_a_section() -> None:
    assert section_texts("Sachverhalt:\nText.\n\nAnlagen: keine")["Anlagen"] == "Anlagen: keine"


@pytest.mark.parametrize("text", [VORLAGE, NIEDERSCHRIFT, LONG_SACHVERHALT])
def test_sections_cover_every_non_blank_character_in_order(text: str) -> None:
    sections = split_sections(text)
    covered = "".join(text[section.start : section.end] for section in sections)
    assert "".join(covered.split()) == "".join(text.split())
    assert all(first.end <= second.start for first, second in pairwise(sections))


# --- chunks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [VORLAGE, NIEDERSCHRIFT, LONG_SACHVERHALT])
def test_chunk_text_is_exactly_the_document_span(text: str) -> None:
    doc = document(text)
    for chunk in chunk_document(doc, max_chars=200):
        assert chunk.text == doc.text[chunk.start : chunk.end]
        assert chunk.text == chunk.text.strip()


def test_short_neighbouring_sections_share_a_chunk() -> None:
    doc = document(VORLAGE)
    chunks = chunk_document(doc, max_chars=600)
    assert len(chunks) < len(doc.sections)
    assert any("Sachverhalt:" in c.text and "Der Rat beschließt den Beitritt." in c.text for c in chunks)


def test_a_chunk_is_named_after_the_section_it_starts_in() -> None:
    doc = document(VORLAGE)
    for chunk in chunk_document(doc, max_chars=200):
        (section,) = [s for s in doc.sections if s.start <= chunk.start < s.end]
        assert chunk.section == section.name


def test_chunks_are_indexed_from_zero() -> None:
    chunks = chunk_document(document(LONG_SACHVERHALT), max_chars=300)
    assert [chunk.index for chunk in chunks] == list(range(len(chunks)))
    assert chunks[0].chunk_id == "vorlage#0"


def test_long_section_is_split_at_sentence_ends_within_max_chars() -> None:
    chunks = [chunk for chunk in chunk_document(document(LONG_SACHVERHALT), max_chars=300)]
    sachverhalt = [chunk for chunk in chunks if chunk.section == "Sachverhalt"]
    assert len(sachverhalt) > 1
    assert all(len(chunk.text) <= 300 for chunk in chunks)
    assert all(chunk.text.endswith("Landkreis.") for chunk in sachverhalt)


def test_amounts_dates_and_abbreviations_are_never_cut() -> None:
    for chunk in chunk_document(document(LONG_SACHVERHALT), max_chars=150):
        if chunk.section == "Sachverhalt" and "Am " in chunk.text:
            assert chunk.text.count("60.000 €") == chunk.text.count("22.04.15") == chunk.text.count("z. B.")


def test_table_rows_stay_whole_lines() -> None:
    rows = [
        f"{number} | Gemeinde Amt Neuhaus | Sanierung der Trauerhalle | 8.478,75 €" for number in range(1, 15)
    ]
    text = "Beschlussvorschlag:\nDie Mittel werden verteilt:\n" + "\n".join(rows)
    chunks = chunk_document(document(text), max_chars=200)
    assert len(chunks) > 1
    for chunk in chunks:
        assert all(
            line == "Beschlussvorschlag:" or line in rows or line.startswith("Die Mittel")
            for line in chunk.text.split("\n")
        )


def test_sentence_longer_than_max_chars_is_split_between_words() -> None:
    text = "Sachverhalt:\n" + " ".join(["Zuschuss"] * 100) + "."
    chunks = chunk_document(document(text), max_chars=120)
    assert all(len(chunk.text) <= 120 for chunk in chunks)
    assert all(not chunk.text.startswith("uschuss") for chunk in chunks)


def test_document_without_sections_is_chunked_by_its_own_headings() -> None:
    doc = Document(doc_id="vorlage", text=VORLAGE)
    assert chunk_document(doc)[0].section == "Kopf"


def test_statement_with_a_heading_word_is_not_a_heading() -> None:
    text = "Finanzielle Auswirkungen:\nKosten: 386.400 € zuzüglich Nebenkosten.\nErgebnis: Fehlbetrag."
    assert [section.name for section in split_sections(text)] == ["Finanzielle Auswirkungen"]
