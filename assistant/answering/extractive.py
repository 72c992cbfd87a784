"""The extractive answerer: quotes the sentences the pipeline chose (evidence.py), each with
its [n] citation. No language model, so nothing can be invented: every word shown is a
quotation. Whether they answer the question was decided before it runs (answerability.py)."""

from __future__ import annotations

from assistant.answering.evidence import Evidence
from assistant.answering.generators import Draft, Generator, OnToken
from assistant.core.types import Citation, Hit


def quote(evidence: list[Evidence]) -> Draft:
    """The chosen sentences as quotations, one marker per passage, in the order chosen."""
    markers: dict[int, int] = {}
    quotes: dict[int, list[str]] = {}
    hits: dict[int, Hit] = {}
    parts = []
    for e in evidence:
        n = markers.setdefault(e.rank, len(markers) + 1)
        quotes.setdefault(e.rank, []).append(e.sentence)
        hits[e.rank] = e.hit
        parts.append(f"\u201c{e.sentence}\u201d [{n}]")
    citations = [Citation.of(n, hits[rank], " \u2026 ".join(quotes[rank])) for rank, n in markers.items()]
    return Draft(" ".join(parts), declined=not parts, citations=citations)


class ExtractiveGenerator(Generator):
    name = "extractive"

    def __init__(self, settings) -> None:
        self.settings = settings

    def answer(
        self, question: str, hits: list[Hit], evidence: list[Evidence], on_token: OnToken | None = None
    ) -> Draft:
        return quote(evidence)
