"""Decisions and votes in council documents: what became of an item, and how the vote went.

A Beschlussauszug heads its text with "Beschluss: einstimmig beschlossen" and "Abstimmung: Ja: 9,
Nein: 0"; a Niederschrift closes each agenda item with "ABSTIMMUNGSERGEBNIS: Einstimmig bei 1
Enthaltung" or writes "Der Antrag wird mit 9 Gegenstimmen, 4 Ja-Stimmen und einer Enthaltung
abgelehnt."; a Beratungsfolge lists "ungeändert beschlossen" after a committee and a date. This
module finds those passages and reads them into `Decision` rows. It reads only the document text,
so it is independent of the amounts ledger (`ingest.facts`).

A Beschlussvorschlag ("Der Kreistag beschließt …") is a proposal, not a decision: a sentence
counts only when it states an outcome in the past or present with a vote ("einstimmig",
"mehrheitlich", counts of votes) or stands under a result label ("Beschluss:", "Beschlussart:",
"Abstimmungsergebnis:").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from ingest.types import Document


class Outcome(StrEnum):
    """What became of an item; the closed set the composer words its answer with."""

    ADOPTED = "beschlossen"
    ADOPTED_AS_PROPOSED = "ungeändert beschlossen"
    ADOPTED_AMENDED = "geändert beschlossen"
    REJECTED = "abgelehnt"
    DEFERRED = "vertagt"
    NOTED = "zur Kenntnis genommen"
    WITHDRAWN = "zurückgezogen"
    UNKNOWN = ""  # a vote without a stated outcome, or a result label whose value is cut off


@dataclass(frozen=True)
class Decision:
    """One decision row: the passage `text[start:end]` states the outcome and/or the vote.

    `item_start` is where the agenda item or resolution it decides begins (the TOP heading, the
    resolution text before it, or 0 for a decision heading a Beschlussauszug). Counts are None
    when the passage does not give them; `unanimous` is True for "einstimmig"/"einmütig".
    `cut_off` marks a result label whose value the excerpt does not hold ("Abstimmungsergebnis: […]").
    """

    doc_id: str
    outcome: Outcome
    unanimous: bool
    majority: bool
    yes: int | None
    no: int | None
    abstentions: int | None
    start: int
    end: int
    item_start: int
    heading: bool  # the decision heads the document (Beschlussauszug) rather than closing an item
    cut_off: bool = False

    @property
    def has_vote(self) -> bool:
        return self.unanimous or self.majority or self.yes is not None or self.no is not None

    @property
    def is_decision(self) -> bool:
        return not self.cut_off and (self.outcome != Outcome.UNKNOWN or self.has_vote)


_NUMBER_WORDS = {
    "ein": 1,
    "eine": 1,
    "einer": 1,
    "einem": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
}
_COUNT = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_NONE = "keine"
_YES = r"Ja(?:\s*-\s*Stimmen|-Stimmen|-Stimme|-)?|Stimmen\s+dafür|Für-?Stimmen|dafür"
_NO = r"Nein(?:\s*-\s*Stimmen|-Stimmen|-Stimme)?|Gegenstimmen?|Stimmen\s+dagegen|dagegen"
_ABSTAIN = r"(?:Stimm)?[Ee]nthaltung(?:en)?|Stimmenthaltungen?"
_LABEL_FIRST = re.compile(rf"\b({_YES}|{_NO}|{_ABSTAIN})\s*:?\s*-?\s*(\d{{1,3}}|{_NONE})\b", re.IGNORECASE)
_NUMBER_FIRST = re.compile(rf"\b{_COUNT}\s*-?\s*({_YES}|{_NO}|{_ABSTAIN})(?![\w:])", re.IGNORECASE)
_TRIPLE = re.compile(r"(?<![\d./])(\d{1,3})\s*([/:])\s*(\d{1,3})\s*\2\s*(\d{1,3})(?![\d./])")
_PAIR = re.compile(r"(?<![\d./:])(\d{1,3})\s*:\s*([1-9]\d?|0)(?![\d./:])(?!\s*Uhr)")
_ZU = re.compile(r"\b(\d{1,3})\s+zu\s+(\d{1,3})\b")
_VOTE_CONTEXT = re.compile(
    r"abstimm|ergebnis|stimmen|einstimmig|mehrheitlich|angenommen|beschlossen|abgelehnt|beschließt|beschloss",
    re.IGNORECASE,
)
_UNANIMOUS = re.compile(r"\b(?:einstimmig|einmütig|einvernehmlich)\b", re.IGNORECASE)
_MAJORITY = re.compile(r"\bmehrheitlich\b|\bmit\s+(?:großer\s+)?Mehrheit\b", re.IGNORECASE)
_OUTCOMES: tuple[tuple[Outcome, re.Pattern[str]], ...] = (
    (Outcome.DEFERRED, re.compile(r"\bvertagt\b|\bzurückgestellt\b|\babgesetzt\b", re.IGNORECASE)),
    (Outcome.WITHDRAWN, re.compile(r"\bzurückgezogen\b|\bals erledigt\b", re.IGNORECASE)),
    (
        Outcome.NOTED,
        re.compile(r"\bzur\s+Kenntnis\s+genommen\b|\bKenntnis\s+genommen\b|\bnimmt\b.*\bKenntnis\b", re.I),
    ),
    (Outcome.REJECTED, re.compile(r"\babgelehnt\b|\blehnt\b.*\bab\b", re.IGNORECASE | re.DOTALL)),
    (Outcome.ADOPTED_AS_PROPOSED, re.compile(r"\bungeändert\s+beschlossen\b", re.IGNORECASE)),
    (
        Outcome.ADOPTED_AMENDED,
        re.compile(r"\b(?:geändert|mit\s+Änderungen\b.*)\s*beschlossen\b", re.IGNORECASE),
    ),
    (Outcome.ADOPTED, re.compile(r"\bbeschlossen\b|\bangenommen\b|\bzugestimmt\b", re.IGNORECASE)),
)
_PROPOSAL_VERB = re.compile(r"\bbeschließt\b|\bbeschloss\b|\bstimmt\b.*\bzu\b", re.IGNORECASE | re.DOTALL)
_RESULT_LABEL = re.compile(
    r"^\s*(?:(?:Beschlussart|Beschlussergebnis|Abstimmungsergebnis|Beratungsergebnis|Abstimmungsverhalten)\b\s*:?"
    r"|(?:Beschluss|Abstimmung|Ergebnis|Entscheidung)\s*(?::|$))\s*",
    re.IGNORECASE,
)
_ITEM_HEADING = re.compile(
    r"^\s*(?:TOP|Tagesordnungspunkt|Punkt)\s*\d|^\s*(?:Ö|NÖ)\s*\d|^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÄÖÜ]",
)
_CUT = re.compile(r"\[\s*…\s*\]|\[\s*\.\.\.\s*\]")
_LOOK_BACK_LINES = 8


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    lines, position = [], 0
    for raw in text.split("\n"):
        lines.append(_Line(position, position + len(raw.rstrip()), raw.rstrip()))
        position += len(raw) + 1
    return lines


def _count(token: str) -> int:
    if token.isdigit():
        return int(token)
    return 0 if token.lower() == _NONE else _NUMBER_WORDS[token.lower()]


def read_vote(text: str) -> tuple[int | None, int | None, int | None]:
    """Yes, no and abstention counts of a passage; None for a count it does not give."""
    counts: dict[str, int] = {}

    def note(label: str, value: int) -> None:
        lowered = label.lower()
        kind = (
            "abstain"
            if "enthalt" in lowered
            else "no"
            if re.search(r"nein|gegen|dagegen", lowered)
            else "yes"
        )
        counts.setdefault(kind, value)

    label_first = list(_LABEL_FIRST.finditer(text))
    number_first = list(_NUMBER_FIRST.finditer(text))
    if label_first and (not number_first or label_first[0].start() < number_first[0].start()):
        for match in label_first:
            note(match.group(1), _count(match.group(2)))
    else:
        for match in number_first:
            note(match.group(2), _count(match.group(1)))
    if not counts and _VOTE_CONTEXT.search(text):
        triple = _TRIPLE.search(text) or _ZU.search(text) or _PAIR.search(text)
        if triple is not None:
            groups = [g for g in triple.groups() if g and g.isdigit()]
            counts["yes"], counts["no"] = int(groups[0]), int(groups[1])
            if len(groups) > 2:
                counts["abstain"] = int(groups[2])
    return counts.get("yes"), counts.get("no"), counts.get("abstain")


def _outcome(text: str) -> Outcome:
    """The outcome a passage states; "beschließt"/"stimmt zu" count only together with a vote,
    since a Beschlussvorschlag uses them too."""
    for outcome, pattern in _OUTCOMES:
        if pattern.search(text):
            return outcome
    voted = _UNANIMOUS.search(text) or _MAJORITY.search(text) or any(v is not None for v in read_vote(text))
    if voted and _PROPOSAL_VERB.search(text):
        return Outcome.ADOPTED
    return Outcome.UNKNOWN


def _only_counts(line: str) -> bool:
    """A line that is nothing but vote counts: "Ja 1  Nein 7  Enthaltung 1"."""
    rest = _LABEL_FIRST.sub("", line)
    return rest != line and not re.search(r"\w", rest)


_INLINE_LABEL = re.compile(
    r"\b(?:Beschlussart|Abstimmungsergebnis|Beratungsergebnis|Beschlussergebnis)\b\s*:?\s*", re.I
)
_SIDE_LINE = re.compile(r"^[^:|]{1,40}:\s*\S.{0,30}$|\|")


def _is_result_line(line: str) -> bool:
    """A line that states a result: under a result label, a short outcome phrase, or a sentence
    with a vote ("einstimmig", counts). "Der Kreistag beschließt …" alone is a proposal."""
    label = _RESULT_LABEL.match(line) or _INLINE_LABEL.search(line)
    if label is not None:
        value = line[label.end() :].strip(" :|")
        if not value:
            return False
        if _CUT.fullmatch(value):
            return True
        return (
            _outcome(value) != Outcome.UNKNOWN
            or any(v is not None for v in read_vote(value))
            or bool(_UNANIMOUS.search(value) or _MAJORITY.search(value))
        )
    stripped = line.strip(" |")
    if _only_counts(stripped):
        return True
    votes = any(v is not None for v in read_vote(stripped))
    unanimous = bool(_UNANIMOUS.search(stripped) or _MAJORITY.search(stripped))
    outcome = _outcome(stripped)
    if len(stripped) <= 60 and outcome not in (Outcome.UNKNOWN,) and not stripped.endswith(":"):
        return not re.search(r"\b(?:wird|werden|soll|sollen|möge)\b", stripped) or unanimous or votes
    if votes and (outcome != Outcome.UNKNOWN or unanimous or _VOTE_CONTEXT.search(stripped)):
        return True
    return (
        unanimous and outcome != Outcome.UNKNOWN and not re.search(r"\bsoll\w*\b|\bwird gebeten\b", stripped)
    )


def _is_label_only(line: str) -> bool:
    label = _RESULT_LABEL.match(line)
    return label is not None and not line[label.end() :].strip(" :|")


def _continues(line: _Line, previous: _Line) -> bool:
    """A wrapped sentence: the previous line does not end one, and this one goes on in lower case
    or with a number ("… lehnt den Antrag bei" / "2 Ja-, 12 Gegenstimmen …" / "ab.")."""
    return (
        bool(previous.text.strip())
        and not re.search(r"[.:!?]\s*$", previous.text)
        and not _RESULT_LABEL.match(previous.text)
        and bool(re.match(r"\s*[a-zäöüß0-9]", line.text))
    )


def _blocks(lines: list[_Line]) -> list[tuple[int, int]]:
    """Runs of result lines (line indices, inclusive), bridging blank lines, bare result labels
    and the wrapped lines of one sentence."""
    blocks: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if not _is_result_line(_joined_sentence(lines, i)):
            i += 1
            continue
        first = i
        while first > 0 and (
            _is_label_only(lines[first - 1].text) or _continues(lines[first], lines[first - 1])
        ):
            first -= 1
            if _is_label_only(lines[first].text):
                break
        last = i
        j = i + 1
        while j < len(lines):
            text = lines[j].text
            if not text.strip():
                j += 1
                continue
            if _is_result_line(text) or _is_label_only(text) or _continues(lines[j], lines[j - 1]):
                last = j
                j += 1
                continue
            bridged = _bridge(lines, j)
            if bridged is not None:
                last = j = bridged
                j += 1
                continue
            break
        while last > first and _is_label_only(lines[last].text):
            last -= 1
        blocks.append((first, last))
        i = last + 1
    return blocks


def _bridge(lines: list[_Line], j: int) -> int | None:
    """A result line after at most two side lines (a vote table, "Anwesend: 9"): its index."""
    skipped = 0
    for k in range(j, min(len(lines), j + 6)):
        text = lines[k].text
        if not text.strip():
            continue
        if _is_result_line(text):
            return k if skipped else None
        if not _SIDE_LINE.search(text) or skipped >= 2:
            return None
        skipped += 1
    return None


def _joined_sentence(lines: list[_Line], i: int) -> str:
    """Line i with the wrapped lines that continue its sentence (a vote split over lines)."""
    parts = [lines[i].text]
    j = i
    while (
        j + 1 < len(lines)
        and len(parts) < 3
        and _continues(lines[j + 1], lines[j])
        and lines[j + 1].text.strip()
    ):
        j += 1
        parts.append(lines[j].text)
    return " ".join(parts)


def _item_start(lines: list[_Line], first: int, floor: int) -> int:
    """Where the item a result closes begins: the nearest TOP heading a few lines above it, else
    the line just above (what was put to the vote), never before the previous decision (`floor`)."""
    nearest = None
    nonblank = 0
    for k in range(first - 1, floor - 1, -1):
        text = lines[k].text
        if not text.strip() or _is_label_only(text):
            continue
        if _ITEM_HEADING.match(text):
            return lines[k].start
        nearest = lines[k].start if nearest is None else nearest
        nonblank += 1
        if nonblank >= _LOOK_BACK_LINES:
            break
    if nearest is not None:
        return nearest
    return lines[floor].start if floor < len(lines) else 0


def _heads_document(lines: list[_Line], first: int) -> bool:
    """A decision in the head of a Beschlussauszug: above it only a few short label or header
    lines – no agenda item heading and no sentence of the resolution text."""
    above = [line.text for line in lines[:first] if line.text.strip()]
    if len(above) > 8 or any(len(text) > 160 for text in above):
        return False
    return not any(
        _ITEM_HEADING.match(text) or (len(text) > 60 and text.rstrip().endswith(".")) for text in above
    )


def agenda_item(text: str, decision: Decision) -> str:
    """The agenda item heading ("TOP 5 Umbenennung des Dorfplatzes") the decision closes, or ""
    when the decision follows no such heading (a Beschlussauszug, a resolution without TOP)."""
    if decision.heading or decision.item_start >= decision.start:
        return ""
    line = text[decision.item_start :].split("\n", 1)[0]
    return " ".join(line.split()) if _ITEM_HEADING.match(line) else ""


def extract_decisions(doc: Document) -> list[Decision]:
    """Every decision passage of the document, in text order."""
    return list(_extract(doc.doc_id, doc.text))


@lru_cache(maxsize=256)
def _extract(doc_id: str, text: str) -> tuple[Decision, ...]:
    lines = _lines(text)
    decisions: list[Decision] = []
    floor = 0
    for first, last in _blocks(lines):
        passage = text[lines[first].start : lines[last].end]
        yes, no, abstentions = read_vote(passage)
        label_value = _RESULT_LABEL.sub("", passage.strip())
        heading = not decisions and _heads_document(lines, first)
        decisions.append(
            Decision(
                doc_id=doc_id,
                outcome=_outcome(passage),
                unanimous=bool(_UNANIMOUS.search(passage)),
                majority=bool(_MAJORITY.search(passage)),
                yes=yes,
                no=no,
                abstentions=abstentions,
                start=lines[first].start,
                end=lines[last].end,
                item_start=0 if heading else _item_start(lines, first, floor),
                heading=heading,
                cut_off=bool(_CUT.fullmatch(label_value.strip(" :|"))),
            )
        )
        floor = last + 1
    return tuple(decisions)


def describe_vote(decision: Decision) -> str:
    """The vote in words, e.g. "einstimmig (Ja 9, Nein 0)"; empty when the passage gives none."""
    parts = []
    if decision.unanimous:
        parts.append("einstimmig")
    elif decision.majority:
        parts.append("mehrheitlich")
    counts = [
        f"{label} {value}"
        for label, value in (
            ("Ja", decision.yes),
            ("Nein", decision.no),
            ("Enthaltungen", decision.abstentions),
        )
        if value is not None
    ]
    if counts:
        parts.append(f"({', '.join(counts)})")
    return " ".join(parts)
