"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates fused by reciprocal rank,
then the reranking stage. Filters (with the role's access filter) apply on both paths, before
fusion. Returns ranked `Hit`s; nothing above calls back into it while answering."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import replace

import numpy as np

from assistant.core.access import readable_levels
from assistant.core.settings import Settings
from assistant.core.text import mostly_japanese
from assistant.core.types import Chunk, Hit
from assistant.index.crosslingual import CrossLingualIndex
from assistant.index.embedders import get_embedder
from assistant.index.filters import to_chroma_where
from assistant.index.snapshot import Snapshot, SnapshotSource
from assistant.index.stores import open_store
from assistant.retrieval.articles import boost_articles
from assistant.retrieval.boosts import DocumentMetadata
from assistant.retrieval.glossary import latin_words, translations, untranslated
from assistant.retrieval.loanwords import Loanwords
from assistant.retrieval.rerank import get_reranker
from ingest.manifest import Manifest

MODES = ("hybrid", "dense", "lexical")


class Retriever:
    def __init__(self, settings: Settings, store=None, embedder=None, reranker=None, role: str | None = None) -> None:
        self.settings = settings
        self.role = role or settings.role
        self.store = store or open_store(settings)
        self.embedder = embedder or get_embedder(settings.embedder, settings.embed_batch_size)
        self.reranker = reranker or get_reranker(settings.reranker, str(settings.reranker_path or "") or None)
        self.index = SnapshotSource(settings)
        name = getattr(settings, "crosslingual_embedder", "none")
        self.crosslingual = None if name == "none" else CrossLingualIndex(settings.index_dir, get_embedder(name))
        self._lock = threading.Lock()
        # (query, filters incl. the role's access filter, k, mode, index version) -> hits
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = max(0, int(getattr(settings, "retrieval_cache_size", 512)))
        self._vectors: OrderedDict = OrderedDict()  # query -> embedding
        self._stats = {"cache_hits": 0, "cache_misses": 0}
        self._metadata: tuple | None = None  # (snapshot epoch, DocumentMetadata)
        self._loanword_index: tuple | None = None  # (snapshot epoch, Loanwords)
        self._manifest: Manifest | None = None  # issuer aliases, read once

    @property
    def stats(self) -> dict:
        return {**self._stats, **self.index.stats}

    def snapshot(self) -> Snapshot:
        """The current lexical view; the vector store is reopened when another process committed."""
        return self.index.current(changed=self._reopen_store)

    def _reopen_store(self) -> None:
        self.store = self.store.reopen()

    # -- search -------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        filters: dict | None = None,
        k: int | None = None,
        mode: str = "hybrid",
        timings: dict | None = None,
    ) -> list[Hit]:
        """The top k hits. Results are cached per (query, filters with the role's access filter,
        k, mode, index version): an ingest that commits changes the version. `timings`, when
        given, receives the seconds spent in each stage. Hits are frozen: a caller cannot
        change what the cache holds."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode '{mode}' (known: {', '.join(MODES)})")
        clock = time.perf_counter
        t0 = clock()
        k = k or self.settings.top_k
        n = max(self.settings.candidates, k)
        filters = self.visible(filters)
        if not filters["access"]:
            # Only levels this role may not read were asked for: nothing. (An empty list means
            # "no filter" to the stores, which would return everything, hidden levels included.)
            return []
        snap = self.snapshot()
        key = (query, repr(sorted(filters.items())), k, mode, snap.epoch, id(self.reranker))
        if self._cache_size:
            with self._lock:
                cached = self._cache.get(key)
                if cached is not None:
                    self._cache.move_to_end(key)
                    self._stats["cache_hits"] += 1
            if cached is not None:
                if timings is not None:
                    timings.update(cache_hit=True, total=clock() - t0)
                return list(cached)
        crossed_terms: list[tuple[Chunk, float]] = []
        t = {"cache_hit": False, "embed": 0.0, "dense": 0.0, "bm25": 0.0, "crosslingual": 0.0}
        dense: list[tuple[Chunk, float]] = []
        lexical: list[tuple[Chunk, float]] = []
        mask = snap.mask(filters)
        # The other language's terms for the glossary terms of the question search the passages of
        # the other language on their own (BM25, below), so they never outweigh a match in the
        # question's own language; MiniLM, which reads English only, reads a Japanese question
        # with its English terms.
        japanese = mostly_japanese(query)
        foreign = translations(query) if self.settings.glossary_expansion else []
        # The Latin-script words of a Japanese question (JPAC, QZSS, CoRe) are written the same in
        # an English passage, and its katakana beyond the glossary read as the corpus's English
        # words (ペイロード: payload): both go with the glossary's terms.
        anchors = self._anchors(snap, query) if japanese else []
        expanded = f"{query} {' '.join([*foreign, *anchors])}" if japanese and (foreign or anchors) else query
        if mode in ("hybrid", "dense"):
            t1 = clock()
            vector = self._query_vector(expanded)
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
            if foreign or anchors:
                other = mask & snap.mask({"language": ["en" if japanese else "ja"]})
                crossed_terms = [
                    (snap.chunks[i], s) for i, s in snap.bm25.search(" ".join([*foreign, *anchors]), n, other)
                ]
            t["bm25"] = clock() - t1
        crossed: list[tuple[Chunk, float]] = []
        if self.crosslingual is not None and mode in ("hybrid", "dense"):
            t1 = clock()
            # A Japanese question reads every passage through the multilingual model (MiniLM reads
            # English only); an English question only the passages in other languages.
            language = "" if mostly_japanese(query) else "en"
            floor = self.settings.crosslingual_min_score
            # For a Japanese question the passages of each language are ranked on their own (the
            # fusion counts ranks within a language): an English passage scores by its closest
            # sentence, a Japanese one as a whole, so on one scale the English ones filled the
            # list and a Japanese passage with the question's very term ranked nowhere.
            ja = snap.mask({"language": ["ja"]})
            parts = [mask & ja, mask & ~ja] if not language else [mask]
            crossed = [
                (snap.chunks[i], s)
                for part in parts
                for i, s in self.crosslingual.search(snap, query, part, n, language)
                if s >= floor
            ]
            t["crosslingual"] = clock() - t1
        t1 = clock()
        cross_weight = (
            self.settings.crosslingual_weight_cjk if mostly_japanese(query) else self.settings.crosslingual_weight
        )
        hits = self._fuse(dense, lexical, self._dense_weight(query), crossed, cross_weight, crossed_terms)
        hits = self._boost(snap, query, hits)
        hits = boost_articles(query, hits, self.settings.article_weight, self.settings.rrf_k)
        t2 = clock()
        hits = self.reranker.rerank(query, hits)[:k]
        t3 = clock()
        t.update(fusion=t2 - t1, rerank=t3 - t2, total=t3 - t0)
        if timings is not None:
            timings.update(t)
        if self._cache_size:
            with self._lock:
                self._stats["cache_misses"] += 1
                self._cache[key] = tuple(hits)
                self._cache.move_to_end(key)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return hits

    def _dense(self, snap: Snapshot, mask: np.ndarray, vector, n: int, extra: int, filters: dict) -> list:
        """The n nearest committed chunks the filters let through. A metadata filter in the
        vector store costs time in proportion to the collection (Chroma filters before it
        searches: 26 ms at 10k chunks against 3 ms unfiltered), so when most chunks pass, the
        store is asked unfiltered for a few more and the catalogue's mask filters them: if at
        least n pass, they are exactly the filtered search's n. Otherwise, and when few chunks
        pass, the store filters."""
        visible = int(mask.sum())
        share = visible / max(1, len(snap.ids))

        def keep(found):
            return [(snap.chunks[i], sim) for cid, sim in found if (i := snap.ids.get(cid)) is not None and mask[i]][:n]

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
        narrowed = {**(filters or {}), "access": [a for a in allowed if not asked or a in asked]}
        if narrowed.get("issuer"):
            # An issuer by any of its names ("NSC", "White House") finds the documents filed
            # under its one canonical name (corpus/manifest.yaml, issuer_aliases).
            narrowed["issuer"] = sorted({self.manifest.canonical_issuer(i) for i in narrowed["issuer"]})
        return narrowed

    @property
    def manifest(self) -> Manifest:
        if self._manifest is None:
            self._manifest = Manifest.load(self.settings.corpus_dir)
        return self._manifest

    def _anchors(self, snap: Snapshot, query: str) -> list[str]:
        """Of a Japanese question, the words an English passage writes as it does: its Latin-script
        words (JPAC, QZSS, CoRe), and its katakana beyond the glossary read as English words."""
        return [*latin_words(query), *self._loanwords(snap).of(untranslated(query))]

    def _loanwords(self, snap: Snapshot) -> Loanwords:
        """The English words of the committed passages, by how katakana would write them."""
        if self._loanword_index is None or self._loanword_index[0] != snap.epoch:
            english = (c.text for c in snap.chunks if c is not None and c.meta.language == "en")
            self._loanword_index = (snap.epoch, Loanwords(english))
        return self._loanword_index[1]

    def _dense_weight(self, query: str) -> float:
        """The packaged embedder reads English only: for a mostly Japanese query its ranking is
        noise, so the lexical ranking leads the fusion."""
        return self.settings.dense_weight_cjk if mostly_japanese(query) else self.settings.dense_weight

    def _fuse(
        self, dense, lexical, dense_weight: float = 1.0, crossed=(), cross_weight: float = 1.0, crossed_terms=()
    ) -> list[Hit]:
        """Reciprocal-rank fusion of the rankings: dense, BM25, the multilingual index and the
        glossary's terms over the Japanese passages (both with the cross-language weight)."""
        rrf = self.settings.rrf_k
        # Embeddings computed on several threads differ in the last bits from run to run: two
        # passages a hair apart swapped places between identical runs. Ranked by the cosine to
        # four places, ties by id, the same question always gets the same passages.
        dense, crossed = _steady(dense), _steady(crossed)
        scores: dict[str, float] = {}
        chunks: dict[str, Chunk] = {}
        cosine: dict[str, float] = {}
        bm25: dict[str, float] = {}
        for rank, (chunk, cos) in enumerate(dense):
            chunks[chunk.id], cosine[chunk.id] = chunk, cos
            scores[chunk.id] = dense_weight / (rrf + rank + 1)
        for rank, (chunk, s) in enumerate(lexical):
            chunks.setdefault(chunk.id, chunk)
            bm25[chunk.id] = s
            scores[chunk.id] = scores.get(chunk.id, 0.0) + 1.0 / (rrf + rank + 1)
        across: dict[str, float] = {}
        ranks: dict[str, int] = {}  # the multilingual ranking is counted within each language
        for chunk, cos in crossed:
            rank = ranks[chunk.meta.language] = ranks.get(chunk.meta.language, -1) + 1
            chunks.setdefault(chunk.id, chunk)
            across[chunk.id] = cos
            scores[chunk.id] = scores.get(chunk.id, 0.0) + cross_weight / (rrf + rank + 1)
        for rank, (chunk, _) in enumerate(crossed_terms):
            chunks.setdefault(chunk.id, chunk)
            scores[chunk.id] = scores.get(chunk.id, 0.0) + self.settings.glossary_weight / (rrf + rank + 1)
        hits = [
            Hit(chunks[i], scores[i], dense=cosine.get(i), lexical=bm25.get(i), crossed=across.get(i)) for i in scores
        ]
        return sorted(hits, key=lambda h: (-round(h.score, 9), h.chunk.id))

    def _boost(self, snap: Snapshot, query: str, hits: list[Hit]) -> list[Hit]:
        """Documents matching the dates, issuers and kinds the question names rise: at most by
        metadata_weight times a first rank's share of the fusion."""
        japanese = mostly_japanese(query)
        weight = self.settings.metadata_weight_cjk if japanese else self.settings.metadata_weight
        if not weight or not hits:
            return hits
        if self._metadata is None or self._metadata[0] != snap.epoch:
            self._metadata = (snap.epoch, DocumentMetadata(snap.meta, self.manifest.issuer_names))
        docs = self._metadata[1]
        # A Japanese question names an English document by the glossary's words ("2024年4月の
        # ファクトシート" is the April 2024 fact sheet): read its descriptors in both languages.
        asked = docs.descriptors(query, tuple(translations(query)) if japanese else (), japanese)
        # An English question is boosted only by a month and year it names (see metadata_weight).
        if not asked or (not japanese and not (asked.years and asked.months)):
            return hits
        out = []
        for h in hits:
            share, matched = docs.match(h.chunk.doc_id, asked)
            out.append(
                replace(h, score=h.score + weight * share / (self.settings.rrf_k + 1), boosted_by=matched)
                if matched
                else h
            )
        return sorted(out, key=lambda h: -h.score)

    # -- what the role may read, for the layers above -------------------------------------------
    def passages(self, filters: dict | None = None) -> list[Chunk]:
        """Every chunk the role (and the filters) let through, in reading order: what a quiz is
        cut from. From the snapshot and masks that searches use, not a second read of the index."""
        return self.snapshot().passages(self.visible(filters))

    def unknown_terms(self, words: list[str]) -> list[str]:
        """Terms that appear in no document this role may read (a hidden document must not
        change how the assistant answers, not even by knowing a word)."""
        return self.snapshot().unknown(words, self.visible(None))

    def is_empty(self) -> bool:
        return not self.snapshot().ids


def _steady(ranking) -> list:
    """(chunk, cosine) pairs by the cosine to four places, then by chunk id."""
    return sorted(ranking, key=lambda pair: (-round(pair[1], 4), pair[0].id))
