"""Undo what extraction does to text, without losing words.

PDF pages: running headers and footers (lines repeated at the top or bottom of many pages),
printed page numbers, side tabs, furigana lines, footnote blocks that pypdf drops between two
columns, end-of-line hyphenation, line wraps inside Japanese words, letter-spaced justified
Japanese. Markup (Markdown/HTML): escapes, link syntax, emphasis and end markers.
Everything is NFKC-normalised so that full-width "ＡＩ" and "AI" are the same word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from assistant.core.text import CJK, FULLWIDTH_FORMS, HIRAGANA, IDEOGRAPHS, INVISIBLE, URL, strip_markup

# Japanese scripts and punctuation, plus full-width forms: layout is undone before NFKC turns
# "Ａ\nＩ" into "A\nI", because only then can we tell it was one word of a Japanese line.
_LAYOUT_CJK = CJK + FULLWIDTH_FORMS
_CJK_CHAR = re.compile(f"[{_LAYOUT_CJK}]")
# The lookbehind makes the second branch start only at the beginning of a run of spaces: the
# same matches, in linear time (without it a long run of spaces took quadratic time).
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_LAYOUT_CJK}])[ \t\u3000]+|(?<![ \t\u3000])[ \t\u3000]+(?=[{_LAYOUT_CJK}])")
_HIRAGANA_ONLY = re.compile(f"^[{HIRAGANA}]{{1,5}}$")
_KANJI_END = re.compile(f"[{IDEOGRAPHS}]$")
_FOOTNOTE_START = re.compile(r"^(\d{1,2}|\*)\s{2,}\S")
_PAGE_NUMBER = re.compile(r"^(page\s*)?[-\u2013(]?\s*\d{1,4}\s*[-\u2013)]?$", re.I)
_SENTENCE_END = re.compile(r"[.!?:;\"')\u201d\u2019\u3002\uff01\uff1f]$")
_EDGE = 8  # lines at the top and bottom of a page where headers, footers and tabs live


def normalise(text: str) -> str:
    """NFKC, unix newlines, and no zero-width or direction controls (invisible to a reader,
    and a way to hide words from search or split them for an injection)."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    return INVISIBLE.sub("", text)


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_CHAR.match(ch))


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", normalise(line).strip()))


def _repeated_edge_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits ignored) that sit near the top or bottom of at least 40% of the pages
    (of every page, for documents of two or three pages)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = lines[:_EDGE] + lines[-_EDGE:]
        counts.update({_shape(l) for l in edge if l.strip()})
    n = len(pages)
    threshold = n if n <= 3 else max(3, int(0.4 * n + 0.999))
    return {shape for shape, n in counts.items() if n >= threshold}


def _strip_edges(lines: list[str], repeated: set[str]) -> list[str]:
    keep = []
    n = len(lines)
    for i, line in enumerate(lines):
        at_edge = i < _EDGE or i >= n - _EDGE
        if at_edge and (_shape(line) in repeated or _PAGE_NUMBER.match(normalise(line).strip())):
            continue
        keep.append(line)
    return keep


def _move_footnotes(lines: list[str]) -> list[str]:
    """pypdf may put a footnote block between two columns, cutting a sentence in two; move
    each block to the end of the page so the sentence joins up again. A footnote that gives a
    web address is a reference (author, title, where published): it is dropped, so that no
    answer quotes "「…」https://…" or "“…,” Asahi Shimbun, February 7, 2021, https://…" as if it
    were the document speaking. A footnote that explains something is kept, at the page's end."""
    body, notes, i = [], [], 0
    while i < len(lines):
        if _FOOTNOTE_START.match(lines[i]) and i > 0:
            j = i
            while j < len(lines) and (_FOOTNOTE_START.match(lines[j]) or URL.fullmatch(lines[j].strip())):
                j += 1
            if len(lines) - j >= 3:  # a block in the middle of the page: move it
                notes.extend(lines[i:j])
                i = j
                continue
            notes.extend(lines[i:])
            break
        body.append(lines[i])
        i += 1
    return body + _without_references(notes)


