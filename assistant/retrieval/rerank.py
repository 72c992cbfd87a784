"""Reranking stage behind one interface. No cross-encoder ships on PyPI, so the default is
none; a sentence-transformers CrossEncoder can be loaded from a local path the user sets
(BRIEFING_RERANKER=cross-encoder, BRIEFING_RERANKER_PATH=/path/to/model)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import replace
from functools import lru_cache


class Reranker(ABC):
    name: str

    @abstractmethod
    def rerank(self, query: str, hits: list) -> list: ...


class NoReranker(Reranker):
    name = "none"

    def rerank(self, query: str, hits: list) -> list:
        return hits


class CrossEncoderReranker(Reranker):
    name = "cross-encoder"

    def __init__(self, path: str) -> None:
        from sentence_transformers import CrossEncoder

        self.model = CrossEncoder(path, device="cpu", local_files_only=True)

    def rerank(self, query: str, hits: list) -> list:
        if not hits:
            return hits
        scores = self.model.predict([(query, h.chunk.text) for h in hits], show_progress_bar=False)
        scored = [replace(h, rerank_score=float(s)) for h, s in zip(hits, scores)]
        return sorted(scored, key=lambda h: -(h.rerank_score or 0.0))


@lru_cache(maxsize=4)
def get_reranker(name: str = "none", path: str | None = None) -> Reranker:
    if name == "none":
        return NoReranker()
    if name == "cross-encoder":
        if not path:
            raise ValueError("reranker 'cross-encoder' needs BRIEFING_RERANKER_PATH (a local model folder)")
        return CrossEncoderReranker(path)
    raise ValueError(f"unknown reranker '{name}' (known: none, cross-encoder)")
