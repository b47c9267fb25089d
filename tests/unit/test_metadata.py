"""Reading Vorlage number, Betreff, type, status, body, dates and Beratungsfolge from document text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.metadata import (
    DocumentMetadata,
    apply_overrides,
    normalise_status,
    parse_consultation,
    read_metadata,
)
from ingest.parsing import parse
from ingest.types import Consultation, Document, IngestError

DEV_DOCS = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "docs"

# What each development document states in its own text (read by hand from the files).
DEV_EXPECTED: dict[str, tuple[str, str, str]] = {
    "2000-079-kreuzau.txt": (
        "79/00",
        "Kürzung der freiwilligen Ausgaben; hier: Kündigung der Mitgliedschaft in verschiedenen Vereinen "
        "und Verbänden im Bereich der Kultur- und Heimatpflege",
        "öffentlich",
    ),
    "2007-083-billerbeck.txt": (
        "FBZD/083/2007",
        'Verschmelzung der "Aktion Münsterland" und der "Münsterland Touristik" zum Verein '
        '"Münsterland Marketing e.V."',
        "öffentlich",
    ),
    "2009-051-inden.txt": (
        "51/2009",
        'Beitritt der Gemeinde Inden zum Verein "Grünmetropole e.V."',
        "öffentlich",
    ),
    "2014-284-lueneburg.txt": (
        "2014/284",
        "Haushaltssatzung und Haushaltsplan 2015 (Stand der 5. Aktualisierung vom 08.12.2014)",
        "öffentlich",
    ),
    "2015-179-peine.txt": ("2015/179", "", ""),
    "2015-201-peine.txt": (
        "2015/201",
        "Allianz für die Region GmbH – Vorstellung der Planungen 2016 bis 2018",
        "öffentlich",
    ),
    "2017-157-kall.txt": ("157/2017", "Mitgliedschaft der Gemeinde Kall in der Lit.Eifel e.V.", "öffentlich"),
    "2019-188-neustadt.txt": (
        "2019/188",
        "Erhöhung des Mitgliedsbeitrages an die Tourismusgemeinschaft Steinhuder Meer e.V.",
        "öffentlich",
    ),
    "2021-0412-darmstadt-dieburg.docx": (
        "2021/0412",
        "Verband Region Starkenburg – Regelung für das Ausscheiden von Mitgliedern",
        "öffentlich",
    ),
    "2022-0214-hann-muenden.txt": (
        "BesV/0214/22",
        "Mitgliedschaft im Verein Kommunen in der Metropolregion e.V.",
        "öffentlich",
    ),
    "2022-212-peine.txt": ("2022/212", "Gesamthaushalt 2023", "öffentlich"),
    "2022-346-lueneburg.html": (
        "2022/346",
        "Kommunaler Strukturentwicklungsfonds für den Landkreis Lüneburg – Verteilung der Haushaltsmittel 2022",
        "öffentlich",
    ),
    "2023-117-peine-grundstueck.txt": (
        "2023/117",
        "Ankauf einer Teilfläche an der Woltorfer Straße für den Neubau der Rettungswache Peine-Nord",
        "nichtöffentlich",
    ),
    "2025-041-wolfenbuettel-beschluss.txt": (
        "2025/041",
        "Allianz für die Region GmbH – Anpassung des Gesellschafterbeitrages ab 2025",
        "öffentlich",
    ),
    "2025-041-wolfenbuettel.txt": (
        "2025/041",
        "Allianz für die Region GmbH – Anpassung des Gesellschafterbeitrages ab 2025",
        "öffentlich",
    ),
    "2025-064-peine-ftz.pdf": (
        "2025/064",
        "Erweiterung der Feuerwehrtechnischen Zentrale (FTZ) um Garagen und Stellplätze",
        "öffentlich",
    ),
    "2025-071-peine-rebhuhn.pdf": (
        "2025/071",
        "Vertrag über die Anlage von Rebhuhnschutzflächen",
        "öffentlich",
    ),
    "2025-088-peine-jugendarbeit.html": (
        "2025/088",
        "Neufassung der Richtlinie zur Förderung der Kinder- und Jugendarbeit im Landkreis Peine",
        "öffentlich",
    ),
}

# Body and document type as stated; "" where the document does not name its body.
DEV_BODY_AND_TYPE: dict[str, tuple[str, str]] = {
    "2000-079-kreuzau.txt": ("Gemeinde Kreuzau", "Allgemeine Vorlage"),
    "2007-083-billerbeck.txt": ("Stadt Billerbeck", "Sitzungsvorlage"),
    "2009-051-inden.txt": ("Gemeinde Inden", "Beschlussvorlage"),
    "2014-284-lueneburg.txt": ("Landkreis Lüneburg", "Beschlussvorlage"),
    "2015-179-peine.txt": ("Landkreis Peine", ""),
    "2015-201-peine.txt": ("Landkreis Peine", "Mitteilungsvorlage"),
    "2017-157-kall.txt": ("Gemeinde Kall", "Beschlussvorlage"),
    "2019-188-neustadt.txt": ("", "Beschlussvorlage"),
    "2021-0412-darmstadt-dieburg.docx": ("Landkreis Darmstadt-Dieburg", "Beschlussvorlage"),
    "2022-0214-hann-muenden.txt": ("Stadt Hann. Münden", "Beschlussvorlage"),
    "2022-212-peine.txt": ("Landkreis Peine", "Beschlussvorlage"),
    "2022-346-lueneburg.html": ("Landkreis Lüneburg", "Beschlussvorlage"),
    "2023-117-peine-grundstueck.txt": ("", "Beschlussvorlage"),
    "2025-041-wolfenbuettel-beschluss.txt": ("Landkreis Wolfenbüttel", "Niederschrift"),
    "2025-041-wolfenbuettel.txt": ("Landkreis Wolfenbüttel", "Beschlussvorlage"),
    "2025-064-peine-ftz.pdf": ("Landkreis Peine", "Beschlussvorlage"),
    "2025-071-peine-rebhuhn.pdf": ("Landkreis Peine", "Beschlussvorlage"),
    "2025-088-peine-jugendarbeit.html": ("Landkreis Peine", "Beschlussvorlage"),
}

needs_dev_docs = pytest.mark.skipif(not DEV_DOCS.is_dir(), reason="development documents not present")


def dev_document(name: str) -> Document:
    return parse(DEV_DOCS / name)


@needs_dev_docs
def test_expected_table_names_every_development_document() -> None:
    assert sorted(path.name for path in DEV_DOCS.iterdir()) == sorted(DEV_EXPECTED)


@needs_dev_docs
@pytest.mark.parametrize("name", sorted(DEV_EXPECTED))
def test_development_document_reference_title_and_status(name: str) -> None:
    document = dev_document(name)
    assert (document.reference, document.title, document.status) == DEV_EXPECTED[name]


@needs_dev_docs
@pytest.mark.parametrize("name", sorted(DEV_BODY_AND_TYPE))
def test_development_document_body_and_type(name: str) -> None:
    document = dev_document(name)
    assert (document.body, document.doc_type) == DEV_BODY_AND_TYPE[name]


@needs_dev_docs
def test_consultations_of_html_table_rows_are_read() -> None:
    assert dev_document("2022-346-lueneburg.html").consultations[0] == Consultation(
        "Ausschuss für Wirtschaft und Touristik", "2022-11-21", "ungeändert beschlossen"
    )


@pytest.mark.parametrize(
    ("line", "reference"),
    [
        ("Vorlage - 2015/179", "2015/179"),
        ("Vorlage - BesV/0214/22", "BesV/0214/22"),
        ("Vorlage - 79/00", "79/00"),
        ("Drucksache 18/1234", "18/1234"),
        ("Drucksache Nr. 2020/123", "2020/123"),
        ("Vorlage Nr. VO/2020/123", "VO/2020/123"),
        ("Vorlagen-Nr.: 123/2020", "123/2020"),
        ("Beschlussvorlage 2019/188", "2019/188"),
        ("TOP Ö 9: Allianz für die Region GmbH (Vorlage 2025/041)", "2025/041"),
    ],
)
def test_reference_is_read_from_its_usual_forms(line: str, reference: str) -> None:
    assert read_metadata(f"{line}\nStatus: öffentlich").reference == reference


def test_reference_line_wins_over_later_mentions() -> None:
    text = (
        "Vorlage - 2015/201\n\nSachverhalt:\nWie in der Vorlage 2015/179 beschrieben (vgl. Vorlage 2015/179)."
    )
    assert read_metadata(text).reference == "2015/201"


def test_document_without_reference_has_empty_reference() -> None:
    assert read_metadata("Der Kreistag hat über die Vorlage beraten.").reference == ""


def test_wrapped_betreff_is_joined() -> None:
    text = "Betreff: Erweiterung der Feuerwehrtechnischen\nZentrale um Garagen\nVorlage-Art: Beschlussvorlage"
    assert read_metadata(text).title == "Erweiterung der Feuerwehrtechnischen Zentrale um Garagen"


def test_niederschrift_excerpt_takes_title_from_top_line() -> None:
    text = (
        "Auszug aus der Niederschrift\n"
        "Sitzung des Kreistages des Landkreises Wolfenbüttel am 27.01.2025\n"
        "TOP Ö 9: Allianz für die Region GmbH – Beitrag ab 2025 (Vorlage 2025/041)\n"
    )
    metadata = read_metadata(text)
    assert (metadata.title, metadata.doc_type, metadata.date) == (
        "Allianz für die Region GmbH – Beitrag ab 2025",
        "Niederschrift",
        "2025-01-27",
    )


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("öffentlich", "öffentlich"),
        ("Öffentlich", "öffentlich"),
        ("nichtöffentlich", "nichtöffentlich"),
        ("nicht öffentlich", "nichtöffentlich"),
        ("Nicht-öffentlich", "nichtöffentlich"),
        ("nicht oeffentlich", "nichtöffentlich"),
    ],
)
def test_status_is_normalised(written: str, status: str) -> None:
    assert normalise_status(written) == status


def test_missing_status_stays_empty_and_counts_as_not_public() -> None:
    metadata = read_metadata("Vorlage - 2015/179\nBetreff: Beteiligungen")
    assert metadata.status == ""
    assert not Document(doc_id="x", text="x", status=metadata.status).is_public


@pytest.mark.parametrize(
    ("entry", "consultation"),
    [
        (
            "Kreisausschuss – 08.12.2014 – zur Kenntnis genommen",
            Consultation("Kreisausschuss", "2014-12-08", "zur Kenntnis genommen"),
        ),
        (
            "Rat der Stadt Hann. Münden (Entscheidung) – 13.10.2022 – ungeändert beschlossen",
            Consultation("Rat der Stadt Hann. Münden", "2022-10-13", "ungeändert beschlossen"),
        ),
        ("Kreisausschuss (nichtöffentlich) – 19.06.2023", Consultation("Kreisausschuss", "2023-06-19", "")),
        ("Haupt- und Finanzausschuss", Consultation("Haupt- und Finanzausschuss", "", "")),
        (
            "Ausschuss für Wirtschaft | 21.11.2022 | ungeändert beschlossen",
            Consultation("Ausschuss für Wirtschaft", "2022-11-21", "ungeändert beschlossen"),
        ),
        (
            "Kreistag 11.06.2025 – ungeändert beschlossen",
            Consultation("Kreistag", "2025-06-11", "ungeändert beschlossen"),
        ),
    ],
)
def test_beratungsfolge_step_is_parsed(entry: str, consultation: Consultation) -> None:
    assert parse_consultation(entry) == consultation


def test_beratungsfolge_lines_become_consultations_in_order() -> None:
    text = "Beratungsfolge:\nKulturausschuss – 15.08.2000\nRat der Gemeinde Kreuzau – 26.09.2000\n\nSachverhalt:\nText"
    assert [step.committee for step in read_metadata(text).consultations] == [
        "Kulturausschuss",
        "Rat der Gemeinde Kreuzau",
    ]


def test_inline_beratungsfolge_wrapped_over_lines_is_split_at_semicolons() -> None:
    text = (
        "Beratungsfolge: Ausschuss für Feuerschutz 12.05.2025; Kreisausschuss 26.05.2025;\n"
        "Kreistag 11.06.2025 – ungeändert beschlossen\n"
        "Beschlussvorschlag\n"
        "Der Kreistag beschließt."
    )
    assert read_metadata(text).consultations == (
        Consultation("Ausschuss für Feuerschutz", "2025-05-12", ""),
        Consultation("Kreisausschuss", "2025-05-26", ""),
        Consultation("Kreistag", "2025-06-11", "ungeändert beschlossen"),
    )


def test_beratungsfolge_table_flattened_into_the_header_line_gives_its_steps() -> None:
    text = (
        "Beschlussvorlage Amt: 30 Datum: 03.03.2021 Drucksache Nr.: 12/2021 Beratungsfolge Termin Beratung "
        "Kennung Abstimmung Bau- und Umweltausschuss 15.03.2021 vorberatend nichtöffentlich Stadtrat "
        "29.03.2021 beschließend öffentlich Beteiligungsvermerke Amt Handzeichen\n"
        "Betreff:\nNeubau eines Radwegs\n"
        "Beschlussvorschlag: Der Stadtrat beschließt den Neubau."
    )
    assert read_metadata(text).consultations == (
        Consultation("Bau- und Umweltausschuss", "2021-03-15", ""),
        Consultation("Stadtrat", "2021-03-29", ""),
    )


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("Beratungsfolge:\nRat der Gemeinde Kreuzau – 26.09.2000", "Gemeinde Kreuzau"),
        ("Kreistag des Landkreises Lüneburg – 15.12.2014", "Landkreis Lüneburg"),
        ("Der Rat der Stadt Hann. Münden beschließt.", "Stadt Hann. Münden"),
        ("Der Landkreis Peine ist Mitglied im Verein.", "Landkreis Peine"),
        ("Die Zentrale des Landkreises Darmstadt-Dieburg wird erweitert.", "Landkreis Darmstadt-Dieburg"),
        ("Der Beitrag der Stadt steigt auf 10.560 €.", ""),
    ],
)
def test_body_is_taken_only_from_what_the_text_states(text: str, body: str) -> None:
    assert read_metadata(text).body == body


def test_council_of_the_body_wins_over_other_mentions() -> None:
    text = "Der Kreis Coesfeld wird gebeten, mitzuwirken.\nBeratungsfolge:\nRat der Stadt Billerbeck"
    assert read_metadata(text).body == "Stadt Billerbeck"


def test_date_line_wins_over_beratungsfolge() -> None:
    text = "Datum: 13.05.2009\nBeratungsfolge:\nRat der Gemeinde Inden – 03.06.2009"
    assert read_metadata(text).date == "2009-05-13"


def test_date_falls_back_to_first_dated_consultation() -> None:
    text = "Beratungsfolge:\nHauptausschuss\nKreisausschuss – 08.12.2014\nKreistag – 15.12.2014"
    assert read_metadata(text).date == "2014-12-08"


def test_document_without_dates_has_empty_date() -> None:
    assert read_metadata("Vorlage - 2007/083\nBeratungsfolge:\nRat der Stadt Billerbeck").date == ""


def test_override_date_in_german_form_is_stored_as_iso() -> None:
    assert apply_overrides(DocumentMetadata(), {"date": "01.12.2015"}, "x.meta.json").date == "2015-12-01"


def test_override_with_unreadable_date_is_rejected() -> None:
    with pytest.raises(IngestError, match="Datum „demnächst“ nicht erkannt"):
        apply_overrides(DocumentMetadata(), {"date": "demnächst"}, "x.meta.json")


def test_override_consultations_replace_beratungsfolge() -> None:
    overrides = {
        "consultations": [{"committee": "Kreistag", "date": "2025-01-27", "resolution": "beschlossen"}]
    }
    metadata = apply_overrides(DocumentMetadata(), overrides, "x.meta.json")
    assert metadata.consultations == (Consultation("Kreistag", "2025-01-27", "beschlossen"),)


def test_unknown_override_fields_are_ignored() -> None:
    assert apply_overrides(DocumentMetadata(title="A"), {"farbe": "blau"}, "x.meta.json") == DocumentMetadata(
        title="A"
    )


# --- layouts of real RIS exports (invented content in their shapes) --------------------------------


def test_sessionnet_block_layout_gives_reference_title_and_type() -> None:
    text = (
        "Betreff\nZuschuss an den Heimatverein Musterdorf e.V.\nVorlage\nFB 3/071/2024\n"
        "Aktenzeichen\nab/12\nArt\nBeschlussvorlage\n\nBeschlussvorschlag:\nDer Rat beschließt."
    )
    metadata = read_metadata(text)
    assert (metadata.reference, metadata.title, metadata.doc_type) == (
        "FB 3/071/2024",
        "Zuschuss an den Heimatverein Musterdorf e.V.",
        "Beschlussvorlage",
    )


def test_block_title_skips_an_inserted_status_line() -> None:
    text = "Betreff\nStatus: nichtöffentlich\nVerkauf einer Teilfläche\nVorlage\nBV/017/2023\nArt\nBeschlussvorlage"
    metadata = read_metadata(text)
    assert (metadata.title, metadata.status, metadata.reference) == (
        "Verkauf einer Teilfläche",
        "nichtöffentlich",
        "BV/017/2023",
    )


def test_text_layer_that_glued_the_next_label_onto_the_title_is_untangled() -> None:
    text = "Betreff\n\nNeubau einer Kita in Musterstadt Vorlage\n\n052/2019\n\nArt\n\nBeschlussvorlage\n"
    metadata = read_metadata(text)
    assert (metadata.title, metadata.reference) == ("Neubau einer Kita in Musterstadt", "052/2019")


def test_header_table_cells_give_title_reference_and_type() -> None:
    text = "Vorlage - 301/2022\nBetreff | Zuschuss an die Musikschule (301/2022)\nVorlage | 301/2022\nArt | Beschlussvorlage"
    metadata = read_metadata(text)
    assert (metadata.reference, metadata.title, metadata.doc_type) == (
        "301/2022",
        "Zuschuss an die Musikschule",
        "Beschlussvorlage",
    )


@pytest.mark.parametrize(
    ("header", "reference"),
    [
        ("Drucksache - DrS/2020/017-1", "DrS/2020/017-1"),
        ("Vorlage - VO/2021/123-02", "VO/2021/123-02"),
        ("Vorlage - VII/STR/HA/0815/23", "VII/STR/HA/0815/23"),
        ("Vorlage - BR-2023-014", "BR-2023-014"),
        ("Drucksache - IX-0427", "IX-0427"),
        ("Vorlage - VII-DS-04711", "VII-DS-04711"),
        ("Drucksache 0815/IV", "0815/IV"),
        ("Vorlage: 2-015/2018/02-003", "2-015/2018/02-003"),
        ("Landeshauptstadt Musterstadt\nGRDrs 417/2016", "417/2016"),
        ("Beschlussvorlage Amt: 30 Datum: 03.03.2016 Drucksache Nr.: 12/2016 Beratungsfolge", "12/2016"),
        ("Antrag Nr. 11-0815/2022:\nZuschuss für das Sommerfest", "11-0815/2022"),
        ("Beschluss des Gemeinderates Musterdorf Nr. 88/2021", "88/2021"),
        ("Stadt Musterstadt – Beschlussvorlage 13/021/04", "13/021/04"),
        (
            "Amt, Datum, Telefon\nDrucksachen-Nr.\n12 Amt für Finanzen, 01.02.2017, 51-0\n1234/2014-2020",
            "1234/2014-2020",
        ),
        ("Beschlussvorlage öffentlich - 2020/123", "2020/123"),
        ("Vorlage: 2020/124 – öffentlich", "2020/124"),
    ],
)
def test_reference_is_read_from_real_export_shapes(header: str, reference: str) -> None:
    assert read_metadata(f"{header}\n\nSachverhalt:\nText.").reference == reference


def test_later_mention_of_another_vorlage_does_not_become_the_reference() -> None:
    text = "Betreff\nBildungspaket\nVorlage\n0042/2013\nArt\nBeschlussvorlage\nEs wird Bezug genommen auf die Vorlage Nr. 911/2012."
    assert read_metadata(text).reference == "0042/2013"


def test_allris_auszug_reads_number_title_type_status_and_date() -> None:
    text = (
        "Auszug - Sanierung des Sportplatzes am Waldweg\n\n"
        "7. öffentliche Sitzung des Sportausschusses\nTOP: Ö 3.1\n"
        "Gremium: Sportausschuss Beschlussart: ungeändert beschlossen\n"
        "Datum: Di, 14.03.2017 Status: öffentlich/nichtöffentlich\n"
        "0815/VI Sanierung des Sportplatzes am Waldweg\n\n"
        "Status:öffentlichVorlage-Art:Beschlussvorlage\n"
    )
    metadata = read_metadata(text)
    assert (metadata.reference, metadata.title, metadata.doc_type, metadata.status, metadata.date) == (
        "0815/VI",
        "Sanierung des Sportplatzes am Waldweg",
        "Niederschrift",
        "öffentlich",
        "2017-03-14",
    )


def test_status_with_processing_state_and_type_on_one_line_are_split() -> None:
    text = "Vorlage - VI-DS-01234\nBetreff: Neubau Grundschule\nStatus: öffentlich (Vorlage freigegeben) Vorlage-Art: Beschlussvorlage"
    metadata = read_metadata(text)
    assert (metadata.status, metadata.doc_type) == ("öffentlich", "Beschlussvorlage")


@pytest.mark.parametrize(
    ("header", "status", "doc_type"),
    [
        ("Beschlussvorlage öffentlich - 2020/123", "öffentlich", "Beschlussvorlage"),
        ("Vorlage: 2020/124 – nichtöffentlich", "nichtöffentlich", ""),
        ("Vorlage - 151/2019\nVorlage-Art: Beschlussvorlage - öffentlich", "öffentlich", "Beschlussvorlage"),
    ],
)
def test_status_written_beside_number_or_kind_is_read(header: str, status: str, doc_type: str) -> None:
    metadata = read_metadata(header)
    assert (metadata.status, metadata.doc_type) == (status, doc_type)


def test_list_item_labels_are_read() -> None:
    text = "12.09.2018 - 6 Gründung einer Wohnungsbaugesellschaft ...\nGrunddaten\n- TOP: Ö 6\n- Datum: Mi., 12.09.2018\n- Vorlageart: Sitzungsvorlage\n"
    metadata = read_metadata(text)
    assert (metadata.title, metadata.date, metadata.doc_type) == (
        "Gründung einer Wohnungsbaugesellschaft",
        "2018-09-12",
        "Sitzungsvorlage",
    )


def test_betreff_label_at_the_end_of_a_joined_pdf_line_takes_the_next_line() -> None:
    text = "Beschlussvorlage Amt: 30 Datum: 03.03.2016 Drucksache Nr.: 12/2016 Eingangsvermerke Betreff:\nNeubau der Feuerwache\nBeschlussvorschlag: Der Rat beschließt."
    metadata = read_metadata(text)
    assert (metadata.title, metadata.date) == ("Neubau der Feuerwache", "2016-03-03")


def test_betr_label_value_ends_before_an_introducing_line() -> None:
    text = "Beschluss des Gemeinderates Musterdorf Nr. 88/2021\nBetr.: Haushaltssatzung 2022\nDer Gemeinderat beschließt in seiner Sitzung am 14.12.2021:\nDie Satzung wird beschlossen."
    assert read_metadata(text).title == "Haushaltssatzung 2022"


def test_niederschrift_heading_over_two_lines_is_title_and_date() -> None:
    text = (
        "Niederschrift\nüber die öffentliche Sitzung der Gemeindevertretung vom 07.05.2015\n\n"
        "Tagesordnung:\nTOP 1 Eröffnung der Sitzung\nTOP 2 Genehmigung der Niederschrift der Sitzung vom 02.04.2015\n"
    )
    metadata = read_metadata(text)
    assert (metadata.doc_type, metadata.title, metadata.date) == (
        "Niederschrift",
        "Niederschrift über die öffentliche Sitzung der Gemeindevertretung vom 07.05.2015",
        "2015-05-07",
    )


def test_session_day_line_in_header_dates_the_minutes() -> None:
    text = "Rat der Samtgemeinde Musterheide\n\nDienstag, 03. März 2020 , 19:00 Uhr\n\nTOP 1 Eröffnung\nTOP 2 Bericht\nDie Sitzung vom 11.02.2020 wird genehmigt."
    assert read_metadata(text).date == "2020-03-03"


def test_standalone_kind_line_gives_the_type() -> None:
    assert (
        read_metadata("Stadt Musterstadt\nAntrag der Verwaltung\nDer Kreistag beschließt:").doc_type
        == "Antrag"
    )


def test_beratungsfolge_table_with_headings_is_read_by_column() -> None:
    text = (
        "Beratungsfolge\nStatus | Gremium | Beschluss | Datum\n"
        "● Erledigt | Ausschuss für Kultur | Vorberatung | 03.05.2016\n"
        "● Erledigt | Kreistag des Kreises Musterland | Entscheidung | 19.05.2016\n\nBeschlussvorschlag:\nText"
    )
    assert read_metadata(text).consultations == (
        Consultation("Ausschuss für Kultur", "2016-05-03", ""),
        Consultation("Kreistag des Kreises Musterland", "2016-05-19", ""),
    )


def test_table_without_beratungsfolge_label_is_found_by_its_headings() -> None:
    text = (
        "Beschlußvorlage\nVorlage an | zur | Sitzungsart | Sitzungstermin\n"
        "Sportausschuss | Vorberatung | öffentlich | 01.12.2010\nGemeinderat | Beschlussfassung | öffentlich | 09.12.2010\n"
    )
    assert [(s.committee, s.date) for s in read_metadata(text).consultations] == [
        ("Sportausschuss", "2010-12-01"),
        ("Gemeinderat", "2010-12-09"),
    ]


def test_result_column_becomes_the_resolution() -> None:
    text = "Beratungsfolge\nGremium | Datum | Sitzung | Ergebnis\nKreistag | 18.12.2013 | Kreistag | ungeändert beschlossen\n"
    assert read_metadata(text).consultations == (
        Consultation("Kreistag", "2013-12-18", "ungeändert beschlossen"),
    )


def test_sessionnet_step_with_date_on_the_next_line_is_one_step() -> None:
    text = (
        "Beratungsfolge:\nBauausschuss  Entscheidung\n"
        "14.02.2022  Sitzung des Bauausschusses  ungeändert beschlossen\nAnlagen:\nPlan"
    )
    assert read_metadata(text).consultations == (
        Consultation("Bauausschuss", "2022-02-14", "ungeändert beschlossen"),
    )


def test_number_of_another_document_mentioned_in_a_sentence_is_no_reference() -> None:
    text = "Beschluss: einstimmig beschlossen\nDer Rat folgt der Vorlage Nr. 911/2012 und gemäß Drucksache 12/2010."
    assert read_metadata(text).reference == ""


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("Beschlussvorlage\nNicht öffentlich\nBetreff: Grundstücksankauf", "nichtöffentlich"),
        ("Mitteilungsvorlage\nöffentlich\nBetreff: Bericht", "öffentlich"),
        ("TOP Ö 4: Haushaltssatzung 2020\nBeschluss: mehrheitlich beschlossen", "öffentlich"),
        ("TOP N 7: Grundstücksangelegenheit\nBeschluss: einstimmig beschlossen", "nichtöffentlich"),
        ("TOP Ö 4: Haushalt\nStatus: nichtöffentlich", "nichtöffentlich"),
    ],
)
def test_status_line_and_session_part_of_the_agenda_item_are_read(header: str, status: str) -> None:
    assert read_metadata(header).status == status
