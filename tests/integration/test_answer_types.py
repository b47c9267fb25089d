"""What a question asks for decides which sentence answers it: a count is a number of the counted
thing (not the day of a date), a list is the sentence that enumerates, "Was geschieht mit …?" asks
what was decided, and a session month ("in der Dezembersitzung") answers "Wann …?"."""

from __future__ import annotations

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from assistant.types import Role

pytestmark = pytest.mark.integration

VEREINSFOERDERUNG = """Vorlage - BV-2024-031

Betreff: Vereinsförderung der Gemeinde Talheim für das Jahr 2025
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Vereine waren aufgefordert, bis zum Stichtag 30. Juni 2024 ihre Anträge auf Vereinsförderung für das Jahr 2025 bei der Gemeinde Talheim einzureichen. Neun Vereine sind dem nachgekommen.
Die maximale Zuwendung von 500,00 € wurde bei sieben Vereinen berücksichtigt.
"""

HEIMATVERBAND = """Vorlage - 2012/0777

Betreff: Mitgliedschaft des Landkreises Talheim beim Heimatverband Talgau e.V.
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Am 29.06.2005 gründete sich der Heimatverband Talgau e.V. Der Landkreis Talheim hat die Mitgliedschaft im Heimatverband Talgau e.V. beantragt; der Mitgliedsbeitrag beträgt 500 € jährlich.
Folgende Städte, Märkte und Gemeinden aus dem Landkreis sind aktuell Mitglied im Heimatverband Talgau: Adorf, Bedorf, Cedorf, Dedorf und Edorf.
Der Landkreis Talheim ist außerdem Mitglied im Tourismusverein Talheimer Land e.V. mit einem Beitrag von 300 € jährlich.
"""

JUGENDTREFFS = """Vorlage - 2024/155

Betreff: Förderung der Jugendarbeit im Landkreis Talheim
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Beschlussvorschlag:
1. Der Kreistag bestätigt die Einstellung der bisherigen pauschalen Personalkostenförderung der Jugendtreffs der Gemeinden mit Wirkung vom 01.01.2025.
2. Der Kreistag beauftragt die Kreisfinanzverwaltung, für die neue Förderrichtlinie Haushaltsmittel in Höhe von mindestens 80.000 € ab dem Haushaltsjahr 2025 einzuplanen.
"""

STADTENTWICKLUNG = """Niederschrift über die Sitzung des Hauptausschusses der Stadt Talheim

Status: öffentlich

22.11.2016 - 8 Gründung der Stadtentwicklungsgesellschaft Talheim mbH ...

Der Kämmerer berichtet über die Gespräche mit der Kommunalaufsicht zur Stadtentwicklungsgesellschaft Talheim mbH.
Auf dieser Grundlage solle mit der Kommunalaufsicht weiter gesprochen werden, so dass in der Dezembersitzung des Stadtrates eine endgültige Entscheidung zur Gründung der Gesellschaft fallen könnte.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, embedder) -> Assistant:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("docs")
    docs = {
        "bv-2024-031-vereine.txt": VEREINSFOERDERUNG,
        "2012-0777-heimatverband.txt": HEIMATVERBAND,
        "2024-155-jugendtreffs.txt": JUGENDTREFFS,
        "2016-stadtentwicklung.txt": STADTENTWICKLUNG,
    }
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    instance = Assistant(Settings(store=tmp_path_factory.mktemp("store")), embedder=embedder)
    assert not instance.ingest([folder], role=Role.ADMIN, user="test").failed
    return instance


def test_the_day_of_a_date_is_no_count(assistant: Assistant):
    answer = assistant.ask("Wie viele Vereine haben in Talheim Vereinsförderung für 2025 beantragt?")
    assert "Neun Vereine" in answer.citations[0].quote  # not the sentence with "30. Juni" in it


def test_the_members_of_a_named_organisation_are_the_enumerating_sentence_not_the_ledger(
    assistant: Assistant,
):
    answer = assistant.ask("Welche Kommunen aus dem Landkreis Talheim sind Mitglied im Heimatverband Talgau?")
    assert "Adorf" in answer.text and "Edorf" in answer.text


def test_what_happens_to_a_grant_is_answered_with_the_decision_not_an_amount(assistant: Assistant):
    answer = assistant.ask(
        "Was geschieht mit dem pauschalen Zuschuss zu den Personalkosten der Jugendtreffs der Gemeinden?"
    )
    assert "Einstellung der bisherigen pauschalen Personalkostenförderung" in answer.text
    assert "80.000" not in answer.text


def test_a_session_month_answers_when(assistant: Assistant):
    answer = assistant.ask(
        "Wann stimmt der Stadtrat Talheim endgültig über die Stadtentwicklungsgesellschaft ab?"
    )
    assert "Dezembersitzung" in answer.text
