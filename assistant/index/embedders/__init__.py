"""Embedders behind one interface; a new one is a new file plus one line in REGISTRY.

An embedder is a LangChain `Embeddings` (so LangChain components can use it as is) that also
counts its own word pieces, because the chunker must never exceed what it reads.
"""
from __future__ import annotations

from abc import abstractmethod
from functools import lru_cache
from importlib import import_module

from langchain_core.embeddings import Embeddings


class Embedder(Embeddings):
    name: str
    max_tokens: int  # input beyond this is silently cut by the model
    dimensions: int

    @abstractmethod
    def count_tokens(self, text: str) -> int: ...


REGISTRY = {"minilm": "assistant.index.embedders.minilm:MiniLMEmbedder"}


def get_embedder(name: str = "minilm", batch_size: int | None = None) -> Embedder:
    """One instance per process and name: loading a model is the slow part."""
    embedder = _load(name)
    if batch_size:
        embedder.batch_size = batch_size
    return embedder


@lru_cache(maxsize=4)
def _load(name: str) -> Embedder:
    try:
        module, cls = REGISTRY[name].split(":")
    except KeyError:
        raise ValueError(f"unknown embedder '{name}' (known: {', '.join(REGISTRY)})") from None
    return getattr(import_module(module), cls)()
