"""Split a document's text into the sections its own headings mark (Beschlussvorschlag, Sachverhalt …).

The header block at the top (Vorlage number, Betreff, Status, Beratungsfolge …) is the section
"Kopf"; text that no heading introduces is "Text". Sections follow each other in text order, and
together they cover every non-blank character of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.types import Section

KOPF = "Kopf"
TEXT = "Text"

# Headings German council documents use; matched at the start of a line, case-insensitively.
_KNOWN_HEADINGS = (
    r"Beschlussvorschlag|Beschlussempfehlung|Empfehlung|Beschluss|Beschlüsse|Beschlussfassung"
    r"|Sachverhalt|Sachdarstellung|Sach-\s*und\s*Rechtslage|Sachstand|Sachverhalt\s*/\s*Begründung"
    r"|Begründung|Erläuterungen?|Finanzielle\s+Auswirkungen?|Auswirkungen\s+auf\s+den\s+Haushalt"
    r"|Haushaltsmäßige\s+Auswirkungen|Haushaltsrechtliche\s+Auswirkungen|Finanzierung|Kosten"
    r"|Anlagen?|Beratungsergebnis|Abstimmungsergebnis|Ergebnis|Problembeschreibung|Problem|Lösung"
    r"|Alternativen|Stellungnahme|Antrag|Mitteilung|Protokoll|Wortprotokoll|Hinweise?|Ausgangslage"
    r"|Rechtsgrundlagen?|Klimaauswirkungen|Auswirkungen\s+auf\s+den\s+Klimaschutz|Zuständigkeit"
    r"|Zusammenfassung|Inhalt"
)
# "Beschlussvorschlag für den Rat:", "Beschluss (Rat, 19. Sitzung am 27.06.2017):", "Anlagen: | |||",
# "Anlagen: keine"; without a colon only a short qualifier without digits is a heading.
_HEADING_WITH_COLON = re.compile(
    rf"^(?P<heading>(?:{_KNOWN_HEADINGS})(?:\s+(?:für|des|der|an|zum|zur|im|gemäß)\s[^:]{{1,80}}?"
    rf"|\s*\([^)]{{1,80}}\))?)\s*:(?P<rest>.*)$",
    re.IGNORECASE,
)
_HEADING_WITHOUT_COLON = re.compile(
    rf"^(?P<heading>(?:{_KNOWN_HEADINGS})(?:\s+(?:für|des|der|an|zum|zur|im|gemäß)(?:\s[^\d\s.,;:]+){{1,3}}"
    rf"|\s*\([^)]{{1,80}}\))?)$",
    re.IGNORECASE,
)
# Headings that may carry their content on the same line: "Anlagen: keine", "Beschluss: Der Rat …".
_INLINE_HEADING = re.compile(
    r"^(?:Anlagen?|Beschluss|Beschlussvorschlag|Beschlussempfehlung|Sachverhalt|Begründung"
    r"|Finanzielle\s+Auswirkungen?|Beratungsergebnis|Abstimmungsergebnis)\b",
    re.IGNORECASE,
)
# "Betreff: …", "Vorlage-Art: …", "TOP Ö 9: …": a short label, a colon, then the value.
_LABEL_LINE = re.compile(r"^[A-ZÄÖÜ][\w.\-/]*(?: [\w.\-/]+){0,3}:(?:\s|$)")
_HEADER_START = re.compile(
    r"^(?:Vorlage|Beschlussvorlage|Mitteilungsvorlage|Informationsvorlage|Drucksache|Auszug aus"
    r"|Niederschrift|Sitzung|TOP|Tagesordnungspunkt|Beratungsfolge)\b"
)
_BERATUNGSFOLGE = re.compile(r"^Beratungsfolge\b")
_PIPES_ONLY = re.compile(r"^[|\s]+$")
_GENERIC_HEADING_MAX_CHARS = 60
_GENERIC_HEADING_MAX_WORDS = 6


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str  # stripped

    @property
    def is_blank(self) -> bool:
        return not self.text


def split_sections(text: str) -> list[Section]:
    lines = _lines(text)
    kopf_lines = _kopf_line_count(lines)
    starts: list[tuple[int, str]] = [(0, KOPF)] if kopf_lines else []
    for index in range(kopf_lines, len(lines)):
        name = _heading_at(lines, index)
        if name is None and not lines[index].is_blank and (not starts or index == kopf_lines):
            name = TEXT
        if name is not None:
            starts.append((index, name))
    return _spans(text, lines, starts)


def section_heading(line: str) -> str | None:
    """The heading a line states when it is one of the usual council headings, else None.

    The name is the heading as written, without colon: "Beschlussvorschlag für den Rat".
    """
    stripped = line.strip()
    if not stripped[:1].isupper():
        return None
    match = _HEADING_WITH_COLON.match(stripped)
    if match and match.group("rest").strip(" |") and not _INLINE_HEADING.match(match.group("heading")):
        match = None  # "Kosten: 5.000 €" is a statement, not a heading
    match = match or _HEADING_WITHOUT_COLON.match(stripped)
    return " ".join(match.group("heading").split()) if match else None


def is_label_line(line: str) -> bool:
    """Whether a line is a "Label: value" line of a header block (and not a section heading)."""
    stripped = line.strip()
    return bool(_LABEL_LINE.match(stripped)) and section_heading(stripped) is None


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    for raw in text.split("\n"):
        lines.append(_Line(offset, offset + len(raw), raw.strip()))
        offset += len(raw) + 1
    return lines


def _kopf_line_count(lines: list[_Line]) -> int:
    """How many lines at the top form the header block; 0 when the text starts with content."""
    in_beratungsfolge = False
    seen_header = False
    for index, line in enumerate(lines):
        if line.is_blank:
            in_beratungsfolge = False
        elif section_heading(line.text) is not None:
            return index if seen_header else 0
        elif in_beratungsfolge and not is_label_line(line.text):
            continue  # a step of the Beratungsfolge
        elif _is_header_line(line.text):
            seen_header = True
            in_beratungsfolge = bool(_BERATUNGSFOLGE.match(line.text))
        else:
            return index if seen_header else 0
    return len(lines) if seen_header else 0


def _is_header_line(text: str) -> bool:
    return bool(_HEADER_START.match(text) or _PIPES_ONLY.match(text)) or is_label_line(text)


def _heading_at(lines: list[_Line], index: int) -> str | None:
    text = lines[index].text
    known = section_heading(text)
    if known is not None:
        return known
    after_blank = index == 0 or lines[index - 1].is_blank
    before_content = index + 1 < len(lines) and not lines[index + 1].is_blank
    if after_blank and before_content and _looks_like_heading(text):
        return text.rstrip(":").strip()
    return None


def _looks_like_heading(text: str) -> bool:
    """A short line on its own, like an HTML <h3> or a Word heading that became a line of text."""
    body = text[:-1] if text.endswith(":") else text
    return (
        0 < len(body) <= _GENERIC_HEADING_MAX_CHARS
        and len(body.split()) <= _GENERIC_HEADING_MAX_WORDS
        and body[0].isupper()
        and body[-1] not in ".,;!?–-"
        and not any(char in body for char in "|:")
    )


def _spans(text: str, lines: list[_Line], starts: list[tuple[int, str]]) -> list[Section]:
    sections: list[Section] = []
    for position, (index, name) in enumerate(starts):
        end = lines[starts[position + 1][0]].start if position + 1 < len(starts) else len(text)
        start, end = _trimmed(text, lines[index].start, end)
        if start < end:
            sections.append(Section(name=name, start=start, end=end))
    return sections


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
