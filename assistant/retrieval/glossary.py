"""A bilingual glossary of economic-security terms (glossary.tsv, written from the corpus's
documents and official translations): a question in one language is searched with the other
language's terms too, so that BM25 and the English embedder can reach across the language line.
The same list is the Glossary page trainers use."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from assistant.core.text import mostly_japanese


@dataclass(frozen=True)
class Entry:
    ja: str
    en: tuple[str, ...]  # variants, the documents' own wording first
    note: str = ""


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    text = resources.files(__package__).joinpath("glossary.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].strip():
            en = tuple(v.strip() for v in parts[1].split("|") if v.strip())
            out.append(
                Entry(unicodedata.normalize("NFKC", parts[0].strip()), en, parts[2].strip() if len(parts) > 2 else "")
            )
    return tuple(out)


@lru_cache(maxsize=1)
def _english_pattern() -> tuple[re.Pattern, dict[str, Entry]]:
    by_term = {v.lower(): e for e in entries() for v in e.en if len(v) > 2}
    alternatives = sorted(by_term, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w-])", re.I), by_term


def translations(query: str) -> list[str]:
    """The other language's terms for the glossary terms in the query (longest terms first; a
    Japanese term of one character is too ambiguous to use)."""
    query = unicodedata.normalize("NFKC", query)
    if mostly_japanese(query):
        return list(_japanese_terms(query)[0])
    pattern, by_term = _english_pattern()
    japanese = (by_term[m.group(0).lower()].ja for m in pattern.finditer(query))
    return list(dict.fromkeys(ja for ja in japanese if len(ja) > 1))


@lru_cache(maxsize=256)
def _japanese_terms(query: str) -> tuple[tuple[str, ...], str]:
    """The English of the glossary terms in a Japanese query, and what is left of the query.
    Kept per query: a search reads it three times (expansion, katakana, metadata boost)."""
    found, rest = [], query
    for e in sorted(entries(), key=lambda e: -len(e.ja)):
        if len(e.ja) > 1 and e.ja in rest:
            found.append(e.en[0])
            rest = rest.replace(e.ja, " ")
        elif len(e.ja) == 1 and re.search(re.escape(e.ja) + _AS_NAME, rest):
            found.append(e.en[0])
            rest = re.sub(re.escape(e.ja) + _AS_NAME, " ", rest)
    return tuple(found), rest


# A one-character term is too ambiguous alone (菅 is also a sedge), but not as a name: before a
# title, 政権 or the ・ that joins two leaders ("菅首相", "菅政権", "菅・バイデン共同声明").
_AS_NAME = r"(?=・|首相|総理|政権|氏|大統領|元首相|前首相)"


def untranslated(query: str) -> str:
    """A Japanese query less its glossary terms: what the glossary cannot carry across."""
    return _japanese_terms(unicodedata.normalize("NFKC", query))[1]


_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9+&.-]*[A-Za-z0-9]|[A-Za-z]\d?")


def latin_words(query: str) -> list[str]:
    """The words of a Japanese question written in Latin script (acronyms, names: QZSS, CoRe,
    G7), which an English passage writes the same way."""
    return list(dict.fromkeys(_LATIN.findall(unicodedata.normalize("NFKC", query))))
