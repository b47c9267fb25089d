"""`ratsauskunft eval`: score retrieval, answers, citations, abstention and access on a question set.

The folder format is the one of the development set (DIR/docs/*, DIR/questions.jsonl; see its
README). Scoring follows that README:
- retrieval: hit@k and MRR over questions with sources; a hit is any chunk of a source document;
- passages: the share of answerable, non-computed questions whose facts all stand in the first
  1 / 3 / 10 passages the retriever returns (each fact in at least one of them, scored like an
  answer's facts) — what a composer quoting those passages could state at best;
- answer facts: every `must_contain` item (alternatives split on `|`) occurs in the answer text,
  case-insensitively with whitespace collapsed;
- citations: precision = cited passages lying in a source document, support = at least one cited
  quote contains a fact (a computed fact is supported when amounts in the cited quotes add up to it,
  or when it is the difference of two of them);
- abstention: unanswerable questions declined, answerable ones not;
- restricted: asked as `public` the answer neither states a fact nor cites the non-public source;
  asked as `member` it is scored like any other question.

Answerable and unanswerable questions are asked as `member` (a development set may hold documents
without a status line, and those count as non-public); restricted ones as both roles.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.types import Answer, Hit
from ingest.german.numbers import parse_amount

Searcher = Callable[[str, list[str], str], list[Hit]]  # (question, history, role) -> hits
Answerer = Callable[[str, list[str], str], Answer]  # (question, history, role) -> answer


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    type: str
    must_contain: list[str]
    sources: list[str]
    history: list[str] = field(default_factory=list)
    computed: bool = False

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable" and bool(self.sources)


def load_questions(path: Path) -> list[Question]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        questions.append(
            Question(
                id=raw["id"],
                question=raw["question"],
                type=raw.get("type", ""),
                must_contain=list(raw.get("must_contain", [])),
                sources=list(raw.get("sources", [])),
                history=list(raw.get("history", [])),
                computed=bool(raw.get("computed", False)),
            )
        )
    return questions


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def contains_fact(text: str, item: str) -> bool:
    haystack = _norm(text)
    return any(_norm(alt) in haystack for alt in item.split("|") if alt.strip())


def facts_stated(answer_text: str, q: Question) -> bool:
    return all(contains_fact(answer_text, item) for item in q.must_contain)


def any_fact_stated(answer_text: str, q: Question) -> bool:
    return any(contains_fact(answer_text, item) for item in q.must_contain)


def first_source_rank(hits: list[Hit], sources: list[str]) -> int | None:
    for rank, hit in enumerate(hits, 1):
        if hit.doc_id in sources:
            return rank
    return None


def facts_rank(hits: list[Hit], q: Question) -> int | None:
    """How many passages, from the first, it takes until every fact stands in one of them."""
    missing = list(q.must_contain)
    for rank, hit in enumerate(hits, 1):
        missing = [item for item in missing if not contains_fact(hit.text, item)]
        if not missing:
            return rank
    return None


PASSAGE_DEPTHS = (1, 3, 10)


def _sums_to(amounts: list[float], target: float) -> bool:
    """Some of the cited amounts add up to the target; two quotes may give the same amount (two
    vehicles at 195.000 € each), so a value counts as often as it is cited."""
    cited = sorted(amounts)[:14]
    for size in range(2, len(cited) + 1):
        for combo in set(itertools.combinations(cited, size)):
            if abs(sum(combo) - target) < 0.005:
                return True
    return False


def _differs_by(amounts: list[float], target: float) -> bool:
    return any(abs(a - b - target) < 0.005 for a, b in itertools.permutations(set(amounts), 2))


def citation_supported(answer: Answer, q: Question) -> bool:
    quotes = [c.quote for c in answer.citations if c.doc_id in q.sources]
    if any(contains_fact(quote, item) for quote in quotes for item in q.must_contain):
        return True
    if q.computed:
        cited = [a.value for quote in quotes for a in parse_amount(quote)]
        for item in q.must_contain:
            targets = [a.value for alt in item.split("|") for a in parse_amount(alt + " €")]
            if any(_sums_to(cited, t) or _differs_by(cited, t) for t in targets):
                return True
    return False


def declined(answer: Answer) -> bool:
    return answer.abstained


@dataclass
class _Tally:
    n: int = 0
    total: float = 0.0

    def add(self, value: float) -> None:
        self.n += 1
        self.total += value

    @property
    def mean(self) -> float:
        return round(self.total / self.n, 4) if self.n else 0.0


def score(questions: list[Question], search: Searcher, answer: Answerer | None) -> dict[str, Any]:
    """Run every question and return the report object of `eval --json`."""
    tallies: dict[str, dict[str, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
    cit_total = cit_in_sources = 0
    unanswerable_total = unanswerable_declined = answerable_declined = 0
    leaks_public = 0
    restricted_member = _Tally()
    failures: list[dict[str, Any]] = []

    def note(q: Question, metric: str, value: float) -> None:
        tallies["all"][metric].add(value)
        tallies[q.type][metric].add(value)

    for q in questions:
        if q.answerable:
            hits = search(q.question, q.history, "member")
            rank = first_source_rank(hits, q.sources)
            note(q, "hit@1", float(rank == 1))
            note(q, "hit@5", float(rank is not None and rank <= 5))
            note(q, "mrr", 1.0 / rank if rank else 0.0)
            if not q.computed and q.must_contain:
                passage_rank = facts_rank(hits, q)
                for depth in PASSAGE_DEPTHS:
                    note(q, f"passage@{depth}", float(passage_rank is not None and passage_rank <= depth))
        if answer is None:
            continue
        if not q.answerable:
            result = answer(q.question, q.history, "member")
            unanswerable_total += 1
            unanswerable_declined += int(declined(result))
            if not declined(result):
                failures.append({"id": q.id, "problem": "not declined", "answer": result.text})
            continue
        result = answer(q.question, q.history, "member")
        if declined(result):
            answerable_declined += 1
        stated = facts_stated(result.text, q) and not declined(result)
        note(q, "facts", float(stated))
        in_sources = sum(1 for c in result.citations if c.doc_id in q.sources)
        cit_total += len(result.citations)
        cit_in_sources += in_sources
        supported = citation_supported(result, q)
        note(q, "citation_support", float(supported))
        if not stated or not supported or in_sources < len(result.citations):
            failures.append(
                {
                    "id": q.id,
                    "question": q.question,
                    "answer": result.text,
                    "facts": stated,
                    "supported": supported,
                }
            )
        if q.type == "restricted":
            restricted_member.add(float(stated))
            public = answer(q.question, q.history, "public")
            public_hits = search(q.question, q.history, "public")
            leaked = (
                any_fact_stated(public.text, q)
                or any(c.doc_id in q.sources for c in public.citations)
                or any(h.doc_id in q.sources for h in public.related)
                or any(str(row.get("doc_id")) in q.sources for row in public.ledger_rows)
                or any(h.doc_id in q.sources for h in public_hits)
            )
            leaks_public += int(leaked)
            if leaked:
                failures.append({"id": q.id, "problem": "LEAK as public", "answer": public.text})

    overall = tallies["all"]
    return {
        "questions": len(questions),
        "retrieval": {
            m: overall[m].mean for m in ("hit@1", "hit@5", "mrr", *(f"passage@{d}" for d in PASSAGE_DEPTHS))
        },
        "answers": {
            "facts": overall["facts"].mean,
            "citation_precision": round(cit_in_sources / cit_total, 4) if cit_total else 0.0,
            "citation_support": overall["citation_support"].mean,
        },
        "abstention": {
            "unanswerable_total": unanswerable_total,
            "unanswerable_declined": unanswerable_declined,
            "answerable_declined": answerable_declined,
        },
        "restricted": {"leaks_public": leaks_public, "correct_member": restricted_member.mean},
        "by_type": {
            qtype: {metric: t.mean for metric, t in metrics.items()}
            for qtype, metrics in sorted(tallies.items())
            if qtype != "all"
        },
        "failures": failures,
    }
