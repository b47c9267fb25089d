"""Questions for a share, a number of things, a length of time or a change are answered only with a
sentence that states one; a figure stated for another body is not the asked body's answer."""

from __future__ import annotations

import pytest

from assistant.service import Assistant

pytestmark = pytest.mark.integration

KITA = """Vorlage - 2021/207

Betreff: Zuschuss an die Kirchengemeinde Lindenau für den Umbau der Kita Regenbogen
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Kirchengemeinde Lindenau baut die Kita Regenbogen im Jahr 2022 um und erhält von der Stadt Lindenau dafür einen Zuschuss von 120.000 €.
Die Betreuungsplätze der Kita Regenbogen der Kirchengemeinde Lindenau sind sehr gefragt.
Mit dem Umbau werden in der Kita Regenbogen insgesamt 18 Betreuungsplätze für Kinder unter drei Jahren gesichert.
Die Kirchengemeinde Lindenau hat den Antrag für die Kita Regenbogen im Mai 2021 gestellt.
"""

STADTWERKE = """Vorlage - 2022/311

Betreff: Anteile an der Stadtwerke Lindenau GmbH
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Stadt Lindenau übernimmt zusätzliche Geschäftsanteile der Stadtwerke Lindenau GmbH zum Kaufpreis von 80.000 €.
Nach der Übernahme hält die Stadt Lindenau 74 Prozent der Geschäftsanteile der Stadtwerke Lindenau GmbH.
"""

KREISUMLAGE = """Niederschrift - Kreistag Ostheide

Status: öffentlich

Haushalt 2015 des Landkreises Ostheide:
Der Landrat berichtet über den Haushalt 2015 des Landkreises Ostheide und die Kreisumlage.
Er wolle die Kreisumlage nicht erneut erhöhen; der Landkreis Westheide erhebe eine Kreisumlage von 42 Prozent.
Zum Brandschutz im Landkreis Ostheide berichtet der Kreisbrandmeister über die Freiwilligen Feuerwehren.
Der Landkreis Westheide zählt 1.420 aktive Feuerwehrleute in seinen Freiwilligen Feuerwehren.
"""

UMLAGE = """Vorlage - 2023/088

Betreff: Umlage des Wasserverbands Lindenau für 2024
Vorlage-Art: Mitteilungsvorlage
Status: öffentlich

Sachverhalt:
Für das Jahr 2024 erhebt der Wasserverband Lindenau von der Stadt Lindenau eine Umlage von 812.400 € (Vorjahr: 768.150 €).
"""

PERSONAL = """Vorlage - 2023/140

Betreff: Stellenplan 2024 der Stadt Lindenau
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Personalaufwendungen der Stadt Lindenau steigen im Jahr 2024 gegenüber dem Plan 2023 von 4.100.000 € auf 4.350.000 €.
Dies entspricht einer Steigerung von 250.000 € oder 6,1 %.
Der Finanzausschuss empfiehlt den Stellenplan 2024 bei 1 Stimmenthaltung.
"""

STAEDTEBUND = """Vorlage - 2022/077

Betreff: Beitritt der Stadt Lindenau zum Städtebund Nord e.V.
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Beschlussvorschlag:
Die Stadt Lindenau tritt dem Städtebund Nord e.V. zum 01.01.2023 bei.

Sachverhalt:
Dem Städtebund Nord gehören bereits 27 Städte und Gemeinden aus der Region an.
"""

SITZUNG = """Vorlage - 2020/015

Betreff: Neubau der Feuerwache Lindenau-Nord
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Stadt Lindenau baut die Feuerwache Lindenau-Nord neu; die Feuerwehr Lindenau-Nord nutzt bis dahin eine Halle am Bauhof.
"""


@pytest.fixture(scope="module")
def assistant(assistant_over) -> Assistant:  # type: ignore[no-untyped-def]
    return assistant_over(
        {
            "2021-207-kita.txt": KITA,
            "2022-311-stadtwerke.txt": STADTWERKE,
            "kreistag-ostheide-2015.txt": KREISUMLAGE,
            "2023-088-umlage.txt": UMLAGE,
            "2023-140-personal.txt": PERSONAL,
            "2020-015-feuerwache.txt": SITZUNG,
            "2022-077-staedtebund.txt": STAEDTEBUND,
        },
    )


