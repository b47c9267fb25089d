"""Ledger totals across documents: whose amounts, which figure per organisation, whom "wir" means."""

from __future__ import annotations

from assistant.settings import settings_from_env
from assistant.totals import asks_for_ranking, names_only_the_ledger, own_body, yearly_addends
from ingest.types import Document, Fact


def _fact(doc_id: str, organisation: str, value: float, period: str = "jährlich", payer: str = "") -> Fact:
    amount = f"{value:,.0f} €".replace(",", ".")
    return Fact(doc_id, organisation, "Mitgliedsbeitrag", amount, value, "EUR", period, "", payer, "", 0, 10)


DOCS = {
    "old": Document("old", "x" * 20, body="Stadt Auental", date="2019-03-01"),
    "new": Document("new", "x" * 20, body="Stadt Auental", date="2023-05-02"),
    "other": Document("other", "x" * 20, body="Gemeinde Bergheim", date="2024-01-10"),
}


def test_newest_yearly_figure_per_organisation_is_added_and_the_older_kept_as_history():
    facts = [
        _fact("old", "Radregion e.V.", 1200),
        _fact("new", "Radregion e.V.", 1500),
        _fact("new", "Museumsbund", 300),
    ]
    addends = yearly_addends(facts, DOCS, "Stadt Auental")
    assert [(a.fact.organisation, a.fact.value) for a in addends] == [
        ("Radregion e.V.", 1500),
        ("Museumsbund", 300),
    ]
    assert [older.value for older, _ in addends[0].older] == [1200]


def test_amounts_of_another_body_and_one_off_amounts_are_not_added():
    facts = [
        _fact("other", "Radregion e.V.", 900),
        _fact("new", "Radregion e.V.", 5000, period="einmalig"),
        _fact("new", "Heimatbund", 250, payer="Gemeinde Bergheim"),
    ]
    assert yearly_addends(facts, DOCS, "Stadt Auental") == []


def test_we_means_the_configured_body_else_the_body_most_documents_belong_to():
    documents = list(DOCS.values())
    assert own_body(documents, [], configured="Gemeinde Bergheim") == "Gemeinde Bergheim"
    assert own_body(documents, []) == "Stadt Auental"


def test_body_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("RATSAUSKUNFT_BODY", "Landkreis Musterland")
    assert settings_from_env().own_body == "Landkreis Musterland"


def test_ranking_questions_say_how_many_they_want():
    assert asks_for_ranking("Welche Mitgliedschaft ist die teuerste?") == 1
    assert asks_for_ranking("Was sind die drei teuersten Beiträge?") == 3
    assert asks_for_ranking("Was kostet die Radregion?") == 0


def test_a_question_naming_an_organisation_is_not_about_the_whole_ledger():
    assert names_only_the_ledger("Was kosten uns alle Mitgliedschaften zusammen?", "Stadt Auental")
    assert not names_only_the_ledger("Was kostet uns die Radregion insgesamt?", "Stadt Auental")
