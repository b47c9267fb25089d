"""Grounded answers without an LLM: classify the question, pick supported sentences, cite them.

The composer never writes a fact of its own. Every statement it makes is either a sentence of a
document (quoted exactly) or a figure from the facts ledger, and it is followed by citation markers
whose quotes contain what the statement says (`verify_statement`). When the retrieved passages do
not cover what the question asks for, the composer abstains and lists the closest documents.

Its parts live in their own modules: question analysis in `assistant.question`, citation
verification and drafts in `assistant.citations`, term scoring in `assistant.scoring`, decisions
in `assistant.outcomes` (rows from `ingest.decisions`), ledger totals in `assistant.totals`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant import outcomes, totals
from assistant.citations import Draft, label
from assistant.keywords import content_words, synonyms
from assistant.question import (
    AGGREGATE,
    AREA,
    COMPARISON,
    COST,
    COUNT,
    DATE,
    DECISION,
    DURATION,
    FIGURE_KINDS,
    FUNDING,
    LOOKUP,
    MEMBERSHIP,
    OTHER,
    PERCENT,
    PURPOSE,
    REASON,
    WHO,
    addend_count,
    asked_measures,
    asked_thing,
    asked_year,
    asks_amount,
    counted_noun,
    figure_kind,
    is_follow_up,
    is_list_question,
    question_kind,
    retrieval_query,
    separable_verbs,
    years_in,
)
from assistant.retrieval import Retriever
from assistant.scoring import (
    PER_YEAR,
    IndexTerms,
    TermWeights,
    acronyms,
    document_terms,
    missing_noun_share,
    near,
    terms_of,
)
from assistant.types import Answer, Hit
from ingest.decisions import Decision, Outcome, extract_decisions
from ingest.german.numbers import MONTH_NAMES, Amount, format_amount, german_date, iso_date, parse_amount
from ingest.german.places import bodies_named
from ingest.german.references import find_references, mention_keys
from ingest.german.sections import KOPF, is_label_line, section_heading
from ingest.german.sentences import BULLETS, SENTENCE_STARTERS
from ingest.german.sentences import sentence_spans as split_sentences
from ingest.german.words import stem
from ingest.metadata import METADATA_LABELS
from ingest.types import Document, Fact

ABSTAIN_TEXT = "Dazu habe ich in den Dokumenten nichts gefunden."

_AMOUNT_HINT = re.compile(r"\d[\d.,]*\s*(?:€|euro|eur\b|dm\b|cent|mio|millionen)", re.IGNORECASE)
# A day of a month ("05.12.2007", "1. Juli"), and a date down to the year; a year inside a document
# number ("DS-Nr. 180/2015") is no date.
_FULL_DATE = re.compile(
    rf"\b\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{2,4}}\b|\b\d{{1,2}}\.\s+(?:{MONTH_NAMES})\b", re.IGNORECASE
)
# A date, a year, or a month – also of a session ("in der Dezembersitzung").
_DATE_HINT = re.compile(
    rf"{_FULL_DATE.pattern}|(?<![/\d-])\b(?:19|20)\d{{2}}\b(?![/-]\d)"
    rf"|\b(?:{MONTH_NAMES})(?:sitzung\w*)?\b(?!(?-i:\s+[A-ZÄÖÜ][a-zäöü]))",  # not "Herr August Müller"
    re.IGNORECASE,
)
# A share as the documents write it ("20,4 %", "66 Prozent", "380 v. H."), its figure as group 1.
_PERCENT = re.compile(r"(\d{1,3}(?:,\d+)?)\s*(?:%|Prozent|v\.\s?H\.)", re.IGNORECASE)
# What states each measure of `question.asked_measures`: a share, an area, a number of things (no date,
# amount or document number), a length of time or a time of day.
# Small numbers written as words; also the start of a count written into an adjective ("vierzügig").
_NUMBER_WORD = "zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf"
_STARTERS = "|".join(sorted(SENTENCE_STARTERS))
MEASURES: dict[str, re.Pattern[str]] = {
    PERCENT: _PERCENT,
    COUNT: re.compile(
        r"(?<![\d.,/])(?!(?:19|20)\d\d\b)(?:\d{1,3}(?:\.\d{3})+|\d{1,4})(?:,\d{1,2})?(?![\d.,/]\d|\d)"
        r"(?!\s*(?:€|euro|eur\b|%|prozent))"
        rf"(?!\.\s*(?!(?:{_STARTERS})\b)\w)"  # "30. Juni", "3. Änderung" are ordinals; "auf 25. Die …" no
        rf"|\b(?:{_NUMBER_WORD}|zwanzig|dreißig|hundert)",
        re.IGNORECASE,
    ),
    AREA: re.compile(r"\d[\d.,]*\s*(?:m²|m2\b|qm\b|quadratmeter\w*|ha\b|hektar|km²)", re.IGNORECASE),
    DURATION: re.compile(
        r"\b(?:\d+|ein|einer|zwei|drei|vier|fünf|sechs|zehn|halbe?n?)\s*(?:jahre?n?|monate?n?|wochen?|tage?n?|"
        r"stunden?|minuten?|min\b)|\b\d{1,2}[.:]\d{2}\s*uhr\b|\buhr\b",
        re.IGNORECASE,
    ),
}
_MEASURE_NAMES = {PERCENT: "Prozentangabe", COUNT: "Anzahl", DURATION: "Zeitangabe", AREA: "Flächenangabe"}

_PURPOSE_HINT = re.compile(
    r"\b(?:dient|dienen|bündelt|fördert|unterstützt|verbindet|vermarktet|veranstaltet|koordiniert|"
    r"betreibt|ermöglich\w*|stärk\w*|sichern|Ziel|(?:\w+z|Z)weck(?!verb)\w*|Aufgabe\w*|Schwerpunkt\w*|Zusammenschluss|Nutzen)\b"
)
_REASON_HINT = re.compile(
    r"\b(?:weil|da|daher|deshalb|deswegen|wegen|aufgrund|Grund|Gründe|Begründung|damit|um|keine|kein)\b"
    r"|nicht mehr|erwartet|genützt|Nutzen|Vorteil"
)
_FUNDING_HINT = re.compile(
    r"finanzier|\b(?:finanz|haushalts|förder|eigen|dritt|bundes|landes|sonder)?mitteln?\b|\bdeckung|gedeckt|"
    r"einnahmen\b|\brücklage|\bkredit(?:e|en|aufnahme)?\b|umgeschichtet|\bförderung|gefördert|zuschuss|zuwendung|"
    r"haushaltsstelle",
    re.IGNORECASE,
)
_DECISION_HINT = re.compile(r"beschl|abgelehnt|zugestimmt|abstimmung|angenommen|stimmen", re.IGNORECASE)
_LIST_ITEM = re.compile(rf"\s*(?:(?P<bullet>[{BULLETS}])|(?P<number>\d+[.)])|(?P<row>\d+\s*\|))\s*")
# A question about a change of money ("mehr Geld", "steigt"), not a comparison ("mehr als", "A oder B").
_ASKS_CHANGE = re.compile(
    r"^(?!.*\b(?:als|oder)\b).*(?:\b(?:mehr|weniger)\b|\b(?:erhöh|steig|senk|kürz|anheb|gestiegen|gesenkt))",
    re.IGNORECASE,
)
_CHANGE = re.compile(
    r"\b(?:erhöh|steig|gestiegen|anheb|angehoben|senk|gesenkt|kürz|gekürzt|verringer|verdoppel)\w*|\bmehr\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"\d[\d.,]*\s*(?:(?:mio|mrd|tsd)\.?\s*|millionen\s+|milliarden\s+)?(?:€|euro|eur\b|%|prozent)",
    re.IGNORECASE,
)
# Three or more short items in a row: "Wolnzach, Rohrbach, Geisenfeld und Scheyern".
_ENUMERATION = re.compile(
    r"(?:\b[\w.\-]+(?:\s[\w.\-]+){0,3},\s+){2,}[\w.\-]+(?:\s[\w.\-]+){0,3}\s+(?:und|sowie)\s"
)
# "Weiteres Ziel ist …", "Außerdem …": the sentence adds to the one before, which says the main thing
_ADDITIVE = re.compile(r"(?:Weitere[rsnm]?|Außerdem|Zudem|Ferner|Darüber hinaus|Daneben|Zusätzlich)\b")
_ANAPHOR = re.compile(
    r"(?:Sie|Er|Es|Dies|Diese[rsm]?|Damit|Dafür|Dabei|Davon|Hierfür|Hierauf|Hiervon|Hierzu|Darauf|Dadurch|"
    r"Danach|Darin|Dazu)\b"
)
_ACTOR_HINT = re.compile(
    r"\b(?:Frau|Herr|Fraktion|\w+-Fraktion|KTA|Kreistagsabgeordnete\w*|Ratsmitglied\w*|CDU|SPD|FDP|Grünen?|"
    r"Linke|AfD|Wähler|Landrat|Landrätin|Bürgermeister\w*|Verwaltung|Geschäftsführer\w*)\b"
)


@dataclass(frozen=True)
class Thresholds:
    """Global, never per question: how much of a question a passage must cover to be an answer."""

    sentence_coverage: float = 0.34
    missing_nouns: float = 0.42
    missing_nouns_shaped: float = 0.15
    second_sentence: float = 0.8
    candidates: int = 8


@dataclass
class Sentence:
    doc: Document
    start: int
    end: int
    rank: int
    facts: list[Fact] = field(default_factory=list)
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.doc.text[self.start : self.end]


# --- sentences ------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((a, b) for a, b in (_strip_bullet(text, s, e) for s, e in split_sentences(text)) if b > a)


def _strip_bullet(text: str, start: int, end: int) -> tuple[int, int]:
    """List dashes and table pipes are layout, not part of what a sentence says."""
    while start < end and text[start] in f" \t|{BULLETS}":
        start += 1
    while end > start and text[end - 1] in " \t|":
        end -= 1
    return start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    return list(_sentence_spans(text))


_TIME_OF_DAY = re.compile(r"\b\d{1,2}[.:]\d{2}\s*Uhr\b")
# A line wholly in brackets is an aside about the document ("[Quelle: …]", "(Beihilfe Nr. 05/2023)").
_ASIDE = re.compile(r"^\s*(?:\[[^\]]*\]|\([^)]*\))\s*[.;:]?\s*$")


def is_statement(doc: Document, start: int, end: int) -> bool:
    """Sentences of the text proper; the header block, headings, label lines and asides say nothing –
    except a label line that states an amount ("Betrag: 1.375,- €", "Zuwendung: 600 €") or a time
    ("Beginn: 17.00 Uhr Ende: 18.17 Uhr"), and below the header a field with content
    ("Verwendungszweck: Veranstaltung Fest der Vereine")."""
    line = doc.text[start:end]
    if is_label_line(line) and (parse_amount(line) or _TIME_OF_DAY.search(line)):
        return True
    if any(s.name == KOPF and s.start <= start < s.end for s in doc.sections):
        return False
    if is_label_line(line) and _content_field(line):
        return True
    if _ASIDE.match(line):
        return False
    return section_heading(line) is None and not is_label_line(line) and len(line) >= 12


# Labels of contact and place lines: they say who to ask, not what was decided or granted.
_CONTACT_LABELS = frozenset(
    ["zuständig", "zuständigkeit", "ansprechpartner", "ansprechpartnerin", "auskunft", "telefon", "tel", "fax",
     "e-mail", "email", "sitzungsort", "sachbearbeitung", "sachbearbeiterin", "kontakt"]
)  # fmt: skip


def _content_field(line: str) -> bool:
    """A label line of the text that says something ("Verwendungszweck: Veranstaltung Fest der
    Vereine", "Empfänger: AG Buntes Flair") – not a header or contact field ("Datum (Sitzung): …",
    "Ansprechpartner: …")."""
    label_text, _, value = line.partition(":")
    name = re.sub(r"\s*\(.*?\)", "", label_text).strip().rstrip(".").lower()
    return name not in METADATA_LABELS and name not in _CONTACT_LABELS and len(value.split()) >= 3


SHORT_DOCUMENT = (
    20_000  # characters; a Vorlage of this size is read whole, a longer one only where it was hit
)


def candidate_sentences(
    hits: list[Hit], docs: list[Document], facts: dict[str, list[Fact]]
) -> list[Sentence]:
    """Sentences of the hit passages, and every sentence of short documents among the hits (the
    amount a question asks for often stands in another section than the words it asks with)."""
    rank_of: dict[str, int] = {}
    for rank, hit in enumerate(hits):
        rank_of.setdefault(hit.doc_id, rank)
    out: list[Sentence] = []
    for doc in docs:
        spans = [(h.start, h.end) for h in hits if h.doc_id == doc.doc_id]
        whole = len(doc.text) <= SHORT_DOCUMENT
        for start, end in sentence_spans(doc.text):
            inside = whole or any(start < b and end > a for a, b in spans)
            if not inside or not is_statement(doc, start, end):
                continue
            located = [f for f in facts.get(doc.doc_id, []) if f.start < end and f.end > start]
            out.append(Sentence(doc, start, end, rank_of[doc.doc_id], located))
    return out


# --- scoring ------------------------------------------------------------------------------------


def score_sentences(sentences: list[Sentence], weights: TermWeights, kind: str, retriever: Retriever) -> None:
    """Coverage of the question by each sentence (its context counting less), plus a kind bonus.

    A term that most candidate sentences share (the name of the organisation all of them are
    about) tells them apart less than the term only one of them has (Jahresbeitrag), so term
    weights are scaled by their rarity among the candidates.
    """
    own_terms = [terms_of(s.text, retriever) for s in sentences]
    contexts = []
    for sentence in sentences:
        context_text = " ".join(
            [
                sentence.doc.title,
                sentence.doc.body,
                *(f.organisation for f in sentence.facts),
                _previous(sentence),
            ]
        )
        contexts.append(terms_of(context_text, retriever) | acronyms(context_text) | acronyms(sentence.text))
    for sentence, own, context in zip(sentences, own_terms, contexts, strict=True):
        covered = sum(w * weights.match(t, own, context) for t, w in weights.weights.items())
        bonus = _kind_bonus(sentence, kind, weights)
        sentence.score = covered / weights.total + bonus + 0.04 / (1 + sentence.rank)


def _previous(sentence: Sentence) -> str:
    """What the sentence continues: the start of its paragraph line, or a list's introducing line."""
    text = sentence.doc.text
    line_start = text.rfind("\n", 0, sentence.start) + 1
    context = text[line_start : sentence.start]
    if is_label_line(text[line_start : sentence.end]):
        # a field of a block ("Verwendungszweck: …") is read with the few lines of its block
        return _block_around(text, line_start, sentence.end)
    marker = _list_marker(text[line_start : sentence.end])
    if marker:
        cursor = line_start
        while cursor > 0:
            previous_start = text.rfind("\n", 0, cursor - 1) + 1
            line = text[previous_start : cursor - 1]
            if line.strip() and _list_marker(line) != marker:
                return f"{line} {context}"
            cursor = previous_start
    if not context.strip() and _ANAPHOR.match(sentence.text):
        before = _sentence_before(sentence)  # "Hierauf erfolgt eine Förderung …" after its paragraph break
        return before.text if before is not None else ""
    return f"{_line_above(text, line_start)} {context}"


