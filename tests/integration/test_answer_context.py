"""A sentence is read with what it belongs to: the list heading its item stands under, the turn a
follow-up continues, the sentence an "Weiteres …" adds to, the field block of a label line, and the
decision of the same Vorlage rather than one of another matter."""

from __future__ import annotations

import pytest

from assistant.service import Assistant

pytestmark = pytest.mark.integration

LEADER = """Vorlage - 2023/051

Betreff: Teilnahme des Landkreises Talheim am Förderprogramm LEADER
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Beschlussvorschlag:
1. Der Landkreis Talheim nimmt mit den Gebietskulissen „Nordtal“ und „Südtal“ im Förderzeitraum 2023 bis mindestens 2027 am Förderprogramm LEADER teil.
2. Der Landkreis Talheim übernimmt die anteiligen Kosten für den Betrieb des Regionalmanagements. Diese belaufen sich voraussichtlich auf:
- Nordtal: 7.100,00 Euro p. a. (brutto)
- Südtal: 12.300,00 Euro p. a. (brutto)
3. Zudem übernimmt der Landkreis Talheim die Kosten für den Kofinanzierungsbeitrag des Regionalbudgets. Diese belaufen sich voraussichtlich auf:
- Nordtal: 4.200,00 Euro p. a. (brutto)
- Südtal: 3.900,00 Euro p. a. (brutto)
4. Die Mittel werden im Haushalt des Landkreises Talheim etatisiert.
"""

TOURISMUS = """Vorlage - 2013/040

Betreff: Förderung der Tourist-Information Bergdorf
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Der Beschluss über die Förderung der Tourist-Information Bergdorf läuft Ende 2013 aus.
Die Gemeinde Bergdorf beantragt die Fortführung der Förderung in gleicher Weise.
"""

GESELLSCHAFT = """Vorlage - 2022/090

Betreff: Gründung der Infrastrukturgesellschaft Talheim mbH
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Ziel der Gesellschaft ist, im Rahmen der kommunalen Daseinsvorsorge den Ausbau der Glasfasernetze und die Digitalisierung im Landkreis Talheim zu gestalten. Weiteres Ziel ist die Förderung der örtlichen Wirtschaft sowie die Schaffung der hierzu erforderlichen Infrastruktur.
Das Stammkapital der Gesellschaft beträgt 100.000 €, welches zu 100 % vom Landkreis Talheim eingebracht wird.
"""

BEIHILFE = """Antrag Nr. 15-0999/2023:
Zuwendung für das Sommerfest am Lindenhof

Status: öffentlich

Antrag

Der Bezirksrat bewilligt nachstehende Zuwendung:
Empfänger: Förderverein Lindenhof
Betrag: 800,- €
Verwendungszweck: „Kinderprogramm beim Sommerfest am Lindenhof"
(Beihilfe Nr. 07/2023)

Begründung

Die Beihilfe wird unter der Voraussetzung einer gesicherten Gesamtfinanzierung gewährt.
Die bewilligte Beihilfe ist als angemessen und notwendig anerkannt.
"""

MUSIKSCHULE = """Vorlage - 2023/712

Betreff: Zuschuss an die Kreismusikschule Talheim e.V.
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Beschlussvorschlag:
Der Zuschuss des Landkreises Talheim an die Kreismusikschule Talheim e.V. wird ab 2024 um 20 % erhöht.

Sachverhalt:
Der Landkreis Talheim zahlt der Kreismusikschule Talheim e.V. seit 2010 einen jährlichen Zuschuss von 40.000 €.
Die Kreismusikschule Talheim beantragt eine Erhöhung des Zuschusses auf 90.000 €.
"""

# Excerpts of minutes as some RIS export them: the outcome line and the discussion, no header.
MUSIKSCHULE_BESCHLUSS = """Status: öffentlich

Beschluss: einstimmig beschlossen

Der Erste Kreisrat trägt den Inhalt der Beschlussvorlage zum Zuschuss an die Kreismusikschule Talheim vor. Ein Änderungsantrag, den Zuschuss der Kreismusikschule auf 90.000 € zu erhöhen, findet keine Mehrheit.
"""

TOURISMUS_BESCHLUSS = """Status: öffentlich

Beschluss: mehrheitlich beschlossen

Der Landkreis Talheim gewährt den beiden Tourist-Informationen ab 2024 einen Zuschuss von je 50.000 € jährlich.
Über den Zuschuss des Landkreises Talheim wurde zuletzt im Kreistag abgestimmt; der Zuschuss an die Musikschule war nicht Thema.
"""

