"""The core data types of the index: what a council document becomes on its way into the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PUBLIC_STATUS = "öffentlich"
NON_PUBLIC_STATUS = "nichtöffentlich"
NO_STATUS_REASON = "ohne Status-Angabe"


def non_public_reason(status: str) -> str:
    """Why a document with this status counts as non-public ("" when it is public): no status
    line at all, or the status as written ("nichtöffentlich", or anything else unrecognised)."""
    if status == PUBLIC_STATUS:
        return ""
    return status or NO_STATUS_REASON


# The fields of a Document a clerk may correct – in a sidecar file, through OParl, in the app's form
# or with `Assistant.correct_metadata` – in the order the app shows them. Each is plain text and
# a registry column of the same name (a new field needs a step in `ingest.store.MIGRATIONS` that
# adds its column); the Beratungsfolge is corrected through the `committees` or `consultations`
# overrides instead.
EDITABLE_FIELDS: tuple[str, ...] = ("reference", "title", "status", "doc_type", "date", "body")
# How the app and its tables name a document's fields (German).
FIELD_LABELS: dict[str, str] = {
    "doc_id": "Dokument-ID",
    "reference": "Nummer",
    "title": "Betreff",
    "status": "Status",
    "doc_type": "Vorlage-Art",
    "date": "Datum",
    "body": "Körperschaft",
    "committees": "Gremium",
}


class RatsauskunftError(Exception):
    """Base of every expected failure, worded in German for whoever has to act on it.

    The front ends show its message (the CLI as one line, ending with `exit_code`; the app as a
    note on the page) instead of a traceback. Anything else is a bug and may crash loudly.
    """

    exit_code = 1


class IngestError(RatsauskunftError):
    """An expected failure with one file, worded for the clerk who added it (German)."""


@dataclass(frozen=True)
class Consultation:
    """One step of the Beratungsfolge: which committee dealt with the document, when, with what result."""

    committee: str
    date: str = ""  # ISO yyyy-mm-dd, empty when the document does not say
    resolution: str = ""  # Beschlussart, e.g. "ungeändert beschlossen"


@dataclass(frozen=True)
class Section:
    """A named part of the document text (Beschlussvorschlag, Sachverhalt …) as a character span."""

    name: str
    start: int
    end: int


@dataclass
class Document:
    """A parsed council document: its full text plus the metadata read from the text itself."""

    doc_id: str
    text: str
    source: str = ""
    reference: str = ""  # Vorlage number in its own scheme: 2015/179, BesV/0214/22, 79/00
    title: str = ""  # Betreff
    doc_type: str = ""  # Vorlage-Art
    status: str = ""  # öffentlich / nichtöffentlich; empty or anything else counts as non-public
    body: str = ""  # Landkreis/Gemeinde/Stadt when stated
    date: str = ""  # ISO date of the document (Datum, else first Beratungsfolge date)
    consultations: list[Consultation] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    content_hash: str = ""
    ingested_at: str = ""
    web: str = ""  # the document's page in the council's own system (OParl `web`), when known

    @property
    def is_public(self) -> bool:
        return self.status == PUBLIC_STATUS

    @property
    def committees(self) -> list[str]:
        return [c.committee for c in self.consultations]

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date[:4].isdigit() else None

    def to_json(self) -> dict[str, Any]:
        """The document's metadata as `ratsauskunft documents --json` and the MCP tools give it (no text)."""
        return {
            "doc_id": self.doc_id,
            "reference": self.reference,
            "title": self.title,
            "doc_type": self.doc_type,
            "status": self.status,
            "body": self.body,
            "date": self.date,
            "committees": [
                {"committee": c.committee, "date": c.date, "resolution": c.resolution}
                for c in self.consultations
            ],
            "source": self.source,
            "content_hash": self.content_hash,
            "ingested_at": self.ingested_at,
            "web": self.web,
        }


@dataclass(frozen=True)
class Chunk:
    """A passage of a document that is embedded and searched; text == document.text[start:end]."""

    doc_id: str
    index: int
    section: str
    start: int
    end: int
    text: str

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}#{self.index}"


@dataclass(frozen=True)
class Fact:
    """One row of the facts ledger: an amount (or a membership) and whom it concerns, with its source span.

    `start`/`end` point at the sentence in the document text that states the amount, so a citation
    of the fact quotes exactly that sentence.
    """

    doc_id: str
    organisation: str
    kind: (
        str  # Zuschuss, Mitgliedsbeitrag, Gesellschafterbeitrag, Umlage, Kosten, Kaufpreis, Mitgliedschaft …
    )
    amount_text: str  # as written: "60.000 €", "0,24 € pro Einwohner"; empty for a membership row
    value: float | None  # the number: 60000.0, 0.24; None for a membership row
    currency: str  # EUR, DM, EUR/Einwohner, ""
    period: str  # jährlich, einmalig, ""
    years: str  # "2016", "2025-2026", "ab 2027", ""
    payer: str  # the paying body when stated
    purpose: str  # the sentence saying what the organisation is for, when found
    start: int
    end: int