def _line_above(text: str, line_start: int) -> str:
    """The short line ending in ':' right above a paragraph – who speaks in minutes ("Frau Böttrich
    (Grüne):"), or what the paragraph is about – or ""."""
    end = line_start - 1
    while end > 0 and text[end - 1] in " \t\n":
        end -= 1
    line = text[text.rfind("\n", 0, end) + 1 : end].strip()
    return line if line.endswith(":") and len(line) <= 60 and not _LIST_ITEM.match(line) else ""


_BLOCK_LINES = 4


def _block_around(text: str, start: int, end: int) -> str:
    """The lines around text[start:end] up to a blank line, at most `_BLOCK_LINES` either way."""
    for _ in range(_BLOCK_LINES):
        above = text.rfind("\n", 0, max(start - 1, 0))
        if start == 0 or not text[above + 1 : start - 1].strip():
            break
        start = above + 1
    for _ in range(_BLOCK_LINES):
        below = text.find("\n", end + 1)
        below = len(text) if below < 0 else below
        if end >= len(text) or not text[end + 1 : below].strip():
            break
        end = below
    return text[start:end]


def _list_marker(line: str) -> str | None:
    """The kind of list a line is an item of (bullet, numbered, table row), or None. A dash list
    nested under a numbered item belongs to that item, not to the numbered list's heading."""
    match = _LIST_ITEM.match(line)
    return match.lastgroup if match else None


def _kind_bonus(sentence: Sentence, kind: str, weights: TermWeights) -> float:
    text = sentence.text
    if kind in (COST, AGGREGATE, COMPARISON):
        if not (sentence.facts or _AMOUNT_HINT.search(text)):
            return 0.0
        recurring = any(f.period == "jährlich" for f in sentence.facts)
        rates_only = bool(sentence.facts) and all("/" in f.currency for f in sentence.facts)
        if rates_only and not weights.per_unit:
            return 0.05  # "Was kostet …?" asks for the whole sum, not a rate per m² or inhabitant
        return 0.15 + (0.05 if recurring else 0.0) + (0.1 if weights.per_year and recurring else 0.0)
    if kind == DATE:
        return 0.15 if _DATE_HINT.search(text) else 0.0
    if kind == DECISION:
        return 0.08 if _DECISION_HINT.search(text) else 0.0
    if kind == PURPOSE:
        return 0.12 if _PURPOSE_HINT.search(text) else 0.0
    if kind == REASON:
        return 0.12 if _REASON_HINT.search(text) else 0.0
    if kind == WHO:
        return 0.15 if _ACTOR_HINT.search(text) else 0.0
    if kind == FUNDING:
        return 0.15 if _FUNDING_HINT.search(text) else 0.0
    return 0.0


def quote_statement(sentence: Sentence) -> str:
    text = " ".join(sentence.text.split())
    return f"„{text}“"


