"""An Ollama server's /api/chat, streamed as JSON lines."""
from __future__ import annotations

import json
from typing import Iterator

import httpx

from assistant.llm import ChatModel, ModelError


class OllamaModel(ChatModel):
    def __init__(self, base_url: str, model: str, timeout: float = 120.0, context_tokens: int = 4096) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.context_tokens = context_tokens
        self.name = f"ollama:{model}"

    @staticmethod
    def cache_key(settings) -> tuple:
        return (settings.ollama_base_url, settings.ollama_model)

    @classmethod
    def from_settings(cls, settings) -> "OllamaModel":
        return cls(settings.ollama_base_url, settings.ollama_model, settings.llm_timeout_s, settings.llm_context_tokens)

    def _stream(self, messages, max_tokens, temperature) -> Iterator[str]:
        body = {"model": self.model, "messages": messages, "stream": True,
                "options": {"temperature": temperature, "num_predict": max_tokens, "num_ctx": self.context_tokens}}
        try:
            with httpx.stream("POST", f"{self.base_url}/api/chat", json=body, timeout=self.timeout) as resp:
                if resp.status_code != 200:
                    resp.read()
                    raise ModelError(f"{self.base_url} answered {resp.status_code}: {resp.text[:200]}")
                for line in resp.iter_lines():
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
        except httpx.HTTPError as exc:
            raise ModelError(f"cannot reach {self.base_url}: {exc}") from exc
