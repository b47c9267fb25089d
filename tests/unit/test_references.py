"""Vorlage numbers in the shapes RIS exports write them, their canonical key, and lookup by number."""

from __future__ import annotations

import pytest

from ingest.german.references import (
    amended_reference,
    find_references,
    is_reference,
    mention_keys,
    reference_key,
    select_amendments,
    select_by_reference,
    unprefixed_key,
)


@pytest.mark.parametrize(
    "number",
    [
        "2015/179",
        "79/00",
        "41/027/2022",
        "3-010/2011/01-007",
        "178-1/2021",
        "2424/2014-2020",
        "VO/2019/397-01",
        "DrS/2011/003-1",
        "FB2/1392/2021",
        "2022/AMT/387",
        "LS-030/2018",
        "1332-StR/2013",
        "VII/STR/STR/1044/24",
        "BR-2024-058",
        "VI-DS-08188",
        "VIII-1116",
        "1265/II",
        "GRDrs 812/2008",
        "FB 1/028/2023",
        "OF 36/13",
        "15-0730/2023",
    ],
)
def test_known_number_shapes_are_numbers(number: str) -> None:
    assert is_reference(number)


@pytest.mark.parametrize(
    "text", ["2/3", "12.05.2020", "1.500", "Schulsozialarbeit", "4-5", "Vorlage", "§ 48"]
)
def test_fractions_dates_amounts_and_words_are_no_numbers(text: str) -> None:
    assert not is_reference(text)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("VO/2019/397-01", "VO-2019-397-1"),
        ("vo 2019/397-1", "VO-2019-397-1"),
        ("GRDrs 812/2008", "GRDRS-812-2008"),
        ("FB2/1392/2021", "FB-2-1392-2021"),
        ("1265/ii", "1265-II"),
        ("0094/2012", "94-2012"),
    ],
)
def test_key_ignores_case_spaces_separators_and_leading_zeros(written: str, key: str) -> None:
    assert reference_key(written) == key


def test_key_without_prefix_drops_leading_letters_but_never_leaves_a_bare_number() -> None:
    assert (unprefixed_key("GRDrs 812/2008"), unprefixed_key("VIII-1116")) == ("812-2008", "")


def test_numbers_are_found_in_a_question_with_their_prefix() -> None:
    assert find_references("Worum geht es in der GRDrs 812/2008 und in DS-Nr. 111/2014?") == [
        "GRDrs 812/2008",
        "111/2014",
    ]


def test_label_words_before_a_number_are_no_prefix() -> None:
    assert find_references("Was steht in Vorlage 12/1123 und Antrag 414/2018?") == ["12/1123", "414/2018"]


def test_full_key_wins_over_key_without_prefix() -> None:
    documents = ["VO/2020/015", "2020/015", "VO/2020/016"]
    assert select_by_reference(["vo 2020/15"], documents, str) == ["VO/2020/015"]


def test_key_without_prefix_is_tried_when_the_full_key_finds_nothing() -> None:
    assert select_by_reference(["GRDrs 812/2008"], ["812/2008", "813/2008"], str) == ["812/2008"]


def test_a_suffixed_number_is_another_document() -> None:
    assert select_by_reference(["VO/2019/397"], ["VO/2019/397-01"], str) == []


def test_mentions_hold_both_keys_of_every_number_in_a_text() -> None:
    assert mention_keys("14. Umnutzung der Kapelle (DS-Nr.: 111/2014), vgl. GRDrs 5/2013") == {
        "111-2014",
        "GRDRS-5-2013",
        "5-2013",
    }


def test_spaces_around_a_slash_are_tolerated() -> None:
    assert find_references("vo / 2019 / 397-01") == ["vo / 2019 / 397-01"]
    assert reference_key("vo / 2019 / 397-01") == reference_key("VO/2019/397-01")


@pytest.mark.parametrize(
    ("reference", "amended"),
    [
        ("80/2019 1. Ergänzung", "80/2019"),
        ("12/2021 Änderung", "12/2021"),
        ("VO/2019/397, 2. Nachtrag", "VO/2019/397"),
        ("VO/2019/397-01", ""),
        ("80/2019", ""),
    ],
)
def test_an_amending_paper_names_the_number_it_amends_by_a_word_suffix(reference: str, amended: str) -> None:
    assert amended_reference(reference) == amended


def test_amendments_of_a_number_are_selected_in_any_writing_of_it() -> None:
    papers = ["80/2019", "80/2019 1. Ergänzung", "80/2019 2. Ergänzung", "81/2019 1. Ergänzung", "80/2019-1"]

    assert select_amendments(["080/2019"], papers, str) == [
        "80/2019 1. Ergänzung",
        "80/2019 2. Ergänzung",
    ]
