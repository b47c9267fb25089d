"""Metadata read from a council document's own text: Vorlage number, Betreff, type, status, body, dates.

Only what the text states is taken; a field the document does not state stays empty. Corrections
(a clerk's sidecar file, OParl metadata) are applied afterwards with `apply_overrides`.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from ingest.german.numbers import DATE, NUMERIC_DATE, WORDED_DATE, iso_date
from ingest.german.places import NOT_PLACES, PLACE, body_mentions, body_type
from ingest.german.references import REFERENCE_SHAPE, is_reference
from ingest.german.sections import is_label_line, section_heading
from ingest.types import EDITABLE_FIELDS, NON_PUBLIC_STATUS, PUBLIC_STATUS, Consultation, IngestError

logger = logging.getLogger(__name__)

NIEDERSCHRIFT = "Niederschrift"

# Words that introduce a document's own number, as RIS exports write them: "Vorlage - 2015/179",
# "Drucksache Nr.: 37/2014", "DS-Nr. 111/2014", "GRDrs 812/2008", "Antrag Nr. 15-0730/2023:",
# "Beschluss des Gemeinderates X Nr. 107/2023", "Beschlussvorlage öffentlich - 2020/123".
_VORLAGE_KINDS = (
    "Beschlussvorlage", "Beschlußvorlage", "Mitteilungsvorlage", "Informationsvorlage", "Sitzungsvorlage",
    "Tischvorlage", "Berichtsvorlage", "Verwaltungsvorlage", "Dringlichkeitsvorlage", "Ergänzungsvorlage",
)  # fmt: skip
_REFERENCE_LABELS = (
    *_VORLAGE_KINDS, r"Vorlagen?(?:-?(?:Nr\.?|[Nn]ummer))?", r"Drucksachen?(?:-?(?:Nr\.?|[Nn]ummer))?",
    r"DS-?Nr\.?", r"Drs\.?(?:-?Nr\.?)?", r"GR-?Drs\.?", r"Antrag", r"Anfrage",
    r"(?:Beschluss|Auszug)\b[^\n:]{0,60}?\bNr\.?",
)  # fmt: skip
_REFERENCE_WORDS = "|".join(_REFERENCE_LABELS)
_STATUS_WORD = r"(?:nicht[\s-]*öffentlich|öffentlich)"
_REFERENCE = rf"(?P<reference>{REFERENCE_SHAPE})(?![\w/]|-\w|\.\d)"
_LABELLED_REFERENCE = re.compile(
    rf"(?<![\w-])(?P<label>{_REFERENCE_WORDS})\s*(?:(?P<status_before>{_STATUS_WORD})\s*)?[-–—:]?\s*"
    rf"(?:Nr\.?\s*:?\s*)?{_REFERENCE}(?:\s*[-–—(]\s*(?P<status_after>{_STATUS_WORD})\b)?",
)
_REFERENCE_LINE = re.compile(rf"^\s*{_LABELLED_REFERENCE.pattern}", re.MULTILINE)
# A label standing alone at the end of its line ("Vorlage", "Drucksachen-Nr.", "…Spree Vorlage" where
# a PDF joined two lines); its value is a line below that holds nothing but a number.
_REFERENCE_LABEL_AT_END = re.compile(rf"(?:^|\s)(?:{_REFERENCE_WORDS}|Vorlagenummer)\s*:?\s*$")
_REFERENCE_VALUE_WINDOW = 5
# Words before a label that make it a mention of another document inside a sentence.
_MENTION_BEFORE = re.compile(
    r"\b(?:der|die|das|den|dem|des|einer?|zur|zum|gemäß|vgl\.?|siehe|laut|lt\.|mit|in|im|auf|aus|nach|von"
    r"|bezüglich|betreffend)\s*$",
    re.IGNORECASE,
)
# "(Vorlage 2025/041)" at the end of a TOP line in a Niederschrift excerpt.
_REFERENCE_IN_PARENTHESES = re.compile(
    rf"\((?:{_REFERENCE_WORDS})\s*[-–—:]?\s*(?:Nr\.?\s*:?\s*)?{_REFERENCE}\)"
)
_HEADER_SEARCH_LINES = 15
_STATUS_LINE = re.compile(r"^\s*(?P<status>(?:nicht[\s-]*)?öffentlich)\s*$", re.IGNORECASE)
_TOP_SESSION_PART = re.compile(r"^\s*TOP\s*:?\s*(?P<status>NÖ|Ö|N)\s*\d")
# ALLRIS excerpts of minutes: "Auszug - <Betreff>", later "<number> <Betreff>".
_AUSZUG_TITLE = re.compile(r"^\s*Auszug\s*[-–—]\s*(?P<subject>\S.*?)\s*$")
_NUMBERED_SUBJECT = re.compile(rf"^\s*{_REFERENCE}\s+(?P<subject>\S.*)$")

_TOP_LINE = re.compile(
    r"^\s*(?:TOP|Tagesordnungspunkt)\s*(?:[ÖN]\s*)?\d+(?:\.\d+)*\s*[:.)]?\s*(?P<subject>\S.*)$", re.MULTILINE
)
_TRAILING_REFERENCE = re.compile(rf"\s*\((?:{_REFERENCE_WORDS})[^)]*\)\s*$")
# "2022-11-21 - 8 Gründung der … ...": the heading of an ALLRIS agenda item excerpt.
_DATED_TOP_LINE = re.compile(
    rf"^\s*(?:{NUMERIC_DATE})\s*[-–—]\s*\d+(?:\.\d+)*\s+(?P<subject>\S.*?)\s*(?:\.\.\.|…)?\s*$"
)
# Minutes and excerpts of minutes: "Niederschrift über die …", "Auszug aus der Niederschrift",
# "Protokoll: Gemeinderat …", "Auszug - <Betreff>" (ALLRIS), "Protokollauszug".
_NIEDERSCHRIFT_LINE = re.compile(
    r"^\s*(?:(?:Auszug aus der\s+)?(?:Sitzungs)?Niederschrift|(?:Sitzungs)?Protokoll(?:auszug)?\b\s*:?"
    r"|(?:ALLRIS\s*-\s*)?Auszug(?:\s*[-–—]|\s*$))",
    re.IGNORECASE,
)
# "Niederschrift" / "über die öffentliche Sitzung des … am …", on one line or two.
_NIEDERSCHRIFT_HEADING = re.compile(
    r"^[ \t]*Niederschrift\s+über\s+die\s+[^\n]+", re.IGNORECASE | re.MULTILINE
)
_SITZUNG_DATE = re.compile(rf"\bSitzung\b[^\n]*?\bam\s+(?P<date>{NUMERIC_DATE}|{WORDED_DATE})", re.IGNORECASE)
# In the header only: "Sitzung … vom 11.12.2014", "am Donnerstag, dem 11.12.2014", and a line that
# is nothing but the day of the session ("Montag, 09. September 2019 , 18:00 Uhr").
_HEADER_SITZUNG_DATE = re.compile(
    rf"\bSitzung\b[^\n]*?\b(?:am|vom)\s+(?:[A-ZÄÖÜ][a-zäöü]+,?\s+)?(?:dem\s+|den\s+)?"
    rf"(?P<date>{NUMERIC_DATE}|{WORDED_DATE})"
    rf"|^\s*(?:[A-ZÄÖÜ][a-z]+,?\s+)?(?P<day>{NUMERIC_DATE}|{WORDED_DATE})\s*(?:,\s*\d{{1,2}}[:.]\d{{2}}\s*Uhr)?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# "Betreff | Zuschuss …" in a header table rendered as text.
_CELL_LABEL_LINE = re.compile(r"^[A-ZÄÖÜ][\w.\-/]*(?: [\w.\-/]+){0,3}\s+\|\s")

# Labels of the header fields, per field, as RIS exports write them. A label stands before a colon
# ("Betreff: …"), before a table cell ("Betreff | …"), in a list item ("- Datum: …"), or alone on its
# line with the value on the next ("Betreff" / "…", SessionNet and Somacos blocks).
_TITLE_LABELS = ("Betreff", "Betr.", "Gegenstand", "Beratungsgegenstand")
_DOC_TYPE_LABELS = (
    "Vorlage-Art", "Vorlagenart", "Vorlageart", "Art der Vorlage", "Vorlagentyp", "Drucksache-Art",
    "Drucksachenart", "Drucksachen-Art", "Art",
)  # fmt: skip
_STATUS_LABELS = ("Status", "Öffentlichkeitsstatus", "Sitzungsteil", "Sitzungsart", "Öffentlichkeit")
_DATE_LABELS = (
    "Datum", "Vorlagedatum", "Erstellungsdatum", "Datum der Vorlage", "Sitzungstermin", "Sitzungsdatum",
    "Sitzung",
)  # fmt: skip
# Further labels of header lines, so that a value ends where the next label on its line begins
# ("Status: öffentlich  Vorlage-Art: Tischvorlage", "Status:öffentlichVorlage-Art:Sitzungsvorlage").
_OTHER_LABELS = (
    "Federführend", "Federführung", "Beteiligt", "Bearbeiter/-in", "Bearbeitung", "Bearbeiter", "Einreicher",
    "Initiator", "Verfasser", "Aktenzeichen", "Az.", "Gz.", "Gremium", "Beschlussart", "Zeit", "Uhrzeit",
    "Anlass", "Raum", "Ort", "TOP", "Bezüglich", "Beratung", "Amt", "Vorlage",
)  # fmt: skip
_ALL_LABELS = (*_TITLE_LABELS, *_DOC_TYPE_LABELS, *_STATUS_LABELS, *_DATE_LABELS, *_OTHER_LABELS)
# what a document is (its header), not what it says
METADATA_LABELS = frozenset(
    label.rstrip(".").lower()
    for label in (
        *_ALL_LABELS,
        "Beratungsfolge",
        "Anlage",
        "Anlagen",
        "Fachbereich",
        "Dezernat",
        "Sachbearbeiter",
    )
)
_BLOCK_LABEL_QUALIFIER = r"(?:\s*\([^)]{1,60}\))?"
_NEXT_LABEL = re.compile(
    rf"(?:\s+|(?<=[a-zäöüß)]))(?:{'|'.join(map(re.escape, sorted(_ALL_LABELS, key=len, reverse=True)))})\s*:"
)
_LIST_MARK = r"(?:[-•●*]\s+)?"
# A standalone line naming the kind of document: "Beschlussvorlage", "Antrag der Verwaltung".
_KIND_LINE = re.compile(
    rf"^\s*(?P<kind>{'|'.join(_VORLAGE_KINDS)}|Antrag|Anfrage|Vorlage zur Kenntnisnahme)"
    rf"(?:\s+der\s+Verwaltung)?\s*(?:[-–—]\s*{_STATUS_WORD})?\s*$"
)
_BERATUNGSFOLGE = re.compile(r"^\s*Beratungsfolge\b\s*:?\s*(?P<rest>.*)$")
_ENTRY_SEPARATORS = " \t|–—-:;,"
# Qualifiers of a Beratungsfolge step that are not part of the committee's name.
_COMMITTEE_ROLE = re.compile(
    r"\s*\((?:Vorberatung|Entscheidung|Beschlussfassung|Kenntnisnahme|zur Kenntnis|Anhörung|Beratung"
    r"|federführend|öffentlich|nicht\s*öffentlich|nichtöffentlich|Ö|N)\)\s*$",
    re.IGNORECASE,
)
# The same role written after the name without brackets (SessionNet: "Sozialausschuss  Entscheidung").
_COMMITTEE_BARE_ROLE = re.compile(
    r"\s+(?:Vorberatung|Entscheidung|Beschlussfassung|Kenntnisnahme|Anhörung|Bestätigung|Empfehlung"
    r"|\d\.\s*Lesung)$"
)
# Column headings of a Beratungsfolge table ("Gremium | Datum | Sitzung | Ergebnis", "Vorlage an |
# zur | Sitzungsart | Sitzungstermin", "Beratungsfolge | Datum | Behandlungszweck/-art | Ergebnis"),
# by what the column holds; a table needs a committee column and headings only.
_COMMITTEE_COLUMNS = ("gremium", "beratungsfolge", "vorlage an", "beratungsgremium")
_DATE_COLUMNS = ("datum", "sitzungstermin", "termin", "sitzung am", "sitzungsdatum")
_RESULT_COLUMNS = ("ergebnis", "beratungsergebnis", "beschlussart")
_OTHER_COLUMNS = (
    "status", "beschluss", "sitzung", "sitzungsart", "behandlungszweck/-art", "zur", "beratung", "kennung",
    "abstimmung", "zuständigkeit", "rolle", "top",
)  # fmt: skip
_CELL_SEPARATOR = re.compile(r"\s*\|\s*|\t+")

# The body's own council ("Rat der Gemeinde Kreuzau", "Kreistag des Landkreises Lüneburg") names it
# most explicitly; otherwise the first mention of a Landkreis, Kreis, Stadt or Gemeinde.
_COUNCIL_OF_BODY = re.compile(
    rf"\b(?:(?:Gemeinde|Stadt)?[Rr]ate?s?\s+der\s+(?P<municipality>Gemeinde|Samtgemeinde|Stadt|Hansestadt)"
    rf"|Kreistag(?:e?s)?\s+des\s+(?P<district>Landkreises|Kreises))\s+(?P<place>{PLACE})"
)


@dataclass(frozen=True)
class DocumentMetadata:
    """The metadata fields of a Document, as read from its text (all empty when not stated)."""

    reference: str = ""
    title: str = ""
    doc_type: str = ""
    status: str = ""
    body: str = ""
    date: str = ""  # ISO yyyy-mm-dd
    consultations: tuple[Consultation, ...] = ()


def read_metadata(text: str) -> DocumentMetadata:
    lines = text.split("\n")
    consultations = tuple(read_consultations(lines))
    reference = read_reference(text)
    return DocumentMetadata(
        reference=reference,
        title=read_title(lines, reference),
        doc_type=read_doc_type(lines),
        status=read_status(lines),
        body=read_body(text),
        date=read_date(text, lines, consultations),
        consultations=consultations,
    )


def read_reference(text: str) -> str:
    """The document's own number, from the first of: a labelled number in the header ("Vorlage -
    VO/2019/397-01", "Drucksache Nr.: 37/2014", a "Vorlage" block with the number below), a labelled
    number at the start of any line, "(Vorlage 2025/041)" in the header, "<number> <Betreff>" under
    an ALLRIS "Auszug - <Betreff>" line."""
    lines = text.split("\n")
    header = _header_lines(lines)
    found = _labelled_reference(header)
    if not found:
        found = next((m.group("reference") for m in _REFERENCE_LINE.finditer(text) if _is_number(m)), "")
    if not found:
        found = next(
            (m.group("reference") for m in _REFERENCE_IN_PARENTHESES.finditer("\n".join(header))), ""
        )
    return (found or _auszug_reference(header)).rstrip("./-")


def _header_lines(lines: list[str]) -> list[str]:
    return lines[:_HEADER_SEARCH_LINES]


def _is_number(match: re.Match[str]) -> bool:
    return is_reference(match.group("reference"))


def _labelled_reference(header: list[str]) -> str:
    for index, line in enumerate(header):
        inline = next(
            (m for m in _LABELLED_REFERENCE.finditer(line) if _is_number(m) and not _is_mention(line, m)),
            None,
        )
        if inline is not None:
            return inline.group("reference")
        if _REFERENCE_LABEL_AT_END.search(line):
            below = [candidate.strip() for candidate in header[index + 1 :] if candidate.strip()]
            for candidate in below[:_REFERENCE_VALUE_WINDOW]:
                if is_reference(candidate.rstrip(":")):
                    return candidate.rstrip(":")
    return ""


def _is_mention(line: str, match: re.Match[str]) -> bool:
    """ "… auf die Vorlage Nr. 954/2011", "gemäß Drucksache 12/2010": another document's number."""
    return bool(_MENTION_BEFORE.search(line[: match.start()]))


