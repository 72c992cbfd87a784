"""Structure-aware chunking within the embedder's limit.

Units, from largest to smallest: section (a heading or an article of a law starts one),
page, paragraph, sentence, and as a last resort words (or characters for Japanese). Units
are packed greedily up to `max_tokens` word pieces of the embedder's own tokenizer; a chunk
never spans two pages (citations are per page) or two sections.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import groupby

from assistant.core.text import CJK_LETTERS, is_cjk, split_sentences
from assistant.core.types import Chunk, DocMeta, context_header
from ingest import law

# A Markdown heading, also "###見出し": cleaning drops the space between "#" and Japanese text.
_HEADING = re.compile(
    rf"^(#{{1,6}}(?:\s+|(?=[{CJK_LETTERS}])).+|Article\s+\d+[^\n]{{0,80}}|第[一二三四五六七八九十百千〇0-9]+[条章節][^\n]{{0,60}})$"
)


def _split_long(text: str, count: Callable[[str], int], max_tokens: int) -> list[str]:
    """Sentences first; a sentence still too long is cut between words (or characters)."""
    pieces: list[str] = []
    for sentence in split_sentences(text):
        if count(sentence) <= max_tokens:
            pieces.append(sentence)
            continue
        words = sentence.split(" ") if " " in sentence else list(sentence)
        sep = " " if " " in sentence else ""
        current: list[str] = []
        for w in words:
            if current and count(sep.join(current + [w])) > max_tokens:
                pieces.append(sep.join(current))
                current = []
            current.append(w)
        if current:
            pieces.append(sep.join(current))
    return pieces


def _joiner(a: str, b: str) -> str:
    """Japanese is written without spaces between words; English pieces get one."""
    return "" if is_cjk(a[-1:]) or is_cjk(b[:1]) else " "


def chunk_pages(
    meta: DocMeta,
    pages: Iterable[tuple[int | None, str]],
    count_tokens: Callable[[str], int],
    max_tokens: int,
    ocr_pages: frozenset[int] | set[int] = frozenset(),
) -> list[Chunk]:
    """`ocr_pages`: the pages whose text Tesseract read from an image; their chunks say so."""
    pages = list(pages)
    if law.looks_like_law(meta, pages):
        return _chunk_law(meta, law.segments(pages), count_tokens, max_tokens, ocr_pages)
    chunks: list[Chunk] = []
    section = ""
    full_budget = max_tokens
    for page, text in pages:
        buf: list[str] = []
        buf_tokens = 0

        def flush() -> None:
            nonlocal buf, buf_tokens
            body = "\n\n".join(buf).strip()
            if body:
                chunks.append(Chunk(meta.doc_id, body, page, section, len(chunks), meta, ocr=page in ocr_pages))
            buf, buf_tokens = [], 0

        for para in re.split(r"\n\s*\n", text):
            para = para.strip()
            if not para:
                continue
            first, _, rest = para.partition("\n")
            if _HEADING.match(first.strip()):
                flush()
                section = first.lstrip("#").strip()
                para = rest.strip()
                if not para:
                    continue
            # The context header (title, issuer, section) is embedded with every chunk.
            max_tokens = full_budget - count_tokens(context_header(meta, section)) - 1
            units = [para] if count_tokens(para) <= max_tokens else _split_long(para, count_tokens, max_tokens)
            for i, unit in enumerate(units):
                n = count_tokens(unit)
                if buf and buf_tokens + n > max_tokens:
                    flush()
                if buf and i > 0:  # sentences of one paragraph stay one paragraph
                    buf[-1] = buf[-1] + _joiner(buf[-1], unit) + unit
                else:
                    buf.append(unit)
                buf_tokens += n
        flush()
    return [c for c in chunks if c.text]


def _chunk_law(
    meta: DocMeta, segments: list[law.Segment], count_tokens: Callable[[str], int], max_tokens: int, ocr_pages
) -> list[Chunk]:
    """A law: one article paragraph (with its items) per chunk, cited by its label; a paragraph
    longer than the budget is cut between sentences and every piece keeps the label, and one
    that runs over a page break is cut there (citations are per page)."""
    chunks: list[Chunk] = []
    for (page, label, section), group in groupby(segments, key=lambda s: (s.page, law.label(s), s.section)):
        budget = max_tokens - count_tokens(context_header(meta, section)) - 1
        buf: list[str] = []
        buf_tokens = 0

        def flush() -> None:
            nonlocal buf, buf_tokens
            body = "\n\n".join(buf).strip()
            if body:
                chunks.append(
                    Chunk(meta.doc_id, body, page, section, len(chunks), meta, article=label, ocr=page in ocr_pages)
                )
            buf, buf_tokens = [], 0

        for seg in group:
            units = [seg.text] if count_tokens(seg.text) <= budget else _split_long(seg.text, count_tokens, budget)
            for i, unit in enumerate(units):
                n = count_tokens(unit)
                if buf and buf_tokens + n > budget:
                    flush()
                if buf and i > 0:
                    buf[-1] = buf[-1] + _joiner(buf[-1], unit) + unit
                else:
                    buf.append(unit)
                buf_tokens += n
        flush()
    return chunks
