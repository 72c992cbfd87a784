"""Vector stores behind one interface; a new backend is a new file plus one line in REGISTRY."""

from __future__ import annotations

from abc import ABC, abstractmethod
from importlib import import_module

from assistant.core.types import Chunk


class VectorStore(ABC):
    @abstractmethod
    def add(self, chunks: list[Chunk], embeddings: list[list[float]]) -> None: ...

    @abstractmethod
    def delete(self, ids: list[str]) -> None: ...

    @abstractmethod
    def existing(self, ids: list[str]) -> set[str]: ...

    @abstractmethod
    def all_ids(self) -> set[str]: ...

    @abstractmethod
    def query(self, embedding: list[float], k: int, where: dict | None) -> list[tuple[Chunk, float]]:
        """Nearest chunks with cosine similarity, best first."""

    def query_ids(self, embedding: list[float], k: int, where: dict | None) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity, best first: for callers that hold the chunks
        already (the retriever's catalogue snapshot), so no text or metadata is fetched."""
        return [(c.id, s) for c, s in self.query(embedding, k, where)]

    @abstractmethod
    def count(self) -> int: ...

    def update_metadata(self, chunks: list[Chunk]) -> None:
        """Store these chunks' current text and metadata for vectors already there (a file whose
        access level or manifest entry changed keeps its chunk ids and vectors)."""
        raise NotImplementedError

    def reopen(self) -> "VectorStore":
        """A fresh view of the store, after another process changed it."""
        return self


REGISTRY = {
    "embedded": "assistant.index.stores.chroma:ChromaStore",
    "http": "assistant.index.stores.chroma:ChromaStore",
}


def open_store(settings) -> VectorStore:
    module, cls = REGISTRY[settings.chroma_mode].split(":")
    return getattr(import_module(module), cls).from_settings(settings)