class Composer:
    """Question in, cited answer out; `compose` reads top to bottom as the pipeline it is."""

    def __init__(
        self, retriever: Retriever, thresholds: Thresholds | None = None, own_body: str = ""
    ) -> None:
        self.retriever = retriever
        self.thresholds = thresholds or Thresholds()
        self.own_body = own_body  # whom "wir"/"uns" means; empty: the body most documents belong to

    def compose(self, question: str, history: list[str] | None = None, role: str = "public") -> Answer:
        """The answer for `role`, weighing terms by the statistics of what `role` may see only."""
        with self.retriever.reading_as(role):
            return self._compose(question, history, role)

    def _compose(self, question: str, history: list[str] | None, role: str) -> Answer:
        history = history or []
        follow_up = bool(history) and is_follow_up(question)
        kind = question_kind(question, history)
        query = retrieval_query(question, history)
        index = IndexTerms(self.retriever)
        verbs = separable_verbs(question, lambda term: bool(synonyms(term)) or index.idf(term) is not None)
        query = " ".join([query, *verbs])
        hits = self.retriever.search(query, k=self.thresholds.candidates, role=role)
        listed = self._list_by_date(question, role)
        if listed is not None:
            return listed
        ledgered = self._from_ledger(question, kind, role)
        if ledgered is not None:
            return ledgered
        referenced = self.retriever.find_reference(question, role)
        if referenced and (kind == LOOKUP or (kind == OTHER and names_only_a_number(question))):
            return self._describe(referenced[0])
        if kind == LOOKUP and not referenced and find_references(question):
            mentioned = self._describe_mention(question, hits, role)
            if mentioned is not None:
                return mentioned
        if not hits:
            return self._abstain(hits)
        weights = TermWeights(self.retriever, question, extra=query if query != question else "")
        for rank, doc in enumerate(self._documents(hits, role)[:3]):
            if self._covers(doc, weights):
                composed = self._by_kind(kind, question, doc, weights, best=rank == 0)
                if composed is not None:
                    return composed
        if kind == COMPARISON or _COMPARATIVE.search(question):
            compared = self._compare_sides(question, role)
            if compared is not None:
                return compared
        covering = [d for d in self._documents(hits, role) if self._covers(d, weights)]
        if not covering:
            return self._abstain(hits)
        if follow_up:  # "Woher kommt das Geld dafür?" asks about what the turn before named
            prior = TermWeights(self.retriever, history[-1])
            covering = [d for d in covering if self._covers(d, prior)] or covering
        sentences = candidate_sentences(hits, covering, self._facts(hits))
        score_sentences(sentences, weights, kind, self.retriever)
        coverage = {
            d.doc_id: 1.0 - missing_noun_share(weights.nouns, d, weights, self.retriever) for d in covering
        }
        lists_asked = is_list_question(question)
        for sentence in sentences:
            sentence.score *= coverage[sentence.doc.doc_id]
            if lists_asked and len(sentence.text) <= 600 and _ENUMERATION.search(sentence.text):
                sentence.score += 0.1  # "Welche Kommunen …?" is answered by the sentence that lists them
        # "Welchen Mitgliedsbeitrag zahlt …?" asks for an amount even where its words make it a
        # membership question
        wants_amount = asks_amount(question) and (
            kind in (COST, AGGREGATE) or figure_kind(question) is not None
        )
        shaped = _answer_shaped(sentences, COST if wants_amount else kind)
        if kind == COST and _ASKS_CHANGE.search(question):
            # "Kriegen die Vereine mehr Geld …?" is answered by the sentence that states the change,
            # also as a share ("um 50 % erhöht")
            changed = [s for s in sentences if _CHANGE.search(s.text) and _FIGURE.search(s.text)]
            shaped = changed or shaped
        measures = (
            set() if outcomes.asks_outcome(question) else asked_measures(question)
        )  # votes: `_decision`
        if measures:
            counted = _counted_terms(question)
            shaped = [s for s in sentences if _states_measure(s.text, measures, counted)]
            if measures == {COUNT} and counted:  # "16 U3-Plätze" before "Plätze für Kinder unter 3 Jahren"
                shaped = [s for s in shaped if _counts(s.text, counted)] or shaped
            listed = self._counted_list(sentences, counted) if COUNT in measures and not shaped else None
            if listed is not None:
                return listed
            if not shaped:
                asked = " oder ".join(_MEASURE_NAMES[m] for m in sorted(measures))
                return self._abstain(hits, f"Eine {asked} dazu nennen die Dokumente nicht.")
        if kind == DATE and not shaped and sentences:  # no sentence gives a date; the metadata may
            best_doc = max(sentences, key=lambda s: s.score).doc
            dealt = self._dealt_on(question, best_doc) if _DEALT_WITH.search(question) else None
            return dealt or self._abstain(hits, "Ein Datum dazu nennen die Dokumente nicht.")
        if shaped:
            asked_bodies = set(bodies_named(question))
            own = [s for s in shaped if not _about_another_body(asked_bodies, s)]
            if not own:
                return _only_for_another_body(question, max(shaped, key=lambda s: s.score))
            shaped = own
        sentences = shaped or sentences
        sentences.sort(key=lambda s: -s.score)
        thing = asked_thing(question) if kind not in (COMPARISON, AGGREGATE, DATE) and not measures else None
        if thing is not None and sentences:
            # "Welcher Verein …?" is answered by a sentence that names one
            naming = [s for s in sentences if _names_term(s.text, thing)]
            if not naming and thing in _COMMITTEE_WORDS:
                steps = self._beratungsfolge(sentences[0].doc)  # sorted best first above
                if steps is not None:
                    return steps
            if not naming:
                return self._abstain(hits)
            sentences = naming
        if not sentences or not self._supported(sentences[0], weights, bool(shaped)):
            decided = self._decision_on_number(question, kind, hits, role, weights)
            return decided if decided is not None else self._abstain(hits)
        if wants_amount:
            free = [s for s in sentences if _ZERO_AMOUNT.search(s.text)]
            if not shaped and not free:
                return self._abstain(hits, "Einen Betrag dazu nennen die Dokumente nicht.")
            if not shaped:
                return self._extractive(free[0], free, kind, question, weights)
            sentences = _asked_figure_first(sentences, question)
            other = self._other_figure(sentences[0], question)
            if other is not None:
                return other
        if kind == AGGREGATE:
            summed = self._sentence_sum(sentences[0], sentences, question) or self._sum_sides(question, role)
            if summed is not None:
                return summed
        if _DIFFERENCE.search(question) and not measures:
            difference = self._difference(sentences[0], sentences)
            if difference is not None:
                return difference
        if kind == DATE and _DEALT_WITH.search(question) and not _FULL_DATE.search(sentences[0].text):
            dealt = self._dealt_on(question, sentences[0].doc)
            if dealt is not None:
                return dealt
        asked = f"{question} {history[-1]}" if follow_up else question
        if outcomes.asks_vote(asked) or (
            outcomes.asks_outcome(asked) and kind in (DECISION, LOOKUP, MEMBERSHIP, OTHER, DATE)
        ):
            decided = self._decision(sentences[0], sentences, kind, asked, weights)
            if decided is not None:
                return decided
        return self._extractive(sentences[0], sentences, kind, question, weights)

    # --- support and abstention ---

    def _supported(self, best: Sentence, weights: TermWeights, shaped: bool) -> bool:
        """The best sentence covers enough of the question – or, when it is the amount or date the
        question asks for, its document names everything the question names."""
        if best.score >= self.thresholds.sentence_coverage:
            return self._covers(best.doc, weights)
        return shaped and self._covers(best.doc, weights, self.thresholds.missing_nouns_shaped)

    def _covers(self, doc: Document, weights: TermWeights, allowed_missing: float | None = None) -> bool:
        """The document names (nearly) everything the question names, and every multi-word name of
        the question ("Zweckverband Großraum Braunschweig") mostly as written."""
        limit = self.thresholds.missing_nouns if allowed_missing is None else allowed_missing
        if missing_noun_share(weights.nouns, doc, weights, self.retriever) > limit:
            return False
        doc_terms, _ = document_terms(doc, self.retriever)
        for run in weights.names:
            found = sum(1 for term in run if term in doc_terms or near(term, doc_terms))
            if found * 2 < len(run):
                return False
        return True

    def _documents(self, hits: list[Hit], role: str) -> list[Document]:
        """The distinct documents of the hits, best first."""
        docs = (self.retriever.document(doc_id, role) for doc_id in dict.fromkeys(h.doc_id for h in hits))
        return [d for d in docs if d is not None]

    def _abstain(self, hits: list[Hit], reason: str = "") -> Answer:
        related: list[Hit] = []
        seen: set[str] = set()
        for hit in hits:
            if hit.doc_id not in seen:
                seen.add(hit.doc_id)
                related.append(hit)
        text = f"{ABSTAIN_TEXT} {reason}".strip()
        return Answer(text, [], abstained=True, related=related[:3])

    def _asked_body(self, question: str, best: Sentence) -> str:
        """The body the question names when the best passage is another body's: its document
        belongs to another council and the passage does not name the asked one. Empty otherwise."""
        if not best.doc.body or _names_body(question, best.doc.body):
            return ""
        bodies = {d.body for d in self.retriever.documents("member") if d.body}
        named = [b for b in bodies if _names_body(question, b)]
        around = _around(best)
        for body in named:
            name = {stem(w) for w in content_words(body)} - totals.BODY_KINDS
            if not name <= {stem(w) for w in content_words(around)}:
                return body
        return ""

    def _other_figure(self, best: Sentence, question: str) -> Answer | None:
        """The best amount is of another kind than asked (a Zuschuss for a Mitgliedsbeitrag) or for
        another year: decline, and say what the documents do give, cited."""
        wanted = figure_kind(question)
        problem, known = "", "bekannt ist nur:"
        asked_body = self._asked_body(question, best)
        if asked_body:
            problem = f"Für {asked_body} nennen die Dokumente dazu keinen Betrag"
            known = f"bekannt ist nur der Betrag für {best.doc.body}:"
        elif wanted is not None and not _states_kind(best, wanted):
            problem = f"Zu „{wanted}“ nennen die Dokumente hier keinen Betrag"
        year = asked_year(question)
        if not problem and not _fits_year(best, year):
            problem = f"Für {year} nennen die Dokumente dazu keinen Betrag"
        if not problem:
            return None
        return _declined_citing(f"{problem}; {known}", best)

    def _facts(self, hits: list[Hit]) -> dict[str, list[Fact]]:
        doc_ids = sorted({h.doc_id for h in hits})
        by_doc: dict[str, list[Fact]] = {d: [] for d in doc_ids}
        for fact in self.retriever.store.facts(doc_ids):
            by_doc[fact.doc_id].append(fact)
        return by_doc

    # --- answer forms ---

    def _extractive(
        self, best: Sentence, ranked: list[Sentence], kind: str, question: str, weights: TermWeights
    ) -> Answer:
        older = None
        if kind in (COST, AGGREGATE, DATE, OTHER, MEMBERSHIP):
            newer = self._newer(best, ranked, weights)
            if newer is not None:
                best, older = newer, best
        if kind == COST and older is None:
            several = self._per_body(best, ranked, question, weights)
            if several is not None:
                return several
        intro = _list_intro(best) if is_list_question(question) and older is None else None
        if intro is not None and any(item.start == best.start for item in self._list_after(intro)):
            best = intro  # "An welchen Gesellschaften …?" is answered by the whole list, not one item
        draft = Draft()
        dated = _dated(best.doc) if older is not None else ""
        self._state_passage(draft, best, kind, source=f"{label(best.doc)}{dated}: ")
        if older is not None:
            draft.state(
                quote_statement(older),
                older.doc,
                [(older.start, older.end)],
                source=f"Ältere Angabe ({label(older.doc)}{_dated(older.doc)}): ",
            )
            return draft.answer(best.facts)
        for other in ranked[1:3]:
            if (
                other.score >= self.thresholds.second_sentence * best.score
                and other.doc.doc_id == best.doc.doc_id
                and not _overlaps(other, draft)
                and (_same_line(best, other) or _same_line(other, best) or self._about(other, weights))
            ):
                draft.state(quote_statement(other), other.doc, [(other.start, other.end)])
                break
        return draft.answer(best.facts)

    def _newer(self, best: Sentence, ranked: list[Sentence], weights: TermWeights) -> Sentence | None:
        """A close runner-up from a newer document of the same council (or of the same Vorlage)
        about the same thing: newest first, the older one is mentioned with its date."""
        for other in ranked[1:6]:
            same_council = bool(best.doc.body) and other.doc.body == best.doc.body
            same_matter = bool(best.doc.reference) and other.doc.reference == best.doc.reference
            if (
                other.doc.doc_id != best.doc.doc_id
                and _later(other.doc, best.doc)
                and (same_council or same_matter)
                and other.score >= 0.9 * best.score
                and bool(_AMOUNT_HINT.search(other.text)) == bool(_AMOUNT_HINT.search(best.text))
                and (not weights.per_year or _yearly(other))
                and self._about(other, weights)
            ):
                return other
        return None

    def _compare_sides(self, question: str, role: str) -> Answer | None:
        """ "Wer bekommt mehr: A oder B?" across documents: each side's figure found as if asked
        alone, both cited, and which is higher – only when both sides have a figure of one unit."""
        split = _comparison_sides(question)
        if split is None:
            return None
        prefix, sides = split
        percent = bool(_PERCENT_QUESTION.search(question))
        found: list[tuple[str, Sentence, float]] = []
        for side in sides:
            best = self._side_sentence(f"{prefix} {side}", role, percent)
            if best is None:
                return None
            value = _first_figure(best.text, percent)
            if value is None:
                return None
            found.append((side, best, value))
        if found[0][1].start == found[1][1].start and found[0][1].doc.doc_id == found[1][1].doc.doc_id:
            return None
        draft = Draft()
        _quote_sides(draft, [(side, best) for side, best, _ in found])
        (side_a, _, a), (side_b, _, b) = found
        if a != b:
            draft.parts.append(f"Den höheren Wert nennen die Dokumente für {side_a if a > b else side_b}.")
        return draft.answer([f for _, best, _ in found for f in best.facts])

    def _sum_sides(self, question: str, role: str) -> Answer | None:
        """ "Wie hoch waren die Leistungen und die Personalkosten zusammen?" where no sentence gives
        both: each side's amount found as if asked alone, both cited, and their sum."""
        split = _summed_sides(question)
        if split is None:
            return None
        head, sides = split
        found: list[tuple[Sentence, Amount]] = []
        for side, other in zip(sides, reversed(sides), strict=True):
            best = self._side_sentence(f"{head} {side}", role, percent=False, other=other)
            amounts = (
                [a for a in parse_amount(best.text) if "/" not in a.currency] if best is not None else []
            )
            if best is None or not amounts:
                return None
            found.append((best, amounts[0]))
        (first, a), (second, b) = found
        if (first.doc.doc_id, first.start) == (second.doc.doc_id, second.start) or a.currency != b.currency:
            return None
        draft = Draft()
        statement = (
            f"{a.text.strip()} + {b.text.strip()} = insgesamt {format_amount(a.value + b.value, a.currency)}"
        )
        cited = [(s.doc, s.start, s.end) for s, _ in found]
        if not draft.state_total(statement, cited, [a.text, b.text]):
            return None
        _quote_sides(draft, [(side, sentence) for side, (sentence, _) in zip(sides, found, strict=True)])
        return draft.answer([f for s, _ in found for f in s.facts])

    def _side_sentence(self, question: str, role: str, percent: bool, other: str = "") -> Sentence | None:
        """The best sentence with a figure for one side of a comparison, or None; with `other`, the
        other side, not one that names the other side ("Personalkosten" is no figure of "Leistungen")."""
        hits = self.retriever.search(question, k=self.thresholds.candidates, role=role)
        weights = TermWeights(self.retriever, question)
        covering = [d for d in self._documents(hits, role) if self._covers(d, weights)]
        if not covering:
            return None
        sentences = candidate_sentences(hits, covering, self._facts(hits))
        score_sentences(sentences, weights, COST, self.retriever)
        for sentence in sentences:
            sentence.score *= 1.0 - missing_noun_share(weights.nouns, sentence.doc, weights, self.retriever)
        shaped = [s for s in sentences if _first_figure(s.text, percent) is not None]
        if other:
            # the heads of the other side's words ("BuT-Leistungen" → Leistung), not parts both share
            theirs = {stem(w.rsplit("-", 1)[-1]) for w in re.findall(r"[\w-]+", other) if len(w) > 3}
            theirs -= terms_of(question, self.retriever)
            shaped = [s for s in shaped if not theirs & terms_of(s.text, self.retriever)]
        shaped.sort(key=lambda s: -s.score)
        shaped = _asked_figure_first(shaped, question)
        if not shaped or not self._supported(shaped[0], weights, True):
            return None
        return shaped[0]

    def _sentence_sum(self, best: Sentence, ranked: list[Sentence], question: str) -> Answer | None:
        """ "… zusammen?" over the amounts of the best passages: those of the best sentence, else of
        the best sentences of its document; amounts for years the question does not ask are left out."""
        years = set(re.findall(r"\b(?:19|20)\d{2}\b", question))
        pool = [best] + [
            s for s in ranked[1:4] if s.doc.doc_id == best.doc.doc_id and s.score >= 0.75 * best.score
        ]
        addends: list[tuple[Sentence, Amount]] = []
        for sentence in pool:
            found = [a for a in _yearly_amounts(sentence.text, years) if "/" not in a.currency]
            if sentence is best and len(found) >= 2:
                addends = [(sentence, a) for a in found]
                break
            addends.extend((sentence, a) for a in found[:1])
        addends = addends[: addend_count(question) or len(addends)]
        currencies = {a.currency for _, a in addends}
        if len(addends) < 2 or len(currencies) != 1:
            return None
        total = sum(a.value for _, a in addends)
        cited = list(dict.fromkeys((s.start, s.end) for s, _ in addends))
        draft = Draft()
        pieces = " + ".join(a.text.strip() for _, a in addends)
        statement = f"{label(best.doc)}: {pieces} = insgesamt {format_amount(total, currencies.pop())}"
        if not draft.state_sum(statement, best.doc, cited, [a.text for _, a in addends]):
            return None
        for start, end in cited:
            draft.state(quote_statement(Sentence(best.doc, start, end, best.rank)), best.doc, [(start, end)])
        return draft.answer(best.facts)

    def _dealt_on(self, question: str, doc: Document) -> Answer | None:
        """ "Wann hat der Kreistag über X beraten?": the date of the Beratungsfolge step of the
        committee the question names, else the document's own (session) date – cited on the line
        of the document that gives it."""
        asked = {stem(w) for w in content_words(question)}
        steps = [
            c for c in doc.consultations if c.date and asked & {stem(w) for w in content_words(c.committee)}
        ]
        dated = [c for c in doc.consultations if c.date]
        if not steps and len(dated) > 1:
            if not _DECIDED.search(question):
                return None  # several steps, none of the committee asked
            steps = dated[-1:]  # the Beratungsfolge ends with the body that decides
        step = steps[-1] if steps else None
        iso = step.date if step is not None else doc.date
        written = german_date(iso) if iso else ""
        line = _line_of(doc, doc.text.find(written)) if written else None
        if line is None:
            return None
        who = f" ({step.committee}{', ' + step.resolution if step.resolution else ''})" if step else ""
        draft = Draft()
        quote = Sentence(doc, line[0], line[1], 0)
        draft.state(quote_statement(quote), doc, [line], source=f"{label(doc)}: am {written}{who} – ")
        return draft.answer()

    def _difference(self, best: Sentence, ranked: list[Sentence]) -> Answer | None:
        """ "Um wie viel steigt …?" from the first of the best sentences of the best document that
        gives two amounts of one unit ("5.746.033 € (Vorjahr: 5.348.732 €)"): their difference,
        with both amounts quoted."""
        pool = [best] + [s for s in ranked[1:4] if s.doc.doc_id == best.doc.doc_id]
        stated = [
            s for s in pool if any(_STATES_CHANGE.search(s.text[: a.start]) for a in parse_amount(s.text))
        ]
        if stated:  # the document states the change itself: quote it, after the best sentence
            draft = Draft()
            draft.state(
                quote_statement(best), best.doc, [(best.start, best.end)], source=f"{label(best.doc)}: "
            )
            if stated[0] is not best:
                draft.state(quote_statement(stated[0]), best.doc, [(stated[0].start, stated[0].end)])
            return draft.answer(best.facts)
        for sentence in pool:
            amounts = [a for a in parse_amount(sentence.text) if "/" not in a.currency]
            if len(amounts) != 2 or amounts[0].currency != amounts[1].currency:
                continue
            if not _BEFORE_AFTER.search(sentence.text):
                continue  # two figures, but not an old and a new one
            low, high = sorted(amounts, key=lambda a: a.value)
            if low.value == high.value:
                continue
            difference = format_amount(high.value - low.value, high.currency)
            statement = (
                f"{label(sentence.doc)}: Unterschied {high.text.strip()} − {low.text.strip()} = {difference}"
            )
            draft = Draft()
            span = [(sentence.start, sentence.end)]
            if not draft.state_sum(statement, sentence.doc, span, [high.text, low.text]):
                return None
            draft.state(quote_statement(sentence), sentence.doc, span)
            return draft.answer(sentence.facts)
        return None

    def _decision(
        self, best: Sentence, ranked: list[Sentence], kind: str, question: str, weights: TermWeights
    ) -> Answer | None:
        """The outcome and vote of the item the best passage belongs to, cited, with the passage.

        When the document holds no decision for it and the question asks how the vote went, the
        answer declines and quotes what is there: a Beschlussvorschlag is not a decision."""
        decision = None
        for sentence in ranked[:3]:
            if sentence.doc.doc_id == best.doc.doc_id or sentence.score >= 0.9 * best.score:
                decision = outcomes.decision_for(sentence.doc, sentence.start)
                if decision is not None:
                    best = sentence
                    break
        if decision is None:
            decided = self._decided_elsewhere(best, ranked, weights)
            if decided is not None:
                best, decision = decided
        if decision is not None:
            decision = self._closer_decision(best.doc, decision, weights)
        if decision is not None and _decides_on_another_number(best.doc, decision, mention_keys(question)):
            decision = None  # the next item's result, not the asked one's
        doc = best.doc
        draft = Draft()
        if (
            kind == DATE
            and not outcomes.asks_vote(question)
            and (decision is None or not _DATE_HINT.search(doc.text[decision.start : decision.end]))
        ):
            return None
        no_counts = decision is not None and outcomes.asks_counts(question) and decision.yes is None
        if decision is None or decision.cut_off or no_counts:
            if not outcomes.asks_vote(question):
                return None
            if decision is not None and no_counts:
                result = outcomes.summary(decision)
                draft.parts.append(
                    f"Stimmenzahlen nennen die Dokumente dazu nicht; bekannt ist nur das Ergebnis ({result}):"
                )
                draft.state(
                    f"„{' '.join(doc.text[decision.start : decision.end].split())}“",
                    doc,
                    [(decision.start, decision.end)],
                    source=f"{label(doc)}: ",
                )
                answer = draft.answer(best.facts)
                return Answer(answer.text, answer.citations, abstained=True, ledger_rows=answer.ledger_rows)
            if decision is not None:
                draft.parts.append("Das Abstimmungsergebnis ist im Dokument nicht erhalten.")
            elif outcomes.in_proposal(doc, best.start):
                draft.parts.append(
                    "Ein Beschluss oder Abstimmungsergebnis steht nicht in den Dokumenten; "
                    "bekannt ist nur der Beschlussvorschlag:"
                )
            else:
                draft.parts.append("Ein Abstimmungsergebnis dazu steht nicht in den Dokumenten. Bekannt ist:")
            self._state_passage(draft, best, kind, source=f"{label(doc)}: ")
            answer = draft.answer(best.facts)
            return Answer(answer.text, answer.citations, abstained=True, ledger_rows=answer.ledger_rows)
        result = outcomes.summary(decision)
        quote = " ".join(doc.text[decision.start : decision.end].split())
        lead = f"Ergebnis: {result} – " if result else "Ergebnis: "
        draft.state(f"{lead}„{quote}“", doc, [(decision.start, decision.end)], source=f"{label(doc)}: ")
        in_item = decision.item_start <= best.start < decision.start
        if in_item or (decision.heading and best.start >= decision.end):
            self._state_passage(draft, best, kind, source="")
        elif not decision.heading:
            put = _sentence_before(Sentence(doc, decision.start, decision.end, best.rank))
            if put is not None and put.start >= decision.item_start and is_statement(doc, put.start, put.end):
                draft.state(quote_statement(put), doc, [(put.start, put.end)])
        resolution = _resolution(doc, decision)
        if resolution is not None and not _overlaps(resolution, draft):
            draft.state(quote_statement(resolution), doc, [(resolution.start, resolution.end)])
        return draft.answer(best.facts)

    def _decided_elsewhere(
        self, best: Sentence, ranked: list[Sentence], weights: TermWeights
    ) -> tuple[Sentence, Decision] | None:
        """A Vorlage holds the proposal; the Beschlussauszug or minutes of the same Vorlage, or a
        newer document of the same council among the close candidates, hold the decision."""
        close = [o for o in ranked[1:8] if o.doc.doc_id != best.doc.doc_id and o.score >= 0.6 * best.score]
        same_matter = [o for o in close if best.doc.reference and o.doc.reference == best.doc.reference]
        # a newer document of the same council (or of none named: a bare Beschlussauszug) that names
        # what the question names
        newer_same_council = [
            o
            for o in close
            if best.doc.body
            and o.doc.body in (best.doc.body, "")
            and o.doc.date >= best.doc.date
            and self._covers(o.doc, weights)
        ]
        newer_same_council.sort(
            key=lambda o: missing_noun_share(weights.nouns, o.doc, weights, self.retriever)
        )
        for other in same_matter + newer_same_council:  # the same Vorlage's decision first
            decision = outcomes.decision_for(other.doc, other.start)
            if decision is not None:
                return other, decision
        return None

    def _closer_decision(self, doc: Document, anchored: Decision, weights: TermWeights) -> Decision:
        """Among a document's decisions, the one whose own item names clearly more of what the
        question names than the one tied to the best passage (a Niederschrift votes on several
        things: "über den Stellenplan" is its own item, not the heading decision on the budget)."""
        context = terms_of(f"{doc.title} {doc.body}", self.retriever)

        def coverage(decision: Decision) -> float:
            start = decision.start if decision.heading else decision.item_start
            own = terms_of(doc.text[start : decision.end], self.retriever)
            if decision.heading:
                own |= terms_of(doc.title, self.retriever)
            covered = sum(w * weights.match(t, own, context) for t, w in weights.weights.items())
            return covered / weights.total

        candidates = [d for d in extract_decisions(doc) if d.is_decision or d.cut_off]
        best = max(candidates, key=coverage, default=anchored)
        return best if coverage(best) >= coverage(anchored) + 0.1 else anchored

    def _state_passage(self, draft: Draft, best: Sentence, kind: str, source: str) -> None:
        """The sentence with what it needs to be understood: the cause before a "daher" when the
        question asks why, the list or paragraph it introduces, a following sentence that refers back
        to it, and for a decision the rest of its paragraph."""
        before = _sentence_before(best)
        needs_before = before is not None and (
            (kind == REASON and _same_line(before, best))
            or re.search(r"\b(?:daher|deshalb|deswegen|somit|folglich)\b", best.text) is not None
            or _ANAPHOR.match(best.text) is not None
            or (_ADDITIVE.match(best.text) is not None and _same_line(before, best))
        )
        if needs_before and before is not None:
            draft.state(quote_statement(before), before.doc, [(before.start, before.end)], source=source)
            source = ""
        draft.state(quote_statement(best), best.doc, [(best.start, best.end)], source=source)
        items = self._list_after(best)
        for item in items:
            draft.state(f"– {item.text.strip()}", item.doc, [(item.start, item.end)])
        after = _sentence_after(best)
        if after is None or _overlaps(after, draft):
            return
        if not items and best.text.rstrip().endswith(":") and is_statement(after.doc, after.start, after.end):
            # what the sentence announces: "… stellt der Vorsitzende folgenden Antrag:"
            draft.state(quote_statement(after), after.doc, [(after.start, after.end)])
        elif kind == DECISION and _DECISION_HINT.search(best.text):  # the whole paragraph of a resolution
            previous: Sentence = best
            for _ in range(3):
                if after is None or not _same_line(previous, after) or _overlaps(after, draft):
                    break
                draft.state(quote_statement(after), after.doc, [(after.start, after.end)])
                previous, after = after, _sentence_after(after)
        elif _same_line(best, after) and _ANAPHOR.match(after.text):
            draft.state(quote_statement(after), after.doc, [(after.start, after.end)])

    def _about(self, sentence: Sentence, weights: TermWeights) -> bool:
        """The sentence (with its paragraph, title and ledger rows) is about what the question names."""
        context = (
            terms_of(
                " ".join(
                    [
                        sentence.text,
                        sentence.doc.title,
                        sentence.doc.body,
                        _previous(sentence),
                        *(f.organisation for f in sentence.facts),
                    ]
                ),
                self.retriever,
            )
            | acronyms(sentence.text)
            | acronyms(_previous(sentence))
        )
        entities = {t: weights.weights.get(t, 0.0) or 1.0 for t in weights.entities}
        covered = sum(w for t, w in entities.items() if weights.match(t, context, set()) >= 0.5)
        return covered >= 0.7 * sum(entities.values())

    def _per_body(
        self, best: Sentence, ranked: list[Sentence], question: str, weights: TermWeights
    ) -> Answer | None:
        """ "Was kostet die Metropolregion?" asked of several councils' documents: each body's figure,
        newest first, unless the question names whose figure it wants."""
        question_terms = {stem(w) for w in content_words(question)}
        chosen: dict[str, Sentence] = {}
        for sentence in ranked:
            body = sentence.doc.body
            if sentence.score < 0.75 * best.score or not sentence.facts or not body:
                continue
            if not self._about(sentence, weights):
                continue
            if question_terms & {stem(w) for w in content_words(body)}:
                return None
            chosen.setdefault(body, sentence)
        if len(chosen) < 2:
            return None
        draft = Draft()
        for body, sentence in sorted(chosen.items(), key=lambda item: item[1].doc.date, reverse=True)[:3]:
            year = sentence.doc.date[:4]
            source = f"{body} ({label(sentence.doc)}{', ' + year if year else ''}): "
            draft.state(
                quote_statement(sentence), sentence.doc, [(sentence.start, sentence.end)], source=source
            )
        return draft.answer([f for s in chosen.values() for f in s.facts])

    def _from_ledger(self, question: str, kind: str, role: str) -> Answer | None:
        """Totals and rankings over every visible document: "Wie viel zahlen wir insgesamt?",
        "Welche Mitgliedschaft ist die teuerste?" – each addend cited, newest figure per organisation."""
        top = totals.asks_for_ranking(question)
        if kind != AGGREGATE and not top:
            return None
        docs = {d.doc_id: d for d in self.retriever.documents(role)}
        named = [b for b in {d.body for d in docs.values() if d.body} if _names_body(question, b)]
        assumed = not named
        if assumed and not (totals.asks_about_us(question) or top):
            return None
        facts = self.retriever.store.facts(list(docs))
        body = named[0] if named else totals.own_body(list(docs.values()), facts, self.own_body)
        if not body or not totals.names_only_the_ledger(question, body):
            return None
        addends = totals.yearly_addends(facts, docs, body)
        if len(addends) < (1 if top else 2):
            return None
        draft = Draft()
        if assumed:
            how = (
                "eingestellt (RATSAUSKUNFT_BODY)"
                if self.own_body
                else "die Körperschaft der meisten Dokumente"
            )
            draft.parts.append(f"„Wir“ verstehe ich als {body} ({how}).")
        if top:
            chosen = addends[:top]
            draft.parts.append(
                f"Die höchsten jährlichen Beträge von {body}:"
                if top > 1
                else f"Der höchste jährliche Betrag von {body}:"
            )
        else:
            chosen = addends
            total = sum(a.fact.value or 0.0 for a in chosen)
            pieces = " + ".join(a.fact.amount_text for a in chosen)
            draft.state_total(
                f"{body} zahlt laut den Dokumenten insgesamt {format_amount(total, 'EUR')} pro Jahr: {pieces}",
                [(a.doc, a.fact.start, a.fact.end) for a in chosen],
                [a.fact.amount_text for a in chosen],
            )
        for addend in chosen:
            fact, doc = addend.fact, addend.doc
            draft.state(
                f"– {fact.organisation}: {fact.amount_text} jährlich",
                doc,
                [(fact.start, fact.end)],
                source="",
            )
            draft.parts[-1] += f" ({label(doc)}{_dated(doc)})"
            for old, old_doc in addend.older:
                draft.state(
                    f"  ältere Angabe: {old.amount_text}",
                    old_doc,
                    [(old.start, old.end)],
                )
                draft.parts[-1] += f" ({label(old_doc)}{_dated(old_doc)})"
        return draft.answer([a.fact for a in chosen])

    def _beratungsfolge(self, doc: Document) -> Answer | None:
        """ "Welches Gremium hat … beraten?": the committees of the document's Beratungsfolge with
        their dates, each cited where the document names it."""
        draft = Draft()
        position = 0
        for step in doc.consultations:
            found = doc.text.find(step.committee, position)
            if found < 0:
                continue
            written = german_date(step.date) if step.date else ""
            date_at = doc.text.find(written, found, found + len(step.committee) + 80) if written else -1
            end = date_at + len(written) if date_at >= 0 else found + len(step.committee)
            when = f" ({written})" if date_at >= 0 else ""
            draft.state(f"– {step.committee}{when}", doc, [(found, end)])
            position = end
        if not draft.parts:
            return None
        draft.parts.insert(0, f"Beratungsfolge laut {label(doc)}:")
        return draft.answer()

    def _counted_list(self, sentences: list[Sentence], counted: set[str]) -> Answer | None:
        """ "Wie viele Beteiligungen …?" where no sentence states the number but a list under a
        heading that names what is counted ("unmittelbare Beteiligungen:") gives them: its items
        counted, each cited."""
        ranked = sorted(sentences, key=lambda s: -s.score)
        for best in [s for s in ranked[:6] if s.score >= 0.8 * ranked[0].score]:
            intro = best if best.text.rstrip().endswith(":") else _list_intro(best)
            if intro is None or not any(_names_term(intro.text, term) for term in counted):
                continue
            items = self._list_after(intro)
            if len(items) < 2:
                continue
            draft = Draft()
            spans = [(item.start, item.end) for item in items]
            draft.state_count(f"{label(intro.doc)}: insgesamt {len(items)}", len(items), intro.doc, spans)
            draft.state(quote_statement(intro), intro.doc, [(intro.start, intro.end)])
            for item in items:
                draft.state(f"– {item.text.strip()}", item.doc, [(item.start, item.end)])
            return draft.answer()
        return None

    def _list_after(self, sentence: Sentence) -> list[Sentence]:
        """The list lines that a sentence ending in ':' introduces."""
        if not sentence.text.rstrip().endswith(":"):
            return []
        items: list[Sentence] = []
        text = sentence.doc.text
        marker = None
        for start, end in sentence_spans(text):
            if start <= sentence.start:
                continue
            line_start = text.rfind("\n", 0, start) + 1
            marker = marker or _list_marker(text[line_start:end])
            if not marker or _list_marker(text[line_start:end]) != marker or len(items) >= 12:
                break
            items.append(Sentence(sentence.doc, start, end, sentence.rank))
        return items

    def _by_kind(
        self, kind: str, question: str, doc: Document, weights: TermWeights, best: bool = True
    ) -> Answer | None:
        """Answers built from the ledger of the best document rather than from one sentence."""
        if kind == AGGREGATE:
            return self._sum(question, doc, weights, best)
        if kind == COMPARISON:
            return self._compare(question, doc)
        if kind == MEMBERSHIP and is_list_question(question):
            return self._memberships(doc, question)
        return None

    def _sum(self, question: str, doc: Document, weights: TermWeights, best: bool = True) -> Answer | None:
        """Add up single amounts of one document that belong to what the question names; the best
        matching document (`best`) may instead state the total itself."""
        yearly = bool(PER_YEAR.search(question))
        facts = [f for f in self.retriever.store.facts([doc.doc_id]) if f.value is not None]
        per_sentence: dict[int, list[Fact]] = {}
        for fact in facts:
            per_sentence.setdefault(fact.start, []).append(fact)
        entity_terms = {t for t in weights.weights if t in weights.nouns}
        addends = []
        for group in per_sentence.values():
            if len(group) != 1:
                continue
            fact = group[0]
            if yearly and fact.period != "jährlich":
                continue
            own = terms_of(f"{fact.organisation} {doc.text[fact.start : fact.end]}", self.retriever)
            own |= acronyms(fact.organisation)
            if entity_terms & own - _common_terms(doc, facts, self.retriever):
                addends.append(fact)
        stated = self._stated_total(doc, facts, weights, yearly) if best else None
        if stated is not None:
            return stated
        currencies = {f.currency for f in addends}
        if len(addends) < 2 or len(currencies) != 1:
            return None
        total = sum(f.value or 0.0 for f in addends)
        draft = Draft()
        pieces = " + ".join(f.amount_text for f in addends)
        statement = f"{label(doc)}: {pieces} = insgesamt {format_amount(total, addends[0].currency)}"
        spans = [(f.start, f.end) for f in addends]
        if not draft.state_sum(statement, doc, spans, [f.amount_text for f in addends]):
            return None
        for fact in addends:
            draft.state(f"– {fact.organisation}: {fact.amount_text}", doc, [(fact.start, fact.end)])
        return draft.answer(addends)

    def _stated_total(
        self, doc: Document, facts: list[Fact], weights: TermWeights, yearly: bool
    ) -> Answer | None:
        """The document's own total, when it states one: an amount that other amounts of the
        document add up to ("Anteil (40.349,00 Euro brutto, p.a.)" over four yearly shares), in a
        sentence about what the question asks. It is quoted with its addends rather than recomputed."""
        asked = {t for t in weights.weights if t in weights.nouns} - _common_terms(doc, facts, self.retriever)
        for total in sorted(facts, key=lambda f: -(f.value or 0.0)):
            sentence = Sentence(doc, *_strip_bullet(doc.text, total.start, total.end), 0, [total])
            if yearly and not _yearly(sentence):
                continue
            own = terms_of(f"{total.organisation} {sentence.text} {_previous(sentence)}", self.retriever)
            if not any(weights.match(term, own, set()) >= 0.4 for term in asked):
                continue  # the same entity test as the addends of `_sum`
            others = [
                f for f in facts if f.currency == total.currency and 0 < (f.value or 0) < (total.value or 0)
            ]
            parts = _addends_of(total.value or 0.0, others[:20])
            if parts:
                draft = Draft()
                draft.state(
                    quote_statement(sentence), doc, [(sentence.start, sentence.end)], source=f"{label(doc)}: "
                )
                for fact in parts:
                    draft.state(f"– {fact.organisation}: {fact.amount_text}", doc, [(fact.start, fact.end)])
                return draft.answer([total, *parts])
        return None

    def _compare(self, question: str, doc: Document) -> Answer | None:
        """Each side of "A oder B" with its figure, cited, and which is higher."""
        sides = re.split(r"\boder\b|\bversus\b|\bvs\.?|\bals\b", question.split(":")[-1], flags=re.IGNORECASE)
        if len(sides) < 2:
            return None
        facts = [f for f in self.retriever.store.facts([doc.doc_id]) if f.value is not None]
        chosen: list[Fact] = []
        for side in sides[:2]:
            side_terms = {stem(w) for w in content_words(side)} | {
                w.lower() for w in re.findall(r"\b[A-ZÄÖÜ]{2,5}\b", side)
            }
            matching = [
                f
                for f in facts
                if side_terms
                & (
                    terms_of(f.organisation, self.retriever)
                    | acronyms(f.organisation)
                    | terms_of(doc.text[f.start : f.end], self.retriever)
                )
                and f not in chosen
            ]
            if not matching:
                return None
            chosen.append(max(matching, key=lambda f: f.period == "jährlich"))
        if chosen[0].currency != chosen[1].currency:
            return None
        draft = Draft()
        for fact in chosen:
            draft.state(
                f"{fact.organisation}: {fact.amount_text} {fact.period}".strip(),
                doc,
                [(fact.start, fact.end)],
            )
        high, low = sorted(chosen, key=lambda f: -(f.value or 0.0))
        if high.value != low.value:
            draft.parts.append(
                f"Damit ist {high.organisation} teurer ({high.amount_text} gegenüber {low.amount_text})."
            )
        return draft.answer(chosen)

    def _memberships(self, doc: Document, question: str) -> Answer | None:
        """Organisations of the best document with the passage that names each – unless the
        question names one of them: "Welche Kommunen sind Mitglied im Verband X?" asks for X's members."""
        names: list[str] = []
        for fact in sorted(self.retriever.store.facts([doc.doc_id]), key=lambda f: f.start):
            if fact.organisation and fact.organisation not in names:
                names.append(fact.organisation)
        asked = terms_of(question, self.retriever)
        named = [terms_of(name, self.retriever) for name in names]
        if len(names) < 2 or any(terms and terms <= asked for terms in named):
            return None
        draft = Draft()
        draft.parts.append(f"Laut {label(doc)}:")
        for name in names:
            span = _first_mention(doc, name)
            if span is not None:
                draft.state(f"– {name}", doc, [span])
        return draft.answer() if len(draft.book.citations) >= 2 else None

    def _describe(self, doc: Document) -> Answer:
        """What a document is about: its subject and its first substantive sentence."""
        draft = Draft()
        spans = sentence_spans(doc.text)
        subject = next((s for s in spans if doc.title and doc.title in doc.text[s[0] : s[1]]), None)
        body = next(
            (
                s
                for s in spans
                if len(doc.text[s[0] : s[1]]) > 60 and not re.match(r"\s*[\w-]+:\s", doc.text[s[0] : s[1]])
            ),
            None,
        )
        if subject is not None:
            draft.state(f"{doc.title}.", doc, [subject], source=f"{label(doc)} betrifft: ")
        if body is not None:
            draft.state(f"„{doc.text[body[0] : body[1]].strip()}“", doc, [body])
        if not draft.parts:
            return Answer(ABSTAIN_TEXT, [], abstained=True)
        return draft.answer()

    def _decision_on_number(
        self, question: str, kind: str, hits: list[Hit], role: str, weights: TermWeights
    ) -> Answer | None:
        """ "Wie wurde über 80/2019 abgestimmt?" when no passage says much more than the number: the
        decision of the item that names it ("TOP 10: … (Vorlage 80/2019) – Ergebnis: einstimmig")."""
        wanted = mention_keys(question)
        if not wanted or not outcomes.asks_outcome(question):
            return None
        for doc in self._documents(hits, role):
            for decision in extract_decisions(doc):
                if decision.is_decision and _decides_on(doc, decision, wanted):
                    named = Sentence(doc, decision.start, decision.end, 0)
                    return self._decision(named, [named], kind, question, weights)
        return None

    def _describe_mention(self, question: str, hits: list[Hit], role: str) -> Answer | None:
        """A number that is no document's own but an agenda item's or a decision's inside one
        ("DS-Nr.: 111/2014" in a list of TOPs, "Beschluss: 63/09/2023"): the line that names it,
        and the next one when that line holds little more than the number."""
        wanted = mention_keys(question)
        for doc in self._documents(hits, role)[:3]:
            offset = 0
            for line in doc.text.split("\n"):
                start, offset = offset, offset + len(line) + 1
                if not mention_keys(line) & wanted:
                    continue
                spans = [(start, start + len(line))]
                following = _line_of(doc, start + len(line) + 1)
                if len(line.strip()) < _SHORT_LINE and following is not None:
                    spans.append(following)
                draft = Draft()
                for span in spans:
                    draft.state(f"„{doc.text[span[0] : span[1]].strip()}“", doc, [span])
                return draft.answer() if draft.parts else None
        return None

    def _list_by_date(self, question: str, role: str) -> Answer | None:
        """ "Welche Vorlagen hat der Kreistag am 11.06.2025 beschlossen?": documents dealt with that day."""
        iso = iso_date(question)
        if not iso or not re.search(r"\bvorlagen\b|\bbeschlüsse\b|\bthemen\b|\btagesordnung", question, re.I):
            return None
        body_terms = {stem(w) for w in content_words(question)} - {
            stem(w) for w in ("vorlagen", "beschlossen", "welche")
        }
        draft = Draft()
        for doc in sorted(self.retriever.documents(role), key=lambda d: d.reference):
            for consultation in doc.consultations:
                if consultation.date != iso:
                    continue
                written = german_date(iso)
                line = _line_of(doc, doc.text.find(written)) or _first_mention(doc, consultation.committee)
                committee_terms = {stem(w) for w in content_words(f"{consultation.committee} {doc.body}")}
                if line is None or not (body_terms & committee_terms):
                    continue
                spans = [span for span in (_line_of(doc, doc.text.find(doc.reference)), line) if span]
                draft.state(
                    f"{doc.reference} – {doc.title}", doc, list(dict.fromkeys(spans)), source="Vorlage "
                )
        return draft.answer() if draft.parts else None


