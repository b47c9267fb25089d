"""Vorlage numbers: the shapes council information systems write them in, and one key to compare them by.

A number is a run of groups – digits, letters (a prefix like "VO", "DrS", "BesV", a Roman
Wahlperiode like "VIII", an office like "StR") or letters with digits ("FB2") – joined by "/" or
"-", or by a space after a short capitalised prefix ("GRDrs 812/2008", "FB 1/028/2023"):

    2015/179  79/00  12/1123  41/027/2022  3-010/2011/01-007  178-1/2021  2424/2014-2020
    VO/2019/397-01  DrS/2011/003-1  BV/409/2022  FB2/1392/2021  2022/AMT/387  LS-030/2018
    1332-StR/2013  VII/STR/STR/1044/24  BR-2024-058  VI-DS-08188  VIII-1116  1265/II
    GRDrs 812/2008  FB 1/028/2023  OF 36/13  15-0730/2023

`reference_key` turns any of them into a key that ignores case, spaces, the kind of separator and
leading zeros ("vo 2019/397-1" ≈ "VO/2019/397-01"); `unprefixed_key` drops leading letter groups
("GRDrs 812/2008" ≈ "812/2008"). Matching tries the full key first and the key without prefix
only when the full key finds nothing, since a prefix can be what tells two councils' numbers apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
_LETTERS = r"[A-Za-zÄÖÜäöü]"
# One group: digits (with an optional letter: "12a"), or letters (with optional digits: "FB2").
_GROUP = rf"(?:\d{{1,6}}{_LETTERS}?|{_LETTERS}{{1,8}}\d{{0,4}})"
# Words that may stand before a number but are no part of it ("Vorlage 2015/179", "Nr. 12/3").
_NOT_PREFIXES = (
    "Nr|Nummer|Vorlage|Antrag|Anfrage|Beschluss|Drucksache|Auszug|Sitzung|Vom|Am|Und|Bis|Oder|Seite|Anlage"
    "|Jahr|Jahre|Jahren|Ziff|Ziffer|Punkt|TOP|Linie|Abs|Art"
)
# A short capitalised prefix joined by a space: "GRDrs 812/2008", "FB 1/028/2023", "OF 36/13".
_SPACED_PREFIX = rf"(?:(?!(?:{_NOT_PREFIXES})\s)[A-ZÄÖÜ]{_LETTERS}{{0,5}}\.?\s(?=\d))"
# Groups are joined by "/" (spaces around it are tolerated: "2015 / 179") or "-" (without spaces,
# which would be a dash between words).
REFERENCE_SHAPE = rf"(?:{_SPACED_PREFIX}?{_GROUP}(?:(?: ?/ ?|-){_GROUP}){{1,6}})"
# Where a shape stands on its own: not glued to a word, a date ("12.05.2020") or an amount.
_REFERENCE_IN_TEXT = re.compile(rf"(?<![\w/.\-]){REFERENCE_SHAPE}(?![\w/]|-\w|\.\d)")
_GROUPS = re.compile(r"\d+|[^\W\d_]+")
_MIN_UNPREFIXED_GROUPS = 2
# A number followed by what makes a paper an amendment of it: "1. Ergänzung", "Änderung",
# "2. Nachtrag", "Neufassung".
_AMENDMENT = re.compile(
    r"(?P<amended>.+?),?\s+(?:\d{1,2}\.\s*)?(?:Ergänzung|Änderung|Nachtrag|Neufassung)\b.*",
    re.IGNORECASE,
)


def is_reference(text: str) -> bool:
    """Whether the whole text is one number in a known shape (not "2/3", not "Schulsozialarbeit-2")."""
    stripped = text.strip()
    return _REFERENCE_IN_TEXT.fullmatch(stripped) is not None and _looks_like_number(stripped)


def find_references(text: str) -> list[str]:
    """Every number in a known shape, in text order ("Was wurde zu VO/2019/397 beschlossen?")."""
    return [m.group() for m in _REFERENCE_IN_TEXT.finditer(text) if _looks_like_number(m.group())]


def reference_key(reference: str) -> str:
    """The canonical key: upper case, groups joined by "-", digits without leading zeros."""
    groups = _GROUPS.findall(reference.upper())
    return "-".join(group.lstrip("0") or "0" if group.isdigit() else group for group in groups)


def unprefixed_key(reference: str) -> str:
    """The key without leading letter groups ("GRDRS-812-2008" → "812-2008"); "" when that leaves
    fewer than two groups, which would match too much ("VIII-1116" → "")."""
    groups = reference_key(reference).split("-")
    while groups and not groups[0].isdigit():
        groups.pop(0)
    return "-".join(groups) if len(groups) >= _MIN_UNPREFIXED_GROUPS else ""


def select_by_reference(
    wanted: Iterable[str], items: Iterable[T], reference_of: Callable[[T], str]
) -> list[T]:
    """The items whose number is one of `wanted`: those that match by full key, or, only when none
    does, those that match by the key without prefix ("GRDrs 812/2008" finds "812/2008")."""
    wanted = list(wanted)
    numbered = [(item, reference_of(item)) for item in items]
    numbered = [(item, reference) for item, reference in numbered if reference]
    full = {reference_key(reference) for reference in wanted}
    found = [item for item, reference in numbered if reference_key(reference) in full]
    if found:
        return found
    bare = {unprefixed_key(reference) for reference in wanted} - {""}
    return [item for item, reference in numbered if unprefixed_key(reference) in bare]


def amended_reference(reference: str) -> str:
    """The number an amending paper amends: "80/2019 1. Ergänzung" → "80/2019", "12/3 Änderung"
    → "12/3"; "" for a paper that amends nothing. Only a word suffix counts: "-01" or "-1" may
    be a number of its own in some council systems ("VO/2019/397-01")."""
    match = _AMENDMENT.fullmatch(reference.strip())
    return match.group("amended") if match else ""


def select_amendments(wanted: Iterable[str], items: Iterable[T], reference_of: Callable[[T], str]) -> list[T]:
    """The items that amend one of `wanted` ("80/2019 2. Ergänzung" for "80/2019"), matched by
    full key like `select_by_reference`."""
    full = {reference_key(reference) for reference in wanted}
    return [
        item
        for item in items
        if (amended := amended_reference(reference_of(item) or "")) and reference_key(amended) in full
    ]


def mention_keys(text: str) -> set[str]:
    """The keys (full and without prefix) of every number a text mentions, for finding the passage
    that names a number a question asks about ("DS-Nr.: 111/2014" in a list of agenda items)."""
    keys: set[str] = set()
    for reference in find_references(text):
        keys |= {reference_key(reference), unprefixed_key(reference)}
    return keys - {""}


def _looks_like_number(candidate: str) -> bool:
    """A digit, and enough of them that fractions and short ranges ("2/3", "4-5") are not numbers."""
    digits = sum(char.isdigit() for char in candidate)
    letters = any(char.isalpha() for char in candidate)
    return digits >= (2 if letters else 4)
