"""BM25 over the catalogue's chunks, with the shared English/Japanese term splitter.

Small enough to own: an inverted index of numpy arrays, scored per query term, so a filter
is a boolean mask and adding documents does not need another library's rebuild rules."""
from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from assistant.index.text import terms


class BM25:
    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = np.zeros(len(texts), dtype=np.float32)
        for i, text in enumerate(texts):
            tf = Counter(terms(text))
            lengths[i] = sum(tf.values())
            for term, n in tf.items():
                postings[term].append((i, n))
        self.n = len(texts)
        avg = float(lengths.mean()) if self.n else 1.0
        self.norm = (k1 * (1 - b + b * lengths / max(avg, 1e-9))).astype(np.float32)
        self.index = {t: (np.array([d for d, _ in p], dtype=np.int64), np.array([n for _, n in p], dtype=np.float32))
                      for t, p in postings.items()}

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        for term in set(terms(query)):
            if term not in self.index:
                continue
            docs, tf = self.index[term]
            idf = math.log(1 + (self.n - len(docs) + 0.5) / (len(docs) + 0.5))
            out[docs] += idf * tf * (self.k1 + 1) / (tf + self.norm[docs])
        return out

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        s = self.scores(query)
        if mask is not None:
            s = np.where(mask, s, 0.0)
        k = min(k, int((s > 0).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top], kind="stable")]
        return [(int(i), float(s[i])) for i in top]
