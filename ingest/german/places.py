"""German local bodies and place names: "Landkreis Peine", "Stadt Hann. Münden", "Gemeinde Kreuzau".

A body is a type word (Landkreis, Kreis, Samtgemeinde, Gemeinde, Stadt, Hansestadt) and a place
name; the genitive ("des Landkreises Lüneburg") names the same body as the nominative. Bund, Land
and "die Kommune" fund things too, but a council document never belongs to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.german.words import word_set

# The bodies a council document can belong to, nominative and genitive.
LOCAL_BODY_TYPE = r"Landkreis(?:es)?|Kreis(?:es)?|Samtgemeinde|Gemeinde|Hansestadt|Stadt"
# Who else pays: "Mittel des Bundes", "das Land Niedersachsen", "die Kommune".
FUNDING_BODY_TYPE = r"Kommune|Bund|Land"
STATE_LEVEL = ("Bund", "Land")

# A whole place name: "Peine", "Hann. Münden", "Darmstadt-Dieburg", "Amt Neuhaus", "Bad Harzburg".
PLACE = r"(?:(?:Bad|Sankt|St\.|Hann\.|Amt|Hansestadt)\s+)?[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)*"
# One word of a place name, for names read word by word ("Hann.", "Münden", "Groß-Gerau").
PLACE_WORD = r"(?:Hann\.|St\.|[A-ZÄÖÜ]\w*(?:-[A-ZÄÖÜ]\w*)*)"
# Capitalised words after a body type that are not a place: "die Stadt Der …" at a line break.
NOT_PLACES = word_set("Der Die Das Den Dem Des Ein Eine Und Oder Mit Für")
# Body type words in lower case, as they stand in running text.
BODY_WORDS = word_set(
    "gemeinde stadt landkreis landkreises kreis kreises samtgemeinde hansestadt bund land kommune"
)

_NOMINATIVE = {"Landkreises": "Landkreis", "Kreises": "Kreis"}
_FAMILY = {"Landkreis": "kreis", "Kreis": "kreis", "Stadt": "stadt", "Hansestadt": "stadt"}


def body_type(written: str) -> str:
    """The type word in the nominative: "Landkreises" → "Landkreis"."""
    return _NOMINATIVE.get(written, written)


def body_family(body: str) -> str:
    """The kind of body, so that "Kreis" can stand for "Landkreis Peine" and "Stadt" for "Hansestadt X"."""
    written_type = body.split(" ")[0]
    return _FAMILY.get(written_type, written_type.lower())


_NAMED_BODY = re.compile(rf"\b({LOCAL_BODY_TYPE})\s+({PLACE})")


def body_mentions(text: str) -> Iterator[tuple[str, str, str]]:
    """The local bodies a text names, in order, as (family, place, nominative name): "des
    Landkreises Kusel" → ("kreis", "Kusel", "Landkreis Kusel")."""
    for match in _NAMED_BODY.finditer(text):
        written_type, place = body_type(match.group(1)), match.group(2)
        if place not in NOT_PLACES:
            yield body_family(written_type), place, f"{written_type} {place}"


def bodies_named(text: str) -> dict[tuple[str, str], str]:
    """The distinct local bodies a text names, keyed by (family, place), with their nominative names."""
    found: dict[tuple[str, str], str] = {}
    for family, place, name in body_mentions(text):
        found.setdefault((family, place), name)
    return found
