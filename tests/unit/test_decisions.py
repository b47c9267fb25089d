"""Decisions and votes read from council text: outcomes, counts, and the item they close."""

from __future__ import annotations

from ingest.decisions import Outcome, extract_decisions, read_vote
from ingest.types import Document


def _decisions(text: str):  # type: ignore[no-untyped-def]
    return extract_decisions(Document(doc_id="d", text=text))


def test_label_first_counts_are_read_with_colons_and_without():
    assert read_vote("Abstimmung: Ja: 18, Nein: 0, Enthaltung: 2") == (18, 0, 2)
    assert read_vote("Ja 6  Nein 1  Enthaltung 2") == (6, 1, 2)
    assert read_vote("Stimmen dafür: 31, Stimmen dagegen: 2, Enthaltungen: 0") == (31, 2, 0)
    assert read_vote("Ja - Stimmen: 12\nNein - Stimmen: keine") == (12, 0, None)


def test_number_first_counts_and_number_words_are_read():
    assert read_vote("Der Antrag wird mit 8 Gegenstimmen, 5 Ja-Stimmen und einer Enthaltung abgelehnt.") == (
        5,
        8,
        1,
    )
    assert read_vote("einstimmig bei zwei Enthaltungen angenommen") == (None, None, 2)


def test_slash_and_colon_triples_count_only_in_a_vote_context():
    assert read_vote("Abstimmungsergebnis: 25/1/3, mehrheitlich angenommen") == (25, 1, 3)
    assert read_vote("Der Rat beschließt mit 11 zu 10 Stimmen") == (11, 10, None)
    assert read_vote("Drucksache 12/4/7 vom 10.02.2011") == (None, None, None)


def test_a_beschlussauszug_heading_decision_carries_outcome_and_vote():
    text = (
        "Beschlussauszug Gemeinderat\n"
        "Beschluss: einstimmig beschlossen\n\n"
        "Abstimmung: Ja: 11, Nein: 0\n\n"
        "Der Gemeinderat gewährt dem Heimatverein einen Zuschuss von 800 €.\n"
    )
    [decision] = _decisions(text)
    assert decision.heading and decision.unanimous
    assert decision.outcome == Outcome.ADOPTED and (decision.yes, decision.no) == (11, 0)
    assert "Ja: 11" in text[decision.start : decision.end]


def test_a_proposal_sentence_is_not_a_decision():
    text = "Beschlussvorschlag:\nDer Kreistag beschließt den Beitritt zum Verein Radregion e.V.\n"
    assert _decisions(text) == []


def test_each_item_of_minutes_gets_its_own_decision_starting_at_its_top():
    text = (
        "TOP 3 Radweg am Mühlbach\n\nBeschluss:\n\nDer Rat stimmt dem Ausbau zu.\n\n"
        "ABSTIMMUNGSERGEBNIS: Einstimmig\n\n"
        "TOP 4 Beitritt zum Verein Radregion\n\nBeschluss:\n\nDer Rat tritt dem Verein bei.\n\n"
        "ABSTIMMUNGSERGEBNIS: Einstimmig bei 1 Enthaltung\n"
    )
    first, second = _decisions(text)
    assert text[first.item_start :].startswith("TOP 3") and text[second.item_start :].startswith("TOP 4")
    assert second.abstentions == 1 and second.unanimous


def test_a_vote_sentence_wrapped_over_lines_is_one_decision():
    text = "Der Ausschuss lehnt den Antrag Nr. 12/2020 bei\n3 Ja-, 9 Gegenstimmen und 1 Stimmenthaltung mehrheitlich\nab.\n"
    [decision] = _decisions(text)
    assert decision.outcome == Outcome.REJECTED and (decision.yes, decision.no, decision.abstentions) == (
        3,
        9,
        1,
    )


def test_deferred_with_a_vote_stays_deferred():
    [decision] = _decisions("Beschluss: Beschlussfassung vertagt\nAbstimmung: Ja: 14, Nein: 0\n")
    assert decision.outcome == Outcome.DEFERRED and decision.yes == 14


def test_a_result_label_whose_value_is_cut_off_is_marked_as_such():
    [decision] = _decisions("Antrag der Fraktion: Mittel verschieben.\n\nAbstimmungsergebnis: […]\n")
    assert decision.cut_off and not decision.is_decision


def test_noted_and_rejected_outcomes_from_beschlussart():
    noted, rejected = _decisions(
        "Beschluss:\nzur Kenntnis genommen\n\nSonstiges\n\nGremium: Rat  Beschlussart: abgelehnt\n"
    )
    assert noted.outcome == Outcome.NOTED and rejected.outcome == Outcome.REJECTED
