"""The German text layer: sentences, numbers, amounts, dates, places and bodies, words."""

from __future__ import annotations

import re

import pytest

from ingest.chunking import chunk_document
from ingest.facts import extract_facts
from ingest.german.numbers import Amount, format_amount, format_number, german_date, iso_date, parse_amount
from ingest.german.places import LOCAL_BODY_TYPE, PLACE, body_family, body_type
from ingest.german.sentences import line_spans, sentence_spans
from ingest.german.words import stem
from ingest.types import Document

# --- sentences ----------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_sentences_end_at_periods_followed_by_a_new_sentence() -> None:
    assert sentences("Der Rat tagt. Die Verwaltung berichtet! Wer zahlt?") == [
        "Der Rat tagt.",
        "Die Verwaltung berichtet!",
        "Wer zahlt?",
    ]


def test_amounts_and_dates_do_not_end_sentences() -> None:
    text = "Am 22.04.15 wurden 60.000 € beantragt. Der Beitrag beträgt 8.478,75 € im Jahr 2016."
    assert sentences(text) == [
        "Am 22.04.15 wurden 60.000 € beantragt.",
        "Der Beitrag beträgt 8.478,75 € im Jahr 2016.",
    ]


def test_abbreviations_and_ordinals_do_not_end_sentences() -> None:
    text = (
        "Die Kosten z. B. für Nr. 5 betragen ca. 4.400 € bzw. rd. 5 Mio. €, so die 5. Aktualisierung. Ende."
    )
    assert sentences(text) == [text[: -len(" Ende.")], "Ende."]


def test_sentence_ending_with_a_year_ends_there() -> None:
    assert sentences("Der Beitrag galt bis 2010. Danach sank er.") == [
        "Der Beitrag galt bis 2010.",
        "Danach sank er.",
    ]


def test_line_end_ends_a_sentence() -> None:
    assert sentences("Anlagen:\n1 Satzungsentwurf\n2 Beitragsordnung") == [
        "Anlagen:",
        "1 Satzungsentwurf",
        "2 Beitragsordnung",
    ]


def test_abbreviation_before_a_usual_sentence_start_ends_the_sentence() -> None:
    assert sentences("Die Kosten betragen 3 Mio. Der Rat stimmt zu.") == [
        "Die Kosten betragen 3 Mio.",
        "Der Rat stimmt zu.",
    ]


def test_lower_case_after_a_period_continues_the_sentence() -> None:
    assert sentences("Gezahlt werden 5.000 €. jährlich ab 2025.") == [
        "Gezahlt werden 5.000 €. jährlich ab 2025."
    ]


# --- wrapped PDF lines ----------------------------------------------------------------------------

WRAPPED = (
    "Sachverhalt:\n"
    "Der Landkreis ist Mitglied im Verein Wasserforum Nord e.V. und zahlt dafür einen\n"
    "jährlichen Beitrag von 3.000 €. Der Verein berät die Gemeinden bei der Wasserversorgung.\n"
    "Die Geschäftsstelle sitzt in der Kreisstadt und lädt zweimal im Jahr zu Fachtagen ein.\n"
    "Weitere Kosten entstehen dem Landkreis aus der Mitgliedschaft nicht."
)


def test_wrapped_pdf_line_continues_the_sentence_on_the_next_line() -> None:
    assert sentences(WRAPPED)[1] == (
        "Der Landkreis ist Mitglied im Verein Wasserforum Nord e.V. und zahlt dafür einen\n"
        "jährlichen Beitrag von 3.000 €."
    )


def test_line_ending_in_an_abbreviation_continues_on_a_lower_case_line() -> None:
    text = (
        "2. Der Bürgermeister wird beauftragt, in der Versammlung des Heimatvereins Musterdorf e.V.\n"
        "zuzustimmen, dass der Verein aufgelöst wird.\n"
        "Der Verein Beispiel e.V.\n"
        "Die Kosten trägt die Gemeinde."
    )
    assert sentences(text) == [
        "2. Der Bürgermeister wird beauftragt, in der Versammlung des Heimatvereins Musterdorf e.V.\n"
        "zuzustimmen, dass der Verein aufgelöst wird.",
        "Der Verein Beispiel e.V.",
        "Die Kosten trägt die Gemeinde.",
    ]


def test_a_lower_case_line_ends_the_sentence_that_a_list_stands_inside() -> None:
    text = (
        "Der Kreisbaumeister gibt bekannt:\n\n"
        "Für die Baumaßnahmen\n\na) Kreisstraße TA 3;\n\nDeckenerneuerung bei Adorf\n\n"
        "b) Kreisstraße TA 5;\n\nAusbau der Ortsdurchfahrt Bedorf\n\n"
        "liegen die Zuwendungsbescheide der Regierung vor.\n\n"
        "Die Förderung beträgt 90 %."
    )
    assert sentences(text) == [
        "Der Kreisbaumeister gibt bekannt:",
        "Für die Baumaßnahmen\n\na) Kreisstraße TA 3;\n\nDeckenerneuerung bei Adorf\n\n"
        "b) Kreisstraße TA 5;\n\nAusbau der Ortsdurchfahrt Bedorf\n\n"
        "liegen die Zuwendungsbescheide der Regierung vor.",
        "Die Förderung beträgt 90 %.",
    ]


