"""Shared fixtures: the real embedding model (loaded once), a fake one, and tiny corpora in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
EVAL_DIR = SHARED / "eval"


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from ingest.embedding import load_embedder

    return load_embedder("minilm")


@pytest.fixture(scope="session")
def assistant_over(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    """A function: an assistant over a fresh store holding `docs` (file name → text), ingested whole."""
    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.types import Role

    def build(docs: dict[str, str]) -> Assistant:
        folder = tmp_path_factory.mktemp("docs")
        for name, text in docs.items():
            (folder / name).write_text(text, encoding="utf-8")
        instance = Assistant(Settings(store=tmp_path_factory.mktemp("store")), embedder=embedder)
        assert not instance.ingest([folder], role=Role.ADMIN, user="test").failed
        return instance

    return build


@pytest.fixture
def fake_embedder():  # type: ignore[no-untyped-def]
    """A model-free embedder (tests/fakes.py) for tests of the store, retrieval plumbing and answers
    that are not about the quality of the vectors: no model load, same vectors on every run."""
    from fakes import HashEmbedder

    return HashEmbedder()


@pytest.fixture(scope="session")
def eval_docs() -> Path:
    docs = EVAL_DIR / "docs"
    if not docs.is_dir():
        pytest.skip("development set ../shared/eval not present")
    return docs


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def serve_app():  # type: ignore[no-untyped-def]
    """Serve the real Gradio app of an Assistant on a free loopback port: `with serve_app(a) as url:`
    (with an `Access` as second argument, that one; else the one its settings describe)."""
    from collections.abc import Iterator
    from contextlib import contextmanager

    @contextmanager
    def serve(assistant, access=None) -> Iterator[str]:  # type: ignore[no-untyped-def]
        from ui.app import build_app

        demo = build_app(assistant, access)
        port = free_port()
        demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True)
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            demo.close()

    return serve


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running in the main thread
    for the rest of the session, and async tests (MCP, LangChain's suites) cannot start one then."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
