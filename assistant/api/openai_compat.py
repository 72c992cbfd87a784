"""The OpenAI chat-completions shape: messages in, the verified answer out, so that any OpenAI
client or chat UI can use the assistant as a model. Pure functions, no I/O.

- The last user message is the question; earlier user/assistant pairs are the history. System
  messages are not instructions to this assistant (its rules are its own) and are skipped.
- The reply is the answer text with its sources listed by number under it (what a chat UI shows),
  and the same citations as a structured `citations` field beside `choices` (what a program reads).
- Streaming sends only the verified answer, in pieces, never a model's provisional tokens: a chat
  UI would show them as the answer. The final chunk carries `citations`."""

from __future__ import annotations

import re
import time
import uuid

from assistant.core.types import MAX_TURNS, Answer, Turn

SOURCES_HEADING = "Sources:"
MODEL = "briefing"  # the model name that means "the configured backend"


class ChatInputError(ValueError):
    pass


def split_messages(messages: list[tuple[str, str]]) -> tuple[str, list[Turn]]:
    """(role, text) pairs, oldest first -> (the question, the history as turns)."""
    talk = [(role, text) for role, text in messages if role in ("user", "assistant")]
    if not talk or talk[-1][0] != "user":
        raise ChatInputError("the last message must be the user's question (role 'user')")
    question = talk[-1][1].strip()
    if not question:
        raise ChatInputError("the user's last message is empty")
    turns: list[Turn] = []
    pending: str | None = None
    for role, text in talk[:-1]:
        if role == "user":
            if pending is not None:  # two questions in a row: the first went unanswered
                turns.append(Turn(pending))
            pending = text.strip()
        elif pending is not None:
            turns.append(Turn(pending, strip_sources(text)))
            pending = None
    if pending is not None:
        turns.append(Turn(pending))
    return question, turns[-MAX_TURNS:]


def strip_sources(text: str) -> str:
    """An earlier reply of ours without its sources list: the history holds what was said."""
    return re.split(rf"\n\n{SOURCES_HEADING}\n", text or "", maxsplit=1)[0].strip()


def content(answer: Answer) -> str:
    if not answer.citations:
        return answer.text
    lines = []
    for c in answer.citations:
        where = f", {c.location}" if c.location else ""
        lines.append(f"[{c.marker}] {c.title}{where} ({c.source})")
    return f"{answer.text}\n\n{SOURCES_HEADING}\n" + "\n".join(lines)


def extras(answer: Answer) -> dict:
    """Fields beside the OpenAI ones: the structured citations and whether it was declined."""
    out = {"citations": [c.to_dict() for c in answer.citations], "declined": answer.declined}
    if answer.declined:
        out["decline_reason"] = answer.decline_reason
    return out


def new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def completion(answer: Answer, model: str, cid: str | None = None) -> dict:
    return {
        "id": cid or new_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content(answer)},
                "finish_reason": "stop",
            }
        ],
        **extras(answer),
    }


def chunk(cid: str, model: str, delta: dict, finish: str | None = None, **extra) -> dict:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }


def pieces(text: str, size: int = 80) -> list[str]:
    """The reply cut at spaces into pieces of about `size` characters (streamed one by one)."""
    out, current = [], ""
    for word in re.split(r"(?<= )", text):
        current += word
        if len(current) >= size:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out
