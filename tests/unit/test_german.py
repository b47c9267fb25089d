"""The German text layer: sentences, numbers, amounts, dates, places and bodies, words."""

from __future__ import annotations

from ingest.chunking import chunk_document
from ingest.facts import extract_facts
from ingest.german.sentences import line_spans, sentence_spans
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