KREISSTRASSEN = """[Quelle: Landkreis Talheim, Bürgerinformationssystem – Tagesordnungspunkt (Bekanntgabe)]
Status: öffentlich

Sachverhalt:

Der Kreisbaumeister gibt bekannt:

Für die Baumaßnahmen

a)    Kreisstraße TA 3;

Deckenerneuerung zwischen Adorf und Bedorf

b)    Kreisstraße TA 5;

Ausbau der Ortsdurchfahrt Cedorf

liegen die Zuwendungsbescheide von der Regierung von Unterfranken vor.

Bei der Deckenerneuerung sind zuwendungsfähige Kosten von 400.000,00 € veranschlagt.

Hierauf erfolgt eine Förderung nach BayGVFG in Höhe von 280.000 € = 70 % und eine Förderung nach FAG in Höhe von 80.000 € = 20 %.

Für den Ausbau der Ortsdurchfahrt Cedorf sind zuwendungsfähige Kosten von 150.000,00 € veranschlagt.

Hierauf erfolgt eine Förderung nach BayGVFG in Höhe von 105.000 € = 70 % und eine Förderung nach FAG in Höhe von 30.000 € = 20 %.
"""


WORTPROTOKOLL = """Wortprotokoll des Sportausschusses der Stadt Talheim

Status: öffentlich

Herr Brandt (CDU):

Kämen wir zu TOP 4.2 Sanierung des Tribünengebäudes im Waldstadion. Drucksache 1265/II.

Frau Linde (Grüne):

Ein Grundsatz bei haushaltsbezogenen Anträgen war ja bei uns, dass wir auch einen Lösungsvorschlag mit einarbeiten in den Antrag. Das fehlt ja nun in Gänze.
"""


@pytest.fixture(scope="module")
def assistant(assistant_over) -> Assistant:  # type: ignore[no-untyped-def]
    return assistant_over(
        {
            "2023-051-leader.txt": LEADER,
            "2013-040-tourismus.txt": TOURISMUS,
            "2022-090-gesellschaft.txt": GESELLSCHAFT,
            "15-0999-beihilfe.txt": BEIHILFE,
            "2023-712-musikschule.txt": MUSIKSCHULE,
            "2023-712-musikschule-beschluss.txt": MUSIKSCHULE_BESCHLUSS,
            "2023-tourismus-beschluss.txt": TOURISMUS_BESCHLUSS,
            "kreisstrassen-talheim.txt": KREISSTRASSEN,
            "2004-wortprotokoll.txt": WORTPROTOKOLL,
        }
    )


def test_a_comparison_takes_the_figures_of_the_list_its_heading_names(assistant: Assistant):
    answer = assistant.ask(
        "Für welche Gebietskulisse zahlt der Landkreis Talheim beim Regionalbudget mehr, Nordtal oder Südtal?"
    )
    assert "4.200,00" in answer.text and "3.900,00" in answer.text
    assert "12.300" not in answer.text and "7.100" not in answer.text


def test_a_sum_adds_the_items_of_the_list_its_heading_names(assistant: Assistant):
    answer = assistant.ask(
        "Was zahlt der Landkreis Talheim pro Jahr für das Regionalbudget in beiden Gebietskulissen zusammen?"
    )
    assert "8.100" in answer.text
    assert "12.300" not in answer.text


def test_a_follow_up_ending_in_a_pronoun_is_about_what_the_previous_turn_named(assistant: Assistant):
    answer = assistant.ask(
        "Bis wann läuft das?", ["An welchem Förderprogramm nimmt der Landkreis Talheim teil?"]
    )
    assert "2027" in answer.text
    assert "Bergdorf" not in answer.text


def test_a_sentence_that_adds_a_further_aim_is_quoted_with_the_main_aim_before_it(assistant: Assistant):
    answer = assistant.ask("Welches weitere Ziel hat die Infrastrukturgesellschaft Talheim?")
    assert "Weiteres Ziel ist die Förderung der örtlichen Wirtschaft" in answer.text
    assert "Glasfasernetze" in answer.text


def test_a_field_of_a_grant_block_answers_what_the_grant_is_for(assistant: Assistant):
    answer = assistant.ask("Wofür ist die Beihilfe Nr. 07/2023 gedacht?")
    assert "Kinderprogramm beim Sommerfest" in answer.text
    assert any("Verwendungszweck" in c.quote for c in answer.citations)


def test_the_vote_is_taken_from_the_excerpt_on_the_same_matter_not_from_another_decision(
    assistant: Assistant,
):
    answer = assistant.ask(
        "Wie wurde im Landkreis Talheim über den Zuschuss an die Kreismusikschule zuletzt abgestimmt?"
    )
    assert "einstimmig" in answer.text
    assert "mehrheitlich" not in answer.text and "Tourist" not in answer.text


def test_who_issued_is_answered_by_the_sentence_a_list_stands_inside(assistant: Assistant):
    answer = assistant.ask("Wer hat die Zuwendungsbescheide für die Kreisstraßen TA 3 und TA 5 erlassen?")
    assert "Regierung von Unterfranken" in answer.text


def test_a_follow_up_on_a_grant_is_answered_by_the_sentence_that_refers_back_with_hierauf(
    assistant: Assistant,
):
    answer = assistant.ask(
        "Und für Cedorf?",
        ["Welche Förderung bekommt der Landkreis Talheim für die Deckenerneuerung der TA 3?"],
    )
    assert "105.000" in answer.text and "30.000" in answer.text


def test_a_speech_in_minutes_is_read_with_its_speaker(assistant: Assistant):
    answer = assistant.ask("Was sagten die Grünen zum Antrag zum Waldstadion?")
    assert "Lösungsvorschlag" in answer.text
