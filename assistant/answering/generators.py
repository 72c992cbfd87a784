"""Answer generators behind one interface: `answer(question, hits, evidence, on_token) -> Draft`.

The pipeline (engine.py) has already decided that the passages answer the question and chosen
the sentences that do (the evidence); a generator only writes the answer from them. A new backend is a new file plus one line in
REGISTRY. The extractive answerer is built in and stays: it is the fast path for evaluation
and the fallback when generation fails."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING

from assistant.core.types import Citation, Hit, Turn, Verification

if TYPE_CHECKING:
    from assistant.answering.evidence import Evidence

OnToken = Callable[[str], None]


@dataclass(frozen=True)
class Draft:
    text: str
    declined: bool
    citations: list[Citation] = field(default_factory=list)  # markers as used in text
    verification: Verification | None = None  # for a model's answer: what was kept, removed, why
    quotes: str = ""  # under a model's direct answer: the quotations it was written from


class Generator(ABC):
    name: str

    @abstractmethod
    def answer(
        self, question: str, hits: list[Hit], evidence: list[Evidence], on_token: OnToken | None = None
    ) -> Draft:
        """`evidence`: the sentences the pipeline chose to answer from, best first."""

    def condense(self, question: str, history: list[Turn]) -> str | None:
        """A stand-alone version of a follow-up, or None to use the lexical rewrite."""
        return None


REGISTRY = {
    "extractive": ("assistant.answering.extractive:ExtractiveGenerator", {}),
    "llamacpp": ("assistant.answering.model_answer:LLMGenerator", {"kind": "llamacpp"}),
    "openai": ("assistant.answering.model_answer:LLMGenerator", {"kind": "openai"}),
    "ollama": ("assistant.answering.model_answer:LLMGenerator", {"kind": "ollama"}),
}

# What each choice costs the reader, for the app's backend selector: p50 (p95) of the dev set's
# test half, scripts/eval_generators.sh with Qwen 1.5B on 2 CPU cores shared with other work
# (docs/generation.md); an idle machine is faster.
COST = {
    "extractive": "quotes the documents, under 1 s",
    # Qwen 1.5B on 2 idle cores, `python -m benchmarks.generation` and the eval's test halves
    # (README, "Which generator is the default, measured"): first token 2.0 s p50, answer 2.5 s
    # p50 and about 5 s p95.
    "llamacpp": "direct answer above the quotes by the embedded model: first words ~2 s, answer ~3 s (5 s at worst)",
    "openai": "direct answer above the quotes by your OpenAI-compatible server: its speed",
    "ollama": "direct answer above the quotes by your Ollama server: its speed",
}


def describe(name: str) -> str:
    """What choosing this backend gives and costs in seconds, as the app's selector shows it."""
    return COST.get(name, "a custom generator")


def get_generator(name: str, settings) -> Generator:
    try:
        target, kwargs = REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown backend '{name}' (known: {', '.join(REGISTRY)})") from None
    module, cls = target.split(":")
    return getattr(import_module(module), cls)(settings, **kwargs)
