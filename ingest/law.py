"""Laws, read by article: where each article and paragraph starts, so that a passage is cited
as lawyers cite it ("Art. 5(2)", 第五条第二項) and never mixes two paragraphs.

Works on cleaned pages (what `chunk.chunk_pages` receives), in English translation (Japanese
Law Translation style: "(Purpose)" / "Article 1 ...", "(2) ...", items "(i)") and in Japanese
(（目的）/ 第一条 ..., paragraphs ２ ..., items 一 ..., 附則). Cleaning has already joined wrapped
lines, so an article may start a paragraph or, in a PDF whose previous line ran full width,
follow a sentence end inside one.

A number that starts a paragraph is only taken for an article (or paragraph) when it follows
on from the one before: "Article 3 of the Act applies ..." or 第三条第一項の規定により at the
start of a sentence is a reference, not a new article.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.core.articles import NUMERAL, ArticleRef, int_to_kanji, kanji_to_int
from assistant.core.types import DocMeta

LAW_TYPES = frozenset({"law", "act", "statute", "order", "regulation", "法律", "法令", "政令", "省令"})
# How many articles, in order, make a text a law when its metadata does not say so.
MIN_ARTICLES = 3
# An article number may skip a few (deleted articles, an excerpt) but not jump far.
MAX_GAP = 5

_CAPTION = r"\((?P<cap>[^()\n]{1,60})\)\s*"
_EN_ARTICLE = re.compile(
    rf"^(?:{_CAPTION})?Article\s+(?P<num>\d{{1,4}})(?:-(?P<branch>\d{{1,3}}))?"
    r"(?![\d-])(?:\s*[.:])?(?!\s*(?:(?:of|to|and|or|through)\b|,))"
    r"(?:\s*\((?P<cap2>[A-Za-z][^()\n]{0,60})\))?"
)
_JA_ARTICLE = re.compile(
    rf"^(?:{_CAPTION})?第(?P<num>{NUMERAL})条(?:の(?P<branch>{NUMERAL}))?"
    r"(?![第の及又若並、。にをでがはもとかま])(?:\s*\((?P<cap2>[^()\n]{1,40})\))?"
)
_CAPTION_ONLY = re.compile(r"^\(([^()\n]{1,60})\)$")
_SUPPLEMENTARY = re.compile(r"^(?:Supplementary\s+Provisions?\b|附\s*則(?=\s*$|\s*\())", re.I)
_DIVISION = re.compile(
    rf"^(?:(?:Chapter|Part|Section|Subsection)\s+[IVXLC\d]+\b(?!\s*(?:of|to|shall)\b)|第{NUMERAL}[章節款編](?!第))"
)
_ENACTMENT_NOTE = re.compile(r"^\([^()]{0,60}(?:法律|法|号|Act\s+No|Order\s+No)[^()]{0,60}\)\s*", re.I)
_EN_PARAGRAPH = re.compile(r"^\((?P<n>\d{1,2})\)\s*")
_JA_PARAGRAPH = re.compile(r"^(?P<n>\d{1,2})(?=\s*[^\d\s.,)%])")
# English PDFs: an article or a numbered paragraph that cleaning joined to the sentence before.
# A caption "(Advice)" joined to the end of the paragraph before it is split off too.
_INLINE_START = re.compile(
    r"(?<=[.;:])\s+(?=(?:\([A-Z][^()\n]{0,60}\)\s*)?Article\s+\d|\(\d{1,2}\)\s+[A-Z]|\([A-Z][^()\n]{0,60}\)$)"
)
_MARKDOWN_HEADING = re.compile(r"^#+\s*")


@dataclass(frozen=True)
class Segment:
    """One paragraph of text of a law, where it is: page, the article's place, the section
    heading to embed with it ("Article 3 (Obligations)", 第三条 (目的))."""

    page: int | None
    ref: ArticleRef | None  # None before the first article (title, contents, enacting words)
    japanese: bool
    section: str
    text: str


def is_law_type(meta: DocMeta) -> bool:
    return meta.type.strip().lower() in LAW_TYPES


def _units(text: str) -> list[str]:
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        for line in para.split("\n"):  # a Markdown heading stays a line of its own
            out += [_MARKDOWN_HEADING.sub("", u.strip()) for u in _INLINE_START.split(line) if u.strip()]
    return out


def segments(pages: Iterable[tuple[int | None, str]]) -> list[Segment]:
    """The law's paragraphs in order, each with its article and paragraph."""
    out: list[Segment] = []
    ref: ArticleRef | None = None
    japanese = False
    section = ""
    suppl = False
    last = 0  # the last article number of the main provisions or of the supplementary ones
    caption = ""  # a caption line "(Purpose)" waiting for the article it names
    for page, text in pages:
        queue = deque(_units(text))
        while queue:
            unit = queue.popleft()
            heading = _SUPPLEMENTARY.match(unit) or _DIVISION.match(unit)
            if heading:
                # In a PDF, cleaning may have joined the heading to what follows it: the rest is
                # read again as a unit of its own (an enactment note in brackets is dropped).
                rest = unit[heading.end() :].strip()
                cut = re.search(r"\(|Article\s|第", rest)
                rest = rest[cut.start() :] if cut else ""
                if _SUPPLEMENTARY.match(unit):  # 附則（令和四年五月一八日法律第四三号）: which act added them
                    rest = _ENACTMENT_NOTE.sub("", rest)
                if rest:
                    queue.appendleft(rest)
                if _SUPPLEMENTARY.match(unit):
                    suppl, last, caption = True, 0, ""
                    japanese = "附" in unit
                    ref = ArticleRef(0, 0, 1, True)  # provisions without articles: paragraphs 1, 2, ...
                    section = "附則" if japanese else "Supplementary Provisions"
                continue  # a chapter heading is structure, not the text of an article
            m = _CAPTION_ONLY.match(unit)
            if m and not _EN_PARAGRAPH.match(unit):
                caption = m.group(1).strip()
                continue
            start = _article_start(unit, last)
            if start is not None:
                number, branch, is_ja, cap = start
                last = number
                japanese = is_ja
                ref = ArticleRef(number, branch, 1, suppl)
                cap = cap or caption
                caption = ""
                name = (("附則" if suppl else "") + f"第{_kanji(number, branch)}") if is_ja else _en_heading(ref)
                section = f"{name} ({cap})" if cap else name
                if unit == _heading_text(unit):
                    continue  # a heading line alone (HTML <h3>Article 1 (Purpose)</h3>): the text follows
                out.append(Segment(page, ref, japanese, section, unit))
                continue
            if caption:  # a bracketed line that named no article is text after all
                unit, caption = f"({caption}) {unit}", ""
            if ref is not None:
                n = _paragraph_start(unit, japanese)
                if n is not None and n == ref.paragraph + 1:
                    ref = ArticleRef(ref.number, ref.branch, n, ref.supplementary)
            out.append(Segment(page, ref, japanese, section, unit))
    return _label_single_paragraphs(out)


