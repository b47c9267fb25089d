"""What the assistant hands to its callers: search hits, citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ROLES = ("public", "member", "clerk", "admin")


@dataclass(frozen=True)
class SearchFilters:
    """Metadata filters applied inside the store query, never after ranking."""

    committee: str = ""
    doc_type: str = ""
    body: str = ""
    year_from: int | None = None
    year_to: int | None = None


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

    def to_json(self) -> dict[str, Any]:
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

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """A German answer whose every sentence carries citation markers, or an abstention."""

    text: str
    citations: list[Citation]
    abstained: bool = False
    related: list[Hit] = field(default_factory=list)  # "vielleicht relevant" when abstaining
    ledger_rows: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "abstained": self.abstained,
            "related": [h.to_json() for h in self.related],
            "ledger_rows": self.ledger_rows,
        }
