"""The one answer type: what `briefing ask --json` prints, what the app shows and what the
eval harness scores (a results record of EVAL_FORMAT.md)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Citation:
    marker: int
    doc_id: str
    title: str
    source: str
    page: int | None
    text: str
    quote: str = ""  # the sentence(s) of the passage that the answer relies on

    def to_dict(self) -> dict:
        return dict(marker=self.marker, doc_id=self.doc_id, title=self.title, source=self.source,
                    page=self.page, text=self.text, quote=self.quote)


@dataclass
class Answer:
    question: str
    answer: str
    declined: bool
    citations: list[Citation]
    retrieved: list  # list[Hit], ranked
    backend: str
    latency_ms: dict = field(default_factory=dict)
    rewritten_question: str | None = None
    id: str | None = None
    verification: dict | None = None  # what the verifier removed and why; fallback used

    def to_record(self) -> dict:
        rec = {"id": self.id, "question": self.question, "answer": self.answer,
               "declined": self.declined, "citations": [c.to_dict() for c in self.citations],
               "retrieved": [hit_record(h) for h in self.retrieved],
               "backend": self.backend, "latency_ms": self.latency_ms}
        if self.rewritten_question and self.rewritten_question != self.question:
            rec["rewritten_question"] = self.rewritten_question
        if self.verification is not None:
            rec["verification"] = self.verification
        if self.id is None:
            rec.pop("id")
        return rec


def hit_record(hit) -> dict:
    c = hit.chunk
    return {"doc_id": c.doc_id, "title": c.meta.title, "source": c.meta.source, "page": c.page,
            "text": c.text, "score": round(float(hit.score), 6),
            "dense": None if hit.dense is None else round(hit.dense, 4),
            "lexical": None if hit.lexical is None else round(hit.lexical, 4)}


def citation_for(marker: int, hit, quote: str = "") -> Citation:
    c = hit.chunk
    return Citation(marker, c.doc_id, c.meta.title, c.meta.source, c.page, c.text, quote)
