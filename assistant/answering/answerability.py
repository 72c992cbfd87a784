"""Does what was retrieved bear on the question? Decided by the pipeline before any generator
runs, so every backend declines the same questions."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.text import salient_terms, terms
from assistant.core.types import Hit


@dataclass(frozen=True)
class Support:
    ok: bool
    reason: str = ""  # which check failed, in words a user can read


def coverage(query_terms: set[str], text: str) -> float:
    if not query_terms:
        return 0.0
    return len(query_terms & set(terms(text))) / len(query_terms)


def assess(question: str, hits: list[Hit], unknown_terms, settings) -> Support:
    """Weak support = neither the embedding nor the words of the question find a passage, or
    the question is about a name or number the corpus never mentions and no passage is close.
    `unknown_terms(words)` returns the words no document the asker may read contains."""
    if not hits:
        return Support(False, "nothing in the library matched the question")
    q = set(terms(question))
    best_dense = max((h.dense for h in hits[:5] if h.dense is not None), default=0.0)
    best_cov = max(coverage(q, h.chunk.embed_text()) for h in hits[:3])
    if best_dense < settings.min_dense_score and best_cov < settings.min_term_coverage:
        return Support(False, "no passage is close to the question")
    unknown = unknown_terms(salient_terms(question))
    if unknown and best_dense < settings.unknown_name_min_dense:
        return Support(False, "the documents never mention: " + ", ".join(unknown))
    return Support(True)
