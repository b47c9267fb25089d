"""The ledger: reads one document with the parts of this package and returns its facts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.facts.bodies import PAYER_PREPOSITION, RECEIVES, Body, bodies_in
from ingest.facts.kinds import (
    DEFAULT_KIND,
    MEMBERSHIP,
    PAYMENT_KINDS,
    SPECIFIC_CONTRIBUTIONS,
    TOTAL,
    YEAR_EXPRESSION,
    amount_groups,
    amount_window,
    kind_of_word,
    kinds_in,
    nearest_kind,
    period_of_amount,
    period_words,
    right_attached_year,
    shared_rates,
    year_before,
    year_label,
)
from ingest.facts.layout import Sentence, layout
from ingest.facts.memberships import MEMBERSHIP_CUE, NEGATION
from ingest.facts.organisations import (
    PAYER_BEFORE,
    Mention,
    acronym_mentions,
    assign_canonical_names,
    defined_abbreviations,
    initials_of,
    known_names_pattern,
    matches_type,
    name_mentions,
    pattern_mentions,
    type_of,
    without_overlaps,
)
from ingest.facts.purpose import (
    DEFINITION,
    PRONOUN,
    PURPOSE_SUBJECT_PREFIX,
    PURPOSE_VERB,
    SOME_MEMBER,
    SUBJECT_PREFIX,
)
from ingest.german.numbers import Amount, parse_amount
from ingest.german.places import (
    STATE_LEVEL,
    body_family,
)
from ingest.german.sections import split_sections
from ingest.german.sentences import LIST_MARKER
from ingest.metadata import read_body, read_title
from ingest.types import Document, Fact


def extract_facts(doc: Document) -> list[Fact]:
    """The facts ledger of one document: its amounts and memberships, each with its source sentence."""
    return _Reader(doc).facts()


@dataclass
class _Ledger:
    """The rows found so far; the same organisation, kind, value, years and payer once per sentence."""

    rows: list[Fact] = field(default_factory=list)
    seen: set[tuple[object, ...]] = field(default_factory=set)

    def add(self, facts: list[Fact]) -> None:
        for fact in facts:
            key = (fact.organisation, fact.kind, fact.value, fact.period, fact.years, fact.payer, fact.start)
            if key not in self.seen:
                self.seen.add(key)
                self.rows.append(fact)


class _Reader:
    """Reads one document: its sentences, the organisations they name, the bodies that pay."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        sections = doc.sections or split_sections(doc.text)
        self.sentences = layout(doc.text, sections)
        self.title = doc.title or read_title(doc.text.split("\n"))
        self.mentions, self.title_mentions = self._organisations()
        self.title_organisation = next((m.canonical for m in self.title_mentions if m.canonical), "")
        self.bodies = [bodies_in(s.text) for s in self.sentences]
        self.named_bodies = Counter(
            b.full for bodies in self.bodies for b in bodies if b.name and b.type not in STATE_LEVEL
        )
        self.main_body = self._main_body()
        self.contribution_kind = self._dominant_contribution_kind()
        self._purposes: dict[str, str] = {}
        self._kinds: dict[int, list[str]] = {}

    # ---- organisations

    def _organisations(self) -> tuple[list[list[Mention]], list[Mention]]:
        """Mentions per sentence and in the title, each with the canonical name it refers to."""
        chosen = self._names()
        acronyms = {
            a: m.canonical for ms in chosen for m in ms if m.canonical for a in initials_of(m.canonical)
        }
        acronyms |= defined_abbreviations(chosen, [*self.sentences, None], self.text)
        title = chosen.pop()
        for mentions, sentence in zip(chosen, self.sentences, strict=True):
            mentions += acronym_mentions(acronyms, sentence, mentions)
            mentions.sort(key=lambda m: m.start)
        self._resolve_anaphors(chosen, title)
        for mentions, sentence in zip(chosen, self.sentences, strict=True):
            for mention in mentions:
                mention.is_payer = bool(PAYER_BEFORE.search(sentence.text[: mention.start - sentence.start]))
            mentions[:] = [m for m in mentions if m.canonical]
        return chosen, [m for m in title if m.canonical]

    def _names(self) -> list[list[Mention]]:
        """Names per sentence, and in the title (last), grouped under canonical names.

        Title mentions get negative positions, so that they count as named before the text.
        """
        title_offset = -len(self.title) - 1
        found = [name_mentions(s.text, s.start) for s in self.sentences]
        found.append(name_mentions(self.title, title_offset))
        for mention in (m for ms in found for m in ms):
            source, offset = (self.title, title_offset) if mention.start < 0 else (self.text, 0)
            mention.surface = mention.surface or source[mention.start - offset : mention.end - offset]
        first_pass = [without_overlaps(mentions) for mentions in found]
        known = known_names_pattern([m for ms in first_pass for m in ms if m.is_name])
        for mentions, sentence in zip(found[:-1], self.sentences, strict=True):
            mentions += pattern_mentions(known, sentence.text, sentence.start)
        found[-1] += pattern_mentions(known, self.title, title_offset)
        chosen = [without_overlaps(mentions) for mentions in found]
        assign_canonical_names([m for ms in chosen for m in ms if m.is_name])
        return chosen

    def _resolve_anaphors(self, chosen: list[list[Mention]], title: list[Mention]) -> None:
        """Resolve "die Gesellschaft", "der Verein" … to the nearest fitting organisation named before."""
        earlier: list[tuple[int, Mention]] = [(-1, m) for m in title if m.canonical]
        for sentence, mentions in zip(self.sentences, chosen, strict=True):
            for mention in mentions:
                if mention.rule == "anaphor":
                    mention.canonical = self._antecedent(mention, sentence, earlier, title)
                if mention.canonical:
                    earlier.append((sentence.paragraph, mention))

    def _antecedent(
        self,
        anaphor: Mention,
        sentence: Sentence,
        earlier: list[tuple[int, Mention]],
        title: list[Mention],
    ) -> str:
        for paragraph, candidate in reversed(earlier):
            if anaphor.type_word == "gmbh" and paragraph != sentence.paragraph:
                break  # "der GmbH" refers only within its paragraph
            if candidate.rule != "anaphor" and matches_type(anaphor.type_word, candidate.canonical):
                return candidate.canonical
        if anaphor.type_word == "gmbh":
            return ""
        return next((m.canonical for m in title if matches_type(anaphor.type_word, m.canonical)), "")

    def _organisation_of_sentence(self, sentence: Sentence, position: int | None = None) -> str:
        """The organisation a sentence names nearest to `position` (same clause first), else ""."""
        mentions = [m for m in self.mentions[sentence.index] if not m.is_payer]
        if not mentions:
            return ""
        if position is None:
            return mentions[0].canonical
        clause = _clause_bounds(sentence, position)
        in_clause = [m for m in mentions if clause[0] <= m.start < clause[1]]
        before = [m for m in in_clause if m.end <= position]
        if before:
            return before[-1].canonical
        if in_clause:
            return in_clause[0].canonical
        return min(mentions, key=lambda m: abs(m.start - position)).canonical

    def _organisation_from_context(self, sentence: Sentence) -> str:
        """For a sentence without a name: its paragraph, then its section, then the document title."""
        if TOTAL.search(sentence.text):
            return self.title_organisation
        same_paragraph = [s for s in self._earlier(sentence, "paragraph") if s.role != "row"]
        subject = self._nearest_subject(same_paragraph)
        if subject:
            return subject
        topic = next((self._organisation_of_sentence(s) for s in same_paragraph if self._names_one(s)), "")
        if topic:
            return topic
        same_section = [s for s in self._earlier(sentence, "section") if s.role in ("text", "heading")]
        return self._nearest_subject(same_section) or self.title_organisation

    def _earlier(self, sentence: Sentence, unit: str) -> list[Sentence]:
        """The sentences before `sentence` in its paragraph or section, in text order."""
        start = sentence.index
        while start > 0 and getattr(self.sentences[start - 1], unit) == getattr(sentence, unit):
            start -= 1
        return self.sentences[start : sentence.index]

    def _names_one(self, sentence: Sentence) -> bool:
        return any(not m.is_payer for m in self.mentions[sentence.index])

    def _nearest_subject(self, sentences: list[Sentence]) -> str:
        for sentence in reversed(sentences):
            mention = self._subject(sentence)
            if mention is not None:
                return mention.canonical
        return ""

    def _subject(self, sentence: Sentence) -> Mention | None:
        """The organisation a sentence starts with ("Die Allianz … bündelt …"), if any."""
        mentions = self.mentions[sentence.index]
        if not mentions:
            return None
        first = mentions[0]
        prefix = sentence.text[: first.start - sentence.start]
        return first if _is_subject_prefix(prefix, SUBJECT_PREFIX) else None

    # ---- bodies

    def _main_body(self) -> str:
        """The body the document belongs to: its metadata, else its council, else the most named one."""
        stated = self.doc.body or read_body(self.text)
        if stated:
            return stated
        if self.named_bodies:
            return self.named_bodies.most_common(1)[0][0]
        bare = Counter(b.type for bodies in self.bodies for b in bodies if b.type not in STATE_LEVEL)
        return bare.most_common(1)[0][0] if bare else ""

    def _resolve_body(self, body: Body) -> str:
        """Complete "der Landkreis" to "Landkreis Peine" when the document belongs to (or names) one."""
        if body.name:
            return body.full
        family = body_family(body.type)
        if body_family(self.main_body) == family and " " in self.main_body:
            return self.main_body
        same_family = [name for name, _ in self.named_bodies.most_common() if body_family(name) == family]
        return same_family[0] if same_family else body.type

    def _payer(self, sentence: Sentence, amount: Amount, window: tuple[int, int], kind: str) -> str:
        """Who pays: a source named next to the amount, a body named as payer, else the document's body."""
        local = [
            m
            for m in self.mentions[sentence.index]
            if m.is_payer and window[0] <= m.start - sentence.start < window[1]
        ]
        if local:
            return local[0].canonical
        bodies = self.bodies[sentence.index]
        after = [b for b in bodies if b.start - amount.end in (0, 1) and not b.name]
        if after:
            return self._resolve_body(after[0])
        stated = [b for b in bodies if PAYER_PREPOSITION.search(sentence.text[: b.start])]
        near = [b for b in stated if window[0] <= b.start < window[1]]
        if near:
            return self._resolve_body(near[-1])
        if stated:
            return " und ".join(dict.fromkeys(self._resolve_body(b) for b in stated))
        subject = self._subject_body(sentence)
        if subject:
            return subject
        return self.main_body if kind in PAYMENT_KINDS else ""

    def _subject_body(self, sentence: Sentence) -> str:
        """The body a sentence starts with ("Der Landkreis X zahlt …"), unless it receives the money."""
        bodies = [b for b in self.bodies[sentence.index] if b.type not in STATE_LEVEL]
        if not bodies or RECEIVES.search(sentence.text):
            return ""
        if _is_subject_prefix(sentence.text[: bodies[0].start], SUBJECT_PREFIX):
            return self._resolve_body(bodies[0])
        return ""

    def _member(self, sentence: Sentence) -> str:
        """The body that is (or becomes, or stops being) the member; "" for "eine Mitgliedskommune"."""
        if SOME_MEMBER.search(sentence.text):
            return ""
        for body in self.bodies[sentence.index]:
            before = sentence.text[: body.start]
            if body.type not in STATE_LEVEL and not re.search(r"\ban\s+(?:die|den)\s+$", before):
                return self._resolve_body(body)
        return self.main_body

    # ---- kinds

    def _dominant_contribution_kind(self) -> str:
        """What a plain "Beitrag" means here: the contribution the document names most, else by its topic."""
        counts = Counter(kind for _, kind in kinds_in(self.text) if kind in SPECIFIC_CONTRIBUTIONS)
        if counts:
            return counts.most_common(1)[0][0]
        return "Mitgliedsbeitrag" if re.search(r"\bMitglied", self.text) else ""

    def _kind(self, found: str) -> str:
        if found == "Beitrag" and self.contribution_kind:
            return self.contribution_kind
        return found

    # ---- purpose

    def purpose(self, organisation: str) -> str:
        """The sentence saying what the organisation does or is for ("… bündelt Kräfte …")."""
        if organisation not in self._purposes:
            self._purposes[organisation] = self._find_purpose(organisation)
        return self._purposes[organisation]

    def _find_purpose(self, organisation: str) -> str:
        """The first sentence about the organisation with a verb of purpose, else one defining it."""
        definition = ""
        for sentence in self.sentences:
            if sentence.role not in ("text", "list"):
                continue
            if self._purpose_subject(sentence) == organisation and PURPOSE_VERB.search(sentence.text):
                return _one_line(sentence.text)
            subject = self._subject(sentence)
            defines = subject is not None and subject.canonical == organisation
            if defines and not definition and DEFINITION.search(sentence.text):
                definition = _one_line(sentence.text)
        return definition

    def _purpose_subject(self, sentence: Sentence) -> str:
        """The organisation a sentence is about: named first, or "sie"/"er" for the previous sentence's one."""
        mentions = self.mentions[sentence.index]
        if mentions:
            prefix = sentence.text[: mentions[0].start - sentence.start]
            return mentions[0].canonical if _is_subject_prefix(prefix, PURPOSE_SUBJECT_PREFIX) else ""
        if sentence.index == 0 or not PRONOUN.search(sentence.text):
            return ""
        previous = self.sentences[sentence.index - 1]
        subject = self._subject(previous)
        return subject.canonical if subject and previous.paragraph == sentence.paragraph else ""

    # ---- facts

    def facts(self) -> list[Fact]:
        ledger = _Ledger()
        for sentence in self.sentences:
            if sentence.role == "row":
                ledger.add(self._row_facts(sentence))
            else:
                ledger.add(self._amount_facts(sentence))
                if sentence.role != "header":
                    ledger.add(self._membership_facts(sentence))
        return ledger.rows

    def _fact(
        self,
        sentence: Sentence,
        organisation: str,
        kind: str,
        amount: Amount | None = None,
        *,
        currency: str = "",
        period: str = "",
        years: str = "",
        payer: str = "",
        purpose: str | None = None,
    ) -> Fact:
        if purpose is None:
            purpose = self.purpose(organisation) if organisation else ""
        return Fact(
            doc_id=self.doc.doc_id,
            organisation=organisation,
            kind=kind,
            amount_text=amount.text if amount else "",
            value=amount.value if amount else None,
            currency=currency or (amount.currency if amount else ""),
            period=period,
            years=years,
            payer=payer,
            purpose=purpose,
            start=sentence.start,
            end=sentence.end,
        )

    def _amount_facts(self, sentence: Sentence) -> list[Fact]:
        amounts = parse_amount(sentence.text)
        currencies = shared_rates(amounts)
        groups = amount_groups(sentence.text, amounts)
        right_years = [right_attached_year(sentence.text, a) for a in amounts]
        label_organisation = self._list_label_organisation(sentence)
        facts = []
        for index, (amount, kind) in enumerate(zip(amounts, self._kinds_of(sentence), strict=True)):
            organisation = (
                label_organisation
                or self._organisation_of_sentence(sentence, sentence.start + amount.start)
                or self._organisation_from_context(sentence)
            )
            facts.append(
                self._fact(
                    sentence,
                    organisation,
                    kind,
                    amount,
                    currency=currencies[index],
                    period=period_of_amount(sentence.text, amounts, groups, index),
                    years=right_years[index] or year_before(sentence.text, amount, right_years, amounts),
                    payer=self._payer(sentence, amount, amount_window(sentence.text, amounts, index), kind),
                )
            )
        return facts

    def _kinds_of(self, sentence: Sentence) -> list[str]:
        """The kind of each amount in a sentence (cached: later sentences may inherit them)."""
        if sentence.index not in self._kinds:
            amounts = parse_amount(sentence.text)
            kinds: list[str] = []
            for index in range(len(amounts)):
                kinds.append(self._amount_kind(sentence, amounts, index, kinds))
            self._kinds[sentence.index] = kinds
        return self._kinds[sentence.index]

    def _amount_kind(self, sentence: Sentence, amounts: list[Amount], index: int, kinds: list[str]) -> str:
        """The kind of payment, from the words around the amount; inherited when the sentence names none."""
        text = sentence.text
        amount = amounts[index]
        following = re.match(r"\s*([^\W\d_]+)", text[amount.end :])
        if following and kind_of_word(following.group(1)):
            return self._kind(kind_of_word(following.group(1)))
        clause_start = text.rfind(";", 0, amount.start) + 1
        previous_end = amounts[index - 1].end if index else 0
        for start in (max(clause_start, previous_end), clause_start, 0):
            kind = nearest_kind(kinds_in(text[start : amount.start]))
            if kind:
                return self._kind(kind)
        inherited = self._previous_kind(sentence, kinds)
        if inherited:
            return inherited
        next_start = amounts[index + 1].start if index + 1 < len(amounts) else len(text)
        after = kinds_in(text[amount.end : min(next_start, amount.end + 60)])
        return self._kind(after[0][1]) if after else DEFAULT_KIND

    def _previous_kind(self, sentence: Sentence, kinds: list[str]) -> str:
        """The kind of the amount before, in this sentence or an earlier one of the paragraph."""
        known = [k for k in kinds if k != DEFAULT_KIND]
        if known:
            return known[-1]
        if kinds_in(sentence.text):
            return ""
        for earlier in reversed(self.sentences[: sentence.index]):
            if earlier.paragraph != sentence.paragraph:
                break
            known = [k for k in self._kinds_of(earlier) if k != DEFAULT_KIND]
            if known:
                return known[-1]
        return ""

    def _list_label_organisation(self, sentence: Sentence) -> str:
        """The label of a list item "- Name: Jahresbeitrag 150 DM" when it names an organisation."""
        if sentence.role != "list" or ":" not in sentence.text:
            return ""
        label = LIST_MARKER.sub("", sentence.text.split(":", 1)[0], count=1).strip()
        label_end = sentence.start + sentence.text.index(":")
        named = [m for m in self.mentions[sentence.index] if m.end <= label_end and not m.is_payer]
        return label if named and len(label.split()) <= 10 else ""

    def _row_facts(self, sentence: Sentence) -> list[Fact]:
        """A table row: its amount cell, with organisation and purpose from the row's other cells."""
        cells = sentence.text.split("|")
        header = self._table_header(sentence)
        intro = self._table_intro(sentence)
        facts = []
        for column, cell in enumerate(cells):
            for amount in parse_amount(cell):
                others = _text_cells([c for i, c in enumerate(cells) if i != column])
                organisation = self._row_organisation(sentence, others)
                purpose = "; ".join(c for c in others if c != organisation)
                heading = header[column] if column < len(header) else ""
                kind = nearest_kind(kinds_in(heading)) or nearest_kind(kinds_in(" ".join(others)))
                kind = self._kind(kind or nearest_kind(kinds_in(intro)) or DEFAULT_KIND)
                context = f"{heading} {' '.join(others)}"
                years = [year_label(m) for m in YEAR_EXPRESSION.finditer(context)] or [
                    year_label(m) for m in YEAR_EXPRESSION.finditer(intro)
                ]
                facts.append(
                    self._fact(
                        sentence,
                        organisation,
                        kind,
                        amount,
                        period=period_words(context),
                        years=", ".join(dict.fromkeys(years)),
                        payer=self.main_body if kind in PAYMENT_KINDS else "",
                        purpose=purpose or (self.purpose(organisation) if organisation else ""),
                    )
                )
        return facts

    def _row_organisation(self, sentence: Sentence, cells: list[str]) -> str:
        for cell in cells:
            named = [m for m in self.mentions[sentence.index] if m.surface and m.surface in cell]
            if named:
                return named[0].canonical
        for cell in cells:
            bodies = [b for b in bodies_in(cell) if b.name]
            if bodies:
                return bodies[0].full
        return cells[0] if cells else ""

    def _table_header(self, row: Sentence) -> list[str]:
        """The cells of the nearest row above (in the same table) that holds no amount."""
        for earlier in reversed(self.sentences[: row.index]):
            if earlier.role != "row":
                break
            if not parse_amount(earlier.text):
                return [c.strip() for c in earlier.text.split("|")]
        return []

    def _table_intro(self, row: Sentence) -> str:
        """The sentence just above a table ("Die Mittel … aus dem Haushalt 2022 werden … verteilt:")."""
        for earlier in reversed(self.sentences[: row.index]):
            if earlier.role != "row":
                return earlier.text if earlier.section == row.section else ""
        return ""

    def _membership_facts(self, sentence: Sentence) -> list[Fact]:
        """Rows of kind "Mitgliedschaft": "ist Mitglied im …", "tritt … bei", "Austritt", "Gesellschafter an …"."""
        found: list[tuple[str, Sentence]] = []
        for cue in MEMBERSHIP_CUE.finditer(sentence.text):
            if not NEGATION.search(sentence.text[max(0, cue.start() - 25) : cue.start()]):
                found += self._membership_organisations(sentence, sentence.start + cue.start())
        if not found:
            return []
        years = [year_label(m) for m in YEAR_EXPRESSION.finditer(sentence.text)]
        stated_years = ", ".join(dict.fromkeys(years)) or (str(self.doc.year) if self.doc.year else "")
        member = self._member(sentence)
        return [
            self._fact(source, organisation, MEMBERSHIP, years=stated_years, payer=member)
            for organisation, source in dict.fromkeys(found)
        ]

    def _membership_organisations(self, sentence: Sentence, cue: int) -> list[tuple[str, Sentence]]:
        """The organisation a membership cue is about: named after it, before it, listed below, or in context."""
        mentions = [m for m in self.mentions[sentence.index] if not m.is_payer]
        after = [m for m in mentions if m.start >= cue]
        before = [m for m in mentions if m.end <= cue]
        if after:
            return [(after[0].canonical, sentence)]
        if before:
            return [(before[-1].canonical, sentence)]
        if sentence.text.rstrip().endswith(":"):
            return self._listed_organisations(sentence)
        organisation = self._organisation_from_context(sentence)
        return [(organisation, sentence)] if organisation else []

    def _listed_organisations(self, sentence: Sentence) -> list[tuple[str, Sentence]]:
        """The organisations listed (or tabled) after "… folgende Mitgliedschaften zu kündigen:"."""
        listed = []
        for item in self.sentences[sentence.index + 1 :]:
            if item.role not in ("list", "row"):
                break
            if item.role == "row":
                is_data = parse_amount(item.text) or self.mentions[item.index]
                organisation = (
                    self._row_organisation(item, _text_cells(item.text.split("|"))) if is_data else ""
                )
            else:
                organisation = self._list_label_organisation(item) or self._organisation_of_sentence(item)
            if organisation:
                listed.append((organisation, item))
        return listed


def _text_cells(cells: list[str]) -> list[str]:
    """The cells of a table row that say something: no numbering, no amounts, not empty."""
    stripped = [c.strip() for c in cells]
    return [c for c in stripped if c and not re.fullmatch(r"[\d.\s]+", c) and not parse_amount(c)]


def _is_subject_prefix(prefix: str, pattern: re.Pattern[str]) -> bool:
    """Whether only an article (and a type word: "Der Verein Lit.Eifel e.V. …") precedes a subject."""
    match = pattern.fullmatch(prefix)
    return match is not None and (
        match.group("type") is None or type_of(match.group("type").strip()) is not None
    )


def _clause_bounds(sentence: Sentence, position: int) -> tuple[int, int]:
    relative = position - sentence.start
    start = sentence.text.rfind(";", 0, relative) + 1
    end = sentence.text.find(";", relative)
    return sentence.start + start, sentence.start + (end if end >= 0 else len(sentence.text))


def _one_line(text: str) -> str:
    return " ".join(text.split())
