"""How a law's articles are named, one definition for ingest (which labels each passage) and
retrieval (which reads the article a question names): "Art. 5(2)" and 第五条第二項 are the same
place, and a question in either language finds it.

Labels: English "Art. 5", "Art. 5(2)", "Art. 2-2" (第二条の二), "Suppl. Art. 1" (附則第一条),
"Suppl. Prov.(2)" (a paragraph of supplementary provisions without articles); Japanese
第五条, 第五条第二項, 第二条の二, 附則第一条, 附則第二項.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

KANJI_DIGITS = "〇一二三四五六七八九"
_UNITS = {"十": 10, "百": 100, "千": 1000}
# Kanji or Arabic numerals, as written in article numbers (第十二条, 第12条).
NUMERAL = f"[{KANJI_DIGITS}十百千0-9]+"


def kanji_to_int(text: str) -> int:
    """二十五 -> 25, 百十 -> 110, 三〇 -> 30 (digit by digit), "12" -> 12; 0 when unreadable."""
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    if not any(ch in _UNITS for ch in text):  # 二〇 written digit by digit
        return int("".join(str(KANJI_DIGITS.index(ch)) for ch in text)) if all(ch in KANJI_DIGITS for ch in text) else 0
    for ch in text:
        if ch in KANJI_DIGITS:
            digit = KANJI_DIGITS.index(ch)
        elif ch in _UNITS:
            total += (digit if digit is not None else 1) * _UNITS[ch]
            digit = None
        else:
            return 0
    return total + (digit or 0)


def int_to_kanji(n: int) -> str:
    """25 -> 二十五, 110 -> 百十, 1000 -> 千: how statutes write their numbers."""
    if n <= 0:
        return KANJI_DIGITS[0]
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out += ("" if q == 1 else KANJI_DIGITS[q]) + unit
    return out + (KANJI_DIGITS[n] if n else "")


@dataclass(frozen=True)
class ArticleRef:
    """A place in a law: article (0 for supplementary provisions without articles), branch
    (第二条の二 is 2-2), paragraph (0 when not named), and whether it is in the supplementary
    provisions (附則), whose articles number again from 1."""

    number: int
    branch: int = 0
    paragraph: int = 0
    supplementary: bool = False

    def label(self, japanese: bool = False) -> str:
        return _label_ja(self) if japanese else _label_en(self)

    def same_article(self, other: "ArticleRef") -> bool:
        return (self.number, self.branch, self.supplementary) == (other.number, other.branch, other.supplementary)


def _label_en(r: ArticleRef) -> str:
    if r.number:
        base = f"Art. {r.number}" + (f"-{r.branch}" if r.branch else "")
        base = f"Suppl. {base}" if r.supplementary else base
    else:
        base = "Suppl. Prov."
    return base + (f"({r.paragraph})" if r.paragraph else "")


def _label_ja(r: ArticleRef) -> str:
    base = "附則" if r.supplementary else ""
    if r.number:
        base += f"第{int_to_kanji(r.number)}条" + (f"の{int_to_kanji(r.branch)}" if r.branch else "")
    return base + (f"第{int_to_kanji(r.paragraph)}項" if r.paragraph else "")


_EN_REF = re.compile(
    r"\b(?P<suppl>suppl(?:\.|ementary\s+provisions?,?)\s*)?"
    r"art(?:icles?|\.)?\s*(?P<num>\d{1,4})(?:\s*-\s*(?P<branch>\d{1,3})\b)?"
    r"(?:\s*,?\s*(?:paragraph|para\.?)\s*\(?(?P<para>\d{1,2})\)?|\s*\((?P<para2>\d{1,2})\))?",
    re.I,
)
_EN_SUPPL_PARA = re.compile(r"\bsuppl(?:\.|ementary)\s*prov(?:\.|isions?)\s*\(?(?P<para>\d{1,2})?\)?", re.I)
_JA_REF = re.compile(
    rf"(?P<suppl>附\s*則\s*)?第(?P<num>{NUMERAL})条(?:の(?P<branch>{NUMERAL}))?(?:第(?P<para>{NUMERAL})項)?"
)
_JA_SUPPL_PARA = re.compile(rf"附\s*則\s*(?:第(?P<para>{NUMERAL})項)?")


def article_refs(text: str) -> list[ArticleRef]:
    """The articles a text names, in order, in either language: "Article 5(2)", "Art. 5,
    paragraph 2", "article 2-2", "Suppl. Art. 1", 第五条第二項, 第5条, 第二条の二, 附則第一条. Reads
    a question and a chunk's label alike."""
    text = unicodedata.normalize("NFKC", text or "")
    found: list[tuple[int, ArticleRef]] = []
    for m in _EN_REF.finditer(text):
        para = m.group("para") or m.group("para2")
        found.append(
            (
                m.start(),
                ArticleRef(int(m["num"]), int(m["branch"] or 0), int(para or 0), bool(m["suppl"])),
            )
        )
    for m in _JA_REF.finditer(text):
        num = kanji_to_int(m["num"])
        if num:
            branch = kanji_to_int(m["branch"]) if m["branch"] else 0
            para = kanji_to_int(m["para"]) if m["para"] else 0
            found.append((m.start(), ArticleRef(num, branch, para, bool(m["suppl"]))))
    if not found:  # supplementary provisions without articles: "Suppl. Prov.(2)", 附則第二項
        for m in list(_EN_SUPPL_PARA.finditer(text)) + list(_JA_SUPPL_PARA.finditer(text)):
            para = m["para"]
            found.append((m.start(), ArticleRef(0, 0, kanji_to_int(para) if para else 0, True)))
    return [r for _, r in sorted(found, key=lambda x: x[0])]
