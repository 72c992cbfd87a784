"""The cross-language dense index: every committed chunk embedded by a multilingual model
(USE-m3), so that a Japanese question reaches English passages and an English question the
Japanese ones. Vectors are kept by chunk id (a content hash) in one file of the index folder:
a chunk is embedded once, an unchanged corpus costs nothing, and the file follows the
catalogue's snapshots as the lexical index does.

An English passage is also embedded sentence by sentence (each under the passage's header), and
scores as its closest vector: a Japanese question asks for one fact, which one sentence of a
200-word passage states, and the passage's single vector blurs it among the rest. Japanese
passages keep their one vector: split into sentences they were found less often by English
questions (the cross-language tune half, English -> Japanese hit@5 0.727 -> 0.636)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from assistant.core.text import split_sentences
from assistant.core.types import Chunk
from assistant.index.snapshot import Snapshot

# How the vectors of a chunk are made (bump when `views` changes): the file is named by it, so an
# index built by an earlier version is embedded again once, on its first question.
LAYOUT = 2
# Shorter pieces are headings, list numbers and other fragments that say nothing of their own.
MIN_SENTENCE_CHARS = 16


def views(chunk: Chunk) -> list[str]:
    """The texts embedded for a chunk: the passage under its header, then (English passages only,
    see above) each of its sentences under the same header."""
    out = [chunk.embed_text()]
    if chunk.meta.language != "ja":
        head = chunk.header()
        out += [f"{head}\n{s}" for s in split_sentences(chunk.text) if len(s) >= MIN_SENTENCE_CHARS]
    return out


class CrossLingualIndex:
    def __init__(self, index_dir: Path, embedder) -> None:
        self.embedder = embedder
        self.path = index_dir / f"vectors-{embedder.name}-v{LAYOUT}.npz"
        self._lock = threading.Lock()
        self._vectors: dict[str, np.ndarray] | None = None  # chunk id -> its views' vectors, one row each
        self._epoch = None
        self._matrix = np.zeros((0, embedder.dimensions), dtype=np.float32)
        self._slots = np.array([], dtype=np.int64)  # the snapshot slot of each row of the matrix
        self._languages = np.array([], dtype=str)
        self._last: tuple[str, np.ndarray] | None = None

    def _load(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = {}
            if self.path.is_file():
                with np.load(self.path, allow_pickle=False) as f:
                    ids, vectors = f["ids"], f["vectors"]
                # Rows of one chunk are stored together, in order.
                starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else []
                for a, b in zip(starts, [*starts[1:], len(ids)]):
                    self._vectors[str(ids[a])] = vectors[a:b]
        return self._vectors

    def _save(self, vectors: dict[str, np.ndarray]) -> None:
        ids = np.array([cid for cid, rows in vectors.items() for _ in range(len(rows))], dtype=str)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, ids=ids, vectors=np.vstack(list(vectors.values())) if vectors else self._matrix[:0])
        os.replace(tmp, self.path)  # readers see the old file or the new one, never half of one
        for old in self.path.parent.glob(f"vectors-{self.embedder.name}*.npz"):
            if old != self.path and ".tmp." not in old.name:  # another process's file being written
                old.unlink(missing_ok=True)  # an earlier layout's vectors: never read again

    def _state(self, snap: Snapshot) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One row per view of every chunk of the snapshot (embedding what is new), the snapshot
        slot of each row and the language of each slot: built together, so that a search never
        pairs one snapshot's rows with another's slots."""
        with self._lock:
            if self._epoch == snap.epoch:
                return self._matrix, self._slots, self._languages
            vectors = self._load()
            missing = [c for c in snap.chunks if c is not None and c.id not in vectors]
            if missing:
                texts = [views(c) for c in missing]
                encoded = self.embedder.encode([t for ts in texts for t in ts])
                at = 0
                for c, ts in zip(missing, texts):
                    vectors[c.id] = np.asarray(encoded[at : at + len(ts)], dtype=np.float32)
                    at += len(ts)
            live = {c.id for c in snap.chunks if c is not None}
            if missing or len(vectors) > len(live):
                for cid in [cid for cid in vectors if cid not in live]:
                    del vectors[cid]
                self._save(vectors)
            present = [(i, vectors[c.id]) for i, c in enumerate(snap.chunks) if c is not None]
            m = np.vstack([rows for _, rows in present]) if present else self._matrix[:0]
            self._slots = np.array([i for i, rows in present for _ in range(len(rows))], dtype=np.int64)
            # Per slot, so that a query's language filter is one comparison, not a loop over chunks.
            self._languages = np.array([md.get("language", "") if md is not None else "" for md in snap.meta])
            self._matrix, self._epoch = m, snap.epoch
            return m, self._slots, self._languages

    def _query(self, query: str) -> np.ndarray:
        """The query's vector; the last one is kept, since a Japanese question searches the
        passages of each language in turn (retrieval/search.py)."""
        last = self._last
        if last is None or last[0] != query:
            last = self._last = (query, self.embedder.encode([query])[0])
        return last[1]

    def search(self, snap: Snapshot, query: str, mask: np.ndarray, n: int, language: str) -> list[tuple[int, float]]:
        """(slot, cosine) of the n nearest chunks the mask lets through whose language is not
        `language` (within English the other retrievers do better; "" for every language). A
        chunk's cosine is that of its closest view."""
        m, slots, languages = self._state(snap)
        mask = mask & (languages != language) if language else mask
        if not mask.any():
            return []
        q = self._query(query)
        sims = np.full(len(snap.chunks), -np.inf)
        np.maximum.at(sims, slots, m @ q)
        sims[~mask] = -np.inf
        top = np.argsort(-sims)[:n]
        return [(int(i), float(sims[i])) for i in top if np.isfinite(sims[i])]
