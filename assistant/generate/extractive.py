"""The extractive answerer: quotes the retrieved sentences that best answer the question,
each with its [n] citation, and declines when the passages do not bear on the question.
No language model, so nothing can be invented: every word shown is a quotation."""
from __future__ import annotations

from assistant.answer import citation_for
from assistant.generate import Draft, Generator
from assistant.guard import looks_like_injection
from assistant.index.text import salient_terms, split_sentences, terms


def coverage(query_terms: set[str], text: str) -> float:
    if not query_terms:
        return 0.0
    return len(query_terms & set(terms(text))) / len(query_terms)


def supported(question: str, hits: list, settings, retriever) -> bool:
    """Weak support = neither the embedding nor the words of the question find a passage, or
    the question is about a name or number the corpus never mentions and no passage is close."""
    if not hits:
        return False
    q = set(terms(question))
    best_dense = max((h.dense for h in hits[:5] if h.dense is not None), default=0.0)
    best_cov = max(coverage(q, h.chunk.embed_text()) for h in hits[:3])
    if best_dense < settings.min_dense_score and best_cov < settings.min_term_coverage:
        return False
    unknown = retriever.unknown_terms(salient_terms(question))
    return not (unknown and best_dense < settings.unknown_name_min_dense)


class ExtractiveGenerator(Generator):
    name = "extractive"

    def __init__(self, settings) -> None:
        self.settings = settings

    def answer(self, question: str, hits: list, retriever, on_token=None) -> Draft:
        if not supported(question, hits, self.settings, retriever):
            return Draft("", declined=True)
        passages = hits[: self.settings.answer_passages]
        q = set(terms(question))
        candidates: list[tuple[int, str]] = []
        for rank, hit in enumerate(passages):
            for sentence in split_sentences(hit.chunk.text.replace("\n", " ")):
                if len(sentence) >= 12 and not _mostly_reference(sentence) and not looks_like_injection(sentence):
                    candidates.append((rank, sentence))
        if not candidates:
            return Draft("", declined=True)
        sims = retriever.similarity(question, [s for _, s in candidates])
        scored = sorted(
            ((0.6 * sim + 0.4 * coverage(q, s) + 0.05 / (rank + 1), rank, s)
             for (rank, s), sim in zip(candidates, sims)),
            key=lambda t: -t[0])
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
        citations = [citation_for(n, passages[rank], " \u2026 ".join(quotes[rank])) for rank, n in markers.items()]
        return Draft(" ".join(parts), declined=False, citations=citations)


def _mostly_reference(sentence: str) -> bool:
    """Footnote references (a URL and little else) answer nothing."""
    return "http" in sentence and len(sentence.replace(" ", "")) < 160
