"""Answer generators behind one interface: `answer(question, hits, retriever) -> Draft`.

A new backend is a new file plus one line in REGISTRY. The extractive answerer is built in
and stays: it is the fast path for evaluation and the fallback when generation fails."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from importlib import import_module


@dataclass
class Draft:
    text: str
    declined: bool
    citations: list = field(default_factory=list)  # list[Citation], markers as used in text
    removed: list = field(default_factory=list)  # sentences the verifier removed, with reasons
    fallback: str | None = None  # why the extractive answer was used instead of the model's
    raw: str | None = None  # the model's unverified text


class Generator(ABC):
    name: str

    @abstractmethod
    def answer(self, question: str, hits: list, retriever, on_token=None) -> Draft: ...

    def condense(self, question: str, history: list[dict]) -> str | None:
        """A stand-alone version of a follow-up, or None to use the lexical rewrite."""
        return None


REGISTRY = {
    "extractive": ("assistant.generate.extractive:ExtractiveGenerator", {}),
    "llamacpp": ("assistant.generate.llm:LLMGenerator", {"kind": "llamacpp"}),
    "openai": ("assistant.generate.llm:LLMGenerator", {"kind": "openai"}),
    "ollama": ("assistant.generate.llm:LLMGenerator", {"kind": "ollama"}),
}


def get_generator(name: str, settings) -> Generator:
    try:
        target, kwargs = REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown backend '{name}' (known: {', '.join(REGISTRY)})") from None
    module, cls = target.split(":")
    return getattr(import_module(module), cls)(settings, **kwargs)