def test_how_many_question_is_answered_with_the_sentence_that_states_a_number(assistant):
    answer = assistant.ask(
        "Wie viele Betreuungsplätze sichert die Kirchengemeinde Lindenau in der Kita Regenbogen?"
    )
    assert not answer.abstained
    assert "18 Betreuungsplätze" in answer.text
    assert any("18 Betreuungsplätze" in c.quote for c in answer.citations)


def test_percent_question_is_answered_with_the_share_not_with_an_amount(assistant):
    answer = assistant.ask(
        "Wie viel Prozent der Geschäftsanteile der Stadtwerke Lindenau hält die Stadt Lindenau?"
    )
    assert not answer.abstained
    assert "74 Prozent" in answer.text and "80.000" not in answer.text


def test_how_long_question_without_any_length_of_time_is_declined_and_says_what_is_missing(assistant):
    answer = assistant.ask("Wie lange dauert der Neubau der Feuerwache Lindenau-Nord?")
    assert answer.abstained and not answer.citations
    assert "Zeitangabe" in answer.text


def test_number_stated_only_for_another_district_is_not_the_asked_districts_answer(assistant):
    answer = assistant.ask("Wie viele aktive Feuerwehrleute zählt der Landkreis Ostheide?")
    assert answer.abstained
    assert answer.text.startswith("Für Landkreis Ostheide nennen die Dokumente dazu keine Angabe")
    assert "bekannt ist nur die Angabe für Landkreis Westheide" in answer.text


def test_change_between_an_old_and_a_new_figure_is_computed_and_both_are_quoted(assistant):
    answer = assistant.ask(
        "Um wie viel steigt die Umlage des Wasserverbands Lindenau 2024 gegenüber dem Vorjahr?"
    )
    assert "44.250 €" in answer.text
    assert any("812.400 €" in c.quote and "768.150 €" in c.quote for c in answer.citations)


def test_change_the_document_states_itself_is_quoted_not_recomputed(assistant):
    answer = assistant.ask(
        "Um wie viel steigen die Personalaufwendungen der Stadt Lindenau 2024 gegenüber 2023?"
    )
    assert "250.000 €" in answer.text
    assert "Unterschied" not in answer.text
    assert any("Steigerung von 250.000 €" in c.quote for c in answer.citations)


def test_count_only_counts_with_what_the_question_counts(assistant):
    answer = assistant.ask("Wie viele neue Stellen enthält der Stellenplan 2024 der Stadt Lindenau?")
    assert answer.abstained and "Anzahl" in answer.text
    assert "Stimmenthaltung" not in answer.text


def test_count_of_kommunen_is_answered_by_staedte_und_gemeinden(assistant):
    answer = assistant.ask("Wie viele Kommunen gehören dem Städtebund Nord an?")
    assert not answer.abstained and "27 Städte und Gemeinden" in answer.text


def test_fee_question_worded_as_membership_is_declined_when_no_amount_is_given(assistant):
    answer = assistant.ask(
        "Welchen jährlichen Mitgliedsbeitrag hat die Stadt Lindenau an den Städtebund Nord gezahlt?"
    )
    assert answer.abstained and not answer.citations


AUSZUG = """Auszug - Zuschuss Heimatstube Lindenau

Gremium: Stadtrat Lindenau Beschlussart: ungeändert beschlossen
Datum: Di, 14.03.2023 Status: öffentlich
LS-044/2023 Zuschuss Heimatstube Lindenau

Frau Berg erläutert, dass der Heimatverein seit 2019 und 2020 die Heimatstube betreibt und einen Zuschuss beantragt.
"""

SCHULE = """Vorlage - 2012/305

Betreff: Ausbau der Ganztagsbetreuung an der Grundschule Lindenau
Status: öffentlich

Beratungsfolge:
Gremium | Datum | Behandlung | Sitzung
OR Nord | 04.06.2012 | Anhörung | öffentlich
SchulA | 12.06.2012 | Vorberatung | öffentlich
SR | 28.06.2012 | Entscheidung | öffentlich

Beschlussvorschlag:
Die Ganztagsbetreuung an der Grundschule Lindenau wird ab dem Schuljahr 2012/2013 ausgebaut.
"""