def _auszug_reference(header: list[str]) -> str:
    """ALLRIS "Auszug - <Betreff>" pages repeat the Betreff after the Vorlage number."""
    titles = [m.group("subject") for line in header if (m := _AUSZUG_TITLE.match(line))]
    for line in header:
        numbered = _NUMBERED_SUBJECT.match(line)
        if numbered and titles and numbered.group("subject").startswith(titles[0][:30]):
            return numbered.group("reference")
    return ""


def read_title(lines: list[str], reference: str = "") -> str:
    """The Betreff (or Gegenstand), as a label line or a block; else the heading of an agenda item
    excerpt (ALLRIS "Auszug - …", a single TOP line); else the "Niederschrift über die …" line."""
    title = _label_value(lines, _TITLE_LABELS, with_continuation=True) or _block_value(lines, _TITLE_LABELS)
    if not title:
        title = _agenda_item_title(lines)
    if reference and title.endswith(f"({reference})"):
        title = title[: -len(reference) - 2].strip()
    return title


def _agenda_item_title(lines: list[str]) -> str:
    header = _header_lines(lines)
    for line in header:
        for pattern in (_AUSZUG_TITLE, _DATED_TOP_LINE):
            match = pattern.match(line)
            if match:
                return match.group("subject").strip()
    text = "\n".join(lines)
    tops = _TOP_LINE.findall(text)
    if len(tops) == 1 or (tops and not _NIEDERSCHRIFT_HEADING.search(text)):
        return _TRAILING_REFERENCE.sub("", tops[0]).strip()
    heading = _NIEDERSCHRIFT_HEADING.search("\n".join(header))
    return " ".join(heading.group().split()).rstrip(",") if heading else _numbered_heading(header)


