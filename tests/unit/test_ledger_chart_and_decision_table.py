"""What the Beteiligungen chart and the Beschlüsse table show, from ledger and decision rows."""

from __future__ import annotations

from typing import Any

from ingest.decisions import agenda_item, extract_decisions
from ingest.types import Document
from ui.tables import decision_cells, decision_choices, ledger_chart_frame, ledger_frame

NIEDERSCHRIFT = """Niederschrift über die 4. Sitzung des Ortsrates Birkhain am 14.03.2023

TOP 5 Zuschuss für den Schützenverein Birkhain

Beschluss:

Der Ortsrat gewährt dem Schützenverein Birkhain einen Zuschuss.

ABSTIMMUNGSERGEBNIS: Einstimmig
"""


def _row(organisation: str, value: float | None, **fields: Any) -> dict[str, Any]:
    return {"organisation": organisation, "value": value, "currency": "EUR", **fields}


def test_chart_has_one_bar_per_organisation_and_year_tallest_first():
    frame = ledger_chart_frame(
        [
            _row("Radregion e.V.", 1200.0, period="jährlich"),
            _row("Allianz GmbH", 30000.0, years="2016"),
            _row("Allianz GmbH", 60000.0, period="jährlich"),
        ]
    )
    assert frame["Organisation"].tolist() == [
        "Allianz GmbH (jährlich)",
        "Allianz GmbH (2016)",
        "Radregion e.V. (jährlich)",
    ]
    assert frame["Betrag"].tolist() == ["60.000 €", "30.000 €", "1.200 €"]


def test_chart_counts_the_same_amount_of_several_documents_once_and_adds_different_ones():
    frame = ledger_chart_frame(
        [
            _row("Radregion e.V.", 1200.0, years="2024", doc_id="vorlage"),
            _row("Radregion e.V.", 1200.0, years="2024", doc_id="niederschrift"),
            _row("Radregion e.V.", 300.0, years="2024", doc_id="nachtrag"),
        ]
    )
    assert frame["Betrag (€)"].tolist() == [1500.0]


def test_chart_leaves_out_memberships_without_amount_and_other_currencies():
    frame = ledger_chart_frame(
        [_row("Verein der Kommunen", None), {**_row("Altverband", 5000.0), "currency": "DM"}]
    )
    assert frame.empty


def test_ledger_table_leaves_out_body_value_currency_and_document_id():
    frame = ledger_frame([_row("Radregion e.V.", 1200.0, amount="1.200 €", body="Stadt", doc_id="d")])
    assert "Organisation" in frame.columns and "Zweck" in frame.columns
    assert not {"Körperschaft", "Wert", "Währung", "Dokument-ID"} & set(frame.columns)


def test_decision_in_minutes_is_named_by_its_agenda_item():
    doc = Document(doc_id="birkhain", text=NIEDERSCHRIFT)
    (decision,) = [d for d in extract_decisions(doc) if d.is_decision]
    assert agenda_item(doc.text, decision) == "TOP 5 Zuschuss für den Schützenverein Birkhain"


def test_decision_cells_name_the_top_and_the_vorlage_only_where_the_heading_names_it():
    named = {"item": "TOP 4 Zuschuss (Vorlage 2024/031)", "reference": "2024/031", "date": "2024-03-12"}
    other = {"item": "TOP 5 Umbenennung", "reference": "2024/031", "vote": "(Ja 3, Nein 8)"}
    step = {"item": "", "reference": "2024/031", "title": "Zuschuss", "outcome": "Empfehlung"}
    assert decision_cells(named)[1:4] == ["12.03.2024", "TOP 4 · 2024/031", "Zuschuss (Vorlage 2024/031)"]
    assert decision_cells(other)[2:] == ["TOP 5", "Umbenennung", "", "Ja 3, Nein 8"]
    assert decision_cells(step)[2:5] == ["2024/031", "Zuschuss", "Empfehlung"]


def test_vote_keeps_its_brackets_after_a_word():
    row = {"vote": "mehrheitlich (Ja 13, Nein 2)"}
    assert decision_cells(row)[5] == "mehrheitlich (Ja 13, Nein 2)"


def test_decision_filters_offer_each_committee_year_and_outcome_once():
    rows = [
        {"committee": "Kreisausschuss, Kreistag", "date": "2024-02-05", "outcome": "beschlossen"},
        {"committee": "Kreisausschuss", "date": "2023-06-14", "outcome": ""},
        {"committee": "", "date": "", "outcome": "abgelehnt"},
    ]
    assert decision_choices(rows) == {
        "committee": ["Kreisausschuss", "Kreistag"],
        "year": ["2024", "2023"],
        "outcome": ["abgelehnt", "beschlossen"],
    }