@pytest.fixture(scope="module")
def dated(assistant_over) -> Assistant:  # type: ignore[no-untyped-def]
    return assistant_over({"auszug-heimatstube.txt": AUSZUG, "2012-305-ganztag.txt": SCHULE})


def test_when_a_body_dealt_with_a_matter_is_the_session_date_cited_where_it_stands(dated):
    answer = dated.ask("Wann hat der Stadtrat Lindenau über LS-044/2023 beraten?")
    assert "14.03.2023" in answer.text
    assert any("14.03.2023" in c.quote for c in answer.citations)


def test_when_a_body_decides_is_the_last_step_of_the_beratungsfolge(dated):
    answer = dated.ask(
        "Wann entscheidet der Stadtrat über den Ausbau der Ganztagsbetreuung an der Grundschule Lindenau?"
    )
    assert "28.06.2012" in answer.text and "04.06.2012" not in answer.text
    assert any("28.06.2012" in c.quote for c in answer.citations)


THEATER = """Vorlage - 2019/0412

Betreff: Austritt der Stadt Lindenau aus der Landesbühne Nord GmbH
Status: öffentlich

Sachverhalt:
Die Stadt Lindenau hält an der Landesbühne Nord GmbH ein Stammkapital von 2.460,00 Euro.
Der Beschluss DS-Nr. 118/2016 wird aufgehoben.
"""


@pytest.fixture(scope="module")
def theater(assistant_over) -> Assistant:  # type: ignore[no-untyped-def]
    return assistant_over({"2019-0412-landesbuehne.txt": THEATER})


def test_grant_question_with_only_a_share_capital_says_no_grant_is_given(theater):
    answer = theater.ask("Wie hoch ist der jährliche Zuschuss der Stadt Lindenau an die Landesbühne Nord?")
    assert answer.abstained
    assert "Zuschuss" in answer.text.split("bekannt ist nur")[0]


def test_year_inside_a_document_number_is_no_date(theater):
    answer = theater.ask("Wann wurde die Landesbühne Nord GmbH gegründet?")
    assert answer.abstained
    assert "118/2016" not in answer.text


MUEHLENWEG = """[Quelle: Stadt Lindenau, Ratsinformationssystem – Grundstück Mühlenweg]

Vorlage - 2024/031

Betreff: Verkauf des städtischen Grundstücks am Mühlenweg in Lindenau
Status: öffentlich

Sachverhalt:
(Grundstück am Mühlenweg in Lindenau)
Das städtische Grundstück am Mühlenweg in Lindenau soll an einen Handwerksbetrieb verkauft werden.
Das Grundstück am Mühlenweg in Lindenau ist groß genug für die geplante Lagerhalle.
Der Handwerksbetrieb erwirbt die Fläche zur Größe von ca. 640 m² für eine Lagerhalle.
"""


@pytest.fixture(scope="module")
def plots(assistant_over) -> Assistant:  # type: ignore[no-untyped-def]
    return assistant_over({"2024-031-muehlenweg.txt": MUEHLENWEG})


def test_size_of_a_plot_is_answered_with_the_sentence_that_gives_an_area(plots):
    answer = plots.ask("Wie groß ist das Grundstück am Mühlenweg in Lindenau?")
    assert not answer.abstained and "640 m²" in answer.citations[0].quote
    assert "groß genug" not in answer.text


def test_lines_in_brackets_are_never_quoted_as_statements(plots):
    answer = plots.ask("Was passiert mit dem Grundstück am Mühlenweg in Lindenau?")
    assert not answer.abstained
    assert not any(c.quote.strip().startswith(("[", "(")) for c in answer.citations)


NIEDERSCHRIFT = """Niederschrift über die öffentliche Sitzung des Gemeinderates Lindenau am 03.12.2019
Sitzungsort: Rathaus Lindenau
Status: öffentlich
Beginn: 18.00 Uhr Ende: 19.42 Uhr

TOP 1 Neubau des Spielplatzes am Weiher
Der Gemeinderat Lindenau beschließt den Neubau des Spielplatzes am Weiher.
"""

KINDERGARTEN = """Vorlage - 2019/101

Betreff: Erweiterung des Kindergartens Lindenau
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Der Kindergarten Lindenau ist voll belegt.
Der Kindergarten Lindenau nimmt keine Kinder mehr auf, weil alle Plätze des Kindergartens belegt sind.
Mit Schreiben vom 14.06.2019 teilte die Leiterin mit, dass ab 01.09.2019 keine Kinder mehr aufgenommen werden können.
"""


