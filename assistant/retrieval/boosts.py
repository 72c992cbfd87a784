"""Dates, issuers and kinds of document named in a question ("in 2022", "the G7 leaders", "the
fact sheet", "the trilateral readout") weigh the documents whose metadata match: a soft boost
inside the fusion, never a filter, and shown with each hit so a user sees why a document rose."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.text import MONTHS, salient_terms, terms
from assistant.retrieval.glossary import latin_words

# Words that name a kind of document; issuers and places are the question's names.
_KINDS = frozenset(
    terms(
        "fact sheet joint statement readout communique communiqué framework deal memorandum white paper trilateral analysis"
    )
)

_YEAR = re.compile(r"\b(?:19|20)\d\d\b|(?:19|20)\d\d(?=年)")
_MONTHS = {m: i for i, m in enumerate(MONTHS, 1)}
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b", re.I)
_MONTH_JA = re.compile(r"(?<![0-9])(1[0-2]|[1-9])月")  # 2024年11月


@dataclass(frozen=True)
class Descriptors:
    """What a question says about the document it means."""

    years: frozenset[str]
    months: frozenset[int]
    words: frozenset[str]  # terms that name issuers and kinds of document (from the titles)
    # Words of a document's title a Japanese question names it by (技術繁栄ディール is the
    # "Technology Prosperity Deal", CoRe): they tell which document of its kind is meant.
    titled: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        # A year alone is as often the date of a fact as of a document: a question is about a
        # particular document when it names a kind of document or an issuer, or a month with its
        # year ("in January 2023"), which is the date of a document as often as not.
        return bool(self.words) or bool(self.years and self.months)


class DocumentMetadata:
    """Kind, issuer and date terms per document of one snapshot, and which terms describe
    documents (they occur for some documents, but not for most)."""

    def __init__(self, metas: list, aliases: dict[str, list[str]] | None = None) -> None:
        """`aliases`: an issuer's canonical name -> its other names (the manifest's
        issuer_aliases), so that "NSC" or 日米韓 in a question names the documents filed under it."""
        self.docs: dict[str, tuple[set[str], str]] = {}
        self.titles: dict[str, set[str]] = {}
        for md in metas:
            if md is not None and md["doc_id"] not in self.docs:
                # A kind of document is read from the title, an issuer from the issuer field.
                kinds = set(terms(f"{md.get('title', '')} {md.get('type', '')}")) & _KINDS
                issuer = md.get("issuer", "")
                names = " ".join([issuer, *(aliases or {}).get(issuer, [])])
                self.docs[md["doc_id"]] = (kinds | set(terms(names)), md.get("date", ""))
                # Its words, not its numbers ("Readout of call 4" is not named by "4月").
                self.titles[md["doc_id"]] = {t for t in terms(md.get("title", "")) if not t.isdigit()}
        # "Japan" or "White House" issue most of this corpus: they tell no document apart.
        few = max(1, len(self.docs) // 4)
        self.describing = _few(list(words for words, _ in self.docs.values()), few)
        self.titling = _few(list(self.titles.values()), few)

    def descriptors(self, question: str, translated: tuple[str, ...] = (), japanese: bool = False) -> Descriptors:
        """`translated`: the glossary's English for the question's Japanese terms (ファクトシート
        is "fact sheet", 日米韓 "Japan-U.S.-ROK"), each a name or a kind of document; `japanese`:
        the question is, so its words may name a document by its title."""
        months = frozenset(_MONTHS[m.lower()] for m in _MONTH.findall(question)) | frozenset(
            int(m) for m in _MONTH_JA.findall(question)
        )
        named = set(salient_terms(question)) | (set(terms(question)) & _KINDS)
        named.update(t for phrase in translated for t in terms(phrase))
        # A Japanese question names an English document by the words of its title, through the
        # glossary or written as the title does ("CoRe"). Not an English question: its words are
        # as often the topic as the title ("technology"), and lifting them cost dev and plain.
        titled: frozenset[str] = frozenset()
        if japanese:
            titled = frozenset((named | set(terms(" ".join(latin_words(question))))) & self.titling)
        return Descriptors(frozenset(_YEAR.findall(question)), months, frozenset(named & self.describing), titled)

    def match(self, doc_id: str, asked: Descriptors) -> tuple[float, tuple[str, ...]]:
        """(share of the question's descriptors the document matches, what matched)."""
        words, date = self.docs.get(doc_id, (set(), ""))
        words = words | (self.titles.get(doc_id, set()) & asked.titled)
        matched = sorted((asked.words | asked.titled) & words)
        total = len(asked.words | asked.titled)
        if asked.years:
            total += 1
            if date[:4] in asked.years:
                matched.append(date[:4])
                if asked.months:
                    total += 1
                    if date[5:7].isdigit() and int(date[5:7]) in asked.months:
                        matched.append(date[:7])
        return (len(matched) / total if total else 0.0), tuple(matched)


def _few(groups: list[set[str]], few: int) -> set[str]:
    """The words that occur in at most `few` of the groups."""
    counts: dict[str, int] = {}
    for words in groups:
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    return {w for w, n in counts.items() if n <= few}
