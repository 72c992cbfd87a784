"""The shared types every layer speaks, frozen so that no layer changes what another handed it.

The chunk is the one type that crosses from `ingest` to the rest; the answer is the one type
every front end (CLI, app, eval harness) consumes: what `briefing ask --json` prints, a results
record of EVAL_FORMAT.md."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class DocMeta:
    doc_id: str
    title: str
    source: str  # path relative to the corpus folder (or absolute for files outside it)
    issuer: str = ""
    date: str = ""  # ISO YYYY-MM-DD, or YYYY, or ""
    type: str = ""  # strategy | law | bluebook | statement | white paper | analysis
    language: str = "en"
    url: str = ""
    licence: str = ""
    access: str = "public"


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    text: str
    page: int | None  # 1-based page of the file, None for page-less formats
    section: str
    position: int
    meta: DocMeta
    id: str = field(default="")
    # For laws: the article (and paragraph) the passage belongs to, "Art. 5(2)" or "第五条第二項";
    # cited beside the page. Empty for every other document.
    article: str = ""
    # Text that Tesseract read from a page image (a scan), not the PDF's own text layer: a reader
    # should know a quote may carry OCR errors.
    ocr: bool = False

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", chunk_id(self.doc_id, self.page, self.embed_text()))

    def header(self) -> str:
        return context_header(self.meta, self.section)

    def embed_text(self) -> str:
        """What the embedder and BM25 read: the passage under its document title and section,
        so that a passage that never names its document can still be found by it. The stored
        and quoted text stays the passage alone."""
        return f"{self.header()}\n{self.text}"

    def to_metadata(self) -> dict:
        """Flat, None-free metadata, as Chroma stores it."""
        md = {k: v for k, v in asdict(self.meta).items()}
        md.update(
            page=self.page if self.page is not None else -1,
            section=self.section[:300],
            position=self.position,
            date_int=date_int(self.meta.date),
            article=self.article,
            ocr=self.ocr,
        )
        return md

    @classmethod
    def from_metadata(cls, id: str, text: str, md: dict) -> "Chunk":
        meta = DocMeta(**{k: md.get(k, "") for k in DocMeta.__dataclass_fields__})
        page = md.get("page", -1)
        return cls(
            doc_id=md["doc_id"],
            text=text,
            page=None if page in (-1, None) else int(page),
            section=md.get("section", ""),
            position=int(md.get("position", 0)),
            meta=meta,
            id=id,
            article=str(md.get("article") or ""),
            ocr=bool(md.get("ocr", False)),
        )


def context_header(meta: DocMeta, section: str) -> str:
    parts = [meta.title[:160], meta.issuer[:80], section[:80]]
    return " | ".join(p for p in parts if p)


def chunk_id(doc_id: str, page: int | None, text: str) -> str:
    """Stable across runs: the same text of the same document on the same page has the same id,
    so re-ingesting unchanged content writes nothing."""
    h = hashlib.sha256(f"{doc_id}\x1f{page}\x1f{text}".encode()).hexdigest()
    return f"{doc_id[:40]}-{h[:20]}"


def location(page: int | None, article: str = "") -> str:
    """Where in a document a passage is, as every front end prints it: "Art. 5(2), p. 3",
    "p. 3", or "" for a page-less document with no article."""
    parts = [article] if article else []
    if page:
        parts.append(f"p. {page}")
    return ", ".join(parts)


def date_int(iso: str) -> int:
    """YYYY[-MM[-DD]] as YYYYMMDD for range filters (missing parts count as the start)."""
    digits = "".join(ch for ch in (iso or "") if ch.isdigit())
    if len(digits) < 4:
        return 0
    return int((digits + "0101")[:8]) if len(digits) < 8 else int(digits[:8])


@dataclass(frozen=True)
class Hit:
    """One retrieved passage and how each stage scored it."""

    chunk: Chunk
    score: float  # fused score (or the single retriever's score)
    dense: float | None = None  # cosine similarity to the query, when the dense path found it
    lexical: float | None = None  # BM25 score, when the lexical path found it
    rerank_score: float | None = None
    crossed: float | None = None  # cosine across languages (multilingual index), when that path found it
    boosted_by: tuple[str, ...] = ()  # the question's dates, issuers or kinds of document it matches


# The metadata keys a filter may name: one list for every retrieval path and front end.
FILTER_LIST_KEYS = ("type", "issuer", "language", "doc_id", "access")


class Filters(dict):
    """Metadata filters shared by every retrieval path: lists of allowed values for the keys
    of FILTER_LIST_KEYS, and an inclusive date range (YYYY[-MM[-DD]]). A dict, because the
    store's query language and the cache key are built from its items."""

    @classmethod
    def make(
        cls,
        type: list[str] | None = None,
        issuer: list[str] | None = None,
        language: list[str] | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
    ) -> "Filters":
        f = cls()
        if type:
            f["type"] = list(type)
        if issuer:
            f["issuer"] = list(issuer)
        if language:
            f["language"] = list(language)
        if date_from:
            f["date_from"] = str(date_from)
        if date_to:
            f["date_to"] = str(date_to)
        return f


