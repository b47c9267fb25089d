"""LangChain's own standard test suites (`langchain-tests`) run against our retriever and embeddings."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests

from assistant.lc import EmbedderEmbeddings, HybridRetriever
from assistant.retrieval import Retriever
from ingest.embedding import load_embedder
from ingest.pipeline import ingest_paths
from ingest.store import Store

pytestmark = pytest.mark.integration

_DOCUMENTS = {
    f"vorlage-{n}": f"Status: öffentlich\n\nBetreff: Zuschuss an den Verein Nummer {n}\n\n"
    f"Der Kreistag beschließt einen jährlichen Zuschuss von {n}.000 € an den Sportverein {n}.\n"
    for n in range(1, 8)
}


@cache
def _retriever() -> Retriever:
    """One small public corpus for the whole module (the suites construct retrievers themselves)."""
    folder = Path(tempfile.mkdtemp(prefix="lc-standard-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for name, text in _DOCUMENTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    embedder = load_embedder("minilm")
    store = Store(folder / "store", embedder.model_id)
    report = ingest_paths(store, embedder, [folder])
    assert not report.failed
    return Retriever(store, embedder)


class TestHybridRetrieverStandard(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[HybridRetriever]:
        return HybridRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"retriever": _retriever(), "k": 5, "role": "public"}

    @property
    def retriever_query_example(self) -> str:
        return "Zuschuss an den Sportverein"


class TestEmbedderEmbeddingsStandard(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[EmbedderEmbeddings]:
        return EmbedderEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"embedder": load_embedder("minilm")}
