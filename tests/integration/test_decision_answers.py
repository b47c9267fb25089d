"""Questions about decisions and votes: the outcome and the vote of the right item, cited; a
proposal alone is not a decision."""

from __future__ import annotations

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from assistant.types import Role

pytestmark = pytest.mark.integration

AUSZUG = """[Quelle: Gemeinde Lindenau, Ratsinformationssystem – Beschlussauszug Gemeinderat]
Status: öffentlich
Beschluss: mehrheitlich beschlossen

Abstimmung: Ja: 13, Nein: 2, Enthaltungen: 1

Der Gemeinderat Lindenau beschließt den Beitritt zum Naturpark Hohes Moor e.V. zum 01.01.2024.
"""

VORSCHLAG = """Vorlage - 2023/077

Betreff: Beitritt der Stadt Erlenbach zum Verein Radregion Südheide
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Beschlussvorschlag:
Der Rat der Stadt Erlenbach beschließt den Beitritt zum Verein Radregion Südheide.

Sachverhalt:
Der Verein Radregion Südheide wirbt für das Radwegenetz der Region.
"""

NIEDERSCHRIFT = """Niederschrift über die 4. Sitzung des Ortsrates Birkhain am 14.03.2023
Status: öffentlich

TOP 5 Zuschuss für den Schützenverein Birkhain

Beschluss:

Der Ortsrat gewährt dem Schützenverein Birkhain einen Zuschuss für die neue Schießanlage.

ABSTIMMUNGSERGEBNIS: Einstimmig

TOP 6 Umbenennung des Dorfplatzes in Lindenplatz

Beschluss:

Der Ortsrat lehnt die Umbenennung des Dorfplatzes ab.

ABSTIMMUNGSERGEBNIS: Ja: 2, Nein: 7
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, embedder) -> Assistant:  # type: ignore[no-untyped-def]
    docs = tmp_path_factory.mktemp("docs")
    (docs / "lindenau-naturpark.txt").write_text(AUSZUG, encoding="utf-8")
    (docs / "2023-077-erlenbach.txt").write_text(VORSCHLAG, encoding="utf-8")
    (docs / "birkhain-niederschrift.txt").write_text(NIEDERSCHRIFT, encoding="utf-8")
    instance = Assistant(Settings(store=tmp_path_factory.mktemp("store")), embedder=embedder)
    assert not instance.ingest([docs], role=Role.ADMIN, user="test").failed
    return instance


def test_vote_question_is_answered_with_outcome_and_counts_cited(assistant):
    answer = assistant.ask("Wie hat der Gemeinderat Lindenau über den Beitritt zum Naturpark abgestimmt?")
    assert not answer.abstained
    assert "mehrheitlich beschlossen" in answer.text and "Ja: 13" in answer.text
    assert any("Ja: 13, Nein: 2" in c.quote for c in answer.citations)


def test_whether_question_is_answered_with_the_outcome(assistant):
    answer = assistant.ask("Wurde der Beitritt zum Naturpark Hohes Moor beschlossen?")
    assert "beschlossen" in answer.text and not answer.abstained


def test_minutes_answer_with_the_vote_of_the_item_asked_about(assistant):
    answer = assistant.ask("Wie stimmte der Ortsrat Birkhain über die Umbenennung des Dorfplatzes ab?")
    assert "Ja: 2, Nein: 7" in answer.text
    assert "Einstimmig" not in answer.text


def test_proposal_alone_is_not_reported_as_a_vote(assistant):
    answer = assistant.ask("Wie hat der Rat der Stadt Erlenbach über den Beitritt zur Radregion abgestimmt?")
    assert answer.abstained
    assert "nur der Beschlussvorschlag" in answer.text
    assert any("beschließt den Beitritt" in c.quote for c in answer.citations)


def test_count_question_without_counts_in_the_documents_gives_only_the_outcome(assistant):
    answer = assistant.ask(
        "Wie viele haben im Ortsrat Birkhain für den Zuschuss an den Schützenverein gestimmt?"
    )
    assert answer.abstained
    assert "Stimmenzahlen nennen die Dokumente dazu nicht" in answer.text and "Einstimmig" in answer.text


def test_decisions_are_ledger_rows_with_outcome_vote_and_quoted_passage(assistant):
    rows = assistant.decisions("public")
    lindenau = [r for r in rows if r["doc_id"] == "lindenau-naturpark"]
    assert len(lindenau) == 1
    assert (lindenau[0]["yes"], lindenau[0]["no"], lindenau[0]["abstentions"]) == (13, 2, 1)
    assert lindenau[0]["outcome"] == "beschlossen" and "Ja: 13" in str(lindenau[0]["quote"])
    assert not any(r["doc_id"] == "2023-077-erlenbach" for r in rows)  # a proposal is no decision