def _numbered_heading(header: list[str]) -> str:
    """ "Antrag Nr. 15-0730/2023:" with the subject on the next line."""
    for index, line in enumerate(header):
        labelled = _REFERENCE_LINE.match(line)
        if labelled and line.rstrip().endswith(":") and line[labelled.end() :].strip() == ":":
            below = [candidate.strip() for candidate in header[index + 1 :] if candidate.strip()]
            return below[0] if below and not is_label_line(below[0]) else ""
    return ""


def read_doc_type(lines: list[str]) -> str:
    """ "Niederschrift" for minutes and their excerpts; else the labelled kind ("Vorlage-Art: …", an
    "Art" block), else a header line naming the kind ("Beschlussvorlage", "Antrag der Verwaltung")."""
    first_lines = [line for line in lines if line.strip()][:3]
    if any(_NIEDERSCHRIFT_LINE.match(line) for line in first_lines):
        return NIEDERSCHRIFT
    kind = _label_value(lines, _DOC_TYPE_LABELS) or _block_value(lines, _DOC_TYPE_LABELS)
    if not kind:
        kind = next((m.group("kind") for line in _header_lines(lines) if (m := _KIND_LINE.match(line))), "")
    if not kind:
        labelled = next(
            (m for line in _header_lines(lines) for m in _LABELLED_REFERENCE.finditer(line)), None
        )
        kind = labelled.group("label") if labelled and labelled.group("label") in _VORLAGE_KINDS else ""
    return re.sub(rf"\s*[-–—(]\s*{_STATUS_WORD}\)?\s*$", "", kind).strip()


