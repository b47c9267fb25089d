"""Retrieval configurations side by side on eval folders, with stores kept between runs.

    python bench/retrieval.py ../shared/eval ../shared/eval-real --model e5-small --grid --cv

Each (folder, model, passage size) gets its own store under --stores, so a second run only pays
for questions, not for embedding (a store keeps the chunks it was built with: use a fresh --stores
after a change to chunking). Prints hit@1/5, MRR and passages@1/3/10 per configuration and, with
--cv, what 5-fold cross-validation over the documents of all folders pooled picks (mean and worst
held-out fold).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import benchenv
import numpy as np

import ingest.pipeline as pipeline
from assistant.answer import retrieval_query
from assistant.evaluation import Question, facts_rank, first_source_rank, load_questions, score
from assistant.retrieval import FUSION_RRF, FUSION_SCORES, RetrievalSettings, Retriever
from assistant.service import Assistant
from assistant.settings import Settings
from ingest.chunking import chunk_document
from ingest.embedding import embed_query, load_embedder


class QueryCache:
    """The embedder with question vectors remembered, so many configurations pay for each once."""

    def __init__(self, embedder: Any) -> None:
        self.inner = embedder
        self.model_id = embedder.model_id
        self.vectors: dict[str, np.ndarray] = {}
        self.seconds: list[float] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        for text in texts:
            if text not in self.vectors:
                began = time.perf_counter()
                self.vectors[text] = np.asarray(embed_query(self.inner, text), dtype=np.float32)
                self.seconds.append(time.perf_counter() - began)
        return np.vstack([self.vectors[t] for t in texts])


def open_store(folder: Path, model: str, chunk_chars: int, stores: Path) -> tuple[Assistant, dict[str, Any]]:
    pipeline.chunk_document = functools.partial(chunk_document, max_chars=chunk_chars)  # type: ignore[assignment]
    path = stores / f"{folder.resolve().name}-{model}-{chunk_chars}"
    embedder = QueryCache(load_embedder(model))
    assistant = Assistant(Settings(store=path, embedding_model=model), embedder=embedder)
    before = len(assistant.store.chunks())
    began = time.perf_counter()
    report = assistant.ingest([folder / "docs"], user="bench")
    seconds = time.perf_counter() - began
    chunks = assistant.store.chunks()
    lengths = [len(c.text) for c in chunks]
    info = {
        "store": str(path),
        "ingest": report.summary(),
        "chunks": len(chunks),
        "mean_chars": round(float(np.mean(lengths)), 1),
        "new_chunks": len(chunks) - before,
        "ingest_s": round(seconds, 1),
    }
    if len(chunks) > before:
        info["chunks_per_s"] = round((len(chunks) - before) / seconds, 1)
    return assistant, info


def configurations(grid: bool) -> dict[str, RetrievalSettings]:
    configs = {
        "bm25": RetrievalSettings(use_dense=False),
        "dense": RetrievalSettings(use_keywords=False),
        "rrf 2:1 (before)": RetrievalSettings(fusion=FUSION_RRF),
        "scores 0.4 (default)": RetrievalSettings(),
    }
    if not grid:
        return configs
    for weight in (1.0, 1.5, 3.0, 4.0, 6.0):
        configs[f"rrf {weight:g}:1"] = RetrievalSettings(fusion=FUSION_RRF, keyword_weight=weight)
    for share in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        configs[f"scores {share}"] = RetrievalSettings(fusion=FUSION_SCORES, dense_share=share)
        configs[f"rerank {share}"] = RetrievalSettings(
            fusion=FUSION_SCORES, dense_share=share, dense_candidates=0
        )
    return configs


def per_question(questions: list[Question], retriever: Retriever) -> list[dict[str, Any]]:
    rows = []
    for q in questions:
        if not q.answerable:
            continue
        hits = retriever.search(retrieval_query(q.question, q.history), k=10, role="member")
        rows.append(
            {
                "id": q.id,
                "group": q.sources[0],
                "rank": first_source_rank(hits, q.sources),
                "passage_rank": facts_rank(hits, q) if not q.computed and q.must_contain else -1,
            }
        )
    return rows


def metrics(rows: list[dict[str, Any]]) -> dict[str, float]:
    ranks = [r["rank"] for r in rows]
    passages = [r["passage_rank"] for r in rows if r["passage_rank"] != -1]
    out = {
        "hit@1": np.mean([r == 1 for r in ranks]),
        "hit@5": np.mean([r is not None and r <= 5 for r in ranks]),
        "mrr": np.mean([1 / r if r else 0.0 for r in ranks]),
    }
    for depth in (1, 3, 10):
        out[f"passage@{depth}"] = (
            np.mean([p is not None and p <= depth for p in passages]) if passages else 0.0
        )
    return {k: round(float(v), 4) for k, v in out.items()}


def fold_of(group: str, folds: int) -> int:
    return int(hashlib.sha256(group.encode()).hexdigest(), 16) % folds


def cross_validate(
    results: dict[str, list[dict[str, Any]]], candidates: list[str], folds: int = 5
) -> dict[str, Any]:
    """Pick the configuration by train folds (hit@1 + passage@3), score it on the held-out documents."""
    chosen, tested = [], []
    for fold in range(folds):

        def train(name: str, fold: int = fold) -> float:
            m = metrics([r for r in results[name] if fold_of(r["group"], folds) != fold])
            return m["hit@1"] + m["passage@3"]

        best = max(candidates, key=train)
        held_out = [r for r in results[best] if fold_of(r["group"], folds) == fold]
        chosen.append(best)
        tested.append(metrics(held_out))
    keys = tested[0].keys()
    return {
        "chosen": chosen,
        "mean": {k: round(float(np.mean([t[k] for t in tested])), 4) for k in keys},
        "worst": {k: round(float(np.min([t[k] for t in tested])), 4) for k in keys},
    }


def run_folder(folder: Path, args: argparse.Namespace) -> dict[str, list[dict[str, Any]]]:
    """Every configuration on one folder; returns the per-question rows for cross-validation."""
    assistant, info = open_store(folder, args.model, args.chunk_chars, args.stores)
    print(json.dumps({"folder": str(folder), "model": args.model, **info}, ensure_ascii=False))
    questions = load_questions(folder / "questions.jsonl")
    results = {}
    for name, config in configurations(args.grid).items():
        retriever = Retriever(assistant.store, assistant.embedder, config)
        results[name] = per_question(questions, retriever)
        print(json.dumps({"config": name, **metrics(results[name])}, ensure_ascii=False), flush=True)
    embedder: QueryCache = assistant.embedder  # type: ignore[assignment]
    if embedder.seconds:
        print(json.dumps({"ms_per_query": round(1000 * float(np.median(embedder.seconds)), 1)}))
    if args.answers:
        config = configurations(True)[args.answers]
        assistant.retriever.settings = config
        report = score(
            questions,
            lambda q, h, role: assistant.search(retrieval_query(q, h), k=10, role=role),
            assistant.ask,
        )
        report.pop("failures")
        print(
            json.dumps(
                {"answers_under": args.answers, "settings": asdict(config), **report}, ensure_ascii=False
            )
        )
    assistant.store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--model", default=benchenv.default_model())
    parser.add_argument("--chunk-chars", type=int, default=1000)
    parser.add_argument(
        "--across-sections", action="store_true", help="experiment: chunks span short sections"
    )
    parser.add_argument("--stores", type=Path, default=Path("/tmp/ratsauskunft-bench-retrieval"))
    parser.add_argument("--grid", action="store_true", help="also fusion weights, score fusion, re-ranking")
    parser.add_argument(
        "--cv", action="store_true", help="cross-validate the choice, documents of all folders pooled"
    )
    parser.add_argument("--answers", default="", help="also score answers under this configuration")
    args = parser.parse_args()

    print(json.dumps({"commit": benchenv.commit()}))
    pooled: dict[str, list[dict[str, Any]]] = {}
    for folder in args.folders:
        for name, rows in run_folder(folder, args).items():
            pooled.setdefault(name, []).extend({**r, "group": f"{folder.name}/{r['group']}"} for r in rows)
    if args.cv:
        names = [n for n in pooled if n.startswith(("scores", "rerank", "rrf"))]
        print(json.dumps({"cv": cross_validate(pooled, names)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
