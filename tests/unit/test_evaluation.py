"""Eval scoring on a hand-made set whose expected numbers are known."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.evaluation import Question, citation_supported, load_questions, score
from assistant.types import Answer, Citation, Hit


def _hit(doc_id: str) -> Hit:
    return Hit(doc_id, 0, "", "", "", "", 1.0, "", 0, 10, "")


def _cite(doc_id: str, quote: str, n: int = 1) -> Citation:
    return Citation(n, doc_id, "", "", "", quote, 0, len(quote))


QUESTIONS = [
    Question("q1", "Was kostet A?", "cost", ["3.000"], ["a"]),
    Question("q2", "Was kostet B?", "cost", ["4.400|4400"], ["b"]),
    Question("q3", "Summe?", "aggregate", ["7.400"], ["a"], computed=True),
    Question("q4", "Unbekannt?", "unanswerable", [], []),
    Question("q5", "Geheim?", "restricted", ["386.400"], ["s"]),
]


def _search(question: str, history: list[str], role: str) -> list[Hit]:
    ranked = {"Was kostet A?": ["a"], "Was kostet B?": ["x", "b"], "Summe?": ["x", "y", "z", "w", "v", "a"]}
    restricted = ["s"] if role == "member" else ["a"]
    return [_hit(d) for d in ranked.get(question, restricted)]


def _answer(question: str, history: list[str], role: str) -> Answer:
    if question == "Was kostet A?":
        return Answer("3.000 € [1]", [_cite("a", "Die Kosten betragen 3.000 €.")])
    if question == "Was kostet B?":
        return Answer("4400 Euro [1][2]", [_cite("x", "anderes"), _cite("b", "Kosten 4.400 €", 2)])
    if question == "Summe?":
        return Answer("7.400 € [1][2]", [_cite("a", "3.000 €"), _cite("a", "4.400 €", 2)])
    if question == "Geheim?" and role == "member":
        return Answer("386.400 € [1]", [_cite("s", "Kaufpreis 386.400 €")])
    return Answer("Dazu habe ich in den Dokumenten nichts gefunden.", [], abstained=True)


def test_retrieval_scores_count_any_chunk_of_a_source_document():
    report = score(QUESTIONS, _search, None)
    # ranks of the first source document: q1 1, q2 2, q3 6, q5 1
    document_level = {m: report["retrieval"][m] for m in ("hit@1", "hit@5", "mrr")}
    assert document_level == {"hit@1": 0.5, "hit@5": 0.75, "mrr": round((1 + 0.5 + 1 / 6 + 1) / 4, 4)}


def _passage(doc_id: str, text: str) -> Hit:
    return Hit(doc_id, 0, "", "", "", "", 1.0, "", 0, len(text), text)


def test_passage_level_counts_questions_whose_facts_all_stand_in_the_first_passages():
    questions = [
        Question("p1", "Beitrag A?", "cost", ["3.000"], ["a"]),
        Question("p2", "Beitrag und Beschluss B?", "cost", ["4.400|4400", "einstimmig"], ["b"]),
        Question("p3", "Wann C?", "date", ["12.05.2021"], ["c"]),
        Question("p4", "Summe?", "aggregate", ["7.400"], ["a"], computed=True),  # computed: not counted
        Question("p5", "Unbekannt?", "unanswerable", [], []),  # unanswerable: not counted
    ]
    passages = {
        "Beitrag A?": [_passage("a", "Der Beitrag beträgt 3.000 € im Jahr.")],
        # the two facts of p2 stand in different passages: both are in by the third one
        "Beitrag und Beschluss B?": [
            _passage("b", "Der Beitrag beträgt 4400 Euro."),
            _passage("x", "Anderes Thema."),
            _passage("b", "Der Kreistag beschloss EINSTIMMIG."),
        ],
        "Wann C?": [_passage("c", "Sitzung ohne Datum.")] * 10 + [_passage("c", "am 12.05.2021")],
        "Summe?": [_passage("a", "nichts")],
    }

    report = score(questions, lambda q, h, r: passages.get(q, []), None)

    assert report["retrieval"]["passage@1"] == round(1 / 3, 4)
    assert report["retrieval"]["passage@3"] == round(2 / 3, 4)
    assert report["retrieval"]["passage@10"] == round(2 / 3, 4)  # p3's fact is only in the 11th passage


def test_answer_facts_citations_abstention_and_restricted_are_scored_as_the_readme_says():
    report = score(QUESTIONS, _search, _answer)
    assert report["answers"]["facts"] == 1.0  # "4400" is an accepted alternative
    assert report["answers"]["citation_precision"] == round(5 / 6, 4)  # one of six citations lies outside
    assert report["answers"]["citation_support"] == 1.0  # the computed sum is backed by its cited addends
    assert report["abstention"] == {
        "unanswerable_total": 1,
        "unanswerable_declined": 1,
        "answerable_declined": 0,
    }
    assert report["restricted"] == {"leaks_public": 0, "correct_member": 1.0}
    assert set(report["by_type"]) == {"cost", "aggregate", "restricted"}


def test_a_public_search_hit_in_a_restricted_document_counts_as_a_leak():
    def leaky_search(question: str, history: list[str], role: str) -> list[Hit]:
        return [_hit("s")]

    report = score([QUESTIONS[4]], leaky_search, _answer)
    assert report["restricted"]["leaks_public"] == 1


def test_a_public_answer_stating_a_restricted_fact_counts_as_a_leak():
    def leaky(question: str, history: list[str], role: str) -> Answer:
        return Answer("Der Kaufpreis ist 386.400 €.", [])

    report = score([QUESTIONS[4]], _search, leaky)
    assert report["restricted"]["leaks_public"] == 1


def test_questions_file_is_read_with_history_and_computed_flags(tmp_path: Path):
    path = tmp_path / "questions.jsonl"
    rows = [
        {
            "id": "a",
            "question": "Und B?",
            "history": ["Was kostet A?"],
            "type": "cost",
            "must_contain": ["1"],
            "sources": ["d"],
        },
        {
            "id": "b",
            "question": "Summe?",
            "type": "aggregate",
            "must_contain": ["2"],
            "sources": ["d"],
            "computed": True,
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    first, second = load_questions(path)
    assert first.history == ["Was kostet A?"] and not first.computed
    assert second.computed


def test_a_sum_of_two_equal_cited_amounts_is_supported():
    question = Question(
        "s1", "Was kosten beide Fahrzeuge zusammen?", "aggregate", ["390.000"], ["f"], computed=True
    )
    cited = [_cite("f", "Fahrzeug A kostet 195.000 Euro."), _cite("f", "Fahrzeug B kostet 195.000 Euro.", 2)]
    assert citation_supported(Answer("390.000 € [1][2]", cited), question)
    assert not citation_supported(Answer("390.000 € [1]", cited[:1]), question)
