"""LangChain faces of our parts: the hybrid retriever as a `BaseRetriever`, an embedder as `Embeddings`."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieval import Retriever
from assistant.types import Role, SearchFilters
from ingest.embedding import Embedder, embed_query


class HybridRetriever(BaseRetriever):
    """Drop-in for any LangChain chain; access rules and filters stay those of our retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any
    k: int = 5
    role: Role = Role.PUBLIC
    filters: SearchFilters = SearchFilters()

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[LCDocument]:
        """`k` given to `invoke(query, k=…)` overrides the retriever's own `k` for that call."""
        inner: Retriever = self.retriever
        return [
            LCDocument(
                page_content=hit.text,
                metadata={**hit.to_json(), "chunk_index": hit.chunk_index},
            )
            for hit in inner.search(query, k=k or self.k, filters=self.filters, role=self.role)
        ]


class EmbedderEmbeddings(Embeddings):
    """Our embedder behind LangChain's interface (for langchain-chroma)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [row.tolist() for row in self.embedder.embed(texts)]

    def embed_query(self, text: str) -> list[float]:
        return embed_query(self.embedder, text)
