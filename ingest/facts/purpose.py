"""Words of a sentence that says what an organisation is for ("Der Verein fördert …", "… ist ein …")."""

from __future__ import annotations

import re

PURPOSE_VERB = re.compile(
    r"\b(?:bündel[tn]|förder[tn]|vermarkt\w*|veranstalt\w*|dien(?:t|en)|unterstütz\w*|verbind(?:et|en)"
    r"|betreib(?:t|en)|koordinier\w*|organisier\w*|vertr(?:itt|eten)|berät|beraten|vernetz\w*"
    r"|zuständig|kümmer(?:t|n)\s+sich|engagier(?:t|en)\s+sich|setz(?:t|en)\s+sich\b[^.]{0,80}\bein)\b"
    r"|\bZusammenschluss\b|\bhat\s+(?:die|zur)\s+Aufgabe\b|\bZweck\b"
)
DEFINITION = re.compile(r"\bist\s+(?:\w+\s+){0,2}?(?:ein|eine|einer)\b")
PRONOUN = re.compile(r"\b(?:sie|er|Sie|Er)\b")
# What may stand before the subject of a sentence: a list marker, an article, a type word, a quote.
SUBJECT_PREFIX = re.compile(r"\W*(?:\d{1,2}[.)]\s*)?(?:(?:Der|Die|Das|Dem|Den)\s+)?(?P<type>\w+\s+)?[„\"“»]?")
PURPOSE_SUBJECT_PREFIX = re.compile(
    r"\W*(?:\d{1,2}[.)]\s*)?(?:(?:Der|Die|Das|Mit\s+(?:dem|der))\s+)?(?P<type>\w+\s+)?[„\"“»]?"
)
SOME_MEMBER = re.compile(r"\b(?:ein|eine|einer)\s+Mitglied\w*")
