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
