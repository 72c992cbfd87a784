"""What a reader is shown of an answer, decided once for every front end: the CLI, the app's
chat page and the conversation export render an `AnswerView` and decide nothing themselves.

- A model's direct answer (`Answer.quotes` set): its text, then the quotations it was written
  from under `QUOTES_LABEL`, one per line with the same [n], then the sources.
- A model backend whose answer did not hold (`verification.fallback`): the quotations are the
  answer, with a note saying so and why, so that nobody takes them for the model's words.
- Anything else (the extractive answerer, a timeline, a decline): the text as it is."""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTES_LABEL = "Quoted from the documents:"

# The quotations are joined as `“…” [1] “…” [2]` (answering/extractive.quote): one per line.
_BETWEEN_QUOTES = re.compile(r"(?<=\])\s+(?=\u201c)")


@dataclass(frozen=True)
class AnswerView:
    text: str  # shown first: the model's direct answer, else the answer itself
    quotes: tuple[str, ...] = ()  # beneath a direct answer, each `“sentence” [n]`
    note: str = ""  # above an answer of quotations that stands in for a model's answer

    @property
    def direct(self) -> bool:
        """The text is a model's direct answer with its quotations beneath."""
        return bool(self.quotes)


def quote_lines(quotes: str) -> tuple[str, ...]:
    """`Answer.quotes` (or the quotations `Assistant.ask` hands to `on_quotes`), one per line."""
    return tuple(q for q in _BETWEEN_QUOTES.split(quotes.strip()) if q)


def fallback_note(reason: str) -> str:
    return f"Quotations only: the model's answer is not shown ({reason})."


def answer_view(answer) -> AnswerView:
    """`answer`: a `core.types.Answer`."""
    if answer.declined:
        return AnswerView(answer.text)
    if answer.quotes:
        return AnswerView(answer.text, quote_lines(answer.quotes))
    fallback = answer.verification.fallback if answer.verification is not None else None
    return AnswerView(answer.text, note=fallback_note(fallback) if fallback else "")