BETEILIGUNGEN = """Vorlage - 2022/150

Betreff: Beteiligungsbericht der Gemeinde Lindenau
Vorlage-Art: Mitteilungsvorlage
Status: öffentlich

Sachverhalt:
Die Gemeinde Lindenau ist derzeit an folgenden Gesellschaften in Privatrechtsform beteiligt.
unmittelbare Beteiligungen:
·         Wohnungsbau Lindenau GmbH
·         Stadtwerke Lindenau GmbH & Co. KG
·         Breitband Lindenau GmbH

mittelbare Beteiligungen:
·         Netzgesellschaft Lindenau mbH
"""


LEADER = """Vorlage - 2023/031

Betreff: Teilnahme der Gemeinde Lindenau am Regionalprogramm Heideland
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Beschlussvorschlag:
1. Die Gemeinde Lindenau trägt die anteiligen Kosten des Regionalmanagements der beiden Gebiete:
- Heideland-Nord: 4.000,00 Euro p. a.
- Heideland-Süd: 6.500,00 Euro p. a.
2. Zudem trägt die Gemeinde Lindenau den Beitrag zum Regionalbudget der beiden Gebiete:
- Heideland-Nord: 2.500,00 Euro p. a.
- Heideland-Süd: 3.000,00 Euro p. a.
3. Der auf die Gemeinde Lindenau entfallende Anteil (16.000,00 Euro, p.a.) wird im Haushalt veranschlagt.
"""


STELLENPLAN = """Vorlage - 2020/300

Betreff: Stellenplan 2021 der Stadt Lindenau
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Der Stellenplan 2021 der Stadt Lindenau weist 412,5 Stellen aus.
"""

ANTRAEGE = """Niederschrift - Rat der Stadt Lindenau, Sitzung am 10.12.2020

Status: öffentlich

TOP 4 Anträge zum Klimaschutz der Stadt Lindenau
Der Rat beschließt, die Anträge Nr. 12 und Nr. 13 zum Klimaschutz gemeinsam zur Abstimmung zu stellen.
"""


@pytest.fixture(scope="module")
def sessions(assistant_over) -> Assistant:  # type: ignore[no-untyped-def]
    docs = {
        "niederschrift-2019-12-03.txt": NIEDERSCHRIFT,
        "2019-101-kindergarten.txt": KINDERGARTEN,
        "2022-150-beteiligungen.txt": BETEILIGUNGEN,
        "2023-031-heideland.txt": LEADER,
        "2020-300-stellenplan.txt": STELLENPLAN,
    }
    return assistant_over(docs)


def test_how_long_a_session_lasted_is_answered_from_its_start_and_end_line(sessions):
    answer = sessions.ask("Wie lange dauerte die Sitzung des Gemeinderates Lindenau am 03.12.2019?")
    assert not answer.abstained
    assert any("19.42 Uhr" in c.quote for c in answer.citations)


def test_from_which_day_question_is_answered_with_the_dated_sentence(sessions):
    answer = sessions.ask("Ab welchem Tag nimmt der Kindergarten Lindenau keine Kinder mehr auf?")
    assert "01.09.2019" in answer.text


def test_which_companies_question_is_answered_with_the_whole_list_under_its_heading(sessions):
    answer = sessions.ask("An welchen Gesellschaften ist die Gemeinde Lindenau unmittelbar beteiligt?")
    for company in (
        "Wohnungsbau Lindenau GmbH",
        "Stadtwerke Lindenau GmbH & Co. KG",
        "Breitband Lindenau GmbH",
    ):
        assert company in answer.text
    assert "Netzgesellschaft" not in answer.text


def test_total_the_document_states_is_quoted_with_its_addends_not_recomputed(sessions):
    answer = sessions.ask(
        "Wie viel zahlt die Gemeinde Lindenau für das Regionalprogramm Heideland pro Jahr insgesamt?"
    )
    assert "16.000,00 Euro" in answer.text
    assert any("16.000,00 Euro" in c.quote for c in answer.citations)
    assert all(amount in answer.text for amount in ("4.000,00", "6.500,00", "2.500,00", "3.000,00"))


