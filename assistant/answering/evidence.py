"""Sentence choice: the sentences of the top passages that answer the question, best first.

A sentence scores by its closeness to the question (embedding), the share of the question's
terms it contains, and the passage's rank; a sentence that carries the kind of answer asked
for (a date for "when", an amount for "how much") and the question's names is preferred, so
that the sentence with the figure comes before the passage's general sentence. Every kind the
question asks for gets its best sentence when one exists (two-part questions)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.question import ACRONYM, Question, coverage, kinds_in, spelled_in
from assistant.core.guard import looks_like_injection, tainted
from assistant.core.text import cjk_share, mostly_japanese, quotable_sentences
from assistant.core.types import Hit

# Weights of the sentence score; chosen on the tune halves of the dev sets (README).
W_SIMILARITY, W_COVERAGE, W_RANK, W_KIND = 0.6, 0.4, 0.05, 0.25
# A sentence of the article the question names ("What does Article 3 require?") before a
# sentence of another article that happens to read closer.
W_ARTICLE = 0.25
KEEP_WITHIN = 0.7  # a further sentence is quoted only if it scores at least this share of the best


@dataclass(frozen=True)
class Evidence:
    hit: Hit
    rank: int  # the passage's rank among the hits
    sentence: str
    score: float
    kinds: frozenset[str]  # the asked-for kinds of answer it carries


def candidates(hits: list[Hit]) -> list[tuple[int, str]]:
    """(passage rank, sentence) of every sentence that could be quoted: not a reference (a link,
    a bibliographic citation), never a sentence that reads as an instruction to an AI system."""
    out = []
    for rank, hit in enumerate(hits):
        if tainted(hit.chunk.text):
            continue
        for sentence in quotable_sentences(hit.chunk.text.replace("\n", " ")):
            if len(sentence) >= 12 and not _no_statement(sentence) and not looks_like_injection(sentence):
                out.append((rank, sentence))
    return out


def rank_sentences(question: Question, hits: list[Hit], scorer) -> list[Evidence]:
    """Every candidate sentence of `hits`, scored, best first."""
    found = candidates(hits)
    if not found:
        return []
    sims = scorer.similarity(question.text, [s for _, s in found])
    scored = []
    for (rank, sentence), sim in zip(found, sims):
        kinds = kinds_in(sentence, question)
        share = len(kinds) / len(question.wants) if question.wants else 0.0
        score = (
            W_SIMILARITY * sim
            + W_COVERAGE * _coverage(question, sentence)
            + W_RANK / (rank + 1)
            + W_KIND * share
            + (W_ARTICLE if _named_article(hits[rank]) else 0.0)
        )
        scored.append(Evidence(hits[rank], rank, sentence, score, kinds))
    return sorted(scored, key=lambda e: -e.score)


# A Japanese question's translated terms are a part of what it asks (its particles and verbs have
# none), so an English sentence holding them all counts half a full match (tune halves: 0.25,
# 0.5, 0.75 and 1 tried; Japanese -> English correct 0.791, 0.814, 0.767, 0.744).
W_TRANSLATED = 0.5


def _coverage(question: Question, sentence: str) -> float:
    """The share of the question's terms in the sentence; an acronym of the question counts where
    the sentence writes it out ("JBIC": Japan Bank for International Cooperation). An English
    sentence shares no term with a Japanese question: it is read by the question's English terms."""
    if question.translated and not mostly_japanese(sentence):
        return W_TRANSLATED * coverage(set(question.translated), sentence)
    written = [a for a in ACRONYM.findall(question.text) if spelled_in(a, sentence)]
    return coverage(set(question.terms), " ".join([sentence, *written]))


def choose(question: Question, ranked: list[Evidence], max_sentences: int) -> list[Evidence]:
    """The sentences to quote: the best; for each asked-for kind it lacks, the best sentence that
    carries it (from the best sentence's passage, or close enough to the best); then any close
    to the best, up to max_sentences. Sentences carrying what was asked come first."""
    if not ranked:
        return []
    best = ranked[0]
    chosen: list[Evidence] = [best]
    for kind in question.wants:
        if not any(kind in e.kinds for e in chosen):
            e = next(
                (
                    e
                    for e in ranked
                    if kind in e.kinds and (e.hit.chunk.id == best.hit.chunk.id or e.score >= KEEP_WITHIN * best.score)
                ),
                None,
            )
            if e is not None and len(chosen) < max_sentences:
                chosen.append(e)
    for e in ranked[1:]:
        if len(chosen) >= max_sentences or e.score < KEEP_WITHIN * best.score:
            break
        if _named_article(best.hit) and not _named_article(e.hit):
            continue  # the question names an article: other articles are not its answer
        if all(e.sentence != c.sentence for c in chosen):
            chosen.append(e)
    return sorted(chosen, key=lambda e: -len(e.kinds))  # stable: by score within


def _named_article(hit: Hit) -> bool:
    """The passage is of the article the question names (retrieval marks it in boosted_by)."""
    return bool(hit.chunk.article) and hit.chunk.article in hit.boosted_by


# A footnote's bibliographic reference: a quoted title closed by a comma, then where and when it
# appeared ('“Jinken shingai ni seisai …,” Asahi Shimbun, February 7, 2021'), or a footnote number
# opening a sentence that quotes a title ('2 Ministry of Finance of Japan, “Yunyuu …').
_CITATION = re.compile(
    r",[”\"]\s+[^.“”\"]{2,80},\s+(?:[A-Z][a-z]+\.?\s+(?:\d{1,2},\s+)?)?(?:19|20)\d\d\b|^\d{1,3}\s+[A-Z][^“\"]{0,80},\s+[“\"]"
)


# A heading or a title ("Section I  Critical Minerals and Rare Earths", "Clean Energy Economy",
# "The Washington Quarterly."): every word capitalised but the small ones. Close to many questions
# by its words, it states nothing; a name it holds would pass for a person's.
_WORD = re.compile(r"[A-Za-z][\w\u2019'.-]*")
_SMALL = frozenset("a an and as at by for from in of on the to with".split())


def _no_statement(sentence: str) -> bool:
    """A footnote's bibliographic citation or a heading answers nothing (links are never
    quotable at all)."""
    if _CITATION.search(sentence):
        return True
    if cjk_share(sentence) > 0:
        return False  # a Japanese sentence's Latin words are its acronyms and names ("AI", "GPU")
    words = [w for w in _WORD.findall(sentence) if w.lower() not in _SMALL]
    if len(words) >= 2 and all(w[0].isupper() for w in words):
        return True
    # A label and a list of titles ("Reference documents: G7 Leaders' Hiroshima Vision on Nuclear
    # Disarmament G7 Leaders' Statement on Ukraine ..."): capitalised words only after the label.
    return len(words) >= _TITLE_LIST and all(w[0].isupper() for w in words[2:])


_TITLE_LIST = 12  # "They should: Create a Japan-US Economic Security Consultative Committee." is 8