def test_a_lower_case_line_continues_only_the_line_before_when_no_list_stands_between() -> None:
    text = (
        "Teilhaushalt Amt 1\n\nAntrag der Fraktion\n\n"
        "Den Ansatz von 3.000.000 € in 2020 auf das Jahr 2021 verschieben,\n\n"
        "außer 100.000 € für Planungskosten."
    )
    assert sentences(text) == [
        "Teilhaushalt Amt 1",
        "Antrag der Fraktion",
        "Den Ansatz von 3.000.000 € in 2020 auf das Jahr 2021 verschieben,\n\naußer 100.000 € für Planungskosten.",
    ]


def test_a_lower_case_line_after_a_list_of_its_own_continues_only_the_line_before() -> None:
    text = (
        "Der Gemeinderat beschließt\n1. die Satzung\n2. die Gebührenordnung\n"
        "Die Verwaltung wird beauftragt, die Satzung\nbekannt zu machen."
    )
    assert sentences(text)[-1] == "Die Verwaltung wird beauftragt, die Satzung\nbekannt zu machen."


def test_rows_of_a_table_without_rules_are_not_joined() -> None:
    text = "Sanierung Dach 120.000 €\nneue Fenster 80.000 €\nsonstige Arbeiten 5.000 €"
    assert sentences(text) == [
        "Sanierung Dach 120.000 €",
        "neue Fenster 80.000 €",
        "sonstige Arbeiten 5.000 €",
    ]


def test_a_line_ending_in_a_preposition_goes_on_across_a_blank_line() -> None:
    text = (
        "Beschluss:\n\nDer Ausschuss beschließt, ab dem 01.01.2020 für Fahrten nach\n\n"
        "Adorf 10 Euro, maximal 300 Euro und nach\n\nBedorf 20 Euro, maximal 1.000 Euro\n\n"
        "pro Fahrt zu zahlen. Die übrigen Bedingungen bleiben."
    )
    assert sentences(text) == [
        "Beschluss:",
        "Der Ausschuss beschließt, ab dem 01.01.2020 für Fahrten nach\n\nAdorf 10 Euro, maximal 300 Euro "
        "und nach\n\nBedorf 20 Euro, maximal 1.000 Euro\n\npro Fahrt zu zahlen.",
        "Die übrigen Bedingungen bleiben.",
    ]


def test_a_list_item_in_lower_case_is_no_sentence_end() -> None:
    text = "unmittelbare Beteiligungen:\n· Stadtwerke GmbH\n· connect Talheim GmbH\nmittelbare Beteiligungen:\n· Netz GmbH"
    assert sentences(text) == [
        "unmittelbare Beteiligungen:",
        "· Stadtwerke GmbH",
        "· connect Talheim GmbH",
        "mittelbare Beteiligungen:",
        "· Netz GmbH",
    ]


def test_short_line_without_final_punctuation_is_not_wrapped() -> None:
    text = "Anlagen\nSatzung"
    assert [text[s:e] for s, e in line_spans(text)] == ["Anlagen", "Satzung"]


def test_table_row_list_item_and_heading_are_never_joined_to_a_wrapped_line() -> None:
    long_line = "Der Landkreis zahlt an die folgenden Vereine und Verbände jährliche Beiträge wie"
    text = f"{long_line}\n- Verein A\n{long_line}\nA | 5.000 €\n{long_line}\nBegründung:"
    assert [text[s:e] for s, e in line_spans(text)] == [
        long_line,
        "- Verein A",
        long_line,
        "A | 5.000 €",
        long_line,
        "Begründung:",
    ]


def test_note_in_square_brackets_is_a_line_of_its_own() -> None:
    note = "[Quelle: Stadt Musterhausen, Ratsinformationssystem – Auszug aus dem Hauptausschuss]"
    text = f"{note}\nDer Ausschuss beschließt die Gründung."
    assert [text[s:e] for s, e in line_spans(text)] == [note, "Der Ausschuss beschließt die Gründung."]


def test_label_line_after_a_long_line_starts_a_line_of_its_own() -> None:
    long_line = "Der Landkreis zahlt an die folgenden Vereine und Verbände jährliche Beiträge wie"
    text = f"{long_line}\nBetreff: Mitgliedschaften"
    assert [text[s:e] for s, e in line_spans(text)] == [long_line, "Betreff: Mitgliedschaften"]


def test_chunks_never_cut_the_sentence_a_fact_was_read_from() -> None:
    """Only a sentence longer than a chunk may be cut (between words); this one is shorter."""
    doc = Document(doc_id="doc", text=WRAPPED)
    fact = next(f for f in extract_facts(doc) if f.amount_text == "3.000 €")
    for max_chars in (120, 160, 240):
        chunks = chunk_document(doc, max_chars)
        boundaries = {c.start for c in chunks} | {c.end for c in chunks}
        assert not any(fact.start < b < fact.end for b in boundaries), max_chars


