"""Quizzes for trainers: fill-the-blank questions cut from passages the user may read.

A question blanks one fact (a year, a figure or a name) of a sentence in a passage; the answer
key is the blanked text and the citation is the passage's document and page. Multiple-choice
distractors are facts of the same kind from other visible passages, so a restricted document
can never supply even a wrong option. No language model: the key is the document's own words.
English passages only (the fact patterns below are English)."""

from __future__ import annotations

import csv
import io
import random
import re
from dataclasses import asdict, dataclass, field

from assistant.core.guard import looks_like_injection
from assistant.core.text import fold, split_sentences

BLANK = "_____"
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_FIGURE = re.compile(
    r"\b\d[\d,.]*\s?(?:%|percent|per cent|trillion|billion|million|yen)\b|\b\d[\d,.]*\b(?=\s+(?:countries|"
    r"items|sectors|members|areas|technologies|pillars|companies|fields|days|years))"
)
# Two or more capitalised words (a law, a body, a programme), after a lower-case word, so that
# the blank never splits a longer name ("Prime [Minister Kishida]").
_NAME = re.compile(r"(?:[A-Z][A-Za-z&'\u2019-]+ )(?:(?:of|for|and|on|the) )?(?:[A-Z][A-Za-z&'\u2019-]+ ?){1,5}")
_NOT_NAME = {"This", "These", "That", "The", "It", "We", "Our", "In", "On", "As", "To", "And", "By", "For", "With"}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class QuizQuestion:
    id: int
    kind: str  # "mc" (multiple choice) or "short" (short answer)
    prompt: str  # the sentence with the fact blanked
    answer: str  # the key: the blanked text, as the document says it
    options: list[str] = field(default_factory=list)
    doc_id: str = ""
    title: str = ""
    page: int | None = None
    passage: str = ""  # the passage the sentence comes from, shown after answering
    fact: str = ""  # year | figure | name

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Grade:
    correct: bool
    feedback: str


def _facts(sentence: str) -> list[tuple[str, str]]:
    found = [("figure", m.group(0).strip()) for m in _FIGURE.finditer(sentence)]
    found += [("year", m.group(0)) for m in _YEAR.finditer(sentence)]
    for m in _NAME.finditer(sentence):
        before = sentence[: m.start()].split()
        name = m.group(0).strip()
        words = name.split()
        if before and before[-1][:1].islower() and not (set(words) & _NOT_NAME) and len(name) <= 80:
            found.append(("name", name))
    return [(k, v) for k, v in found if sentence.count(v) == 1 and len(v) >= 2]


def make_quiz(
    retriever,
    n: int = 3,
    topic: str | None = None,
    filters: dict | None = None,
    kinds: tuple[str, ...] = ("mc", "short"),
    seed: int = 0,
) -> list[QuizQuestion]:
    """Questions from the passages most relevant to `topic`, or from a sample of the visible
    passages (narrowed by `filters`, e.g. doc_id) when there is no topic."""
    rng = random.Random(seed)
    pool = [c for c in retriever.passages(filters) if c.meta.language.startswith("en")]
    if topic:
        ranked = [h.chunk for h in retriever.search(topic, filters=filters, k=max(20, 4 * n))]
        chunks = [c for c in ranked if c.meta.language.startswith("en")]
    else:
        chunks = pool[:]
        rng.shuffle(chunks)
    by_kind: dict[str, set[str]] = {}
    for c in pool:
        for s in split_sentences(c.text.replace("\n", " ")):
            if looks_like_injection(s):
                continue
            for kind, value in _facts(s):
                by_kind.setdefault(kind, set()).add(value)
    questions: list[QuizQuestion] = []
    used_pages: set = set()
    for chunk in chunks:
        if len(questions) >= n:
            break
        if (chunk.doc_id, chunk.page) in used_pages:
            continue
        for sentence in split_sentences(chunk.text.replace("\n", " ")):
            sentence = sentence.lstrip("\u2022\u00b7\u2013*- ").strip()
            words = len(sentence.split())
            if not 8 <= words <= 45 or looks_like_injection(sentence) or "http" in sentence:
                continue
            facts = _facts(sentence)
            if not facts:
                continue
            # Figures and years make the fairest questions; a name if there is nothing else.
            facts.sort(key=lambda f: ("figure", "year", "name").index(f[0]))
            kind, value = facts[0]
            distractors = _distractors(kind, value, by_kind.get(kind, set()), rng)
            qkind = kinds[len(questions) % len(kinds)]
            if qkind == "mc" and len(distractors) < 3:
                continue
            options = []
            if qkind == "mc":
                options = distractors[:3] + [value]
                rng.shuffle(options)
            questions.append(
                QuizQuestion(
                    id=len(questions) + 1,
                    kind=qkind,
                    prompt=sentence.replace(value, BLANK, 1),
                    answer=value,
                    options=options,
                    doc_id=chunk.doc_id,
                    title=chunk.meta.title,
                    page=chunk.page,
                    passage=chunk.text,
                    fact=kind,
                )
            )
            used_pages.add((chunk.doc_id, chunk.page))
            break
    return questions


def _distractors(kind: str, value: str, pool: set[str], rng: random.Random) -> list[str]:
    others = sorted(
        v for v in pool if _norm(v) != _norm(value) and _norm(v) not in _norm(value) and _norm(value) not in _norm(v)
    )
    rng.shuffle(others)
    if kind == "year" and len(others) < 3:
        y = int(value)
        others += [str(y + d) for d in (-3, -1, 2, 4) if str(y + d) not in others]
    picked: list[str] = []
    for v in others:
        if all(_norm(v) != _norm(p) for p in picked):
            picked.append(v)
        if len(picked) == 3:
            break
    return picked


def _norm(text: str) -> str:
    words = _WORD.findall(fold(text).lower().replace("per cent", "percent").replace("%", " percent"))
    return " ".join(w for w in words if w not in ("the", "a", "an"))


def grade(question: QuizQuestion, response: str | None) -> Grade:
    """Multiple choice: the option chosen. Short answer: judged against the key; every word
    (and every digit) of the key must be there, in any order, ignoring case, articles and
    punctuation; a figure must match exactly."""
    where = f"{question.title}" + (f", p. {question.page}" if question.page else "")
    if not response or not response.strip():
        return Grade(False, f"No answer. The document says: {question.answer} ({where}).")
    key, got = _norm(question.answer), _norm(response)
    if question.kind == "mc":
        ok = key == got
    else:
        key_words, got_words = set(key.split()), set(got.split())
        ok = bool(key_words) and key_words <= got_words
        if not ok and not re.search(r"\d", key) and len(key_words) >= 3:
            # A long name may be given without a minor word ("Economic Security Promotion Act").
            ok = len(key_words & got_words) / len(key_words) >= 0.75
    verdict = "Correct." if ok else f"Not quite: the document says \u201c{question.answer}\u201d."
    return Grade(ok, f"{verdict} Source: {where}.")


def results_csv(questions: list[QuizQuestion], responses: dict[int, str], trainee: str = "") -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        ["trainee", "question", "kind", "prompt", "options", "answer_key", "response", "correct", "document", "page"]
    )
    for q in questions:
        g = grade(q, responses.get(q.id))
        w.writerow(
            [
                trainee,
                q.id,
                q.kind,
                q.prompt,
                " | ".join(q.options),
                q.answer,
                responses.get(q.id, ""),
                int(g.correct),
                q.title,
                q.page or "",
            ]
        )
    return out.getvalue()
