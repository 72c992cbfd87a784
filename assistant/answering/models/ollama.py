"""An Ollama server's /api/chat, streamed as JSON lines."""

from __future__ import annotations

import json
from collections.abc import Iterator

from assistant.answering.models import ModelError
from assistant.answering.models.http import HTTPChatModel


class OllamaModel(HTTPChatModel):
    prefix = "ollama"

    @staticmethod
    def cache_key(settings) -> tuple:
        return (settings.ollama_base_url, settings.ollama_model)

    @classmethod
    def from_settings(cls, settings) -> "OllamaModel":
        return cls(settings.ollama_base_url, settings.ollama_model, settings.llm_timeout_s, settings.llm_context_tokens)

    def _stream(self, messages, max_tokens, temperature) -> Iterator[str]:
        body = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "options": {"temperature": temperature, "num_predict": max_tokens, "num_ctx": self.context_tokens},
        }
        for line in self._lines("/api/chat", body):
            if not line.strip():
                continue
            msg = json.loads(line)
            if msg.get("error"):
                raise ModelError(f"ollama: {msg['error']}")
            delta = (msg.get("message") or {}).get("content")
            if delta:
                yield delta
            if msg.get("done"):
                return