def _without_references(notes: list[str]) -> list[str]:
    """The footnotes (each from its number to the next) that give no web address."""
    kept: list[str] = []
    note: list[str] = []
    for line in [*notes, "0  end"]:
        if _FOOTNOTE_START.match(line) and note:
            if not any(URL.search(n) for n in note):
                kept.extend(note)
            note = []
        note.append(line)
    return kept


def _drop_furigana(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if out and _HIRAGANA_ONLY.match(s) and _KANJI_END.search(out[-1].rstrip()):
            continue  # ruby text printed above the kanji it reads
        out.append(line)
    return out


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines into paragraphs (separated by blank lines)."""
    widths = sorted(len(l.rstrip()) for l in lines if l.strip())
    full = widths[int(0.8 * (len(widths) - 1))] if widths else 0
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("\n\n"):
            out += line
        elif re.search(r"[A-Za-z]-$", out[-3:]) and line[:1].islower():  # not all of `out`: linear
            out = out[:-1] + line  # end-of-line hyphenation: "securi-" + "ty"
        elif _is_cjk(out[-1:]) or _is_cjk(line[:1]):
            out += line
        else:
            out += " " + line
        if _SENTENCE_END.search(line) and (len(raw.rstrip()) < 0.8 * full or line.endswith("\u3002")):
            out += "\n\n"  # a short last line ending a sentence closes the paragraph
    return out.strip()


def tidy(text: str) -> str:
    text = _SPACE_NEAR_CJK.sub("", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"(?<!\s)\s+\)", ")", text)  # from the start of a run only: linear
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def clean_pdf_pages(pages: list[str]) -> list[str]:
    split = [[l for l in p.replace("\r\n", "\n").split("\n") if l.strip()] for p in pages]
    repeated = _repeated_edge_lines(split)
    out = []
    for lines in split:
        lines = _strip_edges(lines, repeated)
        lines = _drop_furigana(_move_footnotes(lines))
        # Last: the footnote and bullet rules above read "*" and bullets as layout.
        out.append(tidy(strip_markup(normalise(tidy(join_lines(lines))))))
    return out


# A bracket or a run of blank lines that turns out not to be a link / marker / bullet is
# consumed and kept as it is (see _keep_or), instead of being rescanned from every later
# position: the same result in linear time, where a long run of "[" or of blank lines took
# minutes. A match attempt from inside such a run would have failed the same way.
_MD_LINK = re.compile(r"!?\[([^\]]*)(\]\([^)]*(\))?)?")
_END_MARKER = re.compile(r"^(\s*)(\\?#{3}\s*$)?", re.M)  # press-release end marker "###"
_BULLET = re.compile(r"^(\s*)([-*+]\s+)?", re.M)


def _keep_or(replacement, group: int):
    """Substitute `replacement` where group `group` matched, else keep the text as it was."""
    return lambda m: m.expand(replacement) if m.group(group) is not None else m.group(0)


def clean_markup(text: str) -> str:
    """Markdown / HTML text / plain text: keep headings and paragraphs, drop markup."""
    text = normalise(text)
    text = _MD_LINK.sub(_keep_or(r"\1", 3), text)
    text = _END_MARKER.sub(_keep_or("", 2), text)
    text = text.replace("\\_", " ")
    text = re.sub(r"\\(.)", r"\1", text)  # Markdown escapes, e.g. "\_" for a non-breaking space
    text = text.replace("\u00a0", " ")
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = _BULLET.sub(_keep_or("\u2022 ", 2), text)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [l.strip() for l in block.split("\n") if l.strip()]
        if not lines:
            continue
        # A heading stays a line of its own; the rest of a block is one paragraph.
        merged: list[str] = []
        for line in lines:
            if line.startswith("#") or line.startswith("\u2022") or not merged:
                merged.append(line)
            elif _is_cjk(merged[-1][-1:]) or _is_cjk(line[:1]):
                merged[-1] += line
            else:
                merged[-1] += " " + line
        paragraphs.append("\n".join(merged))
    # Last, once bullets have kept their items on lines of their own: no "**", "<u>", "<!-- -->"
    # or "•" reaches a chunk, so none reaches a quote (core.text.strip_markup).
    return tidy(strip_markup("\n\n".join(paragraphs)))