def read_status(lines: list[str]) -> str:
    """The labelled status ("Status: öffentlich (Vorlage freigegeben)" → "öffentlich"); else the
    one written beside the number or kind ("Vorlage: 2020/123 – öffentlich", "Beschlussvorlage
    - öffentlich", "Beschlussvorlage öffentlich - 2020/123"); else a header line that says only
    "öffentlich" or "nicht öffentlich"; else the part of the session its agenda item belongs to
    ("TOP Ö 3" public, "TOP N 3" not)."""
    labelled = _label_value(lines, _STATUS_LABELS)
    if labelled:
        return normalise_status(re.sub(r"\s*\([^)]*\)\s*$", "", labelled))
    for line in _header_lines(lines):
        for match in _LABELLED_REFERENCE.finditer(line):
            written = match.group("status_before") or match.group("status_after")
            if written and _is_number(match):
                return normalise_status(written)
    kind = _label_value(lines, _DOC_TYPE_LABELS) or _block_value(lines, _DOC_TYPE_LABELS)
    written_kind = re.search(rf"[-–—(]\s*(?P<status>{_STATUS_WORD})\)?\s*$", kind)
    if written_kind:
        return normalise_status(written_kind.group("status"))
    for pattern in (_STATUS_LINE, _TOP_SESSION_PART):
        stated = next((m.group("status") for line in _header_lines(lines) if (m := pattern.match(line))), "")
        if stated:
            return normalise_status(stated)
    return ""


