"""BM25 over the catalogue's chunks, with the shared English/Japanese term splitter.

Small enough to own: an inverted index of numpy arrays, scored per query term, so a filter
is a boolean mask and adding documents does not need another library's rebuild rules.

Incremental: `updated(add, remove)` returns a new index with some documents added and some
removed, touching only the postings of their terms; the old index is left as it was (a query
running on it is not disturbed). Documents live in slots; a removed document's slot is empty
(it is in no posting list, so it scores 0) and a later addition may reuse it. IDF and length
normalisation depend only on the live documents, so scores equal a full rebuild's exactly.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from assistant.core.text import terms


class BM25:
    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75, keys: list | None = None) -> None:
        self.k1, self.b = k1, b
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.lengths = np.zeros(len(texts), dtype=np.float32)
        self.doc_terms: list[tuple[str, ...] | None] = []
        for i, text in enumerate(texts):
            tf = Counter(terms(text))
            self.lengths[i] = sum(tf.values())
            self.doc_terms.append(tuple(tf))
            for term, n in tf.items():
                postings[term].append((i, n))
        self.index = {
            t: (np.array([d for d, _ in p], dtype=np.int64), np.array([n for _, n in p], dtype=np.float32))
            for t, p in postings.items()
        }
        # Tie-break among equal scores: by key when given (a chunk id), else by slot.
        self.keys: list = list(keys) if keys is not None else list(range(len(texts)))
        self.free: list[int] = []  # empty slots, reused by additions
        self.n = len(texts)
        self.total = float(self.lengths.sum(dtype=np.float64))
        self._renorm()

    @property
    def slots(self) -> int:
        return len(self.doc_terms)

    def _renorm(self) -> None:
        avg = self.total / self.n if self.n else 1.0
        self.norm = (self.k1 * (1 - self.b + self.b * self.lengths / max(avg, 1e-9))).astype(np.float32)

    def updated(self, add: list[str], remove: list[int] = (), keys: list | None = None) -> tuple["BM25", list[int]]:
        """A new index: this one minus the documents in slots `remove`, plus the texts `add`.
        Returns it and the slots the added texts got (empty slots first, then new ones at the end)."""
        new = object.__new__(BM25)
        new.k1, new.b = self.k1, self.b
        new.doc_terms = list(self.doc_terms)
        new.keys = list(self.keys)
        new.free = list(self.free)
        new.total, new.n = self.total, self.n
        new.index = dict(self.index)
        drop: dict[str, list[int]] = defaultdict(list)
        for slot in sorted(set(remove)):
            doc = new.doc_terms[slot]
            if doc is None:
                raise ValueError(f"slot {slot} is already empty")
            for t in doc:
                drop[t].append(slot)
            new.total -= float(self.lengths[slot])
            new.n -= 1
            new.doc_terms[slot] = None
            new.keys[slot] = None
            new.free.append(slot)
        new.free.sort(reverse=True)  # pop() takes the lowest empty slot
        placed: list[int] = []
        gain: dict[str, list[tuple[int, int]]] = defaultdict(list)
        added_lengths: list[tuple[int, float]] = []
        keys = list(keys) if keys is not None else [None] * len(add)
        for text, key in zip(add, keys):
            slot = new.free.pop() if new.free else len(new.doc_terms)
            if slot == len(new.doc_terms):
                new.doc_terms.append(None)
                new.keys.append(None)
            tf = Counter(terms(text))
            length = float(sum(tf.values()))
            new.doc_terms[slot] = tuple(tf)
            new.keys[slot] = key if key is not None else slot
            for t, c in tf.items():
                gain[t].append((slot, c))
            added_lengths.append((slot, length))
            new.total += length
            new.n += 1
            placed.append(slot)
        new.lengths = np.zeros(len(new.doc_terms), dtype=np.float32)
        new.lengths[: len(self.lengths)] = self.lengths
        for slot, length in added_lengths:
            new.lengths[slot] = length
        for t in set(drop) | set(gain):
            docs, tf = new.index.get(t, (np.empty(0, np.int64), np.empty(0, np.float32)))
            if t in drop:
                keep = ~np.isin(docs, np.array(drop[t], dtype=np.int64))
                docs, tf = docs[keep], tf[keep]
            if t in gain:
                docs = np.concatenate([docs, np.array([d for d, _ in gain[t]], dtype=np.int64)])
                tf = np.concatenate([tf, np.array([c for _, c in gain[t]], dtype=np.float32)])
            if len(docs):
                new.index[t] = (docs, tf)
            else:
                new.index.pop(t, None)
        new._renorm()
        return new, placed

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self.slots, dtype=np.float32)
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
        kth = np.partition(s, len(s) - k)[len(s) - k]
        top = np.flatnonzero(s >= kth)  # every document tied with the k-th too, then a stable order
        order = sorted(top.tolist(), key=lambda i: (-s[i], self.keys[i]))[:k]
        return [(i, float(s[i])) for i in order]
