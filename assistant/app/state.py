"""The app's session state, typed, in one place: every page reads and writes it through these
functions instead of string keys of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from assistant.features.audit import AuditLog
from assistant.features.chat import ChatSession


@dataclass(frozen=True)
class Selection:
    """The source shown in the side panel: a citation [n] or a related passage of a turn."""

    turn: int
    kind: str  # "cite" | "near"
    n: int


def conversation(assistant) -> ChatSession:
    """This session's conversation, asking through `assistant` (the backend may change between
    questions; the history stays). Every question is written to the audit log."""
    chat = st.session_state.get("chat")
    if not isinstance(chat, ChatSession):
        chat = st.session_state["chat"] = ChatSession(assistant, audit=AuditLog(assistant.settings))
    chat.assistant = assistant
    return chat


def answers() -> list:
    """The conversation's answers so far, oldest first (empty before the first question)."""
    chat = st.session_state.get("chat")
    return chat.answers if isinstance(chat, ChatSession) else []


def new_conversation() -> None:
    st.session_state.pop("chat", None)
    st.session_state.pop("source", None)
    st.session_state.pop("queue", None)


def select(turn: int, kind: str, n: int) -> None:
    st.session_state["source"] = Selection(turn, kind, n)


def selection() -> Selection | None:
    return st.session_state.get("source")


def get(key: str, default: Any = None) -> Any:
    """Page-local values (the note being edited, the quiz being taken, a message to show once)."""
    return st.session_state.get(key, default)


def put(**values: Any) -> None:
    st.session_state.update(values)


def bump(key: str) -> int:
    """A revision counter: new widgets for a new draft."""
    st.session_state[key] = st.session_state.get(key, 0) + 1
    return st.session_state[key]


def pop(key: str, default: Any = None) -> Any:
    return st.session_state.pop(key, default)


# --- questions waiting for an answer ---------------------------------------------------------


def enqueue(question: str) -> None:
    """A question to answer after those before it (one sent while an answer was streaming)."""
    st.session_state.setdefault("queue", []).append(question)


def queued() -> list[str]:
    """Questions not yet answered, oldest first; the first may be one whose run was interrupted."""
    return list(st.session_state.get("queue", []))


def answered(question: str) -> None:
    queue = st.session_state.get("queue", [])
    if queue and queue[0] == question:
        queue.pop(0)
