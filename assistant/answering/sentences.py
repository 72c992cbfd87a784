"""How close a sentence is to a question, by the embedder the index uses: sentence choice in
the extractive answer and the background of a briefing note both rank sentences with it. A
sentence in the other language than the question's is compared by the multilingual embedder
when there is one: the English embedder reads Japanese as noise, which did not matter while a
Japanese passage was a sentence or two, and does once it holds a paragraph. For a Japanese
question it compares every sentence, so that all are on one scale."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from assistant.core.text import mostly_japanese


class SentenceScorer:
    def __init__(self, embedder, multilingual=None) -> None:
        self.embedder = embedder
        self.multilingual = multilingual
        self._queries: OrderedDict[tuple[str, bool], np.ndarray] = OrderedDict()

    def _query(self, query: str, across: bool) -> np.ndarray:
        key = (query, across)
        q = self._queries.get(key)
        if q is None:
            embedder = self.multilingual if across else self.embedder
            q = np.array(embedder.embed_query(query))
            self._queries[key] = q
            while len(self._queries) > 64:
                self._queries.popitem(last=False)
        return q

    def similarity(self, query: str, texts: list[str]) -> list[float]:
        """Cosine similarity of texts to the query (embeddings are normalised)."""
        if not texts:
            return []
        asked = mostly_japanese(query)
        # A Japanese question reads every sentence through the multilingual model: MiniLM reads
        # Japanese as noise, and two texts of noise look alike, so its Japanese sentences would
        # outscore the English ones the multilingual model compares fairly.
        across = [self.multilingual is not None and (asked or mostly_japanese(t)) for t in texts]
        out = [0.0] * len(texts)
        for flag in (False, True):
            idx = [i for i, a in enumerate(across) if a == flag]
            if not idx:
                continue
            embedder = self.multilingual if flag else self.embedder
            sims = np.array(embedder.embed_documents([texts[i] for i in idx])) @ self._query(query, flag)
            for i, s in zip(idx, sims.tolist()):
                out[i] = s
        return out
