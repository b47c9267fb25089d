"""The facts ledger: amounts and memberships read from a document's text, each with its sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.facts import MEMBERSHIP, extract_facts
from ingest.types import Document, Fact

REPO = Path(__file__).resolve().parents[2]
SEED_COPIES = (
    REPO / "corpus" / "vorlage-2015-179.txt",
    REPO.parent / "shared" / "seed" / "vorlage-2015-179.txt",
)


def facts_of(text: str, title: str = "", body: str = "", date: str = "") -> list[Fact]:
    return extract_facts(Document(doc_id="doc", text=text, title=title, body=body, date=date))


def amount_fact(facts: list[Fact], amount_text: str) -> Fact:
    matching = [f for f in facts if f.amount_text == amount_text]
    assert len(matching) == 1, [(f.organisation, f.amount_text) for f in facts]
    return matching[0]


def memberships(facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if f.kind == MEMBERSHIP]


# ------------------------------------------------------------------------------------- organisations


def test_amount_belongs_to_the_organisation_named_in_its_sentence() -> None:
    facts = facts_of("Die Wirtschaftsförderung Südheide GmbH erhält einen Zuschuss von 25.000 €.")
    assert amount_fact(facts, "25.000 €").organisation == "Wirtschaftsförderung Südheide GmbH"


def test_amount_without_organisation_belongs_to_the_subject_of_an_earlier_sentence_of_its_paragraph() -> None:
    text = (
        "Die Metropolregion Nordwest Elbe Weser ist eine von elf Metropolregionen in Deutschland. "
        "In diesem Gebiet leben 2,1 Millionen Menschen. "
        "Der Landkreis Heideland ist Mitglied im Verein der Kommunen in der Metropolregion. "
        "Die jährlichen Kosten betragen für den Landkreis lediglich 2.500 €."
    )
    fact = amount_fact(facts_of(text), "2.500 €")
    assert fact.organisation == "Metropolregion Nordwest Elbe Weser"


def test_amount_without_organisation_in_its_paragraph_belongs_to_the_organisation_of_the_title() -> None:
    text = "Betreff: Beitritt zum Zweckverband Abfallwirtschaft Nordheide\n\nDie Umlage beträgt 12.000 €."
    fact = amount_fact(facts_of(text), "12.000 €")
    assert fact.organisation == "Zweckverband Abfallwirtschaft Nordheide"


def test_back_reference_names_the_organisation_mentioned_before() -> None:
    text = "Die Hafenbetriebe Elbmarsch GmbH wurde 2001 gegründet.\nDie Gesellschaft erwartet einen Fehlbetrag von 70.000 €."
    fact = amount_fact(facts_of(text), "70.000 €")
    assert (fact.organisation, fact.kind) == ("Hafenbetriebe Elbmarsch GmbH", "Fehlbetrag")


def test_acronym_names_the_organisation_with_those_initials() -> None:
    text = (
        "Das Netzwerk Kommunale Energie Nord ist ein Zusammenschluss von Landkreisen.\n"
        "Der KEN ist damit gut aufgestellt. Die Kosten sind mit 1.200 € gering."
    )
    assert amount_fact(facts_of(text), "1.200 €").organisation == "Netzwerk Kommunale Energie Nord"


def test_short_mention_of_a_quoted_name_is_that_organisation() -> None:
    text = 'Betreff: Beitritt zum Verein "Heideblüte e.V."\n\nFür die Heideblüte werden 300 € fällig.'
    assert amount_fact(facts_of(text), "300 €").organisation == "Heideblüte e.V."


def test_abbreviation_defined_in_parentheses_names_the_organisation() -> None:
    text = (
        "Der Landkreis ist Gesellschafter der Wirtschaftsförderung Nordheide mbH (WFN).\n"
        "Die WFN berät Unternehmen bei der Ansiedlung.\n"
        "Die Stiftung Lesewelt erhält 500 €. Die WFN erhält einen Zuschuss von 250.000 €."
    )
    fact = amount_fact(facts_of(text), "250.000 €")
    assert (fact.organisation, fact.purpose) == (
        "Wirtschaftsförderung Nordheide mbH",
        "Die WFN berät Unternehmen bei der Ansiedlung.",
    )


def test_name_with_founding_year_is_one_organisation() -> None:
    facts = facts_of("Die Heide GmbH wurde gegründet. Der TSV Heidestadt von 1890 e.V. erhält 1.000 €.")
    assert amount_fact(facts, "1.000 €").organisation == "TSV Heidestadt von 1890 e.V."


def test_type_word_with_genitive_and_legal_form_is_one_organisation() -> None:
    text = "Der Förderverein der Kreismusikschule e.V. erhält einen Zuschuss von 3.000 €."
    assert amount_fact(facts_of(text), "3.000 €").organisation == "Förderverein der Kreismusikschule e.V."


def test_name_in_the_genitive_is_shown_in_the_nominative() -> None:
    text = "Betreff: Verbandsumlage des Zweckverbandes Großraum Heidestadt\n\nDie Umlage beträgt 4,5 Mio. €."
    assert amount_fact(facts_of(text), "4,5 Mio. €").organisation == "Zweckverband Großraum Heidestadt"


def test_source_of_money_is_the_payer_not_the_organisation() -> None:
    text = (
        "Betreff: Mitgliedschaft im Förderverein Moorbahn e.V.\n\n"
        "Der Mitgliedsbeitrag beträgt 900 €, wovon 400 € aus Mitteln des Heimatbund Moor e.V. übernommen werden."
    )
    fact = amount_fact(facts_of(text), "400 €")
    assert (fact.organisation, fact.payer) == ("Förderverein Moorbahn e.V.", "Heimatbund Moor e.V.")


def test_total_of_several_organisations_is_not_given_to_the_last_one() -> None:
    text = (
        "Folgende Beiträge fallen an:\n"
        "- Heimatverein Altdorf: Jahresbeitrag 50 €\n"
        "- Kunstverein Neudorf: Jahresbeitrag 70 €\n"
        "Zusammen ergibt sich eine Einsparung von 120 € im Jahr."
    )
    assert amount_fact(facts_of(text), "120 €").organisation == ""


# ------------------------------------------------------------------------------------ tables and lists


def test_table_row_takes_organisation_purpose_and_kind_from_its_cells() -> None:
    text = (
        "Die Mittel aus dem Haushalt 2023 werden wie folgt verteilt:\n"
        "Nr. | Kommune | Zweck | Zuschuss\n"
        "1 | Gemeinde Seeberg | Sanierung der Friedhofskapelle | 8.478,75 €\n"
    )
    fact = amount_fact(facts_of(text, body="Landkreis Heideland"), "8.478,75 €")
    assert (fact.organisation, fact.purpose, fact.kind, fact.value) == (
        "Gemeinde Seeberg",
        "Sanierung der Friedhofskapelle",
        "Zuschuss",
        8478.75,
    )
    assert (fact.years, fact.payer) == ("2023", "Landkreis Heideland")


def test_list_item_label_names_the_organisation() -> None:
    text = "Beiträge:\n- Heimatverein Altdorf, Ortsgruppe Süd: Jahresbeitrag 150 DM\n"
    fact = amount_fact(facts_of(text), "150 DM")
    assert (fact.organisation, fact.kind, fact.period) == (
        "Heimatverein Altdorf, Ortsgruppe Süd",
        "Mitgliedsbeitrag",
        "jährlich",
    )


# ------------------------------------------------------------------------------------- kind and period


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Der Jahresbeitrag an den Heimatverein Altdorf beträgt 50 €.", "Mitgliedsbeitrag"),
        ("Die Stiftung Lesewelt erhält einen Zuschuss von 2.000 €.", "Zuschuss"),
        (
            "Der Gesellschafterbeitrag an die Bäderbetriebe Heide GmbH beträgt 40.000 €.",
            "Gesellschafterbeitrag",
        ),
        ("Die Verbandsumlage für den Zweckverband Nordwasser beträgt 3.000 €.", "Umlage"),
        ("Der Verein Lesezeit e.V. erwartet einen Projektbeitrag von 500,00 €.", "Projektbeitrag"),
        ("Der Kaufpreis beträgt 386.400 €.", "Kaufpreis"),
        ("Die Kosten betragen 904.800 Euro.", "Kosten"),
        ("Es verbleibt ein Defizit von 1,2 Millionen Euro.", "Fehlbetrag"),
        ("Dadurch ergibt sich eine Einsparung von 350 DM.", "Einsparung"),
        ("Für das Portal wurden 30.000 € beantragt.", "Betrag"),
    ],
)
def test_kind_comes_from_the_words_near_the_amount(sentence: str, kind: str) -> None:
    assert [f.kind for f in facts_of(sentence) if f.kind != MEMBERSHIP] == [kind]


def test_plain_beitrag_takes_the_kind_of_contribution_the_document_is_about() -> None:
    text = "Betreff: Erhöhung des Mitgliedsbeitrages\n\nDer Beitrag der Stadt steigt auf 10.560 € im Jahr."
    assert amount_fact(facts_of(text), "10.560 €").kind == "Mitgliedsbeitrag"


def test_sentence_without_kind_word_inherits_the_kind_of_the_amount_before() -> None:
    text = "Der Verein Lesezeit e.V. erhält einen Zuschuss von jährlich 6.000 €. Für 2016 wurden weitere 3.000 € beantragt."
    assert amount_fact(facts_of(text), "3.000 €").kind == "Zuschuss"


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("Die Stiftung Lesewelt erhält einen Zuschuss in Höhe von jährlich 60.000 €.", "jährlich"),
        ("Der Zuschuss beträgt 60.000 € pro Jahr.", "jährlich"),
        ("Die Einsparung beträgt 350 DM im Jahr.", "jährlich"),
        ("Der Jahresbeitrag der Stadt beträgt 1.500 €.", "jährlich"),
        ("Die jährlichen Kosten betragen 3.000 €.", "jährlich"),
        ("Zusätzlich werden einmalig 20.000 € gezahlt.", "einmalig"),
        ("Der Mitgliedsbeitrag beträgt im Jahr 2009 3.800 €.", ""),
    ],
)
def test_period_comes_from_the_words_around_the_amount(sentence: str, period: str) -> None:
    assert [f.period for f in facts_of(sentence) if f.value is not None] == [period]


@pytest.mark.parametrize(
    ("sentence", "years"),
    [
        ("Für ein Portal wurden für 2016 weitere 30.000 € beantragt.", "2016"),
        ("Der Gesellschaft werden 20.000 € im Jahr 2025 gezahlt.", "2025"),
        ("Der Beitrag steigt ab dem Haushaltsjahr 2025 auf 70.000 €.", "ab 2025"),
        ("Einmalig werden 10.000 € (2026) gezahlt.", "2026"),
        ("Der Mitgliedsbeitrag beträgt im Jahr 2009 3.800 €.", "2009"),
        ("Die Planungen für die Jahre 2016 bis 2018 kosten 9.000 €.", "2016-2018"),
        ("Laut Vorlage 2015/179 beträgt der Zuschuss 60.000 €.", ""),
    ],
)
def test_years_are_those_stated_for_the_amount(sentence: str, years: str) -> None:
    assert [f.years for f in facts_of(sentence) if f.value is not None] == [years]


def test_each_amount_takes_the_year_written_right_after_it() -> None:
    facts = facts_of("Einmalig werden 20.000 € (2025) und 10.000 € (2026) gezahlt.")
    assert [(f.value, f.years, f.period) for f in facts] == [
        (20000.0, "2025", "einmalig"),
        (10000.0, "2026", "einmalig"),
    ]


def test_amounts_joined_by_auf_share_rate_and_period() -> None:
    facts = facts_of(
        "Der Beitrag an den Heimatverein Altdorf steigt von 0,12 € auf 0,24 € pro Einwohnerin und Einwohner."
    )
    assert [f.currency for f in facts] == ["EUR/Einwohner", "EUR/Einwohner"]
    facts = facts_of("Der Beitrag an den Heimatverein Altdorf steigt von 5.280 € auf 10.560 € im Jahr.")
    assert [f.period for f in facts] == ["jährlich", "jährlich"]


# -------------------------------------------------------------------------------------- payer, purpose


def test_payer_named_in_the_sentence_is_completed_from_the_document() -> None:
    text = (
        "Der Landkreis Heideland ist Mitglied im Heimatbund Moor e.V.\n"
        "Die jährlichen Kosten betragen für den Landkreis lediglich 2.500 €."
    )
    assert amount_fact(facts_of(text), "2.500 €").payer == "Landkreis Heideland"


def test_payer_is_the_body_named_next_to_each_amount() -> None:
    text = (
        "Die Umlage für den Zweckverband Nordwasser wird verteilt. "
        "Auf die Stadt Seeberg entfallen 1.200 €, auf den Landkreis Heideland 3.400 €."
    )
    facts = facts_of(text)
    assert [amount_fact(facts, a).payer for a in ("1.200 €", "3.400 €")] == [
        "Stadt Seeberg",
        "Landkreis Heideland",
    ]


def test_payer_is_the_documents_body_when_the_sentence_names_none() -> None:
    text = "Die Stiftung Lesewelt erhält einen Zuschuss von 2.000 €."
    assert amount_fact(facts_of(text, body="Stadt Seeberg"), "2.000 €").payer == "Stadt Seeberg"


def test_purpose_is_the_sentence_saying_what_the_organisation_does() -> None:
    text = (
        "Die Heideregion Marketing GmbH vermarktet die Ferienregion und betreibt die Gästeinformation. "
        "Die Gesellschaft erhält einen Zuschuss von 15.000 €."
    )
    fact = amount_fact(facts_of(text), "15.000 €")
    assert (
        fact.purpose
        == "Die Heideregion Marketing GmbH vermarktet die Ferienregion und betreibt die Gästeinformation."
    )


def test_purpose_follows_a_pronoun_back_to_the_organisation() -> None:
    text = (
        "Die Moorlandschaft e.V. ging aus einem Landesprojekt hervor. "
        "Als Verbund der Anrainer verbindet sie Naturschutz und Tourismus.\n"
        "Der Mitgliedsbeitrag beträgt 800 €."
    )
    fact = amount_fact(facts_of(text, title="Beitritt zur Moorlandschaft e.V."), "800 €")
    assert fact.purpose == "Als Verbund der Anrainer verbindet sie Naturschutz und Tourismus."


# ---------------------------------------------------------------------------------------- memberships


def test_membership_row_for_a_body_that_is_member() -> None:
    rows = memberships(facts_of("Der Landkreis Heideland ist Mitglied im Heimatbund Moor e.V."))
    assert [(f.organisation, f.payer, f.value, f.amount_text) for f in rows] == [
        ("Heimatbund Moor e.V.", "Landkreis Heideland", None, "")
    ]


def test_membership_row_for_joining_carries_the_year() -> None:
    rows = memberships(facts_of("Die Gemeinde Seeberg tritt dem Verein Lesezeit e.V. zum 01.06.2019 bei."))
    assert [(f.organisation, f.payer, f.years) for f in rows] == [
        ("Lesezeit e.V.", "Gemeinde Seeberg", "2019")
    ]


def test_membership_row_for_leaving_names_the_organisation_of_the_title() -> None:
    text = (
        "Betreff: Mitgliedschaft im Verein Heideblüte e.V.\n\n"
        "Wegen der Kündigungsfrist ist ein Austritt frühestens zum 31.12.2023 möglich."
    )
    rows = memberships(facts_of(text, body="Stadt Seeberg"))
    assert [(f.organisation, f.payer, f.years) for f in rows] == [
        ("Heideblüte e.V.", "Stadt Seeberg", "2023")
    ]


def test_membership_since_a_date_reads_seit() -> None:
    text = "Seit dem 01.07.2005 gehört die Stadt Seeberg der Metropolregion Nordwest an."
    rows = memberships(facts_of(text))
    assert [(f.organisation, f.payer, f.years) for f in rows] == [
        ("Metropolregion Nordwest", "Stadt Seeberg", "seit 2005")
    ]


def test_membership_year_defaults_to_the_documents_year() -> None:
    rows = memberships(
        facts_of("Die Stadt Seeberg ist Gesellschafter der Bäderbetriebe Heide GmbH.", date="2021-03-08")
    )
    assert [(f.organisation, f.years) for f in rows] == [("Bäderbetriebe Heide GmbH", "2021")]


def test_negated_membership_gives_no_row() -> None:
    assert (
        memberships(facts_of("Die Gemeinde Seeberg ist bislang kein Mitglied im Verein Lesezeit e.V.")) == []
    )


def test_listed_memberships_to_cancel_give_one_row_per_item() -> None:
    text = (
        "Die Verwaltung schlägt vor, folgende Mitgliedschaften zu kündigen:\n"
        "- Heimatverein Altdorf: Jahresbeitrag 50 €\n"
        "- Kunstverein Neudorf: Jahresbeitrag 70 €\n"
    )
    assert [f.organisation for f in memberships(facts_of(text))] == [
        "Heimatverein Altdorf",
        "Kunstverein Neudorf",
    ]


def test_table_of_memberships_gives_one_row_per_organisation() -> None:
    text = (
        "Der Landkreis ist in folgenden Organisationen Mitglied:\n"
        "Organisation | Zweck | Beitrag 2024\n"
        "Heimatbund Heideland e.V. | Heimatpflege | 1.300 €\n"
        "Deutscher Landkreistag | Interessenvertretung | 15.500 €\n"
    )
    facts = facts_of(text, body="Landkreis Heideland")
    assert [f.organisation for f in memberships(facts)] == [
        "Heimatbund Heideland e.V.",
        "Deutscher Landkreistag",
    ]
    fact = amount_fact(facts, "15.500 €")
    assert (fact.kind, fact.years, fact.purpose) == ("Mitgliedsbeitrag", "2024", "Interessenvertretung")


# ------------------------------------------------------------------------------------ spans and duplicates


def test_fact_span_is_exactly_the_sentence_with_the_amount() -> None:
    text = "Die Stiftung Lesewelt ist bekannt. Sie erhält 9,2 Mio. € vom Land Niedersachsen. Das ist viel."
    fact = amount_fact(facts_of(text), "9,2 Mio. €")
    assert text[fact.start : fact.end] == "Sie erhält 9,2 Mio. € vom Land Niedersachsen."


def test_fact_span_covers_a_sentence_wrapped_over_lines() -> None:
    text = (
        "Finanzielle Auswirkungen\n"
        "Die Investition für den Neubau der Fahrzeughalle der Feuerwehr in Seeberg beläuft sich auf rund\n"
        "1,3 Millionen Euro. Die Mittel sind veranschlagt.\n"
    )
    fact = amount_fact(facts_of(text), "1,3 Millionen Euro")
    assert text[fact.start : fact.end].startswith("Die Investition") and text[fact.start : fact.end].endswith(
        "Euro."
    )


def test_sentence_does_not_end_at_an_abbreviation() -> None:
    text = "Der Verein Lesezeit e.V. und die Stadt Hann. Münden zahlen 5.000 € an die Stiftung."
    fact = amount_fact(facts_of(text), "5.000 €")
    assert (fact.start, fact.end) == (0, len(text))


def test_same_amount_stated_twice_in_one_sentence_is_listed_once() -> None:
    text = "Der Zuschuss an die Stiftung Lesewelt beträgt 2.000 € (in Worten: 2.000 €)."
    assert [f.value for f in facts_of(text)] == [2000.0]


# ------------------------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_facts() -> list[Fact]:
    path = next((p for p in SEED_COPIES if p.is_file()), None)
    if path is None:
        pytest.skip("seed document vorlage-2015-179.txt not present")
    return extract_facts(Document(doc_id="vorlage-2015-179", text=path.read_text(encoding="utf-8")))


def seed_fact(facts: list[Fact], value: float) -> Fact:
    matching = [f for f in facts if f.value == value]
    assert len(matching) == 1, matching
    return matching[0]


def test_seed_allianz_receives_60000_euro_yearly_with_its_purpose(seed_facts: list[Fact]) -> None:
    fact = seed_fact(seed_facts, 60000.0)
    assert fact.organisation.startswith("Allianz für die Region")
    assert (fact.kind, fact.period, fact.amount_text) == ("Zuschuss", "jährlich", "60.000 €")
    assert "bündelt Kräfte" in fact.purpose


def test_seed_allianz_applied_for_30000_euro_for_2016(seed_facts: list[Fact]) -> None:
    fact = seed_fact(seed_facts, 30000.0)
    assert fact.organisation.startswith("Allianz für die Region")
    assert (fact.years, fact.period) == ("2016", "")


def test_seed_netzwerk_costs_4400_euro_yearly(seed_facts: list[Fact]) -> None:
    fact = seed_fact(seed_facts, 4400.0)
    assert (fact.organisation, fact.period) == ("Netzwerk Erweiterter Wirtschaftsraum Hannover", "jährlich")


def test_seed_metropolregion_costs_3000_euro_yearly(seed_facts: list[Fact]) -> None:
    fact = seed_fact(seed_facts, 3000.0)
    assert (fact.organisation, fact.period) == (
        "Metropolregion Hannover Braunschweig Göttingen Wolfsburg",
        "jährlich",
    )
    assert fact.payer == "Landkreis Peine"


def test_seed_inhabitants_are_not_an_amount(seed_facts: list[Fact]) -> None:
    assert 3_800_000.0 not in [f.value for f in seed_facts]
