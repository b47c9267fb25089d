"""A statement survives only with a quote that contains what it states."""

from __future__ import annotations

from assistant.citations import Draft, verify_statement
from assistant.question import (
    addend_count,
    asked_thing,
    asks_amount,
    classify,
    is_follow_up,
    name_runs,
    retrieval_query,
    separable_verbs,
)
from ingest.types import Document

DOC = Document(
    doc_id="d", text="Die jährlichen Kosten betragen 3.000 €. Der Verein hat 150 Mitglieder.", reference="1/2"
)


def test_statement_whose_numbers_are_in_the_quote_is_verified():
    assert verify_statement("Die Kosten: 3.000 € jährlich", ["Die jährlichen Kosten betragen 3.000 €."])


def test_statement_with_a_number_missing_from_the_quote_is_rejected():
    assert not verify_statement("Die Kosten betragen 4.000 €", ["Die jährlichen Kosten betragen 3.000 €."])


def test_draft_drops_an_unsupported_statement_and_cites_nothing_for_it():
    draft = Draft()
    assert not draft.state("Es kostet 5.000 €", DOC, [(0, 39)])
    assert draft.state("Es kostet 3.000 €", DOC, [(0, 39)])
    answer = draft.answer()
    assert answer.text == "Es kostet 3.000 € [1]"
    assert [c.quote for c in answer.citations] == ["Die jährlichen Kosten betragen 3.000 €."]


def test_same_passage_cited_twice_keeps_one_number():
    draft = Draft()
    draft.state("3.000 €", DOC, [(0, 39)])
    draft.state("jährlich 3.000 €", DOC, [(0, 39)])
    assert len(draft.answer().citations) == 1


def test_question_kinds():
    assert classify("Was kostet die Mitgliedschaft in der Metropolregion?") == "cost"
    assert classify("In welchen Vereinen sind wir Mitglied?") == "membership"
    assert classify("Wozu dient die Allianz für die Region?") == "purpose"
    assert classify("Wie viel zahlen wir insgesamt?") == "aggregate"
    assert classify("Was ist teurer: A oder B?") == "comparison"
    assert classify("Seit wann ist die Stadt Mitglied?") == "date"
    assert classify("Warum ist die Stadt ausgetreten?") == "reason"
    assert classify("Zu wann scheidet der Kreis aus der GmbH aus?") == "date"
    assert classify("Ab welchem Tag nimmt die Kita keine Kinder mehr auf?") == "date"


def test_a_sum_question_says_how_many_things_it_adds_when_it_counts_them():
    assert addend_count("Was kosten die beiden Fahrzeuge zusammen?") == 2
    assert addend_count("Was kosten die drei Vereine zusammen?") == 3
    assert addend_count("Wie viel zahlen wir insgesamt?") is None


def test_which_grant_asks_for_an_amount():
    assert asks_amount("Mit welcher Förderung rechnet das Amt für sein Klimaschutzkonzept?")
    assert asks_amount("Welche Zuwendung erhält der Verein?")


def test_how_many_asks_for_a_count_and_how_much_for_money():
    assert classify("Wie viele Einwohner hat die Region?") != "cost"
    assert classify("Mit wie vielen Stimmen wurde beschlossen?") != "cost"
    assert classify("Wie viel bekommt der Verein?") == "cost"
    assert classify("wieviel kostet das?") == "cost"


def test_how_it_is_financed_asks_for_the_source_unless_it_asks_how_much():
    assert classify("Wie finanziert die Stadt die höheren Kosten für den Umbau?") == "funding"
    assert classify("Woher kommt das zusätzliche Geld dafür?") == "funding"
    assert classify("Wie hoch ist der Betrag, der über Kredite finanziert wird?") == "cost"
    assert classify("Was geschieht mit dem Zuschuss für die Jugendzentren?") == "decision"
    assert classify("was kriegen wir an förderung für die turnhalle") == "cost"


def test_a_demonstrative_at_the_end_points_back_but_gibt_es_does_not():
    assert is_follow_up("Bis wann läuft das?")
    assert not is_follow_up("Welche Förderprogramme für Vereine gibt es?")


def test_follow_up_is_searched_together_with_the_previous_question():
    assert retrieval_query("Und das EWH-Netzwerk?", ["Was kostet die Metropolregion?"]).endswith(
        "Was kostet die Metropolregion?"
    )
    assert (
        retrieval_query("Was kostet die Metropolregion?", ["Frühere Frage?"])
        == "Was kostet die Metropolregion?"
    )


def test_multi_word_names_of_a_question_are_found():
    assert ["zweckverband", "grossraum", "braunschweig"] in name_runs(
        "Welche Kosten entstehen für den Zweckverband Großraum Braunschweig?"
    )


def test_separable_verb_split_by_the_question_is_joined_when_the_word_exists():
    def known(term: str) -> bool:
        return term in {"austret", "beitritt"}

    assert separable_verbs("Aus welchem Verein treten wir aus?", known) == ["austreten"]
    assert separable_verbs("Welchem Verein tritt der Bezirk bei?", known) == ["beitritt"]
    assert separable_verbs("Wie hoch ist der Beitrag ab 2025?", known) == []


def test_count_of_listed_items_is_stated_only_with_every_item_cited():
    doc = Document("d", "Beteiligungen:\n- A GmbH\n- B GmbH\n- C GmbH")
    items = [(16, 23), (26, 33), (36, 43)]
    draft = Draft()
    assert draft.state_count("insgesamt 3", 3, doc, items)
    assert not draft.state_count("insgesamt 4", 4, doc, items)
    assert draft.answer().text == "insgesamt 3 [1][2][3]"


def test_which_thing_a_question_asks_to_be_named():
    assert asked_thing("Welcher Verein bekommt den erhöhten Zuschuss?") == "verein"
    assert asked_thing("Welches Gremium hat die Vorlage vorberaten?") == "gremium"
    assert asked_thing("Welche Vereine haben Förderung beantragt?") is None  # maybe several
    assert asked_thing("Welchen Betrag hat der Rat bewilligt?") is None  # a figure
