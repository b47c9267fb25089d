"""Cited answers on the shipped corpus: figures, sums, comparisons, memberships, follow-ups, abstention."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from assistant.types import Role

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

pytestmark = pytest.mark.integration

WOLFENBUETTEL = """Vorlage - 2025/041

Betreff: Allianz für die Region GmbH – Anpassung des Gesellschafterbeitrages ab 2025
Vorlage-Art: Beschlussvorlage
Status: öffentlich
Beratungsfolge:
Kreistag – 27.01.2025

Beschlussvorschlag:
Der Landkreis Wolfenbüttel erhöht seinen jährlichen Gesellschafterbeitrag an die Allianz für die Region GmbH ab dem Haushaltsjahr 2025 um 10.000 € auf 70.000 €.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, embedder) -> Assistant:  # type: ignore[no-untyped-def]
    extra = tmp_path_factory.mktemp("extra")
    (extra / "2025-041-wolfenbuettel.txt").write_text(WOLFENBUETTEL, encoding="utf-8")
    instance = Assistant(Settings(store=tmp_path_factory.mktemp("store")), embedder=embedder)
    report = instance.ingest([CORPUS, extra], role=Role.ADMIN, user="test")
    assert not report.failed
    return instance


def _quotes_back_every_marker(answer) -> bool:  # type: ignore[no-untyped-def]
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    return numbers == {c.n for c in answer.citations}


def test_cost_question_is_answered_with_the_figure_and_a_citation_quoting_it(assistant):
    answer = assistant.ask("Was kostet die Mitgliedschaft in der Metropolregion?")
    assert "3.000" in answer.text and not answer.abstained
    assert any("3.000 €" in c.quote for c in answer.citations)
    assert _quotes_back_every_marker(answer)


def test_every_citation_quote_is_the_exact_text_of_its_document_span(assistant):
    answer = assistant.ask("Wozu dient die Allianz für die Region?")
    assert answer.citations
    for citation in answer.citations:
        doc = assistant.document(citation.doc_id)
        assert doc is not None and doc.text[citation.start : citation.end] == citation.quote


def test_sum_shows_its_addends_and_cites_each(assistant):
    answer = assistant.ask(
        "Wie viel zahlt der Landkreis Peine insgesamt pro Jahr für die Allianz für die Region, "
        "das Netzwerk Erweiterter Wirtschaftsraum Hannover und die Metropolregion?"
    )
    assert "67.400" in answer.text
    quoted = " ".join(c.quote for c in answer.citations)
    assert all(amount in quoted for amount in ("60.000 €", "4.400 €", "3.000 €"))


def test_comparison_states_both_figures_and_which_is_higher(assistant):
    answer = assistant.ask(
        "Was ist teurer: das Netzwerk Erweiterter Wirtschaftsraum Hannover oder die Metropolregion?"
    )
    assert "4.400" in answer.text and "3.000" in answer.text
    assert "teurer" in answer.text


def test_follow_up_question_is_resolved_with_the_earlier_turn(assistant):
    history = ["Was kostet die Mitgliedschaft in der Metropolregion für den Landkreis Peine?"]
    answer = assistant.ask("Und das Netzwerk Erweiterter Wirtschaftsraum Hannover?", history=history)
    assert "4.400" in answer.text


def test_question_the_documents_do_not_answer_is_declined_with_related_documents(assistant):
    answer = assistant.ask("Wie hoch ist der Mitgliedsbeitrag beim Deutschen Landkreistag?")
    assert answer.abstained
    assert "nichts gefunden" in answer.text
    assert answer.citations == []


def test_document_number_question_describes_that_document(assistant):
    answer = assistant.ask("Worum geht es in der Vorlage 2015/179?")
    assert any(c.reference == "2015/179" for c in answer.citations)
    assert re.search("Beteiligungen|Mitgliedschaften", answer.text)


def test_ledger_lists_the_seed_organisations_with_their_yearly_costs(assistant):
    rows = [r for r in assistant.ledger() if r["reference"] == "2015/179"]
    by_amount = {r["amount"]: r for r in rows}
    assert (
        by_amount["60.000 €"]["period"] == "jährlich" and "Allianz" in by_amount["60.000 €"]["organisation"]
    )
    assert "Netzwerk Erweiterter Wirtschaftsraum Hannover" in by_amount["4.400 €"]["organisation"]
    assert "Metropolregion" in by_amount["3.000 €"]["organisation"]
    assert by_amount["30.000 €"]["years"] == "2016"
    assert by_amount["60.000 €"]["purpose"]


def test_several_bodies_paying_the_same_organisation_get_their_figures_each(assistant):
    answer = assistant.ask("Was kostet die Allianz für die Region im Jahr?")
    assert "60.000" in answer.text and "70.000" in answer.text
    assert "Landkreis Wolfenbüttel" in answer.text


def test_we_total_adds_the_yearly_ledger_amounts_of_the_assumed_body_and_cites_each(assistant):
    answer = assistant.ask("Wie viel zahlen wir insgesamt?")
    assert "67.400 €" in answer.text and "pro Jahr" in answer.text
    assert "Landkreis Peine" in answer.text  # says whom "wir" was taken to be
    quoted = " ".join(c.quote for c in answer.citations)
    assert all(amount in quoted for amount in ("60.000 €", "4.400 €", "3.000 €"))
    assert _quotes_back_every_marker(answer)


def test_superlative_question_names_the_highest_yearly_amount(assistant):
    answer = assistant.ask("Welche unserer Mitgliedschaften ist die teuerste?")
    assert "Allianz für die Region" in answer.text and "60.000 €" in answer.text
    assert "4.400" not in answer.text
