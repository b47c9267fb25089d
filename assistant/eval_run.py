"""Running an evaluation: index a question set's documents in a temporary store and score them.

Baselines (`--baselines`), measured in the same run:
- dense-only: fixed 1000-character chunks with 200 overlap in a plain langchain-chroma store with
  the same model — the usual tutorial setup;
- bm25-only: our keyword side alone (German stems, compounds, synonyms).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.evaluation import Question, load_questions, score
from assistant.retrieval import RetrievalSettings, Retriever
from assistant.settings import Settings
from assistant.types import Answer, Hit, Role


def run_eval(folder: Path, settings: Settings, baselines: bool = False) -> dict[str, Any]:
    from assistant.answer import retrieval_query
    from assistant.service import Assistant

    questions = load_questions(folder / "questions.jsonl")
    with tempfile.TemporaryDirectory(prefix="ratsauskunft-eval-") as tmp:
        assistant = Assistant(replace(settings, store=Path(tmp), chroma_url=""))
        ingest_report = assistant.ingest([folder / "docs"], role=Role.ADMIN, user="eval")

        def search(question: str, history: list[str], role: str) -> list[Hit]:
            return assistant.search(retrieval_query(question, history), k=10, role=Role(role))

        def answer(question: str, history: list[str], role: str) -> Answer:
            return assistant.ask(question, history, role=Role(role))

        report = score(questions, search, answer)
        report["ingest"] = {
            "summary": ingest_report.summary(),
            "failed": [f.message for f in ingest_report.failed],
        }
        if baselines:
            report["baselines"] = {
                "bm25": _retrieval_only(questions, assistant, use_dense=False),
                "dense_1000": _dense_tutorial(questions, assistant, Path(tmp)),
            }
        assistant.store.close()
    return report


def _retrieval_only(questions: list[Question], assistant: Any, use_dense: bool) -> dict[str, float]:
    from assistant.answer import retrieval_query

    settings = RetrievalSettings(use_dense=use_dense, use_keywords=not use_dense)
    retriever = Retriever(assistant.store, assistant.embedder, settings)

    def search(question: str, history: list[str], role: str) -> list[Hit]:
        return retriever.search(retrieval_query(question, history), k=10, role=role)

    return score(questions, search, None)["retrieval"]


def _dense_tutorial(questions: list[Question], assistant: Any, tmp: Path) -> dict[str, float]:
    """Fixed-size chunks, plain vector search: what hybrid retrieval has to beat."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document as LCDocument
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.lc import EmbedderEmbeddings

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    pieces: list[LCDocument] = []
    for doc in assistant.store.documents():
        for text in splitter.split_text(doc.text):
            pieces.append(LCDocument(page_content=text, metadata={"doc_id": doc.doc_id}))
    store = Chroma(
        collection_name="baseline-dense",
        embedding_function=EmbedderEmbeddings(assistant.embedder),
        persist_directory=str(tmp / "baseline"),
    )
    store.add_documents(pieces)

    def search(question: str, history: list[str], role: str) -> list[Hit]:
        found = store.similarity_search(" ".join([*history[-1:], question]) if history else question, k=10)
        return [Hit(d.metadata["doc_id"], 0, "", "", "", "", 0.0, "", 0, 0, d.page_content) for d in found]

    return score(questions, search, None)["retrieval"]


def _retrieval_cells(r: dict[str, float]) -> str:
    """Document level (hit@k, MRR) and passage level (all facts within the first 1/3/10 passages)."""
    return (
        f"hit@1 {r['hit@1']:.3f}   hit@5 {r['hit@5']:.3f}   MRR {r['mrr']:.3f}"
        f"   Passagen@1/3/10 {r['passage@1']:.3f} {r['passage@3']:.3f} {r['passage@10']:.3f}"
    )


def render_report(report: dict[str, Any]) -> str:
    lines = [f"Fragen: {report['questions']}   Index: {report.get('ingest', {}).get('summary', '')}"]
    r, a, ab, rs = report["retrieval"], report["answers"], report["abstention"], report["restricted"]
    lines.append(f"Retrieval   {_retrieval_cells(r)}")
    for name, base in report.get("baselines", {}).items():
        lines.append(f"  Baseline {name:11} {_retrieval_cells(base)}")
    lines.append(
        f"Antworten   Fakten {a['facts']:.3f}   Beleg-Präzision {a['citation_precision']:.3f}"
        f"   Beleg-Stützung {a['citation_support']:.3f}"
    )
    lines.append(
        f"Enthaltung  unbeantwortbar abgelehnt {ab['unanswerable_declined']}/{ab['unanswerable_total']}"
        f"   beantwortbar fälschlich abgelehnt {ab['answerable_declined']}"
    )
    lines.append(
        f"Zugriff     Lecks als public {rs['leaks_public']}   richtig als member {rs['correct_member']:.3f}"
    )
    lines.append("Nach Fragetyp:")
    for qtype, metrics in report["by_type"].items():
        cells = "  ".join(f"{k} {v:.2f}" for k, v in metrics.items())
        lines.append(f"  {qtype:13} {cells}")
    for failure in report.get("failures", []):
        lines.append(f"  ✗ {failure}")
    return "\n".join(lines)
