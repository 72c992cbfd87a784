"""Conversation: a follow-up question is made stand-alone before retrieval.

Without a language model the rewrite is lexical: a follow-up that leans on the previous turn
(a pronoun, or too few words of its own) is searched together with the previous question."""

from __future__ import annotations

import re

from assistant.core.text import terms
from assistant.core.types import Turn

_DEICTIC = re.compile(r"\b(it|its|they|them|their|this|that|these|those|he|she|his|her|there|then|the same)\b", re.I)


def condense(question: str, history: list[Turn] | None) -> str:
    """`history`: earlier turns, oldest first."""
    if not history:
        return question
    previous = history[-1].rewritten_question or history[-1].question
    own_terms = terms(question)
    if _DEICTIC.search(question) or len(own_terms) < 3:
        return f"{question} ({previous})"
    return question
