"""The core data types of the index: what a council document becomes on its way into the store."""

from __future__ import annotations

from dataclasses import dataclass, field

PUBLIC_STATUS = "öffentlich"
NON_PUBLIC_STATUS = "nichtöffentlich"


class IngestError(Exception):
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
