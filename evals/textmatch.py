"""Text folding and matching rules of EVAL_FORMAT.md, shared by the metrics and the dataset checks.

A quote "covers" a passage when the folded quote is a substring of the folded passage.
Folding must forgive what extraction does to text (quotes, dashes, hyphenated line breaks,
whitespace, full-width forms, spaces that PDF justification puts between Japanese characters)
and nothing else, so that a hit still means the passage really holds the quote.
"""
from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
                         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u30fc": "\u30fc"})
_HYPHEN_BREAK = re.compile(r"(\w)-\s*\n\s*(\w)")
_WS = re.compile(r"\s+")
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u3000-\u303f"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(_QUOTES)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = _WS.sub(" ", text).strip().lower()
    return _SPACE_NEAR_CJK.sub("", text)


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
