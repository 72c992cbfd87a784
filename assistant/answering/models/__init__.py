"""Chat models behind one interface, kept apart from where they run.

A model speaks an API format (llama.cpp in-process, OpenAI-compatible HTTP, Ollama HTTP); the
endpoint, model name and key are configuration. A new server is a settings change; a new API
format is a new file plus one line in REGISTRY.

ALLOW_MODEL_REQUESTS is a global switch: the test suite turns it off so that no unit test can
reach a real model by accident; tests that mean to use one turn it on explicitly."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from importlib import import_module

ALLOW_MODEL_REQUESTS = True


class ModelRequestsBlocked(RuntimeError):
    pass


class ModelError(RuntimeError):
    """The model could not be reached or failed: the caller falls back to the extractive answer."""


class ChatModel(ABC):
    name: str
    context_tokens: int = 4096
    real = True  # False only for the scripted fakes of the tests

    def stream(self, messages: list[dict], max_tokens: int = 300, temperature: float = 0.0) -> Iterator[str]:
        if self.real and not ALLOW_MODEL_REQUESTS:
            raise ModelRequestsBlocked(f"model requests are disabled; {self.name} was not called")
        yield from self._stream(messages, max_tokens, temperature)

    @abstractmethod
    def _stream(self, messages: list[dict], max_tokens: int, temperature: float) -> Iterator[str]: ...

    def prepare(self, system: str) -> None:
        """Called once with the system text every answer starts with, so that a model that can
        keep its evaluated state reads it once per process. Nothing to do for a server."""
        return None

    def complete(self, messages: list[dict], max_tokens: int = 300, temperature: float = 0.0) -> str:
        return "".join(self.stream(messages, max_tokens, temperature))

    def count_tokens(self, text: str) -> int:
        """A safe estimate where the model's own tokenizer is not at hand."""
        return max(1, len(text) // 3)


REGISTRY = {
    "llamacpp": "assistant.answering.models.llamacpp:LlamaCppModel",
    "openai": "assistant.answering.models.openai_compat:OpenAICompatModel",
    "ollama": "assistant.answering.models.ollama:OllamaModel",
}

_cache: dict[tuple, ChatModel] = {}


def get_model(kind: str, settings) -> ChatModel:
    """One instance per process and configuration: an embedded model loads once."""
    try:
        module, cls = REGISTRY[kind].split(":")
    except KeyError:
        raise ValueError(f"unknown model kind '{kind}' (known: {', '.join(REGISTRY)})") from None
    factory = getattr(import_module(module), cls)
    key = (kind, *factory.cache_key(settings))
    if key not in _cache:
        _cache[key] = factory.from_settings(settings)
    return _cache[key]
