"""A topic's *focus terms*: the words of a topic that pin it down in this library, and the test
of whether a text addresses the topic. One definition for every feature that works on a topic:
the timeline of positions and the briefing note (which sentences of which documents address it)
and the quiz (which passages and stems are about it).

A word most documents contain ("Japan", "cooperation", "United States" in a corpus of
U.S.-Japan statements) does not pin a topic down, whatever list of generic words one could
write: the library decides, by how many of its documents contain the word. The glossary gives
the terms in the other language, so an English topic reaches a Japanese document."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from assistant.answering.question import analyse
from assistant.core.text import language_of, terms
from assistant.core.types import Chunk
from assistant.retrieval.glossary import entries, translations

# A word found in more than this share of the readable documents does not pin a topic down.
FOCUS_MAX_SHARE = 0.5


class TopicError(ValueError):
    """A topic that cannot be searched (empty, or no words)."""


def topic_terms(topic: str) -> list[str]:
    """The topic's search terms with the glossary's terms in the other language."""
    found = terms(topic) + [t for other in translations(topic) for t in terms(other)]
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Focus:
    """What a sentence must name to address the topic: enough of the topic's own focus terms
    (in the topic's language), or, in the other language, one of the glossary's translations of
    the topic's terms as a whole phrase (重要鉱物, not its bigram 重要)."""

    language: str
    terms: tuple[str, ...]
    phrases: tuple[str, ...]  # the other language's terms, from the glossary
    own_phrases: tuple[str, ...] = ()  # a Japanese topic's glossary terms, matched whole
    # The focus terms as the topic groups them: neighbours in the topic form one compound
    # ("export controls"); the group of the rarest term first. Empty: all terms, one group.
    groups: tuple[tuple[str, ...], ...] = ()

    def needed(self, group: tuple[str, ...] | None = None) -> int:
        """Of a compound: all of one or two terms, two thirds of more."""
        g = self.terms if group is None else group
        return len(g) if len(g) <= 2 else math.ceil(2 * len(g) / 3)

    def _names(self, seq: list[str]) -> bool:
        """The compound of the rarest term, and half the compounds, each with its words together."""
        groups = self.groups or (self.terms,)
        found = [g for g in groups if _near(g, seq, self.needed(g))]
        return bool(found) and found[0] is groups[0] and len(found) >= math.ceil(len(groups) / 2)

    def addressed_by(self, text: str) -> bool:
        if language_of(text) == self.language:
            if self.own_phrases:
                folded = unicodedata.normalize("NFKC", text)
                return any(p in folded for p in self.own_phrases)
            return bool(self.terms) and self._names(terms(text))
        if self.language == "en":  # a Japanese sentence: the phrase itself, as written
            folded = unicodedata.normalize("NFKC", text)
            return any(p in folded for p in self.phrases)
        seq = terms(text)  # an English sentence: the phrase's words together, as in the topic's own language
        return any(_near(tuple(terms(p)), seq, len(set(terms(p)))) for p in self.phrases if terms(p))

    def all_terms(self) -> tuple[str, ...]:
        return self.terms + tuple(t for p in self.phrases + self.own_phrases for t in terms(p))


def _near(focus: tuple[str, ...], seq: list[str], needed: int) -> bool:
    """Do `needed` of the focus terms occur close together (within needed + 2 search terms)?
    "export controls" is about export controls, "e-scrap exports ... the Control of
    Transboundary Movements" is not."""
    wanted = set(focus)
    if needed <= 1:
        return bool(wanted & set(seq))
    width = needed + 2
    return any(len(wanted & set(seq[i : i + width])) >= needed for i in range(max(1, len(seq) - width + 1)))


def _rare(candidates: list[str], df: dict[str, int], n: int) -> list[str]:
    """The rarest candidate and any other found in at most FOCUS_MAX_SHARE of n documents."""
    present = sorted((t for t in candidates if df[t]), key=lambda t: df[t])
    return [t for t in present if t == present[0] or df[t] <= FOCUS_MAX_SHARE * n]


def focus_of(topic: str, chunks: list[Chunk]) -> Focus:
    """The topic's terms that pin it down in this library: the rarest of them (by how many
    documents contain it), and any other found in at most FOCUS_MAX_SHARE of the documents.
    A Japanese topic is read by its glossary terms when it has some (its other bigrams cross
    particles: 「半導体に関する」 gives 体に, に関)."""
    language = language_of(topic)
    glossary = [e.ja for e in entries() if len(e.ja) > 1 and e.ja in unicodedata.normalize("NFKC", topic)]
    own = list(dict.fromkeys(t for p in glossary for t in terms(p))) if language == "ja" and glossary else []
    own = own or list(dict.fromkeys(terms(topic)))
    if not own:
        raise TopicError("the topic has no words to search for")
    phrases = translations(topic)
    phrase_terms = {p: set(terms(p)) for p in phrases}
    wanted = set(own) | {t for ts in phrase_terms.values() for t in ts}
    docs: dict[str, set[str]] = {}
    for c in chunks:
        docs.setdefault(c.doc_id, set()).update(t for t in terms(c.text) if t in wanted)
    n = max(1, len(docs))
    df = {t: sum(1 for ts in docs.values() if t in ts) for t in own}
    # A topic whose names or figures (or most of whose words) no readable document contains is
    # not addressed by the library, whatever its remaining common words match ("the 2018 FIFA
    # World Cup final": "final" alone would find passages about something else). Not for
    # Japanese bigrams, which a reader never sees as words.
    missing = {t for t in own if not df[t]}
    latin = language == "en"
    if not any(df.values()) or (latin and (missing & set(analyse(topic).key_terms) or 2 * len(missing) > len(own))):
        if not (language == "ja" and phrases):
            return Focus(language, (), ())
    focus = _rare(own, df, n) if any(df.values()) else []
    if language == "ja":
        # The English phrases that pin the topic down too ("cooperation" does not, "semiconductors" does).
        pdf = {p: sum(1 for ts in docs.values() if ts and phrase_terms[p] <= ts) for p in phrases if phrase_terms[p]}
        other = tuple(_rare(list(pdf), pdf, n)) if pdf and any(pdf.values()) else ()
        # Its own glossary terms likewise: those whose English is rare here (日米 is not).
        english = {e.ja: set(e.en) for e in entries()}
        kept = tuple(p for p in glossary if not other or english.get(p, set()) & set(other))
        return Focus(language, tuple(focus), other, kept)
    return Focus(language, tuple(focus), _translated(focus, phrases), groups=_compounds(own, focus))


def _compounds(own: list[str], focus: list[str]) -> tuple[tuple[str, ...], ...]:
    """Focus terms that are neighbours in the topic, as groups; the rarest term's group first
    (`focus` is rarest first). "foreign direct investment screening" gives (screening,),
    (direct,): a sentence on investment screening need not say "direct"."""
    position = {t: i for i, t in enumerate(own)}
    groups: list[list[str]] = []
    for t in sorted(focus, key=lambda t: position[t]):
        if groups and position[t] == position[groups[-1][-1]] + 1:
            groups[-1].append(t)
        else:
            groups.append([t])
    first = next(g for g in groups if focus[0] in g)
    return tuple(tuple(g) for g in [first] + [g for g in groups if g is not first])


def _translated(focus: list[str], phrases: list[str]) -> tuple[str, ...]:
    """The glossary's other-language phrases for the focus terms only ("U.S.-Japan" gives
    日米, which every Japanese document on the alliance names: not a focus)."""
    wanted = set(focus)
    out = []
    for p in phrases:
        entry = next((e for e in entries() if p == e.ja or p in e.en), None)
        if entry is None:
            continue
        source = entry.en if p == entry.ja else (entry.ja,)
        if wanted & {t for text in source for t in terms(text)}:
            out.append(p)
    return tuple(out)
