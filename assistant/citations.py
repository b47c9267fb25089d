"""Citation verification and the draft an answer is written into.

A statement is backed when every number it states stands in one of its cited quotes
(`verify_statement`); the composer and the LLM path (`assistant.llm`) both check with it. A
`Draft` collects statements with their passages, numbers citations in order of first use and
drops a statement its quotes do not back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.types import Answer, Citation, LedgerRow
from ingest.types import Document, Fact

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers_in(text: str) -> set[str]:
    return {n.rstrip(".,") for n in _NUMBER.findall(text) if any(ch.isdigit() for ch in n)}


def verify_statement(statement: str, quotes: Iterable[str]) -> bool:
    """A statement is backed when every number it states appears in one of its cited quotes."""
    quoted = set()
    for quote in quotes:
        quoted |= numbers_in(quote)
    stated = {n for n in numbers_in(statement) if not re.fullmatch(r"\d", n)}
    return stated <= quoted


class CitationBook:
    """Numbers citations in order of first use; one passage gets one number."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []

    def cite(self, doc: Document, start: int, end: int) -> int:
        for citation in self.citations:
            if citation.doc_id == doc.doc_id and citation.start == start and citation.end == end:
                return citation.n
        section = next((s.name for s in doc.sections if s.start <= start < s.end), "")
        citation = Citation(
            n=len(self.citations) + 1,
            doc_id=doc.doc_id,
            reference=doc.reference,
            title=doc.title,
            section=section,
            quote=doc.text[start:end],
            start=start,
            end=end,
        )
        self.citations.append(citation)
        return citation.n


def label(doc: Document) -> str:
    if doc.reference:
        kind = "Niederschrift zu Vorlage" if doc.doc_type == "Niederschrift" else "Vorlage"
        return f"{kind} {doc.reference}"
    return doc.title or doc.doc_id


# --- composing ------------------------------------------------------------------------------------


@dataclass
class Draft:
    """Statements with the passages they rest on, before numbering."""

    book: CitationBook = field(default_factory=CitationBook)
    parts: list[str] = field(default_factory=list)

    def state(self, statement: str, doc: Document, spans: list[tuple[int, int]], source: str = "") -> bool:
        """Add a statement if its quotes back it; `source` names where it comes from and is not a claim."""
        quotes = [doc.text[a:b] for a, b in spans]
        if not verify_statement(statement, quotes):
            return False
        markers = "".join(f"[{self.book.cite(doc, a, b)}]" for a, b in spans)
        self.parts.append(f"{source}{statement} {markers}")
        return True

    def state_sum(
        self, statement: str, doc: Document, spans: list[tuple[int, int]], addends: list[str]
    ) -> bool:
        """A computed total is backed when every addend is quoted; the sum itself is arithmetic."""
        quotes = [doc.text[a:b] for a, b in spans]
        if not all(verify_statement(addend, quotes) for addend in addends):
            return False
        markers = "".join(f"[{self.book.cite(doc, a, b)}]" for a, b in spans)
        self.parts.append(f"{statement} {markers}")
        return True

    def state_total(self, statement: str, cited: list[tuple[Document, int, int]], addends: list[str]) -> bool:
        """A total across documents: backed when each addend stands in its own cited quote."""
        if not all(
            verify_statement(a, [doc.text[s:e]]) for a, (doc, s, e) in zip(addends, cited, strict=True)
        ):
            return False
        markers = "".join(f"[{self.book.cite(doc, s, e)}]" for doc, s, e in cited)
        self.parts.append(f"{statement} {markers}")
        return True

    def state_count(self, statement: str, count: int, doc: Document, items: list[tuple[int, int]]) -> bool:
        """A count of listed items, backed when it is the number of items cited with it."""
        if count != len(items) or not items or str(count) not in numbers_in(statement):
            return False
        markers = "".join(f"[{self.book.cite(doc, a, b)}]" for a, b in items)
        self.parts.append(f"{statement} {markers}")
        return True

    def answer(self, rows: list[Fact] | None = None) -> Answer:
        return Answer(
            " ".join(self.parts), self.book.citations, ledger_rows=[fact_row(f) for f in rows or []]
        )


def fact_row(fact: Fact, doc: Document | None = None) -> LedgerRow:
    """The ledger row of `fact`; with its document, also the document's reference, date and body."""
    row: LedgerRow = {
        "organisation": fact.organisation,
        "kind": fact.kind,
        "amount": fact.amount_text,
        "value": fact.value,
        "currency": fact.currency,
        "period": fact.period,
        "years": fact.years,
        "payer": fact.payer,
        "purpose": fact.purpose,
        "doc_id": fact.doc_id,
        "start": fact.start,
        "end": fact.end,
    }
    if doc is not None:
        row["reference"] = doc.reference
        row["date"] = doc.date
        row["body"] = doc.body
    return row
