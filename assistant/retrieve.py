"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates fused by reciprocal rank,
then the reranking stage. Filters apply on both paths, before fusion."""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

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


@dataclass
class _Snapshot:
    """One consistent view of the catalogue for the lexical path: an ingest may replace it while
    a query runs, never change it (updates build a new one, sharing what did not change)."""
    epoch: tuple  # (catalogue file identity, version): the cache key's index version
    files: dict[str, str]  # source -> sha256 of the files it holds
    slots: dict[str, list[int]]  # source -> BM25 slots of its chunks
    chunks: list  # by slot; None for an empty slot
    meta: list  # by slot; None for an empty slot
    bm25: BM25
    ids: dict[str, int]  # committed chunk id -> slot
    masks: dict  # repr(filters) -> (filters, mask), per snapshot


def _copy(hits: list[Hit]) -> list[Hit]:
    """Hits a caller may change (rerank scores, chunk fields) without touching the cache."""
    return [replace(h, chunk=replace(h.chunk)) for h in hits]


class Retriever:
    def __init__(self, settings: Settings, store=None, embedder=None, reranker=None,
                 role: str | None = None) -> None:
        self.settings = settings
        self.role = role or settings.role
        self.store = store or open_store(settings)
        self.embedder = embedder or get_embedder(settings.embedder, settings.embed_batch_size)
        self.reranker = reranker or get_reranker(settings.reranker, str(settings.reranker_path or "") or None)
        self._lock = threading.Lock()
        self._snap: _Snapshot | None = None
        self._catalog: Catalog | None = None
        self._catalog_id: tuple | None = None
        # (query, filters incl. the role's access filter, k, mode, index version) -> hits
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = max(0, int(getattr(settings, "retrieval_cache_size", 512)))
        self._vectors: OrderedDict = OrderedDict()  # query -> embedding (search and similarity share it)
        self.stats = {"cache_hits": 0, "cache_misses": 0, "lexical_full": 0, "lexical_incremental": 0}

    # -- the lexical snapshot ---------------------------------------------------------------
    def _open_catalog(self) -> Catalog:
        """One connection per retriever, reopened if the catalogue file was replaced (an index
        deleted and built again restarts its version count: the file's identity keeps the
        cache keys apart)."""
        path = self.settings.index_dir / "catalog.sqlite"
        try:
            st = path.stat()
            ident = (st.st_dev, st.st_ino)
        except OSError:
            ident = None
        if self._catalog is None or ident != self._catalog_id or ident is None:
            if self._catalog is not None:
                self._catalog.close()
            self._catalog = Catalog(self.settings.index_dir)
            st = self._catalog.path.stat()
            self._catalog_id = (st.st_dev, st.st_ino)
        return self._catalog

    def _snapshot(self) -> _Snapshot:
        """The BM25 index follows the catalogue: updated with the files an ingest committed since
        (their chunks added, their old chunks removed), not rebuilt from every chunk."""
        with self._lock:
            catalog = self._open_catalog()
            epoch = (self._catalog_id, catalog.version())
            snap = self._snap
            if snap is not None and snap.epoch == epoch:
                return snap
            if snap is not None and catalog.writer_pid() != os.getpid():
                self.store = self.store.reopen()
            same_file = snap is not None and snap.epoch[0] == epoch[0]
            version, files, fresh = catalog.changes(snap.files if same_file else {})
            epoch = (self._catalog_id, version)
            if same_file:
                self._snap = self._update(snap, epoch, files, fresh)
                self.stats["lexical_incremental"] += 1
            else:
                self._snap = self._build(epoch, files, fresh)
                self.stats["lexical_full"] += 1
            return self._snap

    @staticmethod
    def _build(epoch, files: dict, fresh: dict) -> _Snapshot:
        chunks, slots = [], {}
        for source in sorted(fresh):
            slots[source] = list(range(len(chunks), len(chunks) + len(fresh[source])))
            chunks += fresh[source]
        bm25 = BM25([c.embed_text() for c in chunks], keys=[c.id for c in chunks])
        return _Snapshot(epoch, dict(files), slots, chunks, [c.to_metadata() for c in chunks], bm25,
                         {c.id: i for i, c in enumerate(chunks)}, {})

    def _update(self, old: _Snapshot, epoch, files: dict, fresh: dict) -> _Snapshot:
        gone = [s for s in old.files if s not in files or s in fresh]
        remove = [slot for s in gone for slot in old.slots.get(s, [])]
        added = [(s, c) for s in sorted(fresh) for c in fresh[s]]
        live = old.bm25.n - len(remove) + len(added)
        if old.bm25.slots - live > max(1000, live // 4):  # mostly empty slots: start afresh
            keep = {s: [old.chunks[i] for i in old.slots[s]] for s in old.files if s not in gone}
            return self._build(epoch, files, {**keep, **fresh})
        bm25, placed = old.bm25.updated([c.embed_text() for _, c in added], remove, keys=[c.id for _, c in added])
        chunks, meta = list(old.chunks), list(old.meta)
        grow = bm25.slots - len(chunks)
        chunks += [None] * grow
        meta += [None] * grow
        for slot in remove:
            chunks[slot] = meta[slot] = None
        slots = {s: v for s, v in old.slots.items() if s not in gone}
        for (source, chunk), slot in zip(added, placed):
            chunks[slot], meta[slot] = chunk, chunk.to_metadata()
            slots.setdefault(source, []).append(slot)
        ids = {c.id: i for i, c in enumerate(chunks) if c is not None}
        masks = {}
        for key, (filters, mask) in list(old.masks.items()):  # carried forward: only new slots are computed
            m = np.zeros(bm25.slots, dtype=bool)
            m[:len(mask)] = mask
            m[remove] = False
            for slot in placed:
                m[slot] = matches(meta[slot], filters)
            masks[key] = (filters, m)
        return _Snapshot(epoch, dict(files), slots, chunks, meta, bm25, ids, masks)

    def _lexical(self) -> tuple[list[Chunk], BM25, dict[str, int], list[dict], dict]:
        """(chunks by slot, BM25, committed ids -> slots, metadata by slot, masks) of one snapshot."""
        snap = self._snapshot()
        return snap.chunks, snap.bm25, snap.ids, snap.meta, snap.masks

    # -- search -------------------------------------------------------------------------------
    def search(self, query: str, filters: dict | None = None, k: int | None = None,
               mode: str = "hybrid", timings: dict | None = None) -> list[Hit]:
        """The top k hits. Results are cached per (query, filters with the role's access filter,
        k, mode, index version): an ingest that commits changes the version. `timings`, when
        given, receives the seconds spent in each stage."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode '{mode}' (known: {', '.join(MODES)})")
        clock = time.perf_counter
        t0 = clock()
        k = k or self.settings.top_k
        n = max(self.settings.candidates, k)
        filters = self.visible(filters)
        snap = self._snapshot()
        key = (query, repr(sorted(filters.items())), k, mode, snap.epoch, id(self.reranker))
        if self._cache_size:
            with self._lock:
                cached = self._cache.get(key)
                if cached is not None:
                    self._cache.move_to_end(key)
                    self.stats["cache_hits"] += 1
            if cached is not None:
                if timings is not None:
                    timings.update(cache_hit=True, total=clock() - t0)
                return _copy(cached)
        t = {"cache_hit": False, "embed": 0.0, "dense": 0.0, "bm25": 0.0}
        dense: list[tuple[Chunk, float]] = []
        lexical: list[tuple[Chunk, float]] = []
        mask = self._mask(snap.meta, snap.masks, filters)
        if mode in ("hybrid", "dense"):
            t1 = clock()
            vector = self._query_vector(query)
            t2 = clock()
            # Only what the catalogue has committed, as the catalogue has it: vectors of an ingest
            # that is running or was killed (added, not committed) stay invisible, and cannot crowd
            # out the committed ones, since as many more are fetched as there are uncommitted
            # vectors; the filters are checked again on the catalogue's metadata (the text of
            # record), so a vector whose stored metadata is behind it can never widen access.
            extra = max(0, self.store.count() - len(snap.ids))
            dense = self._dense(snap, mask, vector, n, extra, filters)
            t["embed"], t["dense"] = t2 - t1, clock() - t2
        if mode in ("hybrid", "lexical"):
            t1 = clock()
            lexical = [(snap.chunks[i], s) for i, s in snap.bm25.search(query, n, mask)]
            t["bm25"] = clock() - t1
        t1 = clock()
        hits = self._fuse(dense, lexical, self._dense_weight(query))
        t2 = clock()
        hits = self.reranker.rerank(query, hits)[:k]
        t3 = clock()
        t.update(fusion=t2 - t1, rerank=t3 - t2, total=t3 - t0)
        if timings is not None:
            timings.update(t)
        if self._cache_size:
            with self._lock:
                self.stats["cache_misses"] += 1
                self._cache[key] = _copy(hits)
                self._cache.move_to_end(key)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return hits

    def _dense(self, snap: _Snapshot, mask: np.ndarray, vector, n: int, extra: int, filters: dict) -> list:
        """The n nearest committed chunks the filters let through. A metadata filter in the
        vector store costs time in proportion to the collection (Chroma filters before it
        searches: 26 ms at 10k chunks against 3 ms unfiltered), so when most chunks pass, the
        store is asked unfiltered for a few more and the catalogue's mask filters them: if at
        least n pass, they are exactly the filtered search's n. Otherwise, and when few chunks
        pass, the store filters."""
        visible = int(mask.sum())
        share = visible / max(1, len(snap.ids))

        def keep(found):
            return [(snap.chunks[i], sim) for cid, sim in found
                    if (i := snap.ids.get(cid)) is not None and mask[i]][:n]

        if share >= 0.3:
            fetch = n + extra if visible == len(snap.ids) else int((n + extra) / share * 1.25) + 10
            dense = keep(self.store.query_ids(vector, fetch, None))
            if len(dense) >= n or fetch >= len(snap.ids) + extra or len(dense) == visible:
                return dense
        return keep(self.store.query_ids(vector, n + extra, to_chroma_where(filters)))

    def _query_vector(self, query: str) -> list[float]:
        with self._lock:
            vec = self._vectors.get(query)
            if vec is not None:
                self._vectors.move_to_end(query)
                return list(vec)
        vec = tuple(self.embedder.embed_query(query))
        with self._lock:
            self._vectors[query] = vec
            while len(self._vectors) > 256:
                self._vectors.popitem(last=False)
        return list(vec)

    def visible(self, filters: dict | None) -> dict:
        """The caller's filters narrowed to the access levels the role may read. Applied inside
        both retrievers, before fusion and reranking, so nothing else can see what is hidden."""
        allowed = readable_levels(self.role)
        asked = (filters or {}).get("access")
        return {**(filters or {}), "access": [a for a in allowed if not asked or a in asked]}

    @staticmethod
    def _mask(meta: list[dict], masks: dict, filters: dict) -> np.ndarray:
        """Which chunks the filters let through. Every query carries at least the role's access
        filter, so masks are kept with the snapshot they were computed on, per filter set (and
        carried to the next snapshot, computed there for the new chunks only)."""
        key = repr(sorted(filters.items()))
        found = masks.get(key)
        if found is None:
            if len(masks) > 64:
                masks.clear()
            mask = np.array([md is not None and matches(md, filters) for md in meta], dtype=bool)
            masks[key] = ({k: (list(v) if isinstance(v, (list, tuple, set)) else v) for k, v in filters.items()}, mask)
            return mask
        return found[1]

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

    def passages(self, filters: dict | None = None) -> list[Chunk]:
        """Every chunk the role (and the filters) let through, in reading order: what a quiz is
        cut from. From the snapshot and masks that searches use, not a second read of the index."""
        snap = self._snapshot()
        mask = self._mask(snap.meta, snap.masks, self.visible(filters))
        return sorted((snap.chunks[i] for i in np.flatnonzero(mask)), key=lambda c: (c.meta.source, c.position))

    def unknown_terms(self, words: list[str]) -> list[str]:
        """Terms that appear in no document this role may read (a hidden document must not
        change how the assistant answers, not even by knowing a word)."""
        _, bm25, _, meta, masks = self._lexical()
        mask = self._mask(meta, masks, self.visible(None))
        return [w for w in words if w not in bm25.index or not mask[bm25.index[w][0]].any()]

    def similarity(self, query: str, texts: list[str]) -> list[float]:
        """Cosine similarity of texts to the query (embeddings are normalised)."""
        q = np.array(self._query_vector(query))
        if not texts:
            return []
        return (np.array(self.embedder.embed_documents(texts)) @ q).tolist()
