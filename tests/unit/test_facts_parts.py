"""The parts of the facts reader, one by one: layout, organisations, bodies, kinds, periods and years."""

from __future__ import annotations

from ingest.facts.bodies import bodies_in
from ingest.facts.kinds import kinds_in, nearest_kind, period_words, right_attached_year
from ingest.facts.layout import layout
from ingest.facts.organisations import initials_of, name_mentions, without_overlaps
from ingest.german.numbers import parse_amount
from ingest.german.sections import split_sections

# --- layout ---------------------------------------------------------------------------------------


def layout_of(text: str) -> list[tuple[str, str]]:
    return [(sentence.text, sentence.role) for sentence in layout(text, split_sections(text))]


def test_layout_keeps_a_wrapped_line_in_its_sentence_and_a_table_row_whole() -> None:
    text = (
        "Sachverhalt:\n"
        "Der Landkreis ist Mitglied im Verein Wasserforum Nord e.V. und zahlt dafür einen\n"
        "jährlichen Beitrag von 3.000 €. Der Verein berät.\n"
        "Verein A | 5.000 € | 2025"
    )
    assert layout_of(text) == [
        ("Sachverhalt:", "heading"),
        (
            "Der Landkreis ist Mitglied im Verein Wasserforum Nord e.V. und zahlt dafür einen\n"
            "jährlichen Beitrag von 3.000 €.",
            "text",
        ),
        ("Der Verein berät.", "text"),
        ("Verein A | 5.000 € | 2025", "row"),
    ]


def test_layout_marks_list_items() -> None:
    assert layout_of("- Verein A zahlt 5 €.\n- Verein B zahlt 6 €.") == [
        ("- Verein A zahlt 5 €.", "list"),
        ("- Verein B zahlt 6 €.", "list"),
    ]


# --- organisations --------------------------------------------------------------------------------


def test_organisations_are_named_by_their_legal_form() -> None:
    text = "Der Landkreis ist Mitglied der Allianz für die Region GmbH und im Verein Lit.Eifel e.V."
    names = [text[m.start : m.end] for m in without_overlaps(name_mentions(text, 0))]
    assert names == ["Allianz für die Region GmbH", "Lit.Eifel e.V."]


def test_initials_of_a_name_make_its_acronym() -> None:
    assert initials_of("Zweckverband Großraum Braunschweig") == {"ZGB"}


# --- bodies ---------------------------------------------------------------------------------------


def test_bodies_are_read_with_type_in_the_nominative_and_their_place() -> None:
    bodies = bodies_in("Kreistag des Landkreises Peine und die Stadt Hann. Münden zahlen")
    assert [(b.type, b.name) for b in bodies] == [("Landkreis", "Peine"), ("Stadt", "Hann. Münden")]


# --- kinds, periods and years ---------------------------------------------------------------------


def test_the_specific_kind_before_an_amount_wins_over_a_generic_one() -> None:
    assert nearest_kind(kinds_in("Der Jahresbeitrag und die Kosten betragen")) == "Mitgliedsbeitrag"


def test_the_last_period_word_decides_the_period() -> None:
    assert period_words("einmalig 5.000 € und jährlich 3.000 €") == "jährlich"
    assert period_words("jährlich 5 € und einmalig") == "einmalig"
    assert period_words("5.000 €") == ""


def test_a_year_written_right_after_an_amount_belongs_to_it() -> None:
    text = "10.000 € im Jahr 2026"
    assert right_attached_year(text, parse_amount(text)[0]) == "2026"