def test_count_with_a_decimal_is_a_count(sessions):
    answer = sessions.ask("Wie viele Stellen weist der Stellenplan 2021 der Stadt Lindenau aus?")
    assert "412,5 Stellen" in answer.text


def test_the_verb_stellen_does_not_count_positions(assistant_over):
    motions = assistant_over({"niederschrift-2020-12-10.txt": ANTRAEGE})
    answer = motions.ask("Wie viele neue Stellen schafft die Stadt Lindenau für den Klimaschutz?")
    assert answer.abstained


TOURISMUS = """Vorlage - 2013/784

Betreff: Förderung der Tourist-Informationen im Landkreis Ostheide
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Der Landkreis Ostheide fördert die Tourist-Information Nordkreis mit 9.600 € und die Tourist-Information Dammer Berge mit 7.200 €, also gesamt 16.800 €.
"""


def test_a_place_the_question_names_is_not_covered_by_a_word_inside_another_name(assistant_over):
    tourism = assistant_over({"2013-784-tourismus.txt": TOURISMUS})
    answer = tourism.ask(
        "Wie viel hat der Landkreis Miltenberg die Tourist-Informationen insgesamt gefördert?"
    )
    assert "16.800" not in answer.text


def test_how_many_question_counts_the_list_under_the_heading_that_names_what_is_counted(sessions):
    answer = sessions.ask("Wie viele unmittelbare Beteiligungen hat die Gemeinde Lindenau?")
    assert "insgesamt 3" in answer.text
    assert {c.quote.strip("· ").strip() for c in answer.citations} >= {
        "Wohnungsbau Lindenau GmbH",
        "Stadtwerke Lindenau GmbH & Co. KG",
        "Breitband Lindenau GmbH",
    }


BAEDER = """Vorlage - 2022/410

Betreff: Gründung der Bädergesellschaft Lindenau GmbH
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Stadt Lindenau gründet die Bädergesellschaft Lindenau GmbH.
Das Stammkapital beträgt 50.000 €. Für die Gründung der Bädergesellschaft Lindenau GmbH sind Haushaltsmittel in Höhe von 20.000 € veranschlagt.
"""

WOHNBAU = """Vorlage - 2011/048

Betreff: Gründung der Wohnbaugesellschaft Ostheide GmbH
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Stammeinlage der Wohnbaugesellschaft Ostheide GmbH in Höhe von 30.000 € wird durch den Landkreis Ostheide geleistet.
"""


def test_comparison_takes_the_figure_of_the_kind_asked_from_the_sentence_that_names_it(assistant_over):
    companies = assistant_over({"2022-410-baeder.txt": BAEDER, "2011-048-wohnbau.txt": WOHNBAU})
    answer = companies.ask(
        "Welche Gesellschaft hat das höhere Stammkapital: die Bädergesellschaft Lindenau GmbH oder die "
        "Wohnbaugesellschaft Ostheide GmbH?"
    )
    assert "50.000" in answer.text and "30.000" in answer.text and "20.000" not in answer.text


VOLKSHOCHSCHULE = """Vorlage - 2019/397

Betreff: Zuschuss an die Volkshochschule Lindenau
Vorlage-Art: Beschlussvorlage
Status: öffentlich

Sachverhalt:
Die Volkshochschule Lindenau kann ihre Geschäftsstelle künftig in der Gemeindebücherei unterbringen.
Dadurch sinken die kalkulatorischen Kosten der Volkshochschule Lindenau für 2020 von 8.000 € auf 4.000 €.
"""


def test_an_abbreviation_in_the_question_finds_the_word_the_document_writes(assistant_over):
    school = assistant_over({"2019-397-vhs.txt": VOLKSHOCHSCHULE})
    answer = school.ask("Warum kann die VHS Lindenau ihre Kosten für 2020 halbieren?")
    assert not answer.abstained
    assert "Gemeindebücherei" in answer.text


TOURISMUS_ALT = """Betreff
Tourismusförderung im Landkreis Heidekamp ab 2014 (512/2013)
Vorlage
512/2013
Art
Beschlussvorlage
Status
öffentlich

Die Tourist-Information Heidekamp erhält ab 2014 jährlich 20.000 € Grundförderung plus 0,40 € pro Einwohner.
"""

