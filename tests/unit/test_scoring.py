"""Answer scoring's reading of compounds: a question's compound is partly covered by its parts."""

from __future__ import annotations

from assistant.scoring import compound_part_share


def test_compound_is_half_covered_by_its_modifier_or_its_head_and_mostly_by_both():
    assert compound_part_share("fordertopf", {"forder", "verein"}) == 0.5
    assert compound_part_share("baugebiet", {"gebiet"}) == 0.5
    assert compound_part_share("kostenvereinbar", {"kost", "vereinbar"}) == 0.8


def test_short_words_and_unrelated_terms_are_not_covered():
    assert compound_part_share("kita", {"kit"}) == 0.0
    assert compound_part_share("fordertopf", {"topfen", "for", "ordertopf"}) == 0.0