def normalise_status(value: str) -> str:
    """The canonical spelling of "öffentlich" and "nichtöffentlich"; other values as written."""
    key = re.sub(r"[\s\-_]", "", value).lower().replace("oe", "ö")
    if key in ("öffentlich", "ö", "öffentlichersitzungsteil"):
        return PUBLIC_STATUS
    if key in ("nichtöffentlich", "n", "nö", "nichtöffentlichersitzungsteil"):
        return NON_PUBLIC_STATUS
    return value.strip()


def read_body(text: str) -> str:
    """The Landkreis, Kreis, Stadt or Gemeinde the document belongs to, when the text names it."""
    for council in _COUNCIL_OF_BODY.finditer(text):
        if council.group("place") not in NOT_PLACES:
            kind = council.group("municipality") or body_type(council.group("district"))
            return f"{kind} {council.group('place')}"
    return next((name for _, _, name in body_mentions(text)), "")


def read_date(text: str, lines: list[str], consultations: Iterable[Consultation]) -> str:
    """The "Datum:" line, else the first dated Beratungsfolge step, else the date of the Sitzung."""
    stated = next((iso for value in _label_values(lines, _DATE_LABELS) if (iso := iso_date(value))), "")
    if stated:
        return stated
    dated = next((step.date for step in consultations if step.date), "")
    if dated:
        return dated
    in_header = _HEADER_SITZUNG_DATE.search("\n".join(_header_lines(lines)))
    if in_header:
        return iso_date(in_header.group("date") or in_header.group("day"))
    sitzung = _SITZUNG_DATE.search(text)
    return iso_date(sitzung.group("date")) if sitzung else ""


