"""Decisions in answers: which questions ask for an outcome or a vote, and which decision of a
document belongs to the passage an answer rests on.

The decision rows themselves come from `ingest.decisions`; this module only ties them to
questions and passages, so that "Wie wurde über X abgestimmt?" is answered with the outcome and
the vote of X's agenda item, and a Vorlage holding only a Beschlussvorschlag says so.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.decisions import Decision, Outcome, agenda_item, describe_vote, extract_decisions
from ingest.types import Consultation, Document

_VOTE_CUE = re.compile(
    r"abgestimmt|\bgestimmt\b|\bstimmten?\b|\babstimmung|stimm(?:en)?ergebnis|\bergebnis\b|ja-stimmen|nein-stimmen|"
    r"gegenstimm|enthaltung|\bmehrheit|einstimmig|einmütig|\bvot(?:e|ed|ing)\b|\bwie ging\b|ausgegangen|"
    r"durchgewunken|\bgeworden\b",
    re.IGNORECASE,
)
_OUTCOME_CUE = re.compile(
    r"\bbeschlossen\b|\bbeschlie\w*|\bentschieden\b|\bentschied\b|\bzugestimmt\b|\babgelehnt\b|"
    r"\bangenommen\b|\bvertagt\b|\bdecided?\b|\bapproved?\b|\bagreed\b",
    re.IGNORECASE,
)
_PROPOSAL_SECTION = re.compile(r"beschlussvorschlag|beschlussempfehlung|empfehlung|antrag", re.IGNORECASE)
_NEAR_LINES = 4  # a passage this many lines above a result is what was put to the vote
_ITEM_HEADING = re.compile(r"^\s*(?:TOP|Tagesordnungspunkt)\s*[ÖN]?\s*\d", re.MULTILINE)

_OUTCOME_WORDS = {
    Outcome.ADOPTED: "beschlossen",
    Outcome.ADOPTED_AS_PROPOSED: "ungeändert beschlossen",
    Outcome.ADOPTED_AMENDED: "geändert beschlossen",
    Outcome.REJECTED: "abgelehnt",
    Outcome.DEFERRED: "vertagt",
    Outcome.NOTED: "zur Kenntnis genommen",
    Outcome.WITHDRAWN: "zurückgezogen bzw. erledigt",
    Outcome.UNKNOWN: "",
}


def asks_vote(question: str) -> bool:
    """The question asks how a vote went: "Wie wurde abgestimmt?", "Mit welcher Mehrheit …?"."""
    return bool(_VOTE_CUE.search(question))


_COUNT_CUE = re.compile(r"\bwie viele\b|\bmit wie vielen\b|\bhow many\b|\bstimmenzahl", re.IGNORECASE)


def asks_counts(question: str) -> bool:
    """The vote question wants numbers of votes ("Wie viele haben dafür gestimmt?")."""
    return asks_vote(question) and bool(_COUNT_CUE.search(question))


def asks_outcome(question: str) -> bool:
    """The question asks what was decided, or whether: "Wurde der Beitritt beschlossen?"."""
    return asks_vote(question) or bool(_OUTCOME_CUE.search(question))


def decision_for(doc: Document, position: int) -> Decision | None:
    """The decision of the item that the text at `position` belongs to: the decision passage that
    contains it, else the next one whose item it lies in (no new TOP in between), else the
    decision heading the document (a Beschlussauszug), else the document's only decision."""
    found = [d for d in extract_decisions(doc) if d.is_decision or d.cut_off]
    if not found:
        return None
    for decision in found:
        if decision.start <= position < decision.end:
            return decision
    following = next((d for d in found if d.start >= position), None)
    if following is not None:
        between = doc.text[position : following.start]
        near = sum(1 for line in between.split("\n") if line.strip()) <= _NEAR_LINES
        if (following.item_start <= position + 1 or near) and not _ITEM_HEADING.search(between):
            return following
    heading = [d for d in found if d.heading]
    if heading and position >= heading[0].start:
        return heading[0]
    if len(found) == 1 and not found[0].cut_off:
        return found[0]
    return None


def decision_row(decision: Decision, doc: Document) -> dict[str, Any]:
    """A decision as a ledger row: what was decided where and when, with the passage it rests on."""
    return {
        "doc_id": doc.doc_id,
        "reference": doc.reference,
        "title": doc.title,
        "body": doc.body,
        "committee": ", ".join(doc.committees),
        "date": doc.date,
        "item": agenda_item(doc.text, decision),
        "outcome": decision.outcome.value,
        "result": summary(decision),
        "vote": describe_vote(decision),
        "unanimous": decision.unanimous,
        "yes": decision.yes,
        "no": decision.no,
        "abstentions": decision.abstentions,
        "quote": doc.text[decision.start : decision.end],
        "start": decision.start,
        "end": decision.end,
    }


def consultation_row(doc: Document, step: Consultation) -> dict[str, Any]:
    """A Beratungsfolge step with its Beschlussart as a decision row, in the shape of `decision_row`
    (the step names its committee and date; no vote, no passage of its own)."""
    return {
        "doc_id": doc.doc_id,
        "reference": doc.reference,
        "title": doc.title,
        "body": doc.body,
        "committee": step.committee,
        "date": step.date or doc.date,
        "item": "",
        "outcome": step.resolution,
        "result": step.resolution,
        "vote": "",
        "unanimous": False,
        "yes": None,
        "no": None,
        "abstentions": None,
        "quote": "",
        "start": 0,
        "end": 0,
    }


def summary(decision: Decision) -> str:
    """ "einstimmig beschlossen (Ja 9, Nein 0)" – the outcome and vote in words, for the lead."""
    outcome = _OUTCOME_WORDS[decision.outcome]
    vote = describe_vote(decision)
    if vote.startswith(("einstimmig", "mehrheitlich")) and outcome:
        word, _, counts = vote.partition(" ")
        return f"{word} {outcome} {counts}".strip()
    return " ".join(part for part in (outcome, vote) if part)


def in_proposal(doc: Document, position: int) -> bool:
    """The position lies in a Beschlussvorschlag (or Antrag, Empfehlung): what was proposed."""
    section = next((s for s in doc.sections if s.start <= position < s.end), None)
    return section is not None and bool(_PROPOSAL_SECTION.search(section.name))
