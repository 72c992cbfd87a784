"""How close a sentence is to a question, by the embedder the index uses: sentence choice in
the extractive answer and the background of a briefing note both rank sentences with it."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np


class SentenceScorer:
    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    def similarity(self, query: str, texts: list[str]) -> list[float]:
        """Cosine similarity of texts to the query (embeddings are normalised)."""
        if not texts:
            return []
        q = self._queries.get(query)
        if q is None:
            q = np.array(self.embedder.embed_query(query))
            self._queries[query] = q
            while len(self._queries) > 64:
                self._queries.popitem(last=False)
        return (np.array(self.embedder.embed_documents(texts)) @ q).tolist()
