"""The chunk: the one type that crosses from `ingest` to `assistant`."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field


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


@dataclass
class Chunk:
    doc_id: str
    text: str
    page: int | None  # 1-based page of the file, None for page-less formats
    section: str
    position: int
    meta: DocMeta
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            self.id = chunk_id(self.doc_id, self.page, self.embed_text())

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
        md.update(page=self.page if self.page is not None else -1, section=self.section[:300],
                  position=self.position, date_int=date_int(self.meta.date))
        return md

    @classmethod
    def from_metadata(cls, id: str, text: str, md: dict) -> "Chunk":
        meta = DocMeta(**{k: md.get(k, "") for k in DocMeta.__dataclass_fields__})
        page = md.get("page", -1)
        return cls(doc_id=md["doc_id"], text=text, page=None if page in (-1, None) else int(page),
                   section=md.get("section", ""), position=int(md.get("position", 0)),
                   meta=meta, id=id)


def context_header(meta: DocMeta, section: str) -> str:
    parts = [meta.title[:160], meta.issuer[:80], section[:80]]
    return " | ".join(p for p in parts if p)


def chunk_id(doc_id: str, page: int | None, text: str) -> str:
    """Stable across runs: the same text of the same document on the same page has the same id,
    so re-ingesting unchanged content writes nothing."""
    h = hashlib.sha256(f"{doc_id}\x1f{page}\x1f{text}".encode("utf-8")).hexdigest()
    return f"{doc_id[:40]}-{h[:20]}"


def date_int(iso: str) -> int:
    """YYYY[-MM[-DD]] as YYYYMMDD for range filters (missing parts count as the start)."""
    digits = "".join(ch for ch in (iso or "") if ch.isdigit())
    if len(digits) < 4:
        return 0
    return int((digits + "0101")[:8]) if len(digits) < 8 else int(digits[:8])