def read_consultations(lines: list[str]) -> Iterator[Consultation]:
    """The steps of the Beratungsfolge: rows of a table with column headings; else one per line or
    separated by ";" after the label, a line that starts with the date completing the step above
    (SessionNet: "Sozialausschuss  Entscheidung" / "22.10.2019  Sitzung des … ungeändert beschlossen")."""
    table = _consultation_table(lines)
    if table:
        yield from table
        return
    steps: list[Consultation] = []
    undated_step_above = False
    entries = _beratungsfolge_entries(lines)
    if not entries:
        yield from _flattened_steps(lines)
        return
    for entry in entries:
        stripped = " ".join(entry.split())
        leading_date = DATE.match(stripped)
        if leading_date and steps and not steps[-1].date:
            columns = [c for c in re.split(r"\s{2,}", entry.strip())[1:] if c.strip()]
            resolution = columns[-1].strip() if len(columns) > 1 else ""
            steps[-1] = dataclasses.replace(
                steps[-1], date=iso_date(leading_date.group()), resolution=resolution
            )
            undated_step_above = not stripped[leading_date.end() :].strip()
            continue
        if undated_step_above and not DATE.search(stripped):
            steps[-1] = dataclasses.replace(steps[-1], resolution=stripped)
            undated_step_above = False
            continue
        undated_step_above = False
        consultation = parse_consultation(entry)
        if consultation is not None:
            steps.append(consultation)
    yield from steps


# A step of a Beratungsfolge table that PDF extraction flattened into the header line (ALLRIS:
# "Beratungsfolge Termin Beratung Kennung Abstimmung Haupt- und Personalausschuss 07.04.2014
# vorberatend nichtöffentlich Gemeinderat 12.05.2014 beschließend öffentlich Beteiligungsvermerke …").
_STEP_WORDS = (
    r"vorberatend|beschließend|beschliessend|Vorberatung|Entscheidung|Beschlussfassung|Kenntnisnahme"
    r"|zur Kenntnis(?:nahme)?|Anhörung|nicht\s*öffentlich|öffentlich|Ö|N"
)
_FLAT_STEP = re.compile(
    rf"\s*(?P<committee>[A-ZÄÖÜ][\w.\-]*(?:\s+[\w.\-]+){{0,6}}?)\s+(?P<date>{NUMERIC_DATE})"
    rf"(?P<qualifiers>(?:\s+(?:{_STEP_WORDS})\b)*)"
)
_HEADING_WORDS = frozenset(
    w
    for heading in (*_COMMITTEE_COLUMNS, *_DATE_COLUMNS, *_RESULT_COLUMNS, *_OTHER_COLUMNS)
    for w in heading.split()
)


def _flattened_steps(lines: list[str]) -> list[Consultation]:
    """The steps of a Beratungsfolge table flattened into one line, each a committee and a date."""
    for line in lines:
        label = re.search(r"\bBeratungsfolge\b", line)
        if label is None:
            continue
        steps: list[Consultation] = []
        position = label.end()
        while (match := _FLAT_STEP.match(line, position)) is not None:
            words = match.group("committee").split()
            while words and words[0].lower() in _HEADING_WORDS:
                words.pop(0)
            if not words:
                break
            # "vorberatend nichtöffentlich" is the step's role, not a Beschlussart: not kept
            steps.append(Consultation(" ".join(words), iso_date(match.group("date"))))
            position = match.end()
        if steps:
            return steps
    return []


def _consultation_table(lines: list[str]) -> list[Consultation]:
    for index, line in enumerate(lines):
        columns = _table_columns(line)
        if columns is None:
            continue
        steps: list[Consultation] = []
        for row in lines[index + 1 :]:
            cells = [cell.strip() for cell in _CELL_SEPARATOR.split(row.strip().strip("|"))]
            if len(cells) < 2:
                break
            step = _table_step(cells, columns)
            if step is not None:
                steps.append(step)
        return steps
    return []


