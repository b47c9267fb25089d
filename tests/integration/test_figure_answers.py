"""Cost questions answered only with the kind of figure asked for: another kind or another year is
reported as such, and no amount at all is declined."""

from __future__ import annotations

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from assistant.types import Role

pytestmark = pytest.mark.integration

SPORTPLATZ = """Vorlage - 2022/015

Betreff: Zuschuss an den Sportverein Tannenhöhe für den Kunstrasenplatz
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Beschlussvorschlag:
Die Gemeinde Tannenhöhe gewährt dem Sportverein Tannenhöhe e.V. für den Kunstrasenplatz einen einmaligen Zuschuss von 45.000 €.
"""

FOERDERVEREIN = """Vorlage - 2021/088

Betreff: Beitritt der Gemeinde Tannenhöhe zum Förderverein Burgruine Falkenstein
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Beschlussvorschlag:
Die Gemeinde Tannenhöhe tritt dem Förderverein Burgruine Falkenstein e.V. bei.

Sachverhalt:
Der Förderverein Burgruine Falkenstein pflegt die Ruine und bietet Führungen an.
"""

BUECHEREI = """Vorlage - 2020/031

Betreff: Zuschuss an die Bücherei Tannenhöhe
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Bücherei Tannenhöhe erhielt für 2019 einen Zuschuss von 6.000 €.
"""

KLIMASCHUTZ = """Vorlage - 2023/101

Betreff: Zuwendung für das Klimaschutzkonzept der Gemeinde Tannenhöhe
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Zuwendung für das Klimaschutzkonzept beträgt für 2024 genau 12.000 € und für 2025 weitere 18.000 €, für 2026 noch 5.000 €.
"""

BERGHEIM = """Vorlage - 2022/044

Betreff: Mitgliedschaft der Gemeinde Bergheim im Heimatbund Lautertal
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Gemeinde Bergheim zahlt dem Heimatbund Lautertal e.V. einen jährlichen Mitgliedsbeitrag von 250 €.
"""

ZUWENDUNG = """Zuwendung aus Bezirksratsmitteln

Status: öffentlich
Empfänger: Kleingartenverein Sonnenhang
Betrag: 750,- €
Zweck: Neue Wasserleitung für die Gemeinschaftsanlage
"""


def _heimatverein(number: str, date: str, amount: str) -> str:
    return f"""Vorlage - {number}

Betreff: Zuschuss der Gemeinde Tannenhöhe an den Heimatverein Tannenhöhe
Datum: {date}
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Gemeinde Tannenhöhe zahlt dem Heimatverein Tannenhöhe e.V. jährlich einen Zuschuss von {amount}.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, embedder) -> Assistant:  # type: ignore[no-untyped-def]
    docs = tmp_path_factory.mktemp("docs")
    (docs / "2022-015-sportplatz.txt").write_text(SPORTPLATZ, encoding="utf-8")
    (docs / "2021-088-foerderverein.txt").write_text(FOERDERVEREIN, encoding="utf-8")
    (docs / "2020-031-buecherei.txt").write_text(BUECHEREI, encoding="utf-8")
    (docs / "2023-101-klimaschutz.txt").write_text(KLIMASCHUTZ, encoding="utf-8")
    (docs / "2022-044-bergheim.txt").write_text(BERGHEIM, encoding="utf-8")
    (docs / "zuwendung-kleingarten.txt").write_text(ZUWENDUNG, encoding="utf-8")
    (docs / "2019-012-heimatverein.txt").write_text(
        _heimatverein("2019/012", "12.03.2019", "400 €"), encoding="utf-8"
    )
    (docs / "2023-054-heimatverein.txt").write_text(
        _heimatverein("2023/054", "05.06.2023", "650 €"), encoding="utf-8"
    )
    instance = Assistant(Settings(store=tmp_path_factory.mktemp("store")), embedder=embedder)
    assert not instance.ingest([docs], role=Role.ADMIN, user="test").failed
    return instance


def test_membership_fee_question_with_only_a_grant_says_only_the_grant_is_known(assistant):
    answer = assistant.ask(
        "Wie hoch ist der Mitgliedsbeitrag der Gemeinde Tannenhöhe beim Sportverein Tannenhöhe?"
    )
    assert answer.abstained
    assert "bekannt ist nur" in answer.text and "45.000 €" in answer.text
    assert any("45.000 €" in c.quote for c in answer.citations)


def test_cost_question_without_any_amount_in_the_documents_is_declined(assistant):
    answer = assistant.ask(
        "Wie hoch ist der Jahresbeitrag der Gemeinde Tannenhöhe beim Förderverein Burgruine Falkenstein?"
    )
    assert answer.abstained and not answer.citations


def test_amount_for_another_year_than_asked_is_not_given_as_the_answer(assistant):
    answer = assistant.ask("Wie hoch war der Zuschuss an die Bücherei Tannenhöhe für 2018?")
    assert answer.abstained and "2018" in answer.text


def test_amount_for_the_year_asked_is_answered(assistant):
    answer = assistant.ask("Wie hoch war der Zuschuss an die Bücherei Tannenhöhe für 2019?")
    assert not answer.abstained and "6.000 €" in answer.text


def test_sum_question_adds_the_amounts_of_the_years_asked_and_cites_them(assistant):
    answer = assistant.ask(
        "Wie viel Zuwendung bekommt Tannenhöhe für das Klimaschutzkonzept 2024 und 2025 zusammen?"
    )
    assert "30.000 €" in answer.text and "35.000" not in answer.text
    assert any("12.000 €" in c.quote and "18.000 €" in c.quote for c in answer.citations)


def test_comparison_across_documents_states_both_figures_cited_and_which_is_higher(assistant):
    answer = assistant.ask("Wer bekommt mehr Geld: der Sportverein Tannenhöhe oder die Bücherei Tannenhöhe?")
    assert "45.000 €" in answer.text and "6.000 €" in answer.text
    assert "höheren Wert nennen die Dokumente für Sportverein Tannenhöhe" in answer.text
    assert {c.doc_id for c in answer.citations} == {"2022-015-sportplatz", "2020-031-buecherei"}


def test_figure_of_another_body_is_not_given_as_the_asked_bodys_answer(assistant):
    answer = assistant.ask(
        "Wie hoch ist der Mitgliedsbeitrag der Gemeinde Tannenhöhe beim Heimatbund Lautertal?"
    )
    assert answer.abstained
    assert "Für Gemeinde Tannenhöhe nennen die Dokumente dazu keinen Betrag" in answer.text
    assert "Gemeinde Bergheim" in answer.text and any("250 €" in c.quote for c in answer.citations)


def test_newer_document_gives_the_answer_and_the_older_figure_is_mentioned_with_its_date(assistant):
    answer = assistant.ask(
        "Wie hoch ist der jährliche Zuschuss der Gemeinde Tannenhöhe an den Heimatverein Tannenhöhe?"
    )
    assert "650 €" in answer.text and "400 €" in answer.text
    assert answer.text.index("650 €") < answer.text.index("400 €")
    assert "Ältere Angabe" in answer.text and "2019" in answer.text


def test_amount_on_a_label_line_answers_the_cost_question(assistant):
    answer = assistant.ask("Wie viel bekommt der Kleingartenverein Sonnenhang?")
    assert not answer.abstained and "750,- €" in answer.text
    assert any("Betrag: 750,- €" in c.quote for c in answer.citations)
