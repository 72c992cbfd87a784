"""Does what was retrieved answer the question? Decided by the pipeline before any generator
runs, so every backend declines the same questions: first whether any passage bears on the
question at all (`assess`), then whether the sentences about to be quoted carry what it asks
for (`decide`): the kind of answer (a date for "when", an amount for "how much" ...) and the
question's names and figures. When only part is there, the answer is partial and says which
part the documents do not cover."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answering.question import ACRONYM, KINDS, Question, countries_in, coverage, spelled_in
from assistant.answering.verify import canonical
from assistant.core.text import MONTHS, fold, language_of, terms
from assistant.core.types import Hit

if TYPE_CHECKING:
    from assistant.answering.evidence import Evidence


@dataclass(frozen=True)
class Support:
    ok: bool
    reason: str = ""  # which check failed, in words a user can read
    missing: str = ""  # what the documents do not state ("a date", "Texas"), for the decline message
    partial: bool = False  # part of the question is answered; `missing` names the rest


def assess(question: Question, hits: list[Hit], unknown_terms, settings) -> Support:
    """Weak support = neither the embedding nor the words of the question find a passage, or
    the question is about a name or number the corpus never mentions and no passage is close.
    `unknown_terms(words)` returns the words no document the asker may read contains."""
    if not hits:
        return Support(False, "nothing in the library matched the question")
    q = set(question.terms)
    best_dense = max((h.dense for h in hits[:5] if h.dense is not None), default=0.0)
    best_cov = max(coverage(q, h.chunk.embed_text()) for h in hits[:3])
    best_cross = max((h.crossed for h in hits[:5] if h.crossed is not None), default=0.0)
    if best_cross >= settings.min_crosslingual_score:
        return Support(True)  # a passage in the other language is close: words cannot be compared
    if best_dense < settings.min_dense_score and best_cov < settings.min_term_coverage:
        return Support(False, "no passage is close to the question")
    # Its key terms, less a year (a document's date may be the only place it stands: `decide`
    # checks it against the passages and their dates) and an acronym the question spells out
    # itself (judged by its words, in `decide`).
    unknown = [
        t
        for t in unknown_terms(list(question.key_terms))
        if t not in question.spelled_acronyms and not _YEAR.fullmatch(t)
    ]
    # An acronym no document uses may be written out in the passages found ("JBIC").
    unknown = [t for t in unknown if not _written_out(t, question.text, [h.chunk.text for h in hits[:5]])]
    if unknown and best_dense < settings.unknown_name_min_dense:
        return Support(False, "the documents never mention: " + ", ".join(unknown))
    return Support(True)


def decide(question: Question, chosen: list[Evidence], hits: list[Hit], settings) -> Support:
    """Do the chosen sentences (and their passages) carry what the question asks for?"""
    if not chosen:
        return Support(False, "no sentence of the passages can be quoted")
    best = max(chosen, key=lambda e: e.score)
    # When the sentence closest to the question carries none of what it asks for, a date or a
    # name from a sentence elsewhere is most often about something else ("$180 million in
    # humanitarian assistance for civilians in Gaza" for where a disaster-relief hub would be):
    # only the sentences of its own passage answer for it.
    answering = chosen
    if question.wants and not best.kinds & set(question.wants):
        answering = [e for e in chosen if e.hit.chunk.id == best.hit.chunk.id]
    lacking = [
        k for k in question.wants if not any(k in e.kinds for e in answering if _about(e, best, question, settings))
    ]
    # The names and figures of the question (a year may be the document's date) must be in the
    # passages quoted from.
    context: set[str] = set()
    flat, raw = [], []
    passages = {e.hit.chunk.id: e.hit.chunk for e in chosen}
    for c in passages.values():
        text = f"{c.embed_text()} {c.meta.date} {c.meta.issuer} {c.meta.type}"
        context.update(terms(text))
        flat.append(fold(text).replace(" ", ""))
        raw.append(text)
    joined = " ".join(flat)
    # Names cannot be compared across the language line ("Tokyo" is 東京 in a Japanese passage):
    # when any passage quoted from is in the other language, only the kinds are checked.
    language = language_of(question.text)
    if any(c.meta.language != language for c in passages.values()):
        return _by_kind(question, lacking)
    # A country the question is about must be in the passages quoted from ("How much did South
    # Korea invest ..." is not answered by a passage on Japanese investment).
    elsewhere = sorted(question.countries - countries_in(" ".join(raw)))
    if elsewhere:
        return _not_mentioned(elsewhere)
    # A day the question names ("their January 13, 2023 meeting") is there as a day, not as a
    # "13" and a "2023" anywhere in the passages, or it is the day of the document.
    named_days = [
        (m, any(_named_day(m, c.meta.date, text) for c, text in zip(passages.values(), raw)))
        for m in _DAY.finditer(question.text)
    ]
    days = [m.group(0) for m, found in named_days if not found]
    found_days = {t for m, found in named_days if found for t in terms(m.group(0))}
    if days:
        return _not_mentioned(days)
    # A figure the question gives with its unit ("to 3 percent of GDP", "$110 million") is stated
    # so in the passages, not as a "3" anywhere in them.
    stated = canonical(" ".join(raw))
    figures = [m.group(0) for m in _FIGURE.finditer(question.text) if canonical(m.group(0)) not in stated]
    if figures:
        return _not_mentioned(figures)
    # A name the passages write by its acronym ("the NSS") is there; an acronym the question
    # spells out ("promotion legislation (ESPA)") is there when most of its words are.
    context.update(t for n in question.names if n.acronyms & context for t in n.terms)
    context.update(question.acronyms_meant(context))
    absent = [t for t in question.key_terms if t not in context and t not in joined and t not in found_days]
    absent = [t for t in absent if not _written_out(t, question.text, raw)]
    # Every figure must be there; of many names, one may be spelt otherwise ("Adviser").
    words = [t for t in question.key_terms if not any(ch.isdigit() for ch in t)]
    allowed = settings.max_absent_key_terms + max(0, len(words) - 1) // 3
    absent_figures = [t for t in absent if any(ch.isdigit() for ch in t)]
    if absent_figures or len(absent) > allowed:
        return _not_mentioned(absent)
    return _by_kind(question, lacking)


def _not_mentioned(what: list[str]) -> Support:
    """Declined: the passages quoted from mention none of these (countries, days, names, figures)."""
    return Support(
        False, "the closest passages do not mention: " + ", ".join(what), missing="anything on " + ", ".join(what)
    )


def _by_kind(question: Question, lacking: list[str]) -> Support:
    """Declined when no asked-for kind of answer is there, partial when some are."""
    if lacking and len(lacking) == len(question.wants):
        what = " or ".join(KINDS[k] for k in lacking)
        return Support(False, f"no quoted sentence states {what}", missing=what)
    if lacking:
        what = " or ".join(KINDS[k] for k in lacking)
        return Support(True, f"no quoted sentence states {what}", missing=what, partial=True)
    return Support(True)


_YEAR = re.compile(r"(?:19|20)\d\d")
_FIGURE = re.compile(
    r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?\s*(?:%|percent|per cent|(?:thousand|million|billion|trillion)\b|yen\b)", re.I
)
_DAY = re.compile(r"\b(" + "|".join(m.capitalize() for m in MONTHS) + r")\s+(\d{1,2})(?:,?\s+((?:19|20)\d\d))?\b")


def _written_out(term: str, question: str, texts: list[str]) -> bool:
    """The question's acronym for this term ("MOFA") is written out in one of the texts."""
    acronym = next((a for a in ACRONYM.findall(question) if a.lower() == term), None)
    return acronym is not None and any(spelled_in(acronym, t) for t in texts)