# "Es wird keine Grundgebühr erhoben", "beitragsfrei": an amount of zero answers a cost question.
_ZERO_AMOUNT = re.compile(
    r"\bkein\w*\s+(?:\w+\s+)?\w*(?:gebühr|beitrag|kosten|entgelt|zuschuss)\w*|\b\w*(?:gebühren|beitrags|kosten)frei\b|"
    r"\bunentgeltlich\b|\bkostenlos\b",
    re.IGNORECASE,
)


def _around(sentence: Sentence) -> str:
    """The sentence with its paragraph start and the kinds of its ledger rows, lower case."""
    return " ".join([sentence.text, _previous(sentence), *(f.kind for f in sentence.facts)]).lower()


def _states_kind(sentence: Sentence, kind: str) -> bool:
    around = _around(sentence)
    return any(word in around for word in FIGURE_KINDS[kind])


def _fits_year(sentence: Sentence, year: str) -> bool:
    """A sentence naming years answers for one of them; one naming none may hold for any."""
    years = years_in(_around(sentence))
    return not year or not years or year in years


def _asked_figure_first(sentences: list[Sentence], question: str) -> list[Sentence]:
    """Among amount sentences (best first), the first one of the kind and year asked for leads,
    when it is not far behind the best."""
    wanted, year = figure_kind(question), asked_year(question)
    if wanted is None and not year:
        return sentences
    fitting = [s for s in sentences if (wanted is None or _states_kind(s, wanted)) and _fits_year(s, year)]
    if wanted is not None:  # one that names the kind itself before one whose paragraph names it
        fitting.sort(key=lambda s: not any(word in s.text.lower() for word in FIGURE_KINDS[wanted]))
    if not fitting or fitting[0] is sentences[0] or fitting[0].score < 0.5 * sentences[0].score:
        return sentences
    return [fitting[0], *(s for s in sentences if s is not fitting[0])]


