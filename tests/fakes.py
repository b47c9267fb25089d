"""Stand-ins for parts that are slow to load, for tests that are not about those parts."""

from __future__ import annotations

import hashlib

import numpy as np


class HashEmbedder:
    """A deterministic embedder without a model: each word adds a fixed pseudo-random direction.

    Texts that share words get similar vectors, which is enough for tests of the store, the
    pipeline and the plumbing around retrieval; it says nothing about the quality of a real model.
    """

    model_id = "test-hash-embedder"

    def __init__(self, dimensions: int = 16) -> None:
        self.dimensions = dimensions

    def _word_vector(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(word.encode("utf-8")).digest()[:8], "little")
        return np.random.default_rng(seed).standard_normal(self.dimensions).astype(np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row] += self._word_vector(word)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
