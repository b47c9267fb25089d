"""The assistant as one object: what the CLI and the UI both call. No logic of the UI lives elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.answer import Composer
from assistant.citations import fact_row
from assistant.llm import Rewriter, build_chat_model
from assistant.outcomes import decision_row
from assistant.retrieval import Retriever
from assistant.settings import Settings
from assistant.types import Answer, Hit, SearchFilters
from ingest.decisions import extract_decisions
from ingest.embedding import Embedder, load_embedder
from ingest.pipeline import FileResult, IngestReport, ingest_file, ingest_paths
from ingest.store import Store
from ingest.types import Document


class Assistant:
    """Opens the store and the model once per process; answers, searches and ingests."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        chat_model = build_chat_model(settings.llm)  # before the slow model load: a bad setting fails fast
        self.rewriter = Rewriter(chat_model) if chat_model is not None else None
        self.embedder = embedder or load_embedder(settings.embedding_model)
        self.store = Store(settings.store, self.embedder.model_id, settings.chroma_url)
        self.retriever = Retriever(self.store, self.embedder)
        self.composer = Composer(self.retriever, own_body=settings.own_body)

    # --- reading ---------------------------------------------------------------------------

    def search(
        self, query: str, k: int = 10, filters: SearchFilters | None = None, role: str = "public"
    ) -> list[Hit]:
        return self.retriever.search(query, k=k, filters=filters, role=role)

    def ask(self, question: str, history: list[str] | None = None, role: str = "public") -> Answer:
        draft = self.composer.compose(question, history or [], role=role)
        return self.rewriter.rewrite(question, draft) if self.rewriter is not None else draft

    def ledger(self, role: str = "public", body: str = "") -> list[dict[str, Any]]:
        """All amounts and memberships of the documents `role` may see, newest document first."""
        docs = {d.doc_id: d for d in self.retriever.documents(role)}
        rows = [fact_row(f, docs[f.doc_id]) for f in self.store.facts(list(docs)) if f.doc_id in docs]
        if body:
            rows = [
                r
                for r in rows
                if body.lower() in str(r["body"]).lower() or body.lower() in str(r["payer"]).lower()
            ]
        return sorted(
            rows, key=lambda r: (str(r["date"]), str(r["doc_id"]), int(str(r["start"]))), reverse=True
        )

    def decisions(self, role: str = "public") -> list[dict[str, Any]]:
        """Decision rows of the documents `role` may see (outcome, vote, the passage stating them),
        next to the amounts of `ledger`, newest document first."""
        rows = [
            decision_row(d, doc)
            for doc in self.retriever.documents(role)
            for d in extract_decisions(doc)
            if d.is_decision
        ]
        return sorted(rows, key=lambda r: (str(r["date"]), str(r["doc_id"]), int(r["start"])), reverse=True)

    def document(self, doc_id: str, role: str = "public") -> Document | None:
        return self.retriever.document(doc_id, role)

    def documents(self, role: str = "public") -> list[Document]:
        return sorted(self.retriever.documents(role), key=lambda d: d.doc_id)

    # --- writing ---------------------------------------------------------------------------

    def ingest(
        self, paths: list[Path], user: str = "system", on_progress: Callable[[FileResult], None] | None = None
    ) -> IngestReport:
        return ingest_paths(
            self.store,
            self.embedder,
            paths,
            user=user,
            on_progress=on_progress,
            batch_documents=self.settings.ingest_batch,
        )

    def ingest_one(
        self, path: Path, user: str = "system", overrides: dict[str, Any] | None = None
    ) -> FileResult:
        return ingest_file(self.store, self.embedder, path, user=user, overrides=overrides)

    def remove(self, doc_id: str, user: str = "system") -> bool:
        return self.store.remove_document(doc_id, user=user)