TOURISMUS_NEU = """Beschluss: einstimmig beschlossen
Status: öffentlich

Tourismusförderung im Landkreis Heidekamp 2024 bis 2027
Die Tourist-Information Heidekamp erhält ab 2024 jährlich 25.000 € Grundförderung plus 0,60 € pro Einwohner.
"""


def test_of_two_undated_documents_the_one_naming_later_years_gives_the_answer(assistant_over):
    tourism = assistant_over(
        {"512-2013-tourismus.txt": TOURISMUS_ALT, "tourismus-beschluss.txt": TOURISMUS_NEU},
    )
    answer = tourism.ask("Wie viel gibt der Landkreis Heidekamp der Tourist-Information pro Einwohner?")
    assert "0,60" in answer.text
    assert "0,40" not in answer.text.split("0,60")[0]  # the older figure, if at all, after the newer


ZUSCHUSS = """Beschlussauszug Finanzausschuss der Stadt Lindenau
Betreff: Vereinsförderung, Erhöhung eines Zuschusses
Status: öffentlich
Beschluss: einstimmig beschlossen

1. Der Erhöhung des Zuschusses um 500 Euro wird zugestimmt.
2. Die erforderlichen Mittel in Höhe von 2.000 Euro werden im Nachtragshaushalt bereitgestellt.
"""

SCHUETZEN = """Beschlussauszug Gemeinderat Lindenau
Status: öffentlich
Beschluss: einstimmig beschlossen

Der Schützenverein Lindenau erhält für die neue Schießanlage einen Zuschuss von 3.000 Euro.
"""


def test_which_club_question_is_declined_when_no_sentence_names_a_club(assistant_over):
    grants = assistant_over({"zuschuss.txt": ZUSCHUSS})
    assert grants.ask("Welcher Verein bekommt in Lindenau den um 500 Euro erhöhten Zuschuss?").abstained
    clubs = assistant_over({"schuetzen.txt": SCHUETZEN})
    answer = clubs.ask("Welcher Verein bekommt in Lindenau einen Zuschuss für die Schießanlage?")
    assert "Schützenverein Lindenau" in answer.text


RADWEG = """Beschlussvorlage Amt: 30 Datum: 03.03.2021 Drucksache Nr.: 12/2021 Beratungsfolge Termin Beratung Kennung Abstimmung Bau- und Umweltausschuss 15.03.2021 vorberatend nichtöffentlich Stadtrat 29.03.2021 beschließend öffentlich Beteiligungsvermerke Amt Handzeichen
Status: öffentlich
Betreff:
Neubau eines Radwegs an der Lindenauer Landstraße
Beschlussvorschlag: Der Stadtrat der Stadt Lindenau beschließt den Neubau des Radwegs an der Lindenauer Landstraße.
"""


def test_which_body_question_is_answered_with_the_beratungsfolge_cited_where_it_stands(assistant_over):
    cycle_path = assistant_over({"2021-12-radweg.txt": RADWEG})
    answer = cycle_path.ask(
        "Welches Gremium hat die Vorlage zum Radweg an der Lindenauer Landstraße vorberaten?"
    )
    assert "Bau- und Umweltausschuss (15.03.2021)" in answer.text
    assert any(c.quote == "Bau- und Umweltausschuss 15.03.2021" for c in answer.citations)


VERBAND = """Vorlage - 2024/015

Betreff: Beiträge der Gemeinde Lindenau an den Wasserverband Heide
Vorlage-Art: Mitteilungsvorlage
Status: öffentlich

Sachverhalt:
Die Gemeinde Lindenau zahlt an den Wasserverband Heide folgende Beiträge:
- Verwaltungskostenbeitrag: 1.500,00 Euro p. a.
- Projektbeitrag: 2.500,00 Euro p. a.
- Anteil der Gemeinde Lindenau insgesamt: 4.000,00 Euro p. a.
"""


def test_a_total_stated_on_a_list_line_is_quoted_not_added_to_its_own_addends(assistant_over):
    water = assistant_over({"2024-015-verband.txt": VERBAND})
    answer = water.ask("Wie viel zahlt die Gemeinde Lindenau pro Jahr insgesamt an den Wasserverband Heide?")
    assert "4.000,00 Euro" in answer.text and "8.000" not in answer.text