def _kanji(number: int, branch: int) -> str:
    return f"{int_to_kanji(number)}条" + (f"の{int_to_kanji(branch)}" if branch else "")


def _en_heading(ref: ArticleRef) -> str:
    base = f"Article {ref.number}" + (f"-{ref.branch}" if ref.branch else "")
    return f"Supplementary Provisions, {base}" if ref.supplementary else base


def _heading_text(unit: str) -> str:
    m = _EN_ARTICLE.match(unit) or _JA_ARTICLE.match(unit)
    return m.group(0).strip() if m else ""


def _article_start(unit: str, last: int) -> tuple[int, int, bool, str] | None:
    """(number, branch, Japanese?, caption) when the unit starts the article after `last`."""
    for pattern, is_ja in ((_EN_ARTICLE, False), (_JA_ARTICLE, True)):
        m = pattern.match(unit)
        if not m:
            continue
        number = int(m["num"]) if not is_ja else kanji_to_int(m["num"])
        branch = (int(m["branch"]) if not is_ja else kanji_to_int(m["branch"])) if m["branch"] else 0
        # The next article, one after a few deleted ones, or a branch article (第二条の二 after 第二条).
        if (last < number <= last + MAX_GAP) or (branch and number == last):
            return number, branch, is_ja, (m["cap"] or m["cap2"] or "").strip()
    return None


def _paragraph_start(unit: str, japanese: bool) -> int | None:
    m = _EN_PARAGRAPH.match(unit) or (_JA_PARAGRAPH.match(unit) if japanese else None)
    return int(m["n"]) if m else None


def _label_single_paragraphs(segs: list[Segment]) -> list[Segment]:
    """An article of one paragraph is cited as the article alone ("Art. 1", 第一条); only when
    it has a second paragraph is the first one "Art. 5(1)"."""
    paragraphs: dict[tuple, int] = {}
    for s in segs:
        if s.ref is not None:
            key = (s.ref.number, s.ref.branch, s.ref.supplementary)
            paragraphs[key] = max(paragraphs.get(key, 0), s.ref.paragraph)
    out = []
    for s in segs:
        if s.ref is not None and paragraphs[(s.ref.number, s.ref.branch, s.ref.supplementary)] == 1:
            s = Segment(s.page, ArticleRef(s.ref.number, s.ref.branch, 0, s.ref.supplementary), *_rest(s))
        out.append(s)
    return out


def _rest(s: Segment) -> tuple:
    return s.japanese, s.section, s.text


def looks_like_law(meta: DocMeta, pages: list[tuple[int | None, str]]) -> bool:
    """The manifest says so (type: law), or the text is built of articles: at least
    MIN_ARTICLES of them, in order, each starting a paragraph."""
    if is_law_type(meta):
        return True
    articles = {
        (s.ref.number, s.ref.branch, s.ref.supplementary) for s in segments(pages) if s.ref is not None and s.ref.number
    }
    return len(articles) >= MIN_ARTICLES


def label(seg: Segment) -> str:
    """The citation label of a segment: "Art. 5(2)" / 第五条第二項, or "" before the first article."""
    return seg.ref.label(seg.japanese) if seg.ref is not None else ""
