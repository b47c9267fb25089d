"""What a question asks for decides which sentence answers it: a count is a number of the counted
thing (not the day of a date), a list is the sentence that enumerates, "Was geschieht mit …?" asks
what was decided, and a session month ("in der Dezembersitzung") answers "Wann …?"."""

from __future__ import annotations

import pytest

from assistant.service import Assistant

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

TRAKTOR = """Beschlüsse des Gemeinderates Talheim

Status: öffentlich

Beschluss: 61/09/2023
Der Gemeinderat Talheim beschließt, die Firma Muster mit dem Angebot von 38.500,00 € zur Beschaffung eines Kompakttraktors zu beauftragen. Die dafür zusätzlich benötigten Finanzmittel werden aus den Maßnahmen 5510/1 – Erneuerung Spielplatzgeräte mit 2.400,00 € und 5410/3 – Beseitigung Engstelle Bergstraße mit 35.700,00 € zur Verfügung gestellt.
"""

WORTPROTOKOLL = """Wortprotokoll des Sportausschusses der Stadt Bergheim

Status: öffentlich

Bei dieser Größenordnung ist es schon wichtig zu überlegen, woher das Geld kommen soll.
Es gibt keine Möglichkeit, 135 Tsd. € von uns aus aufzubringen.
"""

AUSSENANLAGEN = """Niederschrift über die Sitzung des Stadtrates Bergheim

Status: öffentlich

Der Stadtrat der Stadt Bergheim beschließt die Vergabe der Leistung „Außenanlagen am Alten Bahnhof“ an die Firma Tief- und Hochbau GmbH, Hauptstraße 29, 08066 Bergheim, mit einem Bruttopreis in Höhe von 255.630,93 € gemäß Vergabevorschlag vom 28.04.2022.
Die Finanzierung erfolgt nach Haushaltsplan; die Mehrkosten werden aus den Mehreinnahmen der Gewerbesteuer bezahlt.
"""

TURNHALLE = """Vorlage - 2021/040

Betreff: Generalsanierung der Turnhalle Talheim
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Es ist von zuwendungsfähigen Kosten in Höhe von rd. 1,4 Mio. € auszugehen; davon werden 85 % beantragt, also 1.190.000 €.

Beschlussvorschlag:
Der Gemeinderat Talheim stimmt dem Entwurf für die Generalsanierung der Turnhalle Talheim zu und beantragt dafür eine Förderung nach Art. 10 FAG.
"""

KITA_BESCHLUSS = """Beschlussauszug der Gemeindevertretung Talheim

Status: öffentlich

Beschluss: ungeändert beschlossen

Beschlussvorschlag:

Die GV beschließt die Erweiterung der Kita Sonnenschein im Kindergartenbereich. Dafür wird das Obergeschoss entsprechend den Anforderungen der Betriebserlaubnis ausgebaut. Die geplanten Haushaltsmittel für die Sanierung der Fassade 35,0 TDM werden für den Ausbau verwendet.
"""

WICHTELHAUS = """[Quelle: Gemeinde Talheim, Bürgerinformationssystem – Beschlussauszug Gemeinderat]
Status: öffentlich

Beschluss: geändert beschlossen

Abstimmung: Ja: 12, Nein: 1

Antrag:

Der Bürgermeister möge mit dem Verein Wichtelhaus e.V. ein Gespräch suchen und dem Verein in eigener Zuständigkeit einen Zuschuss bis 800 EUR zukommen lassen.

Sachverhalt:

Mit Schreiben vom 26.10.2011 beantragt der Verein Wichtelhaus e.V. einen Zuschuss in Höhe von 1.500 EUR für das Jahr 2011.

Nachdem der Vorsitzende des Wichtelhaus e.V., Herr Rumpf, in der Sitzung als Zuhörer anwesend ist, stellt der Bürgermeister zum Antrag folgenden Antrag, über den er abstimmen lässt:

Antrag:

Herrn Rumpf möge Rederecht erteilt werden.

Anwesend: 13 / mit 12 gegen 1 Stimme
"""

SONDERNUTZUNG = """Vorlage - 2024/210

Betreff: Empfehlung des Bauausschusses der Gemeinde Talheim
Vorlage-Art: Mitteilungsvorlage
Status: öffentlich

Sachverhalt:
Der Bauausschuss empfiehlt dem Gemeinderat Talheim für die Terrassen der Gastwirte folgende Regelung:

Die Gebühr wird ab dem Jahr 2025 auf 2,00 € je Quadratmeter und Monat festgesetzt.
"""

TEILHABE = """Vorlage - 0094/2012

Betreff: Bildungs- und Teilhabepaket im Landkreis Talheim, Verwendung der Haushaltsmittel
Vorlage-Art: Mitteilungsvorlage
Status: öffentlich

Sachverhalt:
Eltern von bedürftigen Kindern können über das Bildungs- und Teilhabepaket (BuT) Zuschüsse für Klassenfahrten und Mittagessen erhalten.
Die Servicestelle versucht, die vielen Anträge möglichst schnell in ausgezahlte Leistungen zu verwandeln. Insgesamt sind dafür in 2011 Kosten in Höhe von ca. 210.000 € ausgezahlt worden.
Die Personalkosten für den Bereich BuT belaufen sich auf ca. 65.000 € für das Jahr 2011.
"""

