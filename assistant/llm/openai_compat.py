"""Any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp's server, LM Studio, ...),
streamed over server-sent events. The key comes from the environment, never the config file."""
from __future__ import annotations

import json
import os
from typing import Iterator

import httpx

from assistant.llm import ChatModel, ModelError


class OpenAICompatModel(ChatModel):
    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 120.0,
                 context_tokens: int = 4096) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.context_tokens = context_tokens
        self.name = f"openai:{model}"

    @staticmethod
    def cache_key(settings) -> tuple:
        return (settings.openai_base_url, settings.openai_model)

    @classmethod
    def from_settings(cls, settings) -> "OpenAICompatModel":
        return cls(settings.openai_base_url, settings.openai_model,
                   os.environ.get(settings.openai_api_key_env), settings.llm_timeout_s, settings.llm_context_tokens)

    def _stream(self, messages, max_tokens, temperature) -> Iterator[str]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {"model": self.model, "messages": messages, "max_tokens": max_tokens,
                "temperature": temperature, "stream": True}
        try:
            with httpx.stream("POST", f"{self.base_url}/chat/completions", json=body, headers=headers,
                              timeout=self.timeout) as resp:
                if resp.status_code != 200:
                    resp.read()
                    raise ModelError(f"{self.base_url} answered {resp.status_code}: {resp.text[:200]}")
                for line in resp.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    choices = json.loads(data).get("choices") or [{}]
                    delta = (choices[0].get("delta") or {}).get("content")
                    if delta:
                        yield delta
        except httpx.HTTPError as exc:
            raise ModelError(f"cannot reach {self.base_url}: {exc}") from exc