_COMPARATIVE = re.compile(
    r"\b(?:mehr|höher\w*|teurer\w*|größer\w*|stärker|weniger|niedriger\w*|billiger\w*|more|higher)\b",
    re.IGNORECASE,
)
_DIFFERENCE = re.compile(
    r"\bum wie ?viel\b|\bwie ?viel (?:mehr|weniger)\b|\bby how much\b|\bhow much (?:more|less)\b",
    re.IGNORECASE,
)
# A sentence that gives an old and a new figure ("5.746.033 € (Vorjahr: 5.348.732 €)", "von 40.000 €
# auf 120.000 €"), and one that states a change itself ("um 571.000 Euro ansteigen").
_BEFORE_AFTER = re.compile(
    r"\bvorjahr|\bbisher|\bstatt\b|\bzuvor\b|\bursprünglich|\bvon\b[^.;]*\bauf\b|\bgegenüber\b", re.IGNORECASE
)
_STATES_CHANGE = re.compile(
    r"(?:\bum|\b(?:steigerung|erhöhung|anstieg|zuwachs|mehrung|rückgang|senkung|minderung|differenz|"
    r"unterschied)\w*\s+(?:von|um|in höhe von))\s*$",
    re.IGNORECASE,
)
# Council business a "Wann …?" question may ask the date of: a decision or vote, or any Beratung.
_DECIDED = re.compile(r"\bbeschlo|\bbeschließ|\bentschei|\babgestimmt|\babstimm", re.IGNORECASE)
_DEALT_WITH = re.compile(rf"{_DECIDED.pattern}|\bberat|\bberät|\bbehandel|\btagt|\bsitzung", re.IGNORECASE)
_PERCENT_QUESTION = re.compile(r"prozent|satz\b|sätze|quote|anteil|%", re.IGNORECASE)


