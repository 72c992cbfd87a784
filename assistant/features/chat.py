"""A conversation: the answers so far, the history a follow-up is read against, and the audit
record of each question. Every front end (CLI ask and chat, the app) asks through one.

Two answer shapes are decided here, above the answering layer, so that every front end renders
them without change: a "how has ... evolved / changed since ..." question (or 「…はどのように
変化してきたか」) is answered by the timeline of positions (features/timeline.py), a dated list
with [n] markers whose citations carry the quotes; and an answer to a question asking "when"
shows the dates of the dated documents it cites, since a statement's date is often the only
date there is."""

from __future__ import annotations

from dataclasses import replace

from assistant.answering.question import analyse
from assistant.core.types import MAX_TURNS, Answer, Turn, recent
from assistant.features.audit import AuditLog
from assistant.features.timeline import evolution_question, timeline_answer


class ChatSession:
    def __init__(self, assistant, audit: AuditLog | None = None, max_turns: int = MAX_TURNS) -> None:
        """`audit`: where to record who asked what (front ends pass one; eval runs do not)."""
        self.assistant = assistant
        self.audit = audit
        self.max_turns = max_turns
        self.answers: list[Answer] = []

    def ask(self, question: str, **kw) -> Answer:
        history = [a.turn() for a in recent(self.answers, self.max_turns)]
        answer = respond(self.assistant, question, history, self.answers[-1] if self.answers else None, **kw)
        self.answers.append(answer)
        if self.audit is not None:
            self.audit.record(answer, self.assistant.user, self.assistant.role)
        return answer

    def reset(self) -> None:
        self.answers.clear()


def respond(assistant, question: str, history: list[Turn], previous: Answer | None = None, **kw) -> Answer:
    """One question read against `history`, in the shape every front end shows: the timeline
    for an evolution question, else the pipeline's answer, with dates for a "when" question.
    `previous` (the last answer, when the front end keeps it) lets a "when?" follow-up be dated;
    the HTTP API, whose callers send only the turns, passes None."""
    answer = _timeline(assistant, question, kw) or assistant.ask(question, history=history, **kw)
    return with_dates(answer, previous)


def _timeline(assistant, question: str, kw: dict) -> Answer | None:
    asked = evolution_question(question)
    if asked is None:
        return None
    answer = timeline_answer(assistant, question, asked, filters=kw.get("filters"), mode=kw.get("mode") or "hybrid")
    if answer is not None and kw.get("id") is not None:
        answer = replace(answer, id=kw["id"])
    return answer


def with_dates(answer: Answer, previous: Answer | None = None) -> Answer:
    """An answer to a "when" question (its own words or the rewritten follow-up) that cites
    dated documents says their dates; when the only thing missing was a date, the documents'
    dates answer it. A "when?" follow-up that the passages cannot date (no sentence states
    one) is answered by the dates of the documents the previous answer quoted."""
    if answer.declined and previous is not None:
        return _dated_follow_up(answer, previous)
    if answer.declined or not answer.citations:
        return answer
    asked = analyse(answer.rewritten_question or answer.question)
    if "date" not in asked.wants and "date" not in analyse(answer.question).wants:
        return answer
    metas = {h.chunk.doc_id: h.chunk.meta for h in answer.retrieved}
    dated: list[str] = []
    for c in answer.citations:
        meta = metas.get(c.doc_id)
        if meta is not None and meta.date and f"[{c.marker}]" not in "".join(dated):
            dated.append(f"[{c.marker}] {c.title}, {meta.issuer + ', ' if meta.issuer else ''}dated {meta.date}")
    if not dated:
        return answer
    text = f"{answer.text}\n\nDates of the documents cited: " + "; ".join(dated) + "."
    not_covered = "" if answer.not_covered == "a date" and len(dated) == len(answer.citations) else answer.not_covered
    return replace(answer, text=text, not_covered=not_covered)


def _dated_follow_up(answer: Answer, previous: Answer) -> Answer:
    if (
        "date" not in analyse(answer.question).wants
        or "date" not in answer.decline_reason
        or previous.declined
        or not previous.citations
    ):
        return answer
    metas = {h.chunk.doc_id: h.chunk.meta for h in previous.retrieved}
    lines = []
    for c in previous.citations:
        meta = metas.get(c.doc_id)
        if meta is None or not meta.date:
            return answer  # an undated source: the decline stands
        issuer = f", {meta.issuer}" if meta.issuer else ""
        lines.append(f"- \u201c{c.quote or c.text}\u201d [{c.marker}]: {c.title}{issuer}, dated {meta.date}")
    text = "The passages quoted before state no date themselves; the documents they come from are dated:\n" + "\n".join(
        lines
    )
    return replace(
        answer,
        text=text,
        declined=False,
        citations=list(previous.citations),
        retrieved=list(previous.retrieved),
        related=[],
        decline_reason="",
    )
