"""Any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp's server, LM Studio, ...),
streamed over server-sent events. The key comes from the environment, never the config file."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from assistant.answering.models.http import HTTPChatModel


class OpenAICompatModel(HTTPChatModel):
    prefix = "openai"

    def __init__(
        self, base_url: str, model: str, api_key: str | None = None, timeout: float = 120.0, context_tokens: int = 4096
    ) -> None:
        super().__init__(base_url, model, timeout, context_tokens, api_key)

    @staticmethod
    def cache_key(settings) -> tuple:
        return (settings.openai_base_url, settings.openai_model)

    @classmethod
    def from_settings(cls, settings) -> "OpenAICompatModel":
        return cls(
            settings.openai_base_url,
            settings.openai_model,
            os.environ.get(settings.openai_api_key_env),
            settings.llm_timeout_s,
            settings.llm_context_tokens,
        )

    def _stream(self, messages, max_tokens, temperature) -> Iterator[str]:
        body = {
            "model": self.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": True,
        }
        for line in self._lines("/chat/completions", body):
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                return
            choices = json.loads(data).get("choices") or [{}]
            delta = (choices[0].get("delta") or {}).get("content")
            if delta:
                yield delta