def _yearly(sentence: Sentence) -> bool:
    """The sentence states a yearly figure (its words or its ledger rows)."""
    return bool(PER_YEAR.search(sentence.text)) or any(f.period == "jährlich" for f in sentence.facts)


_ARTICLE = re.compile(r"\b(?:der|die|das|den|dem|des)\s+", re.IGNORECASE)


def _comparison_sides(question: str) -> tuple[str, list[str]] | None:
    """ "Wer bekommt mehr: A oder B?" → ("Wer bekommt mehr", ["A", "B"]); also with a comma."""
    body = question.strip().rstrip("?").strip()
    head, sep, tail = body.rpartition(":")
    if not sep:
        head, sep, tail = body.rpartition(",")
    if not sep or " oder " not in tail:
        return None
    sides = [_without_article(side.strip(" ,")) for side in re.split(r"\boder\b", tail) if side.strip(" ,")]
    if len(sides) != 2:
        return None
    return head.strip(), sides


def _quote_sides(draft: Draft, sides: list[tuple[str, Sentence]]) -> None:
    """Each side of a comparison or sum with the sentence that gives its figure, cited."""
    for side, sentence in sides:
        draft.state(
            quote_statement(sentence),
            sentence.doc,
            [(sentence.start, sentence.end)],
            source=f"{side} ({label(sentence.doc)}): ",
        )


