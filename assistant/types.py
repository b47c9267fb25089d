"""What the assistant hands to its callers: search hits, citations, ledger rows and answers.

The `…Json` TypedDicts are the shapes `to_json` returns: what `/ask`, `/search` and `--json` send
(documented in the README), so a change of shape shows up in the type checker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NotRequired, TypedDict


class Role(StrEnum):
    """Whom a request acts as. What each may do is decided in `assistant.access` alone."""

    PUBLIC = "public"  # everybody, without signing in
    MEMBER = "member"  # a council member: also reads non-public documents
    CLERK = "clerk"  # the administration: also adds, corrects and removes documents
    ADMIN = "admin"


@dataclass(frozen=True)
class SearchFilters:
    """Metadata filters applied inside the store query, never after ranking."""

    committee: str = ""
    doc_type: str = ""
    body: str = ""
    year_from: int | None = None
    year_to: int | None = None


class LedgerRow(TypedDict):
    """One row of the facts ledger as the CLI, the app and answers show it (see `fact_row`).

    `reference`, `date` and `body` of the document are there in the ledger, not in an answer's rows.
    """

    organisation: str
    kind: str
    amount: str  # as written: "60.000 €"
    value: float | None
    currency: str
    period: str
    years: str
    payer: str
    purpose: str
    doc_id: str
    start: int
    end: int
    reference: NotRequired[str]
    date: NotRequired[str]
    body: NotRequired[str]


class HitJson(TypedDict):
    doc_id: str
    reference: str
    title: str
    date: str
    section: str
    score: float
    snippet: str
    start: int
    end: int


class SearchJson(TypedDict):
    hits: list[HitJson]


class CitationJson(TypedDict):
    n: int
    doc_id: str
    reference: str
    title: str
    section: str
    quote: str
    start: int
    end: int


class AnswerJson(TypedDict):
    answer: str
    citations: list[CitationJson]
    abstained: bool
    related: list[HitJson]
    ledger_rows: list[LedgerRow]


@dataclass(frozen=True)
class Hit:
    """A ranked passage: a chunk of a document with its score and a snippet with marked words."""

    doc_id: str
    chunk_index: int
    reference: str
    title: str
    date: str
    section: str
    score: float
    snippet: str  # plain text with matching words wrapped in «»
    start: int
    end: int
    text: str

    def to_json(self) -> HitJson:
        return {
            "doc_id": self.doc_id,
            "reference": self.reference,
            "title": self.title,
            "date": self.date,
            "section": self.section,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Citation:
    """A numbered pointer to the exact passage an answer sentence rests on; quote == text[start:end]."""

    n: int
    doc_id: str
    reference: str
    title: str
    section: str
    quote: str
    start: int
    end: int

    def to_json(self) -> CitationJson:
        return CitationJson(
            n=self.n,
            doc_id=self.doc_id,
            reference=self.reference,
            title=self.title,
            section=self.section,
            quote=self.quote,
            start=self.start,
            end=self.end,
        )


@dataclass
class Answer:
    """A German answer whose every sentence carries citation markers, or an abstention."""

    text: str
    citations: list[Citation]
    abstained: bool = False
    related: list[Hit] = field(default_factory=list)  # "vielleicht relevant" when abstaining
    ledger_rows: list[LedgerRow] = field(default_factory=list)

    def to_json(self) -> AnswerJson:
        return {
            "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "abstained": self.abstained,
            "related": [h.to_json() for h in self.related],
            "ledger_rows": self.ledger_rows,
        }
