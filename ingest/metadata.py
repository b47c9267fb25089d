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
from ingest.german.places import LOCAL_BODY_TYPE, NOT_PLACES, PLACE, body_type
from ingest.german.sections import is_label_line, section_heading
from ingest.types import EDITABLE_FIELDS, NON_PUBLIC_STATUS, PUBLIC_STATUS, Consultation, IngestError

logger = logging.getLogger(__name__)

NIEDERSCHRIFT = "Niederschrift"

# A Vorlage number: "2015/179", "BesV/0214/22", "79/00", "VO/2020/123", "18/1234".
_REFERENCE = r"(?P<reference>[A-Za-zÄÖÜäöü]{0,12}[/-]?\d[\w./-]*)"
_REFERENCE_WORDS = (
    r"(?:Beschluss|Mitteilungs|Informations|Sitzungs)?[Vv]orlage|Drucksache"
    r"|Vorlagen?-?(?:Nr\.?|[Nn]ummer)|Drucksachen-?(?:Nr\.?|[Nn]ummer)"
)
_REFERENCE_LINE = re.compile(
    rf"^\s*(?:{_REFERENCE_WORDS})\s*[-–—:]?\s*(?:Nr\.?\s*:?\s*)?{_REFERENCE}(?:\s|$)", re.MULTILINE
)
# "(Vorlage 2025/041)" at the end of a TOP line in a Niederschrift excerpt.
_REFERENCE_IN_PARENTHESES = re.compile(
    rf"\((?:{_REFERENCE_WORDS})\s*[-–—:]?\s*(?:Nr\.?\s*:?\s*)?{_REFERENCE}\)"
)
_HEADER_SEARCH_LINES = 15

_TOP_LINE = re.compile(
    r"^\s*(?:TOP|Tagesordnungspunkt)\s*(?:[ÖN]\s*)?\d+(?:\.\d+)*\s*[:.)]?\s*(?P<subject>\S.*)$", re.MULTILINE
)
_TRAILING_REFERENCE = re.compile(rf"\s*\((?:{_REFERENCE_WORDS})[^)]*\)\s*$")
_NIEDERSCHRIFT_LINE = re.compile(r"^\s*(?:Auszug aus der\s+)?Niederschrift\b", re.IGNORECASE)
_SITZUNG_DATE = re.compile(rf"\bSitzung\b[^\n]*?\bam\s+(?P<date>{NUMERIC_DATE}|{WORDED_DATE})", re.IGNORECASE)

_TITLE_LABELS = ("Betreff", "Gegenstand")
_DOC_TYPE_LABELS = ("Vorlage-Art", "Vorlagenart", "Vorlageart", "Art der Vorlage", "Vorlagentyp")
_STATUS_LABELS = ("Status", "Öffentlichkeitsstatus", "Sitzungsteil")
_DATE_LABELS = ("Datum", "Vorlagedatum", "Erstellungsdatum", "Datum der Vorlage")
_BERATUNGSFOLGE = re.compile(r"^\s*Beratungsfolge\b\s*:?\s*(?P<rest>.*)$")
_ENTRY_SEPARATORS = " \t|–—-:;,"
# Qualifiers of a Beratungsfolge step that are not part of the committee's name.
_COMMITTEE_ROLE = re.compile(
    r"\s*\((?:Vorberatung|Entscheidung|Beschlussfassung|Kenntnisnahme|zur Kenntnis|Anhörung|Beratung"
    r"|federführend|öffentlich|nicht\s*öffentlich|nichtöffentlich|Ö|N)\)\s*$",
    re.IGNORECASE,
)

# The body's own council ("Rat der Gemeinde Kreuzau", "Kreistag des Landkreises Lüneburg") names it
# most explicitly; otherwise the first mention of a Landkreis, Kreis, Stadt or Gemeinde.
_COUNCIL_OF_BODY = re.compile(
    rf"\b(?:(?:Gemeinde|Stadt)?[Rr]ate?s?\s+der\s+(?P<municipality>Gemeinde|Samtgemeinde|Stadt|Hansestadt)"
    rf"|Kreistag(?:e?s)?\s+des\s+(?P<district>Landkreises|Kreises))\s+(?P<place>{PLACE})"
)
_BODY_MENTION = re.compile(rf"\b(?P<kind>{LOCAL_BODY_TYPE})\s+(?P<place>{PLACE})")


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
    return DocumentMetadata(
        reference=read_reference(text),
        title=read_title(lines),
        doc_type=read_doc_type(lines),
        status=normalise_status(_label_value(lines, _STATUS_LABELS)),
        body=read_body(text),
        date=read_date(text, lines, consultations),
        consultations=consultations,
    )


def read_reference(text: str) -> str:
    match = _REFERENCE_LINE.search(text)
    if match is None:
        header = "\n".join(text.split("\n")[:_HEADER_SEARCH_LINES])
        match = _REFERENCE_IN_PARENTHESES.search(header)
    return match.group("reference").rstrip("./-") if match else ""


def read_title(lines: list[str]) -> str:
    """The Betreff; in a Niederschrift excerpt the subject of its TOP line."""
    title = _label_value(lines, _TITLE_LABELS, with_continuation=True)
    if title:
        return title
    top = _TOP_LINE.search("\n".join(lines))
    return _TRAILING_REFERENCE.sub("", top.group("subject")).strip() if top else ""


def read_doc_type(lines: list[str]) -> str:
    first_lines = [line for line in lines if line.strip()][:3]
    if any(_NIEDERSCHRIFT_LINE.match(line) for line in first_lines):
        return NIEDERSCHRIFT
    return _label_value(lines, _DOC_TYPE_LABELS)


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
    for mention in _BODY_MENTION.finditer(text):
        if mention.group("place") not in NOT_PLACES:
            kind = mention.group("kind")
            return f"{body_type(kind)} {mention.group('place')}"
    return ""


def read_date(text: str, lines: list[str], consultations: Iterable[Consultation]) -> str:
    """The "Datum:" line, else the first dated Beratungsfolge step, else the date of the Sitzung."""
    stated = iso_date(_label_value(lines, _DATE_LABELS))
    if stated:
        return stated
    dated = next((step.date for step in consultations if step.date), "")
    if dated:
        return dated
    sitzung = _SITZUNG_DATE.search(text)
    return iso_date(sitzung.group("date")) if sitzung else ""


def read_consultations(lines: list[str]) -> Iterator[Consultation]:
    """The steps of the Beratungsfolge, one per line or separated by ";" after the label."""
    for entry in _beratungsfolge_entries(lines):
        consultation = parse_consultation(entry)
        if consultation is not None:
            yield consultation


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
    """The value after the first "Label:" line with one of the labels ("" when there is none)."""
    pattern = _label_pattern(labels)
    for index, line in enumerate(lines):
        match = pattern.match(line)
        if match:
            parts = [match.group("value").strip()]
            if with_continuation:
                parts += _continuation(lines, index + 1)
            return " ".join(part for part in parts if part)
    return ""


@functools.cache
def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:{'|'.join(map(re.escape, labels))})\s*:\s*(?P<value>.*)$", re.IGNORECASE)


def _continuation(lines: list[str], start: int) -> list[str]:
    """Lines that continue a wrapped value: up to a blank line, the next label or a heading."""
    parts: list[str] = []
    for line in lines[start:]:
        stripped = line.strip()
        if (
            not stripped
            or is_label_line(stripped)
            or section_heading(stripped)
            or _BERATUNGSFOLGE.match(line)
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
