"""The cross-language dense index: every committed chunk embedded by a multilingual model
(USE-m3), so that a Japanese question reaches English passages and an English question the
Japanese ones. Vectors are kept by chunk id (a content hash) in one file of the index folder:
a chunk is embedded once, an unchanged corpus costs nothing, and the file follows the
catalogue's snapshots as the lexical index does."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from assistant.index.snapshot import Snapshot


class CrossLingualIndex:
    def __init__(self, index_dir: Path, embedder) -> None:
        self.embedder = embedder
        self.path = index_dir / f"vectors-{embedder.name}.npz"
        self._lock = threading.Lock()
        self._vectors: dict[str, np.ndarray] | None = None
        self._epoch = None
        self._matrix = np.zeros((0, embedder.dimensions), dtype=np.float32)
        self._languages = np.array([], dtype=str)

    def _load(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = {}
            if self.path.is_file():
                with np.load(self.path, allow_pickle=False) as f:
                    self._vectors = dict(zip(f["ids"].tolist(), f["vectors"]))
        return self._vectors

    def _save(self, vectors: dict[str, np.ndarray]) -> None:
        ids = np.array(list(vectors), dtype=str)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, ids=ids, vectors=np.vstack(list(vectors.values())) if vectors else self._matrix[:0])
        os.replace(tmp, self.path)  # readers see the old file or the new one, never half of one

    def matrix(self, snap: Snapshot) -> np.ndarray:
        """One row per snapshot slot (zeros for empty slots), embedding what is new."""
        with self._lock:
            if self._epoch == snap.epoch:
                return self._matrix
            vectors = self._load()
            missing = [c for c in snap.chunks if c is not None and c.id not in vectors]
            if missing:
                for c, v in zip(missing, self.embedder.encode([c.embed_text() for c in missing])):
                    vectors[c.id] = v
            live = {c.id for c in snap.chunks if c is not None}
            if missing or len(vectors) > len(live):
                for cid in [cid for cid in vectors if cid not in live]:
                    del vectors[cid]
                self._save(vectors)
            m = np.zeros((len(snap.chunks), self.embedder.dimensions), dtype=np.float32)
            for i, c in enumerate(snap.chunks):
                if c is not None:
                    m[i] = vectors[c.id]
            # Per slot, so that a query's language filter is one comparison, not a loop over chunks.
            self._languages = np.array([md.get("language", "") if md is not None else "" for md in snap.meta])
            self._matrix, self._epoch = m, snap.epoch
            return m

    def search(self, snap: Snapshot, query: str, mask: np.ndarray, n: int, language: str) -> list[tuple[int, float]]:
        """(slot, cosine) of the n nearest chunks the mask lets through whose language is not
        `language` (within English the other retrievers do better; "" for every language)."""
        m = self.matrix(snap)
        mask = mask & (self._languages != language) if language else mask
        if not mask.any():
            return []
        q = self.embedder.encode([query])[0]
        sims = m @ q
        sims[~mask] = -np.inf
        top = np.argsort(-sims)[:n]
        return [(int(i), float(sims[i])) for i in top if np.isfinite(sims[i])]