def test_sentence_of_a_fact_is_one_of_the_sentences_answers_quote() -> None:
    doc = Document(doc_id="doc", text=WRAPPED)
    fact = next(f for f in extract_facts(doc) if f.amount_text == "3.000 €")
    assert (fact.start, fact.end) in sentence_spans(WRAPPED)
    assert "Wasserforum Nord" in WRAPPED[fact.start : fact.end]


# --- numbers, amounts and dates ------------------------------------------------------------------


def only_amount(text: str) -> Amount:
    amounts = parse_amount(text)
    assert len(amounts) == 1, amounts
    return amounts[0]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("60.000 €", 60000.0, "EUR"),
        ("8.478,75 €", 8478.75, "EUR"),
        ("48,00 €", 48.0, "EUR"),
        ("1,3 Millionen Euro", 1_300_000.0, "EUR"),
        ("9,2 Mio. €", 9_200_000.0, "EUR"),
        ("800.000 Euro", 800_000.0, "EUR"),
        ("0,24 € pro Einwohner", 0.24, "EUR/Einwohner"),
        ("0,12 € pro Einwohnerin und Einwohner", 0.12, "EUR/Einwohner"),
        ("12 Cent je Einwohner", 0.12, "EUR/Einwohner"),
        ("350 DM", 350.0, "DM"),
        ("EUR 5.000", 5000.0, "EUR"),
        ("5.000,- €", 5000.0, "EUR"),
    ],
)
def test_parse_amount_reads_each_written_format(text: str, value: float, currency: str) -> None:
    amount = only_amount(f"Der Betrag von {text} ist bereitgestellt.")
    assert (amount.value, amount.currency, amount.text) == (pytest.approx(value), currency, text)


def test_parse_amount_gives_the_span_of_the_written_amount() -> None:
    text = "Es werden 1,3  Millionen  Euro investiert."
    amount = only_amount(text)
    assert text[amount.start : amount.end] == amount.text == "1,3  Millionen  Euro"


@pytest.mark.parametrize(
    "text",
    [
        "In der Sitzung am 22.04.2015 wurde beraten.",
        "Siehe Vorlage 2015/179 und Flurstück 87/3.",
        "Das Gebiet hat 3,8 Millionen Einwohner.",
        "Die Teilfläche ist rund 4.200 m² groß.",
        "Der Anteil steigt um 2,5 % im Jahr 2025.",
    ],
    ids=["date", "vorlage-number", "inhabitants", "area", "percent-and-year"],
)
def test_parse_amount_ignores_numbers_without_currency(text: str) -> None:
    assert parse_amount(text) == []


def test_amounts_are_written_the_german_way():
    assert format_amount(67400.0, "EUR") == "67.400 €"
    assert format_amount(46684.75, "EUR") == "46.684,75 €"


def test_sums_are_written_without_cents_when_whole() -> None:
    assert format_number(12500.0) == "12.500"
    assert format_number(0.5) == "0,50"
    assert format_number(0.1 + 0.2 + 2.7) == "3"


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("13.10.2022", "2022-10-13"),
        ("22.04.15", "2015-04-22"),
        ("3.8.1999", "1999-08-03"),
        ("1. Januar 2026", "2026-01-01"),
        ("31.02.2020", ""),
        ("60.000 €", ""),
    ],
)
def test_german_dates_become_iso(written: str, iso: str) -> None:
    assert iso_date(written) == iso


# --- places and bodies ----------------------------------------------------------------------------


def test_genitive_body_type_names_the_same_body() -> None:
    assert body_type("Landkreises") == "Landkreis"
    assert body_type("Kreises") == "Kreis"
    assert body_type("Gemeinde") == "Gemeinde"


def test_kreis_and_landkreis_are_one_family_as_are_stadt_and_hansestadt() -> None:
    assert body_family("Landkreis Peine") == body_family("Kreis") == "kreis"
    assert body_family("Hansestadt Lüneburg") == body_family("Stadt") == "stadt"
    assert body_family("Gemeinde Kreuzau") == "gemeinde"


@pytest.mark.parametrize(
    "name", ["Peine", "Hann. Münden", "Darmstadt-Dieburg", "Amt Neuhaus", "Bad Harzburg"]
)
def test_place_names_with_prefix_or_hyphen_are_one_place(name: str) -> None:
    assert re.fullmatch(PLACE, name)


def test_a_body_in_the_genitive_is_read_as_its_place() -> None:
    mention = re.search(
        rf"\b(?P<type>{LOCAL_BODY_TYPE})\s+(?P<place>{PLACE})", "Kreistag des Landkreises Lüneburg"
    )
    assert mention is not None
    assert (body_type(mention.group("type")), mention.group("place")) == ("Landkreis", "Lüneburg")


def test_iso_dates_are_shown_the_german_way() -> None:
    assert german_date("2022-10-13") == "13.10.2022"
    assert german_date("") == ""


# --- words ----------------------------------------------------------------------------------------


def test_inflected_forms_share_one_stem() -> None:
    assert stem("Zuschüsse") == stem("Zuschuss")
    assert stem("Kommunaler") == stem("kommunalen")
