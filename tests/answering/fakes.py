"""Small scripted chat models, one per behaviour a real model shows (pydantic-ai's TestModel /
FunctionModel idea): they exercise the generator's handling, never stand in for a user's model."""

from __future__ import annotations

from assistant.answering.models import ChatModel, ModelError


class ScriptedModel(ChatModel):
    """Replies with the given texts in turn (streamed word by word) and records the prompts."""

    name = "scripted"
    real = False

    def __init__(self, *replies: str, context_tokens: int = 4096) -> None:
        self.replies = list(replies)
        self.calls: list[list[dict]] = []
        self.context_tokens = context_tokens

    def _stream(self, messages, max_tokens, temperature):
        self.calls.append(messages)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        written = ""
        for i, word in enumerate(reply.split(" ")):
            piece = word if i == 0 else " " + word
            if self.count_tokens(written + piece) > max_tokens:
                return  # cut at the cap, as a real model is
            written += piece
            yield piece


class FunctionModel(ScriptedModel):
    """Replies with fn(messages): for answers that depend on the prompt."""

    def __init__(self, fn) -> None:
        super().__init__("")
        self.fn = fn

    def _stream(self, messages, max_tokens, temperature):
        self.calls.append(messages)
        yield self.fn(messages)


class UnreachableModel(ChatModel):
    name = "unreachable"
    real = False

    def _stream(self, messages, max_tokens, temperature):
        raise ModelError("cannot reach http://localhost:9: connection refused")
        yield  # pragma: no cover
