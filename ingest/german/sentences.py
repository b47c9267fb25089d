"""What a sentence of a German council document is: the one splitter chunks, facts and answers share.

A sentence ends at ".", "!", "?" or "…" followed by a capital letter (after an optional opening quote).
The period of an abbreviation ("z. B.", "Nr.", "ca."), a single letter ("A.") or a short ordinal
("5. Aktualisierung", "1. Januar") ends a sentence only when a usual sentence start follows.

A line end ends a sentence too, unless the line was wrapped: PDF text breaks long lines where the
page ended, so a line of at least `WRAPPED_LINE_MIN_CHARS` characters without final punctuation
continues on the next line ("… zahlt dafür einen\\njährlichen Beitrag von 3.000 €." is one sentence),
and so does a line that ends with an abbreviation when the next starts in lower case ("… Altmark
e.V.\\nabzustimmen, dass …"). A line in lower case ends the sentence of the line before it, or of
the lines before it when list items ending in ";" stand inside ("Für die Baumaßnahmen\\na)
Kreisstraße CO 17;\\n…\\nliegen die Bescheide vor."). A line ending in an article, preposition or
conjunction goes on in the next line, also across a blank line ("… für Fahrten nach\\n\\n
Georgsmarienhütte 10 Euro …").
Table rows ("|"), list items, section headings and label lines are never joined to the line
before, nor is anything joined to a note in square brackets.
"""

from __future__ import annotations

import re

from ingest.german.sections import is_label_line, section_heading
from ingest.german.words import word_set

Span = tuple[int, int]

WRAPPED_LINE_MIN_CHARS = 70

# Words before a period that may not end a sentence (lower case, without the final period).
ABBREVIATIONS = word_set(
    """
    abs abzgl allg anl apr art aug bd bspw bzgl bzw ca co dez dipl dr ehem einschl etc evtl exkl feb febr
    ff fr gem ggf ggü gez hann hr hrsg inkl insb insbes ing jan jh jhd jul jun kap lfd lt max min mind
    mio mrd mrz nov nr nrn okt pkt prof rd rn sep sept sog st std stellv str stv tel tsd tz usw vgl vors
    vs zzgl zz zzt ziff e.v e.g z.b u.a d.h o.ä v.a i.d.r u.u m.e i.v.m s.o s.u o.g u.ä
    """
)
# Words that start a sentence after an abbreviation: "… 3 Mio. Der Rat …".
SENTENCE_STARTERS = word_set(
    """
    Der Die Das Den Dem Des Ein Eine Einen Er Sie Es Wir Im In Mit Für Bei Auch Diese Dieser Dieses
    Zur Zum Am Ab Seit Nach Vor Wegen Darüber Dafür Damit Zudem Außerdem Als So Bis Insgesamt
    Zusammen Hinzu Nachdem Um Ob Alle
    """
)
# Characters that mark an item of a list, as word processors and PDF export write them.
BULLETS = "-–•*·▪◦‣○●■□"
LIST_MARKER = re.compile(rf"(?:[{BULLETS}]\s+|\d{{1,2}}[.)]\s+|[a-z][.)]\s+)")

