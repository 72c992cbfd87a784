"""Conversation: a follow-up question is made stand-alone before retrieval.

Without a language model the rewrite is lexical: a follow-up that leans on the previous turn
(a pronoun, or too few words of its own) is searched together with the previous question."""
from __future__ import annotations

import re

from assistant.index.text import terms

_DEICTIC = re.compile(r"\b(it|its|they|them|their|this|that|these|those|he|she|his|her|there|then|the same)\b", re.I)


def condense(question: str, history: list[dict] | None) -> str:
    """`history`: earlier turns as {"question": ..., "answer": ...}, oldest first."""
    if not history:
        return question
    previous = history[-1].get("rewritten_question") or history[-1]["question"]
    own_terms = terms(question)
    if _DEICTIC.search(question) or len(own_terms) < 3:
        return f"{question} ({previous})"
    return question


class ChatSession:
    """History kept per session, bounded so that long conversations stay cheap."""

    def __init__(self, assistant, max_turns: int = 8) -> None:
        self.assistant = assistant
        self.history: list[dict] = []
        self.max_turns = max_turns

    def ask(self, question: str, **kw):
        answer = self.assistant.ask(question, history=self.history, **kw)
        self.history.append({"question": question, "answer": answer.answer,
                             "rewritten_question": answer.rewritten_question})
        self.history = self.history[-self.max_turns:]
        return answer

    def reset(self) -> None:
        self.history.clear()
