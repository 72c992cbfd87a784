"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates fused by reciprocal rank,
then the reranking stage. Filters apply on both paths, before fusion."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import numpy as np

from assistant.config import Settings, readable_levels
from assistant.index.catalog import Catalog
from assistant.index.embedders import get_embedder
from assistant.index.filters import matches, to_chroma_where
from assistant.index.lexical import BM25
from assistant.index.schema import Chunk
from assistant.index.stores import open_store
from assistant.rerank import get_reranker

MODES = ("hybrid", "dense", "lexical")


@dataclass
class Hit:
    chunk: Chunk
    score: float  # fused score (or the single retriever's score)
    dense: float | None = None  # cosine similarity to the query, when the dense path found it
    lexical: float | None = None  # BM25 score, when the lexical path found it
    rerank_score: float | None = None


class Retriever:
    def __init__(self, settings: Settings, store=None, embedder=None, reranker=None,
                 role: str | None = None) -> None:
        self.settings = settings
        self.role = role or settings.role
        self.store = store or open_store(settings)
        self.embedder = embedder or get_embedder(settings.embedder, settings.embed_batch_size)
        self.reranker = reranker or get_reranker(settings.reranker, str(settings.reranker_path or "") or None)
        self._lock = threading.Lock()
        self._version = -1
        self._chunks: list[Chunk] = []
        self._bm25: BM25 | None = None
        self._meta: list[dict] = []
        self._ids: set[str] = set()
        self._masks: dict[str, np.ndarray] = {}

    def _lexical(self) -> tuple[list[Chunk], BM25, set[str], list[dict], dict]:
        """The BM25 index follows the catalogue: rebuilt when an ingest committed since."""
        catalog = Catalog(self.settings.index_dir)
        try:
            version = catalog.version()
            with self._lock:
                if version != self._version or self._bm25 is None:
                    if self._bm25 is not None and catalog.writer_pid() != os.getpid():
                        self.store = self.store.reopen()
                    self._chunks = catalog.chunks()
                    self._bm25 = BM25([c.embed_text() for c in self._chunks])
                    self._meta = [c.to_metadata() for c in self._chunks]
                    self._ids = {c.id for c in self._chunks}
                    self._masks = {}
                    self._version = version
                # One consistent snapshot: an ingest may replace these while a query runs.
                return self._chunks, self._bm25, self._ids, self._meta, self._masks
        finally:
            catalog.close()

    def search(self, query: str, filters: dict | None = None, k: int | None = None,
               mode: str = "hybrid") -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode '{mode}' (known: {', '.join(MODES)})")
        k = k or self.settings.top_k
        n = max(self.settings.candidates, k)
        filters = self.visible(filters)
        chunks, bm25, committed, meta, masks = self._lexical()
        dense: list[tuple[Chunk, float]] = []
        lexical: list[tuple[Chunk, float]] = []
        if mode in ("hybrid", "dense"):
            # Only what the catalogue has committed: vectors of an ingest that is running or was
            # killed (added, not committed) stay invisible, and cannot crowd out the committed
            # ones, since as many more are fetched as there are uncommitted vectors.
            extra = max(0, self.store.count() - len(committed))
            dense = self.store.query(self.embedder.embed_query(query), n + extra, to_chroma_where(filters))
            dense = [(c, s) for c, s in dense if c.id in committed][:n]
        if mode in ("hybrid", "lexical"):
            mask = self._mask(meta, masks, filters)
            lexical = [(chunks[i], s) for i, s in bm25.search(query, n, mask)]
        hits = self._fuse(dense, lexical, self._dense_weight(query))
        return self.reranker.rerank(query, hits)[:k]

    def visible(self, filters: dict | None) -> dict:
        """The caller's filters narrowed to the access levels the role may read. Applied inside
        both retrievers, before fusion and reranking, so nothing else can see what is hidden."""
        allowed = readable_levels(self.role)
        asked = (filters or {}).get("access")
        return {**(filters or {}), "access": [a for a in allowed if not asked or a in asked]}

    @staticmethod
    def _mask(meta: list[dict], masks: dict, filters: dict) -> np.ndarray:
        """Which chunks the filters let through. Every query carries at least the role's access
        filter, so masks are kept with the snapshot they were computed on, per filter set."""
        key = repr(sorted(filters.items()))
        mask = masks.get(key)
        if mask is None:
            if len(masks) > 64:
                masks.clear()
            mask = masks[key] = np.array([matches(md, filters) for md in meta], dtype=bool)
        return mask

    def _dense_weight(self, query: str) -> float:
        """The packaged embedder reads English only: for a mostly Japanese query its ranking is
        noise, so the lexical ranking leads the fusion."""
        cjk = sum(1 for ch in query if "\u3040" <= ch <= "\u9fff")
        letters = sum(1 for ch in query if ch.isalnum())
        return self.settings.dense_weight_cjk if letters and cjk / letters > 0.3 else self.settings.dense_weight

    def _fuse(self, dense, lexical, dense_weight: float = 1.0) -> list[Hit]:
        by_id: dict[str, Hit] = {}
        rrf = self.settings.rrf_k
        for rank, (chunk, cos) in enumerate(dense):
            by_id[chunk.id] = Hit(chunk, dense_weight / (rrf + rank + 1), dense=cos)
        for rank, (chunk, s) in enumerate(lexical):
            hit = by_id.setdefault(chunk.id, Hit(chunk, 0.0))
            hit.lexical = s
            hit.score += 1.0 / (rrf + rank + 1)
        return sorted(by_id.values(), key=lambda h: -h.score)

    def unknown_terms(self, words: list[str]) -> list[str]:
        """Terms that appear in no document this role may read (a hidden document must not
        change how the assistant answers, not even by knowing a word)."""
        _, bm25, _, meta, masks = self._lexical()
        mask = self._mask(meta, masks, self.visible(None))
        return [w for w in words if w not in bm25.index or not mask[bm25.index[w][0]].any()]

    def similarity(self, query: str, texts: list[str]) -> list[float]:
        """Cosine similarity of texts to the query (embeddings are normalised)."""
        q = np.array(self.embedder.embed_query(query))
        if not texts:
            return []
        return (np.array(self.embedder.embed_documents(texts)) @ q).tolist()
