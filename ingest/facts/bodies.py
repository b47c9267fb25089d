"""Bodies that pay: a Landkreis, Stadt, Gemeinde … (grammar in `ingest.german.places`) as mentioned in a
sentence, and the words that make one the payer of an amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.facts.organisations import FUNCTION_WORDS, RELATION_WORD, type_of
from ingest.german.places import (
    FUNDING_BODY_TYPE,
    LOCAL_BODY_TYPE,
    PLACE_WORD,
    body_type,
)

_BODY = re.compile(
    rf"\b(?P<type>{LOCAL_BODY_TYPE}|{FUNDING_BODY_TYPE})\b(?:\s+(?P<name>{PLACE_WORD}(?:\s+{PLACE_WORD}){{0,3}}))?"
)
PAYER_PREPOSITION = re.compile(
    r"(?:\b(?:für|auf|durch)\s+(?:den|die|das)|\bvom|\bvon\s+der|\bvon\s+dem|\bbeim|\bbei\s+der"
    r"|(?:beitr|zusch|anteil|kosten)\w*\s+(?:der|des))\s+$",
    re.IGNORECASE,
)
RECEIVES = re.compile(r"\b(?:erhält|erhalten|bekommt|bekommen)\b")


@dataclass(frozen=True)
class Body:
    """A Landkreis, Stadt, Gemeinde … mentioned in a sentence; `name` empty for "der Landkreis"."""

    start: int
    end: int
    type: str
    name: str

    @property
    def full(self) -> str:
        return f"{self.type} {self.name}" if self.name else self.type


def bodies_in(text: str) -> list[Body]:
    bodies = []
    for match in _BODY.finditer(text):
        nominative = body_type(match.group("type"))
        name = _place_name(match.group("name") or "")
        if nominative == "Land" and not name:
            continue
        end = match.start("name") + len(name) if name else match.end("type")
        bodies.append(Body(match.start(), end, nominative, name))
    return bodies


def _place_name(name: str) -> str:
    """A place name without trailing common nouns: "Peine", "Hann. Münden", "Amt Neuhaus"."""
    words = name.split()
    kept: list[str] = []
    for word in words:
        if word.lower() in FUNCTION_WORDS or type_of(word) or RELATION_WORD.search(word.lower()):
            break
        kept.append(word)
    return " ".join(kept)
