"""A conversation: the answers so far, the history a follow-up is read against, and the audit
record of each question. Every front end (CLI ask and chat, the app) asks through one."""

from __future__ import annotations

from assistant.core.types import MAX_TURNS, Answer, recent
from assistant.features.audit import AuditLog


class ChatSession:
    def __init__(self, assistant, audit: AuditLog | None = None, max_turns: int = MAX_TURNS) -> None:
        """`audit`: where to record who asked what (front ends pass one; eval runs do not)."""
        self.assistant = assistant
        self.audit = audit
        self.max_turns = max_turns
        self.answers: list[Answer] = []

    def ask(self, question: str, **kw) -> Answer:
        history = [a.turn() for a in recent(self.answers, self.max_turns)]
        answer = self.assistant.ask(question, history=history, **kw)
        self.answers.append(answer)
        if self.audit is not None:
            self.audit.record(answer, self.assistant.user, self.assistant.role)
        return answer

    def reset(self) -> None:
        self.answers.clear()