def _table_columns(line: str) -> dict[str, int] | None:
    """Which column holds the committee, the date and the result, when a line is a heading row."""
    cells = [" ".join(cell.split()).lower() for cell in _CELL_SEPARATOR.split(line.strip().strip("|"))]
    known = (*_COMMITTEE_COLUMNS, *_DATE_COLUMNS, *_RESULT_COLUMNS, *_OTHER_COLUMNS)
    if len(cells) < 2 or not all(cell in known for cell in cells):
        return None
    roles = {"committee": _COMMITTEE_COLUMNS, "date": _DATE_COLUMNS, "resolution": _RESULT_COLUMNS}
    columns = {
        role: next(i for i, cell in enumerate(cells) if cell in names)
        for role, names in roles.items()
        if any(cell in names for cell in cells)
    }
    return columns if "committee" in columns else None


def _table_step(cells: list[str], columns: dict[str, int]) -> Consultation | None:
    def cell(role: str) -> str:
        index = columns.get(role)
        return cells[index] if index is not None and index < len(cells) else ""

    committee = _COMMITTEE_ROLE.sub("", cell("committee")).strip(_ENTRY_SEPARATORS)
    if not committee:
        return None
    return Consultation(committee=committee, date=iso_date(cell("date")), resolution=cell("resolution"))


def parse_consultation(entry: str) -> Consultation | None:
    """One step: "Kreisausschuss – 08.12.2014 – zur Kenntnis genommen", "Kreistag 11.06.2025", "Rat"."""
    entry = " ".join(entry.split()).strip(_ENTRY_SEPARATORS)
    if not entry:
        return None
    date = DATE.search(entry)
    if date:
        committee, iso, resolution = entry[: date.start()], iso_date(date.group()), entry[date.end() :]
    else:
        parts = re.split(r"\s+[–—-]\s+|\s*\|\s*", entry, maxsplit=1)
        committee, iso, resolution = parts[0], "", parts[1] if len(parts) > 1 else ""
    committee = re.sub(r"\s+(?:am|vom)$", "", committee.strip(_ENTRY_SEPARATORS))
    committee = _COMMITTEE_ROLE.sub("", committee).strip(_ENTRY_SEPARATORS)
    committee = _COMMITTEE_BARE_ROLE.sub("", committee).strip(_ENTRY_SEPARATORS)
    if not committee:
        return None
    return Consultation(committee=committee, date=iso, resolution=resolution.strip(_ENTRY_SEPARATORS))


def apply_overrides(
    metadata: DocumentMetadata, overrides: Mapping[str, object], source: str
) -> DocumentMetadata:
    """Replace fields by the values a clerk or OParl gave (sidecar file or parse() argument).

    Text fields: `EDITABLE_FIELDS`. `committees` (a list of names)
    replaces the Beratungsfolge, keeping date and result of steps whose committee is unchanged;
    `consultations` (a list of {committee, date, resolution}) replaces it entirely.
    """
    texts: dict[str, str] = {}
    consultations = metadata.consultations
    for key, value in overrides.items():
        if key in EDITABLE_FIELDS:
            texts[key] = _override_text(key, value, source)
        elif key == "committees":
            consultations = _override_committees(value, metadata.consultations, source)
        elif key == "consultations":
            consultations = _override_consultations(value, source)
        else:
            logger.warning("%s: ignoring unknown metadata field %r", source, key)
    return dataclasses.replace(metadata, **texts, consultations=consultations)


def _override_text(key: str, value: object, source: str) -> str:
    if not isinstance(value, str):
        raise IngestError(f"{source}: Feld „{key}“ muss ein Text sein.")
    if key == "status":
        return normalise_status(value)
    if key == "date" and value.strip():
        iso = _iso_or_german_date(value)
        if not iso:
            raise IngestError(
                f"{source}: Datum „{value}“ nicht erkannt (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)."
            )
        return iso
    return value.strip()


def _iso_or_german_date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return iso_date(value)


def _override_committees(
    value: object, parsed: tuple[Consultation, ...], source: str
) -> tuple[Consultation, ...]:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise IngestError(f"{source}: Feld „committees“ muss eine Liste von Gremiennamen sein.")
    known = {step.committee: step for step in parsed}
    return tuple(
        known.get(name.strip(), Consultation(committee=name.strip())) for name in value if name.strip()
    )


