"""Sentence similarity: a sentence in the question's language is compared by the index's
embedder, one in the other language by the multilingual embedder when there is one, and every
sentence by it for a Japanese question."""

from __future__ import annotations

from assistant.answering.sentences import SentenceScorer


class _Fixed:
    """Every text gets the same unit vector: which embedder compared a sentence shows in its score."""

    def __init__(self, vector: list[float]) -> None:
        self.vector = vector
        self.seen: list[str] = []

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.seen += texts
        return [self.vector for _ in texts]


def test_a_sentence_in_the_other_language_is_compared_by_the_multilingual_embedder():
    english, multilingual = _Fixed([0.2, 0.98]), _Fixed([0.9, 0.436])
    scorer = SentenceScorer(english, multilingual)
    ja = "3,900億パラメータの国産LLMの構築を目指しています。"
    en = "SB Intuitions builds a Japanese language model."
    sims = scorer.similarity("What size of LLM does SB Intuitions aim to build?", [en, ja])
    assert sims == [0.2, 0.9] and english.seen == [en] and multilingual.seen == [ja]
    # A Japanese question: MiniLM reads it as noise, so the multilingual embedder compares every
    # sentence (two Japanese texts of noise would look alike to MiniLM and outscore the English one).
    multilingual.seen.clear()
    assert scorer.similarity("SB Intuitionsはどの規模のLLMを目指していますか。", [en, ja]) == [0.9, 0.9]
    assert multilingual.seen == [en, ja]
    # Without a multilingual embedder, the index's embedder compares everything, as before.
    assert SentenceScorer(english).similarity("What size?", [en, ja]) == [0.2, 0.2]
