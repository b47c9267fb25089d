"""Shared fixtures: the real embedding model (loaded once) and tiny corpora in tmp_path."""

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
    """Serve the real Gradio app of an Assistant on a free loopback port: `with serve_app(a) as url:`."""
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