def _override_consultations(value: object, source: str) -> tuple[Consultation, ...]:
    error = IngestError(
        f"{source}: Feld „consultations“ muss eine Liste von Objekten mit committee, date, resolution sein."
    )
    if not isinstance(value, list):
        raise error
    steps: list[Consultation] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("committee"), str):
            raise error
        date = str(item.get("date") or "")
        steps.append(
            Consultation(
                committee=item["committee"].strip(),
                date=_iso_or_german_date(date) if date else "",
                resolution=str(item.get("resolution") or "").strip(),
            )
        )
    return tuple(steps)


def _label_value(lines: list[str], labels: tuple[str, ...], with_continuation: bool = False) -> str:
    """The value after the first "Label:" with one of the labels ("" when there is none)."""
    return next(iter(_label_values(lines, labels, with_continuation)), "")


def _label_values(
    lines: list[str], labels: tuple[str, ...], with_continuation: bool = False
) -> Iterator[str]:
    """Values of "Label: value" (or "Label | value") lines, first those where the label starts its
    line, then those further right in a header line ("Datum: 12.02.2014 Az.: 5 Betreff:"); a value
    ends where another label begins, and an empty one is continued on the following lines."""
    starts, inside = _label_pattern(labels), _label_inside_pattern(labels)
    for pattern, searched in ((starts, lines), (inside, _header_lines(lines))):
        for index, line in enumerate(searched):
            match = pattern.search(line)
            if not match:
                continue
            written = match.group("value") or match.groupdict().get("cell") or ""
            value = _NEXT_LABEL.split(written, maxsplit=1)[0].strip()
            parts = [value]
            if with_continuation or not value:
                parts += _continuation(lines, index + 1, of_label_value=True)
            joined = " ".join(part for part in parts if part)
            if joined:
                yield joined


@functools.cache
def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(map(re.escape, labels))
    return re.compile(
        rf"^\s*{_LIST_MARK}(?:{names})(?:\s*:\s*(?P<value>.*)|\s+\|\s*(?P<cell>[^|]*))$", re.IGNORECASE
    )


@functools.cache
def _label_inside_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(map(re.escape, labels))
    return re.compile(rf"(?<=\S)(?:\s+|(?<=[a-zäöüß)]))(?:{names})\s*:\s*(?P<value>.*)$")


def _ends_label_value(line: str) -> bool:
    return bool(_CELL_LABEL_LINE.match(line) or _is_block_label(line) or line.endswith(":"))


def _block_value(lines: list[str], labels: tuple[str, ...]) -> str:
    """The value of a label standing alone on its line ("Betreff" / "<Betreff>" / "Vorlage"): the
    next line that is no "Label: value" line (exports put one value per line or paragraph)."""
    pattern = _block_label_pattern(labels)
    for index, line in enumerate(_header_lines(lines)):
        if not pattern.match(line):
            continue
        for following in lines[index + 1 :]:
            stripped = following.strip()
            if _is_block_label(stripped) or section_heading(stripped):
                return ""
            if stripped and not is_label_line(stripped):
                return _without_glued_label(stripped)
    return ""


@functools.cache
def _block_label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(map(re.escape, labels))
    return re.compile(rf"^\s*(?:{names}){_BLOCK_LABEL_QUALIFIER}\s*:?\s*$", re.IGNORECASE)


def _is_block_label(line: str) -> bool:
    return bool(_block_label_pattern(_ALL_LABELS).match(line) or _REFERENCE_LABEL_AT_END.match(line))


def _without_glued_label(value: str) -> str:
    """ "… in Fürstenwalde/ Spree Vorlage": a text layer that joined the next block's label on."""
    return re.sub(rf"\s+(?:{'|'.join(map(re.escape, _ALL_LABELS))})$", "", value)


def _continuation(lines: list[str], start: int, of_label_value: bool = False) -> list[str]:
    """Lines that continue a wrapped value: up to a blank line, the next label or a heading; a
    label's value also ends at a table cell label, a label alone on its line, or a line that
    introduces something ("… beschließt in seiner Sitzung am 19.12.2023:")."""
    parts: list[str] = []
    for line in lines[start:]:
        stripped = line.strip()
        if (
            not stripped
            or is_label_line(stripped)
            or section_heading(stripped)
            or _BERATUNGSFOLGE.match(line)
            or (of_label_value and _ends_label_value(stripped))
        ):
            break
        parts.append(stripped)
    return parts


def _beratungsfolge_entries(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        match = _BERATUNGSFOLGE.match(line)
        if match:
            inline = match.group("rest").strip()
            following = _continuation(lines, index + 1)
            if inline and ";" in " ".join([inline, *following]):
                return " ".join([inline, *following]).split(";")
            return [inline, *following]
    return []