@dataclass(frozen=True)
class Turn:
    """One earlier turn of a conversation, as the answering layer needs it."""

    question: str
    answer: str = ""
    rewritten_question: str | None = None


MAX_TURNS = 8  # turns of history kept by every conversation (CLI, app, eval harness)


def recent(history: Sequence[T], max_turns: int = MAX_TURNS) -> list[T]:
    """The turns a follow-up is read against: the latest few, so long chats stay cheap."""
    return list(history[-max_turns:])


@dataclass(frozen=True)
class Citation:
    marker: int
    doc_id: str
    title: str
    source: str
    page: int | None
    text: str
    quote: str = ""  # the sentence(s) of the passage that the answer relies on
    article: str = ""  # for laws, "Art. 5(2)" / "第五条第二項"
    ocr: bool = False  # the passage was read from a page image by OCR
    # The document's date and issuer, as the reader sees them beside the title.
    date: str = ""
    issuer: str = ""

    @classmethod
    def of(cls, marker: int, hit: Hit, quote: str = "") -> "Citation":
        c = hit.chunk
        return cls(
            marker,
            c.doc_id,
            c.meta.title,
            c.meta.source,
            c.page,
            c.text,
            quote,
            c.article,
            c.ocr,
            c.meta.date,
            c.meta.issuer,
        )

    @property
    def location(self) -> str:
        return location(self.page, self.article)

    def to_dict(self) -> dict:
        return dict(
            marker=self.marker,
            doc_id=self.doc_id,
            title=self.title,
            source=self.source,
            page=self.page,
            text=self.text,
            quote=self.quote,
            article=self.article,
            location=self.location,
            ocr=self.ocr,
            date=self.date,
            issuer=self.issuer,
        )


@dataclass(frozen=True)
class Verification:
    """What the verifier kept of a model's answer, what it removed and why, and the fallback."""

    text: str = ""
    kept: tuple[str, ...] = ()
    removed: tuple[dict, ...] = ()  # {"sentence", "reason"}
    fallback: str | None = None  # why the extractive answer was used instead of the model's
    model_text: str | None = None  # the model's unverified text

    @property
    def ok(self) -> bool:
        return bool(self.kept)

    def to_dict(self) -> dict:
        return {"removed": list(self.removed), "fallback": self.fallback, "model_text": self.model_text}


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    declined: bool
    citations: list[Citation]
    retrieved: list[Hit]  # ranked
    backend: str
    latency_ms: dict = field(default_factory=dict)
    rewritten_question: str | None = None
    id: str | None = None
    verification: Verification | None = None
    decline_reason: str = ""  # which check failed, when declined
    related: list[Hit] = field(default_factory=list)  # offered under a decline; not citations
    not_covered: str = ""  # a partial answer: the part of the question the documents do not state
    # Under a model's direct answer (text): the pipeline's quotations it was written from, shown
    # beneath it with the same [n]. Empty when the text itself is the quotations.
    quotes: str = ""

    def turn(self) -> Turn:
        return Turn(self.question, self.text, self.rewritten_question)

    def to_record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "answer": self.text,
            "declined": self.declined,
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [hit_record(h) for h in self.retrieved],
            "backend": self.backend,
            "latency_ms": self.latency_ms,
        }
        if self.rewritten_question and self.rewritten_question != self.question:
            rec["rewritten_question"] = self.rewritten_question
        if self.verification is not None:
            rec["verification"] = self.verification.to_dict()
        if self.declined:
            rec["decline_reason"] = self.decline_reason
            rec["related"] = [hit_record(h) for h in self.related]
        if self.not_covered:
            rec["partial"] = True
            rec["not_covered"] = self.not_covered
            rec["decline_reason"] = self.decline_reason
        if self.quotes:
            rec["quotes"] = self.quotes
        if self.id is None:
            rec.pop("id")
        return rec


def hit_record(hit: Hit) -> dict:
    c = hit.chunk
    rec: dict[str, Any] = {
        "doc_id": c.doc_id,
        "title": c.meta.title,
        "source": c.meta.source,
        "page": c.page,
        "text": c.text,
        "score": round(float(hit.score), 6),
        "dense": None if hit.dense is None else round(hit.dense, 4),
        "lexical": None if hit.lexical is None else round(hit.lexical, 4),
    }
    if c.article:  # a law's passage: where it is, as lawyers cite it
        rec["article"] = c.article
        rec["location"] = location(c.page, c.article)
    if c.ocr:
        rec["ocr"] = True
    if hit.crossed is not None:
        rec["crossed"] = round(hit.crossed, 4)
    if hit.boosted_by:
        rec["boosted_by"] = list(hit.boosted_by)  # why the document rose: what of the question it matches
    return rec