def _without_article(phrase: str) -> str:
    """ "die Personalkosten" → "Personalkosten"; an article inside the phrase stays."""
    leading = _ARTICLE.match(phrase)
    return phrase[leading.end() :] if leading else phrase


def _summed_sides(question: str) -> tuple[str, list[str]] | None:
    """ "Wie hoch waren 2011 die Leistungen und die Personalkosten zusammen?" → ("Wie hoch waren
    2011", ["Leistungen", "Personalkosten"]); None unless two things joined by "und" are summed."""
    body = re.sub(r"\s+(?:zusammen|insgesamt)\s*\??\s*$", "", question.strip(), flags=re.IGNORECASE)
    if body == question.strip():
        return None
    left, sep, right = body.rpartition(" und ")
    articles = list(_ARTICLE.finditer(left))
    if not sep or not articles or "," in right:
        return None
    last = articles[-1]
    head, side_a = left[: last.start()].strip(), left[last.end() :].strip()
    side_b = _without_article(right.strip())
    sides = [side_a, side_b]
    if not head or any(len(side.split()) > 4 or not re.search(r"\b[A-ZÄÖÜ]", side) for side in sides):
        return None  # "die Kosten 2020 und 2021" are no two things
    return head, sides


def _first_figure(text: str, percent: bool) -> float | None:
    """The first percentage (when asked) or plain euro amount of a text."""
    if percent:
        match = _PERCENT.search(text)
        return float(match.group(1).replace(",", ".")) if match else None
    amounts = [a for a in parse_amount(text) if "/" not in a.currency]
    return amounts[0].value if amounts else None


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _yearly_amounts(text: str, years: set[str]) -> list[Amount]:
    """Amounts of a text; when the question names years, only those next to one of them (the
    stretch since the previous amount names an asked year and no other)."""
    amounts = parse_amount(text)
    if not years:
        return amounts
    kept, previous_end = [], 0
    for i, amount in enumerate(amounts):
        named = set(_YEAR.findall(text[max(previous_end, amount.start - 40) : amount.start]))
        if not named:  # "12.000 € (2024)": the year after it, before the next amount
            following = amounts[i + 1].start if i + 1 < len(amounts) else len(text)
            named = set(_YEAR.findall(text[amount.end : min(following, amount.end + 15)]))
        if named & years and not named - years:
            kept.append(amount)
        previous_end = amount.end
    return kept


def _answer_shaped(sentences: list[Sentence], kind: str) -> list[Sentence]:
    """A question for an amount is answered by a sentence with an amount, one for a date by one
    with a date, one for the funding by one that names a source of money – when the candidates
    have such sentences at all."""
    shape = {
        COST: _AMOUNT_HINT,
        AGGREGATE: _AMOUNT_HINT,
        COMPARISON: _AMOUNT_HINT,
        DATE: _DATE_HINT,
        FUNDING: _FUNDING_HINT,
    }.get(kind)
    if shape is None:
        return []
    has_amount = shape is _AMOUNT_HINT  # a fact of the ledger is an amount, never a date
    return [
        s
        for s in sentences
        if (has_amount and any(f.value is not None for f in s.facts)) or shape.search(s.text)
    ]


_MOTION_HEADING = re.compile(r"^\s*(?:Antrag|Beschluss|Beschlusstext)\s*:?\s*$", re.IGNORECASE)
# The proposal is what was decided only when it was adopted as proposed.
_PROPOSAL_HEADING = re.compile(r"^\s*Beschlu(?:ss|ß)(?:vorschlag|empfehlung)\s*:?\s*$", re.IGNORECASE)


