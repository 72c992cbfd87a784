"""The embedded model: a GGUF file run in-process by llama.cpp on the CPU."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

from assistant.answering.models import ChatModel, ModelError
from assistant.answering.models.weights import resolve


class LlamaCppModel(ChatModel):
    def __init__(self, model: str, context_tokens: int = 4096, threads: int | None = None) -> None:
        from llama_cpp import Llama

        path = resolve(model)
        threads = threads or os.cpu_count() or 2
        # n_threads_batch too: prompt processing otherwise takes every core and collapses
        # when anything else runs.
        self.llm = Llama(
            model_path=str(path), n_ctx=context_tokens, n_threads=threads, n_threads_batch=threads, verbose=False
        )
        self.name = f"llamacpp:{model if len(model) < 40 else path.name}"
        self.context_tokens = context_tokens
        self._lock = threading.Lock()  # one llama context serves one request at a time

    @staticmethod
    def cache_key(settings) -> tuple:
        return (settings.llm_model, settings.llm_context_tokens, settings.llm_threads)

    @classmethod
    def from_settings(cls, settings) -> "LlamaCppModel":
        return cls(settings.llm_model, settings.llm_context_tokens, settings.llm_threads)

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False))

    def _stream(self, messages, max_tokens, temperature) -> Iterator[str]:
        with self._lock:
            try:
                for part in self.llm.create_chat_completion(
                    messages=messages, max_tokens=max_tokens, temperature=temperature, stream=True
                ):
                    delta = part["choices"][0].get("delta", {}).get("content")
                    if delta:
                        yield delta
            except ValueError as exc:  # e.g. prompt longer than the context
                raise ModelError(str(exc)) from exc
