"""The extractive answerer: quotes the retrieved sentences that best answer the question,
each with its [n] citation. Whether the passages bear on the question was decided before it
runs (answerability.py).
No language model, so nothing can be invented: every word shown is a quotation."""

from __future__ import annotations

from assistant.answering.answerability import coverage
from assistant.answering.generators import Draft, Generator, OnToken
from assistant.answering.sentences import SentenceScorer
from assistant.core.guard import looks_like_injection
from assistant.core.text import split_sentences, terms
from assistant.core.types import Citation, Hit
from assistant.index.embedders import get_embedder


class ExtractiveGenerator(Generator):
    name = "extractive"

    def __init__(self, settings, embedder=None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._scorer: SentenceScorer | None = None

    @property
    def scorer(self) -> SentenceScorer:
        # The embedder loads on first use: a model backend that never falls back never needs it.
        if self._scorer is None:
            self._scorer = SentenceScorer(
                self._embedder or get_embedder(self.settings.embedder, self.settings.embed_batch_size)
            )
        return self._scorer

    def answer(self, question: str, hits: list[Hit], on_token: OnToken | None = None) -> Draft:
        passages = hits[: self.settings.answer_passages]
        q = set(terms(question))
        candidates: list[tuple[int, str]] = []
        for rank, hit in enumerate(passages):
            for sentence in split_sentences(hit.chunk.text.replace("\n", " ")):
                if len(sentence) >= 12 and not _mostly_reference(sentence) and not looks_like_injection(sentence):
                    candidates.append((rank, sentence))
        if not candidates:
            return Draft("", declined=True)
        sims = self.scorer.similarity(question, [s for _, s in candidates])
        scored = sorted(
            (
                (0.6 * sim + 0.4 * coverage(q, s) + 0.05 / (rank + 1), rank, s)
                for (rank, s), sim in zip(candidates, sims)
            ),
            key=lambda t: -t[0],
        )
        best = scored[0][0]
        chosen, seen = [], set()
        for score, rank, sentence in scored:
            if len(chosen) >= self.settings.answer_sentences or score < 0.7 * best:
                break
            if sentence not in seen:
                chosen.append((rank, sentence))
                seen.add(sentence)
        markers: dict[int, int] = {}
        quotes: dict[int, list[str]] = {}
        parts = []
        for rank, sentence in chosen:
            n = markers.setdefault(rank, len(markers) + 1)
            quotes.setdefault(rank, []).append(sentence)
            parts.append(f"\u201c{sentence}\u201d [{n}]")
        citations = [Citation.of(n, passages[rank], " \u2026 ".join(quotes[rank])) for rank, n in markers.items()]
        return Draft(" ".join(parts), declined=False, citations=citations)


def _mostly_reference(sentence: str) -> bool:
    """Footnote references (a URL and little else) answer nothing."""
    return "http" in sentence and len(sentence.replace(" ", "")) < 160
