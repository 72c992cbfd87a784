"""Answer generators behind one interface: `answer(question, hits) -> Draft`.

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


class Generator(ABC):
    name: str

    @abstractmethod
    def answer(self, question: str, hits: list, retriever) -> Draft: ...


REGISTRY = {"extractive": "assistant.generate.extractive:ExtractiveGenerator"}


def get_generator(name: str, settings) -> Generator:
    try:
        module, cls = REGISTRY[name].split(":")
    except KeyError:
        raise ValueError(f"unknown backend '{name}' (known: {', '.join(REGISTRY)})") from None
    return getattr(import_module(module), cls)(settings)
