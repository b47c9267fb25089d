"""Term scoring for answers: how much of a question a passage, its context or a document covers.

Scoring reads the keyword index only through `IndexTerms` – inverse document frequencies, the
largest of them, compound parts and a per-index cache – never through the index's internals, so
retrieval can change how it builds its index without breaking answers.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.keywords import QUESTION_WORDS, content_words, synonyms
from assistant.question import capitalised_terms, name_runs
from assistant.retrieval import Retriever
from ingest.german.places import bodies_named
from ingest.german.words import stem
from ingest.types import Document

PER_YEAR = re.compile(r"pro jahr|jährlich|im jahr|jahres|\bp\.\s?a\.|each year|per year", re.IGNORECASE)
PER_UNIT = re.compile(r"\b(?:je|pro)\s+(?!jahr)\w+|\bper (?!year)\w+", re.IGNORECASE)


class IndexTerms:
    """What answer scoring needs of the keyword index: term rarity, compound parts and a cache
    that lives as long as the index does."""

    def __init__(self, retriever: Retriever) -> None:
        self._index = retriever.index

    def idf(self, term: str) -> float | None:
        """Inverse document frequency of a stem; None when no passage contains it."""
        return self._index.idf(term)

    @property
    def max_idf(self) -> float:
        return float(self._index.max_idf)

    def parts(self, word: str) -> list[str]:
        """Known parts of a compound (Mitgliedsbeitrag → mitglied, beitrag)."""
        return list(self._index.splitter.parts(word))

    @property
    def cache(self) -> dict[Any, Any]:
        return self._index.document_cache


class TermWeights:
    """IDF weights of question terms; a capitalised word absent from the corpus weighs most.

    A compound of the question also keeps its parts (Einmalzahlungen → einmal, zahlung), so a
    passage saying "einmalig … gezahlt" still covers it in part.
    """

    def __init__(self, retriever: Retriever, question: str, extra: str = "") -> None:
        index = IndexTerms(retriever)
        # a follow-up that names nothing itself ("Bis wann läuft das?") is about what the turn it
        # continues names; one that names something ("Und pro Leerung?") replaces part of it
        self.nouns = set(capitalised_terms(question)) or set(capitalised_terms(extra))
        self.weights: dict[str, float] = {}
        self.parts: dict[str, set[str]] = {}
        for text, factor in ((question, 1.0), (extra, 0.5)):
            for word in content_words(text):
                if word in QUESTION_WORDS:
                    continue
                term = stem(word)
                idf = index.idf(term)
                if idf is None:
                    idf = index.max_idf if term in self.nouns else 0.0
                self.weights[term] = max(self.weights.get(term, 0.0), idf * factor)
                parts = {stem(p) for p in index.parts(word)}
                if parts:
                    self.parts[term] = parts
        self.total = sum(self.weights.values()) or 1.0
        self.per_year = bool(PER_YEAR.search(question))
        self.per_unit = bool(PER_UNIT.search(question))
        self.names = name_runs(question)
        # proper names of the bodies the question names ("Landkreis Miltenberg"): never compounds
        self.places = {
            stem(w) for _, place in bodies_named(f"{question} {extra}") for w in content_words(place)
        }

    @property
    def entities(self) -> set[str]:
        """What the question is about: its nouns, or for an all-lower-case question its rarest words."""
        if self.nouns:
            return self.nouns
        content = {t: w for t, w in self.weights.items() if len(t) >= 4}  # not "pro", "je", "geb(en)"
        top = max(content.values(), default=0.0)
        return {t for t, w in content.items() if w > 0 and w >= 0.6 * top}

    def match(self, term: str, own: set[str], context: set[str]) -> float:
        best = term_match(term, own, context)
        parts = self.parts.get(term)
        if best < 1.0 and parts:
            best = max(best, 0.8 * sum(term_match(p, own, context) for p in parts) / max(2, len(parts)))
        if term in self.nouns and best == CONTEXT_MATCH:
            return 0.95  # the paragraph or document is about it; the sentence need not repeat the name
        return best


def terms_of(text: str, retriever: Retriever) -> set[str]:
    splitter = IndexTerms(retriever)
    terms = set()
    for word in content_words(text):
        terms.add(stem(word))
        terms.update(stem(p) for p in splitter.parts(word))
    return terms


def term_match(term: str, own: set[str], context: set[str]) -> float:
    if term in own:
        return 1.0
    if _variant(term, own):
        return 0.9
    if synonyms(term) & own:
        return 0.7
    if term in context or synonyms(term) & context:
        return CONTEXT_MATCH
    return 0.0


CONTEXT_MATCH = 0.8


def _variant(term: str, terms: set[str]) -> bool:
    """Snowball stems the forms of one word differently now and then (erhöht → erhoht, Erhöhung →
    erhoh): a stem that extends another by at most two letters counts as the same word."""
    if len(term) < 5:
        return False
    return any(
        len(other) >= 5
        and abs(len(other) - len(term)) <= 2
        and (other.startswith(term) or term.startswith(other))
        for other in terms
    )


def acronyms(text: str) -> set[str]:
    """Initials of capitalised word runs: "Erweiterter Wirtschaftsraum Hannover" → "ewh"."""
    found = set()
    capitals = re.findall(r"\b([A-ZÄÖÜ])[a-zäöüß]+", text)
    letters = "".join(capitals).lower()
    for size in (2, 3, 4, 5):
        for i in range(len(letters) - size + 1):
            found.add(letters[i : i + size])
    return found


def document_terms(doc: Document, retriever: Retriever) -> tuple[set[str], str]:
    """All terms of a document (with compound parts and acronyms) and its folded text; computed
    once per document and keyword index, since every answer checks several documents."""
    cache = IndexTerms(retriever).cache
    key = (doc.doc_id, doc.content_hash, doc.title, doc.body)
    if key not in cache:
        terms = terms_of(f"{doc.title} {doc.body} {doc.text}", retriever) | acronyms(doc.text)
        cache[key] = (terms, fold(f"{doc.title} {doc.text}"))
    return cache[key]


def compound_part_share(term: str, doc_terms: set[str]) -> float:
    """Half a match when the document has the head or the modifier of a compound the question
    asks with (Fördertopf → förder…, Baugebiet → …gebiet), most of one when it has both."""
    if len(term) < 8:
        return 0.0
    modifier = any(term.startswith(t) for t in doc_terms if 4 <= len(t) <= len(term) - 4)
    head = any(term.endswith(t) for t in doc_terms if 5 <= len(t) <= len(term) - 3)
    return 0.8 if modifier and head else 0.5 if modifier or head else 0.0


def missing_noun_share(
    question_nouns: set[str], doc: Document, weights: TermWeights, retriever: Retriever
) -> float:
    """How much (IDF-weighted) of the question's nouns and names the document does not contain."""
    if not question_nouns:
        return 0.0
    doc_terms, folded = document_terms(doc, retriever)
    total = missing = 0.0
    for term in question_nouns:
        weight = weights.weights.get(term, 0.0) or IndexTerms(retriever).max_idf
        total += weight
        in_text = 0.7 if len(term) >= 4 and fold(term) in folded else 0.0  # Schutz ⊂ Rebhuhnschutzflächen
        if term in weights.places:  # a place is named or not: "Miltenberg" is no compound of "Berg"
            found = max(term_match(term, doc_terms, set()), in_text)
        else:
            parts = weights.parts.get(term, set())
            found = max(
                weights.match(term, doc_terms, set()),
                sum(1 for p in parts if term_match(p, doc_terms, set())) / len(parts) if parts else 0.0,
                in_text,
            )
            if found < 0.5:
                found = max(found, compound_part_share(term, doc_terms))
        if found < 1.0 and near(term, doc_terms):
            found = 1.0
        missing += weight * (1.0 - found)
    return missing / total if total else 0.0


def fold(text: str) -> str:
    """Lower case without umlauts, as Snowball stems are written."""
    return text.lower().replace("ä", "a").replace("ö", "o").replace("ü", "u").replace("ß", "ss")


def near(term: str, vocabulary: set[str]) -> bool:
    """One edit apart, for long words (Hanover ↔ Hannover)."""
    if len(term) < 5:
        return False
    return any(abs(len(other) - len(term)) <= 1 and _one_edit(term, other) for other in vocabulary)


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(a)):
        if a[i] != b[i]:
            return a[i:] == b[i + 1 :] or (len(a) == len(b) and a[i + 1 :] == b[i + 1 :])
    return len(b) - len(a) == 1
