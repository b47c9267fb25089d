"""Totals and rankings over the facts ledger, across documents: "Wie viel zahlen wir insgesamt?",
"Was kosten uns alle Mitgliedschaften zusammen?", "Welche ist die teuerste?", "die höchsten drei".

A total adds, per organisation, the newest yearly euro amount a body pays; an older figure for the
same organisation is mentioned with its document and date, not added. "Wir"/"uns" is the
installation's own body (setting `RATSAUSKUNFT_BODY`), else the body most visible documents belong
to; the answer says which body it assumed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.keywords import QUESTION_WORDS, content_words
from assistant.question import COUNT_WORD, COUNT_WORDS
from ingest.german.words import stem
from ingest.types import Document, Fact

YEARLY = "jährlich"

_WE = re.compile(r"\b(?:wir|uns|unser\w*|we|us|our)\b", re.IGNORECASE)
_SUPERLATIVE = re.compile(
    r"\bteuerste\w*|\bhöchste\w*|\bgrößte\w*|\bam meisten\b|\bam teuersten\b|\bmost expensive\b|\bhighest\b|"
    r"\blargest\b",
    re.IGNORECASE,
)
_PLURAL_TOP = re.compile(
    rf"\b(\d|{COUNT_WORD})\s+(?:teuersten|höchsten|größten|most|largest|highest)",
    re.I,
)
# Words that name the ledger itself, not one organisation in it: a question made only of these
# (and the body's own name) asks about the whole ledger.
_LEDGER_WORDS = frozenset(
    stem(w)
    for w in [
        "mitgliedschaft",
        "mitgliedschaften",
        "beitrag",
        "beiträge",
        "mitgliedsbeitrag",
        "mitgliedsbeiträge",
        "zuschuss",
        "zuschüsse",
        "kosten",
        "verein",
        "vereine",
        "organisation",
        "organisationen",
        "verband",
        "verbände",
        "beteiligung",
        "beteiligungen",
        "gesellschaft",
        "gesellschaften",
        "jahr",
        "jahre",
        "euro",
        "insgesamt",
        "zusammen",
        "summe",
        "gesamt",
        "landkreis",
        "kreis",
        "stadt",
        "gemeinde",
        "samtgemeinde",
        "amt",
        "bezirk",
        "zahlung",
        "zahlungen",
        "membership",
        "memberships",
        "fee",
        "fees",
        "total",
        "year",
        "geld",
        "betrag",
        "beträge",
    ]
)
BODY_KINDS = frozenset(
    stem(w)
    for w in ["landkreis", "kreis", "stadt", "gemeinde", "samtgemeinde", "amt", "bezirk", "verbandsgemeinde"]
)


@dataclass(frozen=True)
class Addend:
    """One organisation's newest yearly amount, with the document it stands in and older figures."""

    fact: Fact
    doc: Document
    older: tuple[tuple[Fact, Document], ...] = ()


def own_body(documents: list[Document], facts: list[Fact], configured: str = "") -> str:
    """The body "wir" means: the setting, else the body most documents name (on a tie, the one
    with more ledger rows)."""
    if configured:
        return configured
    documents_of = Counter(d.body for d in documents if d.body)
    body_of = {d.doc_id: d.body for d in documents}
    rows_of = Counter(body_of.get(f.doc_id, "") for f in facts)
    ranked = sorted(documents_of, key=lambda b: (documents_of[b], rows_of[b], b), reverse=True)
    return ranked[0] if ranked else ""


def asks_about_us(question: str) -> bool:
    return bool(_WE.search(question))


def asks_for_ranking(question: str) -> int:
    """How many of the highest figures the question asks for; 0 when it asks for none."""
    if not _SUPERLATIVE.search(question):
        return 0
    plural = _PLURAL_TOP.search(question)
    if plural is None:
        return 1
    word = plural.group(1).lower()
    return int(word) if word.isdigit() else COUNT_WORDS[word]


def names_only_the_ledger(question: str, body: str) -> bool:
    """The question's nouns are ledger words or the body's own name: it asks about the whole
    ledger, not about one organisation."""
    body_terms = {stem(w) for w in content_words(body)}
    capitalised = {w.lower() for w in re.findall(r"\b[A-ZÄÖÜ][\wäöüß-]*", question)}
    nouns = {stem(w) for w in content_words(question) if w in capitalised and w not in QUESTION_WORDS}
    return all(n in _LEDGER_WORDS or n in body_terms for n in nouns)


def pays(fact: Fact, doc: Document, body: str) -> bool:
    """The fact is an amount `body` pays: its payer, or (no payer stated) the document's body."""
    name_terms = {stem(w) for w in content_words(body)} - BODY_KINDS
    if not name_terms:
        return False
    payer = fact.payer or doc.body
    return name_terms <= {stem(w) for w in content_words(payer)}


def yearly_addends(facts: list[Fact], docs: dict[str, Document], body: str) -> list[Addend]:
    """Per organisation the newest yearly euro amount `body` pays, highest first."""
    by_organisation: dict[str, list[tuple[Fact, Document]]] = {}
    for fact in facts:
        doc = docs.get(fact.doc_id)
        if doc is None or fact.value is None or fact.currency != "EUR" or fact.period != YEARLY:
            continue
        if not fact.organisation or not pays(fact, doc, body):
            continue
        by_organisation.setdefault(_organisation_key(fact.organisation), []).append((fact, doc))
    addends = []
    for found in by_organisation.values():
        found.sort(key=lambda pair: (pair[1].date, -pair[0].start), reverse=True)
        newest_fact, newest_doc = found[0]
        older = tuple(
            (f, d) for f, d in found[1:] if d.doc_id != newest_doc.doc_id and f.value != newest_fact.value
        )
        addends.append(Addend(newest_fact, newest_doc, older))
    return sorted(addends, key=lambda a: -(a.fact.value or 0.0))


def _organisation_key(name: str) -> str:
    """ "Allianz für die Region GmbH" and "Allianz für die Region" are one organisation."""
    words = [w for w in re.findall(r"[\wäöüß]+", name.lower()) if w not in ("gmbh", "e", "v", "ev", "mbh")]
    return " ".join(words)