_SENTENCE_END = re.compile(r"[.!?…]+[\"'»«“”)\]]*(?=\s+[„\"»(]?[A-ZÄÖÜ])")
_OPENING = "„\"»(['“"
_SHORT_WORD_OR_INITIALS = re.compile(r"[^\W\d_]|(?:[^\W\d_]\.)+[^\W\d_]")
_ORDINAL = re.compile(r"\d{1,2}")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The sentences of text[start:end] as trimmed spans, in order."""
    spans: list[Span] = []
    for line_start, line_end in line_spans(text, start, len(text) if end is None else end):
        spans.extend(_sentences_of_line(text, line_start, line_end))
    return spans


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The lines of text[start:end] as trimmed, non-empty spans, a wrapped line joined to its rest."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    previous = ""
    position = start
    while position <= end:
        newline = text.find("\n", position, end)
        line_end = end if newline < 0 else newline
        line_start, line_stop = trimmed(text, position, line_end)
        line = text[line_start:line_stop]
        if line and spans and previous and continues_wrapped_line(previous, line):
            spans[-1] = (spans[-1][0], line_stop)
        elif line and spans and _ends_in_function_word(text[slice(*spans[-1])]) and _may_continue(line):
            spans[-1] = (spans[-1][0], line_stop)  # "… für Fahrten nach" / (blank) / "Georgsmarienhütte …"
        elif line and spans and _continues_sentence(text, spans, line):
            first = _open_sentence_start(text, spans)
            lines = [text[slice(*span)] for span in spans[first:]]
            items = [open_line for open_line in lines if LIST_MARKER.match(open_line)]
            if items and not LIST_MARKER.match(lines[0]) and all(i.endswith((";", ",")) for i in items):
                spans[first:] = [(spans[first][0], line_stop)]  # the sentence its ";" items stand inside
            else:  # the line before; open lines above it may be headings or a list of its own
                spans[-1] = (spans[-1][0], line_stop)
        elif line:
            spans.append((line_start, line_stop))
        previous = line
        position = line_end + 1
    return spans


_OPEN_LINES_MAX = 8

# Words no German sentence ends with: a line ending in one was broken by the layout.
_FUNCTION_WORDS = word_set(
    """
    der die das den dem des ein eine einen einem einer eines nach für von vom mit zu zum zur im in an
    am auf bei beim aus über unter vor durch gegen ohne um bis seit und oder sowie bzw dass als sondern
    """
)


def _ends_in_function_word(line: str) -> bool:
    words = line.rsplit(None, 1)
    return bool(words) and words[-1] in _FUNCTION_WORDS


def _may_continue(line: str) -> bool:
    """A line that may be the rest of the line before it: not a row, item, heading or label."""
    return (
        "|" not in line
        and not LIST_MARKER.match(line)
        and section_heading(line) is None
        and not is_label_line(line)
    )


def _is_open(line: str) -> bool:
    """A line a sentence may go on after: no final punctuation (a ";" ends a list item, not the
    sentence), not a heading, label, table row or note."""
    return (
        line[-1] not in ".!?:…"
        and "|" not in line
        and section_heading(line) is None
        and not is_label_line(line)
        and not (line.startswith("[") and line.endswith("]"))
    )


_ENDS_WITH_FIGURE = re.compile(r"[\d€%]\s*$")


def _continues_sentence(text: str, spans: list[Span], line: str) -> bool:
    """A line in lower case ends a sentence that began on the line before – or lines before, when
    list items ending in ";" or "," stand inside it ("Für die Baumaßnahmen / a) Kreisstraße CO 17; /
    … / liegen die Zuwendungsbescheide … vor."). German starts no sentence in lower case."""
    previous = text[slice(*spans[-1])]
    return (
        line[:1].islower()
        and not LIST_MARKER.match(line)
        and not LIST_MARKER.match(previous)
        and not _ENDS_WITH_FIGURE.search(previous)  # rows of a table without rules ("Dach 120.000 €")
        and _is_open(previous)
    )


def _open_sentence_start(text: str, spans: list[Span]) -> int:
    """The index of the first of the open lines that end `spans`."""
    first = len(spans) - 1
    while first > 0 and len(spans) - first < _OPEN_LINES_MAX and _is_open(text[slice(*spans[first - 1])]):
        first -= 1
    return first


def _is_wrapped_line(line: str) -> bool:
    """Whether a stripped line is long and lacks final punctuation, so it goes on in the next line.

    A note in square brackets ("[Quelle: Stadt X, Ratsinformationssystem]") is complete in itself.
    """
    return (
        len(line) >= WRAPPED_LINE_MIN_CHARS
        and line[-1] not in ".!?:;"
        and "|" not in line
        and not (line.startswith("[") and line.endswith("]"))
    )


def _ends_with_abbreviation(line: str) -> bool:
    """ "… des Regionalvereins Altmark e.V." – a line that a lower-case line may still continue."""
    word = line.rsplit(None, 1)[-1] if line.endswith(".") else ""
    return word[:-1].lower() in ABBREVIATIONS or bool(_SHORT_WORD_OR_INITIALS.fullmatch(word[:-1]))


def continues_wrapped_line(previous: str, line: str) -> bool:
    """Whether the stripped `line` is the rest of the line before it (not a row, item, heading or label)."""
    return (
        _is_wrapped_line(previous) or (_ends_with_abbreviation(previous) and line[:1].islower())
    ) and _may_continue(line)


def _sentences_of_line(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if _ends_sentence(text, position, match):
            spans.append(trimmed(text, position, match.end()))
            position = match.end()
    spans.append(trimmed(text, position, end))
    return [(s, e) for s, e in spans if s < e]


def _ends_sentence(text: str, sentence_start: int, match: re.Match[str]) -> bool:
    if not match.group().startswith("."):
        return True
    words = text[sentence_start : match.start()].rsplit(None, 1)
    word = words[-1].lstrip(_OPENING) if words else ""
    if _ORDINAL.fullmatch(word):
        return False
    if word.lower() in ABBREVIATIONS or _SHORT_WORD_OR_INITIALS.fullmatch(word):
        following = text[match.end() :].split(None, 1)
        return bool(following) and following[0].strip(_OPENING) in SENTENCE_STARTERS
    return True


def trimmed(text: str, start: int, end: int) -> Span:
    """The span without the white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
