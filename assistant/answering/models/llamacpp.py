"""The embedded model: a GGUF file run in-process by llama.cpp on the CPU.

On two cores, reading the prompt is most of the time to the first token, so the system text
every answer starts with is evaluated once per process (`prepare`) and its state kept: llama.cpp
reuses the evaluated prefix a new prompt shares with the previous one, and after a call with
another prefix (a follow-up's rewrite) the kept state is restored instead of read again."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

from assistant.answering import models
from assistant.answering.models import ChatModel, ModelError
from assistant.answering.models.weights import resolve

# One batch holds a whole short prompt (about 300 tokens): fewer, larger matrix products are
# what two cores do fastest; llama.cpp's default is the same, kept explicit and bounded by n_ctx.
BATCH_TOKENS = 512


def machine_threads() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 2


class LlamaCppModel(ChatModel):
    def __init__(self, model: str, context_tokens: int = 4096, threads: int | None = None) -> None:
        from llama_cpp import Llama

        path = resolve(model)
        threads = threads or machine_threads()
        # n_threads_batch too: prompt processing otherwise takes every core and collapses
        # when anything else runs.
        self.llm = Llama(
            model_path=str(path),
            n_ctx=context_tokens,
            n_threads=threads,
            n_threads_batch=threads,
            n_batch=min(BATCH_TOKENS, context_tokens),
            verbose=False,
        )
        self.name = f"llamacpp:{model if len(model) < 40 else path.name}"
        self.context_tokens = context_tokens
        self.threads = threads
        self._lock = threading.Lock()  # one llama context serves one request at a time
        self._prefix: list[int] = []  # the system text's tokens, as every answer's prompt starts
        self._prefix_state = None

    @staticmethod
    def cache_key(settings) -> tuple:
        return (settings.llm_model, settings.llm_context_tokens, settings.llm_threads)

    @classmethod
    def from_settings(cls, settings) -> "LlamaCppModel":
        return cls(settings.llm_model, settings.llm_context_tokens, settings.llm_threads)

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False))

    def prompt_tokens(self, messages: list[dict]) -> list[int]:
        """The tokens llama-cpp-python's chat handler makes of these messages (the GGUF's own
        chat template), for finding the prefix every answer shares."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = self.llm.metadata.get("tokenizer.chat_template")
        if not template:
            return []
        fmt = Jinja2ChatFormatter(
            template=template,
            eos_token=self.llm.detokenize([self.llm.token_eos()]).decode("utf-8", "ignore"),
            bos_token=self.llm.detokenize([self.llm.token_bos()]).decode("utf-8", "ignore"),
        )
        return self.llm.tokenize(fmt(messages=messages).prompt.encode("utf-8"), add_bos=False, special=True)

    def prepare(self, system: str) -> None:
        if self.real and not models.ALLOW_MODEL_REQUESTS:
            return
        # The shared prefix is where two prompts with this system text and different questions
        # part: the template's own wrapping around the system text is included.
        a = self.prompt_tokens([{"role": "system", "content": system}, {"role": "user", "content": "a"}])
        b = self.prompt_tokens([{"role": "system", "content": system}, {"role": "user", "content": "b"}])
        n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        if n < 2:
            return  # no chat template to read: llama.cpp's own prefix reuse still applies
        if a[:n] == self._prefix:
            return  # one model serves every generator of the process: read it once
        with self._lock:
            self.llm.reset()
            self.llm.eval(a[:n])
            self._prefix = a[:n]
            state = self.llm.save_state()
            # The saved logits are a row per prefix token (over 100 MB for Qwen's vocabulary);
            # none is read again, since the question's tokens are decoded after a restore.
            # load_state writes them back by broadcasting, so one row keeps it working.
            state.scores = state.scores[-1:].copy()
            self._prefix_state = state

    def prefix_cached(self) -> bool:
        """Whether the context now starts with the evaluated system text."""
        n = len(self._prefix)
        return bool(n) and self.llm.n_tokens >= n and self.llm.input_ids[:n].tolist() == self._prefix

    def _stream(self, messages, max_tokens, temperature) -> Iterator[str]:
        with self._lock:
            if self._prefix_state is not None and not self.prefix_cached():
                # Another prompt (a follow-up's rewrite) replaced the system text's state:
                # restoring it is a copy, reading it again would be seconds.
                self.llm.load_state(self._prefix_state)
            try:
                for part in self.llm.create_chat_completion(
                    messages=messages, max_tokens=max_tokens, temperature=temperature, stream=True
                ):
                    delta = part["choices"][0].get("delta", {}).get("content")
                    if delta:
                        yield delta
            except ValueError as exc:  # e.g. prompt longer than the context
                raise ModelError(str(exc)) from exc
