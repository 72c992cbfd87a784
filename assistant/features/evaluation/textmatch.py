"""Text folding and matching rules of EVAL_FORMAT.md, shared by the metrics and the dataset checks.

A quote "covers" a passage when the folded quote is a substring of the folded passage.
Folding must forgive what extraction does to text (quotes, dashes, hyphenated line breaks,
whitespace, full-width forms, spaces that PDF justification puts between Japanese characters)
and nothing else, so that a hit still means the passage really holds the quote.
"""

from __future__ import annotations

from assistant.core.text import fold  # one folding rule for the product and the harness


def covers(passage: str, quote: str) -> bool:
    """True when the passage holds the quote (EVAL_FORMAT: a long quote split by a chunk
    boundary counts when either half is inside)."""
    fp, fq = fold(passage), fold(quote)
    if not fq:
        return False
    if fq in fp:
        return True
    words = fq.split(" ")
    if len(words) >= 8:
        half = len(words) // 2
        return " ".join(words[:half]) in fp or " ".join(words[half:]) in fp
    return False


def matches_group(answer: str, alternatives: list[str]) -> bool:
    fa = fold(answer)
    return any(fold(alt) in fa for alt in alternatives)