def _resolution(doc: Document, decision: Decision) -> Sentence | None:
    """What was decided: the sentence after the outcome in its paragraph – or, for an outcome that
    heads the document ("Beschluss: geändert beschlossen"), the motion under the "Antrag:" or
    "Beschluss:" heading that follows it (under "Beschlussvorschlag:" only when it was adopted as
    proposed)."""
    following: Sentence | None = Sentence(doc, decision.start, decision.end, 0)
    under_motion = False
    for _ in range(4 if decision.heading else 1):
        following = _sentence_after(following) if following is not None else None
        if following is None:
            return None
        if is_statement(doc, following.start, following.end):
            if _same_paragraph(doc, decision.end, following.start) or under_motion:
                return following
            return None
        under_motion = bool(_MOTION_HEADING.match(following.text)) or (
            bool(_PROPOSAL_HEADING.match(following.text))
            and decision.outcome in (Outcome.ADOPTED, Outcome.ADOPTED_AS_PROPOSED)
        )
    return None


def _sentence_after(sentence: Sentence) -> Sentence | None:
    spans = [span for span in sentence_spans(sentence.doc.text) if span[0] >= sentence.end]
    if not spans:
        return None
    start, end = spans[0]
    return Sentence(sentence.doc, start, end, sentence.rank)


# Units counted in questions by name and written in documents by symbol.
_UNIT_SYMBOLS = {
    stem(unit): symbol
    for unit, symbol in (("kilometer", r"\bkm\b"), ("quadratmeter", r"m²|\bqm\b"), ("hektar", r"\bha\b"))
}


def _counted_terms(question: str) -> set[str]:
    """What a "Wie viele …?" question counts, with its synonyms, as stems; empty if it names nothing."""
    counted = counted_noun(question)
    return {counted, *synonyms(counted)} if counted is not None else set()


def _states_measure(text: str, measures: set[str], counted: set[str]) -> bool:
    """The text states one of the measures asked; a count only counts with what is counted
    (`_counted_terms`: "18 Betreuungsplätze" for "Wie viele Betreuungsplätze …?", not
    "1 Stimmenthaltung")."""
    for measure in measures:
        if not MEASURES[measure].search(text):
            continue
        if measure != COUNT or not counted or any(_names_term(text, term) for term in counted):
            return True
    return False


def _counts(text: str, counted: set[str]) -> bool:
    """A number stands right before what is counted ("16 U3-Plätzen", "von zehn Vereinen")."""
    for number in MEASURES[COUNT].finditer(text):
        following = " ".join(text[number.end() :].split()[:3])
        if any(_names_term(following, term) for term in counted):
            return True
    return False


def _names_term(text: str, term: str) -> bool:
    """The text has a noun of the stem `term`, alone or in a compound ("Stellen" in "Planstellen",
    not the verb in "zur Abstimmung zu stellen"; "vierzügig" for Züge), or the symbol of the unit
    it names ("km" for Kilometer)."""
    for unit, symbol in _UNIT_SYMBOLS.items():
        if term.endswith(unit) and re.search(symbol, text):
            return True
    nouns = " ".join(re.findall(rf"\b[A-ZÄÖÜ][\w-]*|\b(?i:\d+-?|{_NUMBER_WORD})\w+", text))
    return any(
        word.endswith(term) or (len(word) >= 4 and term.endswith(word))
        for word in (stem(w) for w in content_words(nouns))
    )


def _only_for_another_body(question: str, sentence: Sentence) -> Answer:
    """Declines, saying plainly that the figure stands only for another body, and cites it."""
    asked = " / ".join(bodies_named(question).values())
    others = " / ".join(bodies_named(sentence.text).values())
    what, known = ("keinen Betrag", "der Betrag") if asks_amount(question) else ("keine Angabe", "die Angabe")
    return _declined_citing(
        f"Für {asked} nennen die Dokumente dazu {what}; bekannt ist nur {known} für {others}:", sentence
    )


def _declined_citing(lead: str, sentence: Sentence) -> Answer:
    """A declining answer that says why (`lead`) and quotes what the documents do give."""
    draft = Draft()
    draft.parts.append(lead)
    draft.state(
        quote_statement(sentence),
        sentence.doc,
        [(sentence.start, sentence.end)],
        source=f"{label(sentence.doc)}: ",
    )
    answer = draft.answer(sentence.facts)
    return Answer(answer.text, answer.citations, abstained=True, ledger_rows=answer.ledger_rows)


def _about_another_body(asked: set[tuple[str, str]], sentence: Sentence) -> bool:
    """The sentence gives its figure for another body of the kind the question names (`asked`, as
    `bodies_named` keys: "der Landkreis Birkenfeld erhebe 42 Prozent" for a question about the
    Landkreis Kusel) and does not name the asked one."""
    named = bodies_named(sentence.text).keys()
    if not asked or not named or asked & named:
        return False
    return any(family == asked_family for family, _ in named for asked_family, _ in asked)


def _names_body(question: str, body: str) -> bool:
    """The question names the body by its proper name ("Peine" of "Landkreis Peine")."""
    name = {stem(w) for w in content_words(body)} - totals.BODY_KINDS
    return bool(name) and name <= {stem(w) for w in content_words(question)}


def _dated(doc: Document) -> str:
    if len(doc.date) == 10:
        return f" vom {doc.date[8:10]}.{doc.date[5:7]}.{doc.date[:4]}"
    return ""


def _same_paragraph(doc: Document, end: int, start: int) -> bool:
    """No blank line between two positions."""
    return not re.search(r"\n\s*\n", doc.text[end:start])


def _same_line(first: Sentence, second: Sentence) -> bool:
    return "\n" not in first.doc.text[first.end : second.start]


def _overlaps(sentence: Sentence, draft: Draft) -> bool:
    return any(c.doc_id == sentence.doc.doc_id and c.start == sentence.start for c in draft.book.citations)


def _addends_of(total: float, facts: list[Fact]) -> list[Fact]:
    """Two to five of the facts (in different sentences) whose amounts add up to the total."""
    for size in range(2, min(5, len(facts)) + 1):
        for combo in itertools.combinations(facts, size):
            if (
                len({f.start for f in combo}) == size
                and abs(sum(f.value or 0.0 for f in combo) - total) < 0.005
            ):
                return list(combo)
    return []


def _later(doc: Document, than: Document) -> bool:
    """`doc` is newer: by date when both are dated; else, for an undated document, by the latest
    year each names (a decision "für die Jahre 2024 bis 2027" is newer than a Vorlage 784/2013
    "ab 2014")."""
    if doc.date and than.date:
        return doc.date > than.date
    if doc.date or than.date:
        return False  # a dated and an undated document cannot be ordered
    years, other_years = years_in(doc.text), years_in(than.text)
    return bool(years and other_years) and max(years) > max(other_years)


# Words a question asks for a committee with; committees are named otherwise ("Hauptausschuss").
_COMMITTEE_WORDS = frozenset({"gremium", "gremi"})


def _list_intro(sentence: Sentence) -> Sentence | None:
    """The line ending in ':' that introduces the list a list item belongs to."""
    text = sentence.doc.text
    marker = _list_marker(text[text.rfind("\n", 0, sentence.start) + 1 : sentence.end])
    current: Sentence | None = sentence
    while current is not None:
        line_start = text.rfind("\n", 0, current.start) + 1
        if not marker or _list_marker(text[line_start : current.end]) != marker:
            return current if current is not sentence and current.text.rstrip().endswith(":") else None
        current = _sentence_before(current)
    return None


def _sentence_before(sentence: Sentence) -> Sentence | None:
    spans = [span for span in sentence_spans(sentence.doc.text) if span[1] <= sentence.start]
    if not spans:
        return None
    start, end = spans[-1]
    return Sentence(sentence.doc, start, end, sentence.rank)


def _common_terms(doc: Document, facts: list[Fact], retriever: Retriever) -> set[str]:
    """Terms every amount sentence of the document shares (title words, the body): not discriminating."""
    sets = [terms_of(f"{f.organisation} {doc.text[f.start : f.end]}", retriever) for f in facts]
    return set.intersection(*sets) if len(sets) > 1 else set()


_SHORT_LINE = 40
# Words that may stand beside a number in a question that asks for nothing but that document.
_NUMBER_WORDS = re.compile(
    r"\b(?:vorlagen?|drucksachen?|ds|nr|antrag|beschluss(?:vorlage)?|grdrs|nummer)\b|[^\w]+", re.IGNORECASE
)


def _decides_on(doc: Document, decision: Decision, wanted: set[str]) -> bool:
    """The decision is about one of the `wanted` numbers: its own line names one ("TOP 10: …
    (Vorlage 80/2019) – Ergebnis: einstimmig"), or its agenda item names one and no other number
    (an item whose start was not found may run over several TOPs and must not lend its result)."""
    line = _line_of(doc, decision.start)
    if line is not None and mention_keys(doc.text[line[0] : line[1]]) & wanted:
        return True
    named = mention_keys(doc.text[decision.item_start : decision.end])
    return bool(named & wanted) and not (named - wanted)


def _decides_on_another_number(doc: Document, decision: Decision, wanted: set[str]) -> bool:
    """The question names a number and the decision's own line names only other ones."""
    line = _line_of(doc, decision.start)
    named = mention_keys(doc.text[line[0] : line[1]]) if line is not None else set()
    return bool(wanted) and bool(named) and not (named & wanted)


def names_only_a_number(question: str) -> bool:
    """ "Vorlage 2015/179?", "DS-Nr. 12/2014": a question that is a document number and nothing else."""
    rest = question
    for reference in find_references(question):
        rest = rest.replace(reference, " ")
    return not _NUMBER_WORDS.sub("", rest).strip()


def _line_of(doc: Document, position: int) -> tuple[int, int] | None:
    """The line of the document text around a position (-1: not found)."""
    if position < 0:
        return None
    start = doc.text.rfind("\n", 0, position) + 1
    end = doc.text.find("\n", position)
    return start, len(doc.text) if end < 0 else end


def _first_mention(doc: Document, name: str) -> tuple[int, int] | None:
    position = doc.text.find(name)
    if position < 0:
        return None
    for start, end in sentence_spans(doc.text):
        if start <= position < end:
            return start, end
    return None