BETRIEBSKOSTEN = """Vorlage - 2022/077

Betreff: Betriebskostenzuschüsse der Stadt Talheim an Vereine
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Stadt Talheim hat mit mehreren Vereinen Verträge über den Betrieb von Sportstätten geschlossen. Auf Grundlage dieser Verträge zahlt die Stadt den Vereinen einen Anteil an den Betriebskosten.
In keinem Fall sind die laufenden Verträge hinsichtlich der Höhe der Zahlungen angepasst worden. So sollen die Vereine in die Lage versetzt werden, die Sportstätten überhaupt weiter betreiben zu können.

Beschlussvorschlag:
Die Betriebskostenzahlungen in den Verträgen werden zum 01. Juli 2022 um 50% der bislang vereinbarten Kosten erhöht.
"""

PLAETZE = """Vorlage - FB2/1400/2021

Betreff: Zuwendung an die Kirchengemeinde St. Anna in Talheim für die Kita Sonnenhof
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Mit Bewilligungsbescheid vom 18.02.2011 hat die Stadt Talheim der Kirchengemeinde St. Anna eine Zuwendung in Höhe von 200.000,00 Euro zum Ausbau von Plätzen für Kinder unter 3 Jahre in der Kita Sonnenhof bewilligt.
Die Kirchengemeinde St. Anna beantragt nun eine Zuwendung für Maßnahmen zum Erhalt von Plätzen in der Kita Sonnenhof. Der Träger bezweckt damit den Erhalt von 12 U3-Plätzen und 40 Ü3-Plätzen.
"""


@pytest.fixture(scope="module")
def assistant(assistant_over) -> Assistant:  # type: ignore[no-untyped-def]
    return assistant_over(
        {
            "bv-2024-031-vereine.txt": VEREINSFOERDERUNG,
            "2012-0777-heimatverband.txt": HEIMATVERBAND,
            "2024-155-jugendtreffs.txt": JUGENDTREFFS,
            "2016-stadtentwicklung.txt": STADTENTWICKLUNG,
            "2023-traktor.txt": TRAKTOR,
            "2004-wortprotokoll.txt": WORTPROTOKOLL,
            "2022-aussenanlagen.txt": AUSSENANLAGEN,
            "2021-040-turnhalle.txt": TURNHALLE,
            "2000-kita-beschluss.txt": KITA_BESCHLUSS,
            "2011-wichtelhaus.txt": WICHTELHAUS,
            "2024-210-sondernutzung.txt": SONDERNUTZUNG,
            "0094-2012-teilhabe.txt": TEILHABE,
            "2022-077-betriebskosten.txt": BETRIEBSKOSTEN,
            "fb2-1400-2021-plaetze.txt": PLAETZE,
        }
    )


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


def test_how_something_is_financed_is_answered_by_the_sentence_naming_the_source(assistant: Assistant):
    answer = assistant.ask(
        "Wie finanziert Bergheim die höheren Kosten für die Außenanlagen am Alten Bahnhof?"
    )
    assert "Gewerbesteuer" in answer.citations[0].quote


def test_where_the_money_comes_from_is_asked_of_what_the_previous_turn_named(assistant: Assistant):
    answer = assistant.ask(
        "Woher kommt das zusätzliche Geld dafür?", ["Was kostet der Kompakttraktor in Talheim?"]
    )
    assert "2.400,00 €" in answer.text and "35.700,00 €" in answer.text
    assert "135 Tsd" not in answer.text


def test_what_we_get_in_funding_is_answered_with_an_amount(assistant: Assistant):
    answer = assistant.ask("was kriegen wir in talheim an förderung für die turnhalle")
    assert "1.190.000" in answer.text


def test_what_was_decided_is_the_whole_resolution_paragraph(assistant: Assistant):
    answer = assistant.ask("Was hat die Gemeindevertretung Talheim zur Kita Sonnenschein beschlossen?")
    assert "ungeändert beschlossen" in answer.text
    assert "Erweiterung der Kita Sonnenschein" in answer.text and "35,0 TDM" in answer.text


def test_an_outcome_heading_the_document_is_given_with_the_motion_below_it(assistant: Assistant):
    answer = assistant.ask("Wie ging die Abstimmung zum Wichtelhaus-Antrag im Gemeinderat Talheim aus?")
    assert "geändert beschlossen" in answer.text
    assert "bis 800 EUR" in answer.text


def test_a_sentence_announcing_a_paragraph_is_quoted_with_it(assistant: Assistant):
    answer = assistant.ask(
        "Welche Regelung empfiehlt der Bauausschuss dem Gemeinderat Talheim für die Terrassen?"
    )
    assert "folgende Regelung:" in answer.text
    assert "2,00 € je Quadratmeter" in answer.text


def test_two_things_asked_together_are_found_each_and_added(assistant: Assistant):
    answer = assistant.ask(
        "Wie hoch waren im Landkreis Talheim 2011 die BuT-Leistungen und die Personalkosten zusammen?"
    )
    assert "275.000" in answer.text
    assert "210.000" in answer.text and "65.000" in answer.text


def test_more_money_is_answered_by_the_sentence_stating_the_change(assistant: Assistant):
    answer = assistant.ask("Kriegen die Vereine bei uns in Talheim mehr Geld für die Betriebskosten?")
    assert "um 50% der bislang vereinbarten Kosten erhöht" in answer.text


def test_a_count_is_the_number_written_before_what_is_counted(assistant: Assistant):
    answer = assistant.ask(
        "Wie viele Betreuungsplätze will die Kirchengemeinde in Talheim mit dem Geld sichern?"
    )
    assert "12 U3-Plätzen und 40 Ü3-Plätzen" in answer.citations[0].quote