def _named_day(m: re.Match, date: str, text: str) -> bool:
    month, day = MONTHS.index(m.group(1).lower()) + 1, int(m.group(2))
    iso = f"{m.group(3) or date[:4]}-{month:02d}-{day:02d}"
    return date == iso or re.search(rf"\b{m.group(1)}\s+{day}\b|\b{day}\s+{m.group(1)}\b", text) is not None


# A sentence that opens by pointing back ("This change ...", "It ...") is about what the sentences
# before it in its passage are about.
_REFERS_BACK = re.compile(
    r"\W*(?:This|These|That|Those|It|Its|They|Their|Such|The (?:change|move|decision|step|plan))\b"
)


def _about(e: Evidence, best: Evidence, question: Question, settings) -> bool:
    """Is this sentence about what the question asks (so that its date or figure answers it)?
    It names one of the question's names, or it sits in a passage that names most of them and
    shares some of the question's words; without names, it is the best sentence, one of its
    passage, or shares many of the question's words."""
    if e.hit.chunk.meta.language != language_of(question.text):
        # Words cannot be compared across languages, but a name written in Latin letters in both
        # ("Swallow", "TSUBAME", "AIST") can.
        written = [t for t in question.key_terms if len(t) > 2 and not t.isdigit()]
        return e is best or e.hit.chunk.id == best.hit.chunk.id or any(t in e.sentence.lower() for t in written)
    # A sentence about other countries only ("U.S. contribution of $250 million") does not state
    # the figure of the one the question asks about ("How much is Japan contributing?").
    said = countries_in(e.sentence)
    if question.countries and said and not said & question.countries:
        return False
    # "(RSP)": its words are the question's own.
    words = [t for t in question.key_terms if not any(ch.isdigit() for ch in t) and t not in question.spelled_acronyms]
    own = set(terms(e.sentence))
    share = coverage(set(question.terms), e.sentence)
    if question.names:
        # The question is about a named thing: the date or figure must be stated of it, in a
        # sentence that names it, or in a sentence of a passage that names it ("the division will
        # be split in two from April 2021") sharing a word of the question.
        if any(n.named_in(own) for n in question.names):
            return True
        passage = set(terms(e.hit.chunk.embed_text()))
        # "This change is reportedly prompted by ..." speaks of the thing its passage names.
        refers = bool(own & question.terms) or bool(_REFERS_BACK.match(e.sentence))
        return any(n.named_in(passage) for n in question.names) and refers
    if words:
        if own & set(words):
            return True
        in_passage = set(terms(e.hit.chunk.embed_text())) & set(words)
        return 2 * len(in_passage) >= len(words) and (e is best or share >= settings.min_kind_sentence_coverage / 2)
    return e is best or e.hit.chunk.id == best.hit.chunk.id or share >= settings.min_kind_sentence_coverage
