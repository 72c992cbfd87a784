"""A timeline of positions: for a topic, the sentence (or two) of each dated document that
addresses it, in date order, each cited with the document, its date, issuer and location.

Relevance is checked sentence by sentence, not taken from retrieval alone. A sentence
addresses the topic when it names the topic's *focus terms* (`features/topics.py`, the one
definition the quiz uses too): the topic's words that pin it down in this library, with the
glossary's other-language terms so that an English topic reaches a Japanese document. Sentences are then scored as the answering
layer scores evidence (closeness by the index's embedder, share of the topic's terms, the
kind of fact asked for), so the timeline, the briefing note and the chat agree on what the
best sentence is. Recitals ("Whereas ..."), preambles and boilerplate are never chosen, and a
long sentence is trimmed to its clause with an ellipsis, every word still verbatim.

The same evidence feeds the briefing note (`features/briefing.py`) and the chat's answer to
"how has ... evolved" questions (`timeline_answer`, routed by `features/chat.py`)."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from assistant.answering.evidence import W_COVERAGE, W_KIND, W_SIMILARITY
from assistant.answering.question import Question, analyse, coverage, kinds_in
from assistant.core.guard import looks_like_injection, tainted
from assistant.core.text import language_of, split_sentences, strip_markup, terms
from assistant.core.types import Answer, Chunk, Citation, Filters, Hit, date_int, location
from assistant.features.topics import Focus, TopicError, focus_of, topic_terms
from assistant.retrieval.glossary import translations

# A key point or a timeline quote is at most this many words; longer sentences are trimmed.
MAX_WORDS = 45
# A second sentence of the same document is quoted only if it scores this close to its best.
SECOND_WITHIN = 0.9
# Passages the wide search adds for closeness of meaning (a paraphrase without the topic's words).
SEARCH_K = 40
SEMANTIC_PASSAGES = 10
# Without the focus terms, a sentence is relevant only if its meaning is this close to the topic
# (MiniLM cosine; the answering layer's min_dense_score is a passage's floor, 0.35).
SEMANTIC_ONLY = 0.7


# The error its callers catch: a topic that cannot be searched (empty, or no words).
TimelineError = TopicError


@dataclass(frozen=True)
class Scored:
    """One sentence of one passage that addresses the topic, with its verbatim clause."""

    hit: Hit
    sentence: str  # the whole sentence, markup removed
    quote: str  # the clause shown: the sentence, or its trimmed part with an ellipsis
    score: float
    similarity: float

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk


@dataclass(frozen=True)
class Entry:
    """One document's position: its best sentence (or two) on the topic."""

    date: str
    doc_id: str
    title: str
    issuer: str
    url: str
    source: str
    page: int | None
    article: str
    quotes: tuple[str, ...]
    score: float
    hit: Hit = field(repr=False, compare=False)

    @property
    def location(self) -> str:
        return location(self.page, self.article)

    @property
    def quote(self) -> str:
        return " \u2026 ".join(self.quotes)

    def to_dict(self) -> dict:
        return dict(
            date=self.date,
            doc_id=self.doc_id,
            title=self.title,
            issuer=self.issuer,
            url=self.url,
            source=self.source,
            page=self.page,
            article=self.article,
            location=self.location,
            quote=self.quote,
            score=round(self.score, 4),
        )


@dataclass(frozen=True)
class Timeline:
    topic: str
    entries: tuple[Entry, ...]  # dated documents, oldest first
    undated: tuple[Entry, ...]  # documents that address the topic but carry no date
    focus: tuple[str, ...]  # the terms a sentence had to name

    def to_dict(self) -> dict:
        return dict(
            topic=self.topic,
            focus=list(self.focus),
            entries=[e.to_dict() for e in self.entries],
            undated=[e.to_dict() for e in self.undated],
        )

    def lines(self) -> list[str]:
        """One plain line per entry, as the CLI prints it."""
        return [entry_line(e) for e in self.entries]


def entry_line(e: Entry, marker: int | None = None) -> str:
    where = f", {e.location}" if e.location else ""
    cite = f" [{marker}]" if marker is not None else ""
    issuer = f"{e.issuer}, " if e.issuer else ""
    return f"{e.date or 'undated'} \u2014 {issuer}{e.title}{where}: \u201c{e.quote}\u201d{cite}"


# -- what is never a point ----------------------------------------------------------------------

# Recitals and preambles: the framing of an instrument, not what it does. Boilerplate: the
# lines around a press release (contacts, "read more", dates of posting).
_RECITAL = re.compile(
    r"^\W*(?:\(?[a-z0-9]{1,3}[.)]\s+)?(?:whereas|now,? therefore|therefore,|recalling|recogni[sz]ing|noting|"
    r"acknowledging|bearing in mind|having regard|considering|mindful|desiring|convinced|emphasi[sz]ing|"
    r"reaffirming|we,? the leaders)\b",
    re.I,
)
_BOILERPLATE = re.compile(
    r"https?://|www\.|\bfor (?:more|further) information\b|\bread (?:the|more)\b|\bclick here\b|\bpress release\b|"
    r"\bbriefing room\b|\bfor immediate release\b|\bmedia contact\b|\bthis fact sheet\b|\bas prepared for delivery\b|"
    r"\bfollowing (?:is|are) the\b|\bthe text of\b|\bhas reached the following\b|\bhave reached the following\b",
    re.I,
)
_JA_PREAMBLE = re.compile(r"^(?:前文|はじめに|目次)")


def is_recital(sentence: str, section: str = "") -> bool:
    """A recital, preamble or boilerplate line: never a key point or a timeline entry."""
    s = sentence.strip()
    return bool(
        _RECITAL.match(s)
        or _BOILERPLATE.search(s)
        or _JA_PREAMBLE.match(s)
        or re.search(r"\bpreamble\b|前文", section or "", re.I)
    )


def is_statement(sentence: str) -> bool:
    """A sentence that can carry a fact: not a heading or a lead-in ("Enhanced Cooperation on
    Export Controls:", "New sanctions and export controls."), which are labels of the facts."""
    s = sentence.strip()
    if len(s) < 20 or (s.endswith((":", "\uff1a")) and word_count(s) < 12):
        return False
    return word_count(s) >= (6 if language_of(s) == "ja" else 7)


def word_count(text: str) -> int:
    """Words as a reader counts them; Japanese, written without spaces, at two characters a word."""
    cjk = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff")
    return len(re.sub(rf"[{chr(0x3040)}-{chr(0x9FFF)}]+", " ", text).split()) + math.ceil(cjk / 2)


_CLAUSE_END = re.compile(r"(?<=[;:,\u3001\uff1b])\s*")


def clip(sentence: str, focus: list[str] | tuple[str, ...] = (), max_words: int = MAX_WORDS) -> str:
    """The sentence, or, when longer than max_words, its clause(s) that name the most focus
    terms, with "\u2026" where words were cut. Every word kept is verbatim and in order."""
    if word_count(sentence) <= max_words:
        return sentence
    # Clause boundaries: after ; : , (and their Japanese forms), as character offsets.
    cuts = [0] + [m.end() for m in _CLAUSE_END.finditer(sentence) if 0 < m.end() < len(sentence)] + [len(sentence)]
    pieces = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if sentence[cuts[i] : cuts[i + 1]].strip()]
    wanted = set(focus)
    best: tuple | None = None
    for i in range(len(pieces)):
        for j in range(i, len(pieces)):
            text = sentence[pieces[i][0] : pieces[j][1]]
            if word_count(text) > max_words:
                break
            named = len(wanted & set(terms(text)))
            # Most focus terms, then the start of the sentence (its subject), then the longest.
            key = (named, i == 0, word_count(text))
            if best is None or key > best[0]:
                best = (key, pieces[i][0], pieces[j][1])
    if best is None or best[0][2] < 6 or best[0][0] < len(wanted & set(terms(sentence))):
        # No clause short enough: a window of words around the first focus term.
        words = list(re.finditer(r"\S+", sentence))
        first = next((k for k, w in enumerate(words) if wanted & set(terms(w.group(0)))), 0)
        lo = max(0, min(first - max_words // 3, len(words) - max_words))
        hi = min(len(words), lo + max_words)
        start, end = words[lo].start(), words[hi - 1].end()
    else:
        start, end = best[1], best[2]
    text = sentence[start:end].strip().rstrip(",;:\u3001")
    return ("\u2026 " if start > 0 else "") + text + (" \u2026" if end < len(sentence.rstrip()) else "")


# -- the topic's evidence (its focus terms: features/topics.py) -------------------------------


# Paragraph breaks end a sentence: a recital ends with ";" and the operative text after it must
# not be read as part of it ("Whereas, ...; The two governments established ...").
_PARAGRAPH = re.compile(r"\n\s*\n|(?<=[;:])[ \t]*\n")


def sentences_of(text: str) -> list[str]:
    """The sentences of a passage as a reader sees them: markup removed, paragraphs kept apart."""
    out: list[str] = []
    for para in _PARAGRAPH.split(strip_markup(text)):
        out.extend(split_sentences(para.replace("\n", " ")))
    return out


def gather(assistant, topic: str, filters: dict | None = None, mode: str = "hybrid") -> tuple[Focus, dict]:
    """Every document the user may read that addresses the topic, with its relevant sentences,
    best first: (focus, {doc_id: [Scored, ...]}). Every readable passage is considered (those
    naming the focus), plus the top passages a search finds close in meaning; a sentence must
    name the focus or, in those top passages, be very close in meaning."""
    topic = " ".join(unicodedata.normalize("NFKC", topic or "").split())
    if not topic:
        raise TimelineError("the topic is empty")
    retriever = assistant.retriever
    chunks = retriever.passages(filters)
    focus = focus_of(topic, chunks)
    pool: dict[str, tuple[Hit, bool]] = {}  # chunk id -> (hit, found by meaning only)
    for c in chunks:
        if focus.addressed_by(c.text):
            pool[c.id] = (Hit(c, 0.0), False)
    if focus.terms or focus.phrases or focus.own_phrases:
        for h in retriever.search(topic, filters=filters, k=SEARCH_K, mode=mode)[:SEMANTIC_PASSAGES]:
            pool.setdefault(h.chunk.id, (h, True))
    question = analyse(topic)
    qterms = set(question.terms) | set(topic_terms(topic))
    words = qterms | set(focus.all_terms())
    found: list[tuple[Hit, str, bool]] = []
    for hit, semantic in pool.values():
        c = hit.chunk
        if tainted(c.text):
            continue
        for raw in sentences_of(c.text):
            s = " ".join(raw.split())
            if not is_statement(s) or looks_like_injection(s) or is_recital(s, c.section):
                continue
            named = focus.addressed_by(s)
            # Only sentences that could pass are embedded (the cost of a timeline is here); one
            # found by meaning alone must still name one of the topic's words (any of them).
            if named or (semantic and (set(terms(s)) & words or language_of(s) != focus.language)):
                found.append((hit, s, named))
    if not found:
        return focus, {}
    # The embedder reads English: a Japanese topic is compared with its glossary translations too
    # (as retrieval expands a Japanese query).
    other = translations(topic) if focus.language == "ja" else []
    sims = assistant.sentences.similarity(" ".join([topic, *other]), [s for _, s, _ in found])
    by_doc: dict[str, list[Scored]] = {}
    wanted = focus.all_terms()
    for (hit, s, named), sim in zip(found, sims):
        if not named and sim < SEMANTIC_ONLY:
            continue
        score = W_SIMILARITY * sim + W_COVERAGE * coverage(qterms, s) + W_KIND * _kind_share(question, s)
        by_doc.setdefault(hit.chunk.doc_id, []).append(Scored(hit, s, clip(s, wanted), score, sim))
    for doc_id, items in by_doc.items():
        items.sort(key=lambda x: -x.score)
        # The same sentence can sit in two overlapping passages: keep it once.
        seen: set[str] = set()
        by_doc[doc_id] = [x for x in items if not (x.sentence in seen or seen.add(x.sentence))]
    return focus, by_doc


def _kind_share(question: Question, sentence: str) -> float:
    return len(kinds_in(sentence, question)) / len(question.wants) if question.wants else 0.0


def entry_of(items: list[Scored], per_doc: int = 2) -> Entry:
    """A document's entry: its best sentence, and a second from another place in the document
    when it scores nearly as well."""
    best = items[0]
    chosen = [best]
    for x in items[1:per_doc]:
        if x.score >= SECOND_WITHIN * best.score and x.chunk.id == best.chunk.id:
            chosen.append(x)
    m = best.chunk.meta
    return Entry(
        date=m.date,
        doc_id=best.chunk.doc_id,
        title=strip_markup(m.title),
        issuer=m.issuer,
        url=m.url,
        source=m.source,
        page=best.chunk.page,
        article=best.chunk.article,
        quotes=tuple(x.quote for x in chosen),
        score=best.score,
        hit=best.hit,
    )


def by_date(entries) -> list[Entry]:
    return sorted(entries, key=lambda e: (date_int(e.date), e.date, e.title))


def build_timeline(
    assistant, topic: str, filters: dict | None = None, mode: str = "hybrid", per_doc: int = 2
) -> Timeline:
    """The timeline of positions on `topic` over what the assistant's role (and the filters)
    may read."""
    focus, by_doc = gather(assistant, topic, filters, mode)
    entries = [entry_of(items, per_doc) for items in by_doc.values()]
    dated = by_date(e for e in entries if date_int(e.date))
    undated = sorted((e for e in entries if not date_int(e.date)), key=lambda e: -e.score)
    return Timeline(topic.strip(), tuple(dated), tuple(undated), focus.all_terms())


# -- the chat's answer shape for "how has ... evolved" -----------------------------------------

_EVOLVED_EN = re.compile(
    r"^\s*how\s+(?:has|have|did|do|does)\s+(?P<topic>.+?)\s+(?:evolved?|changed?|developed?|shifted|shift|"
    # The verb ends the clause ("... evolved since 2021?"): "how did the Act change the threshold"
    # asks what a change was, not for a timeline.
    r"progressed|progress|moved|move|grown|grow)\b"
    r"(?P<rest>\s+(?:since|over|from|between|in|across|through|during|throughout)\b.*)?[\s?.!]*$",
    re.I,
)
_EVOLUTION_OF = re.compile(
    r"^\s*(?:what\s+(?:is|was)\s+)?(?:the\s+)?(?:evolution|timeline|history|development)\s+of\s+(?P<topic>.+?)"
    r"(?P<rest>\s+(?:since|from|between|over)\b.*)?[?.!\s]*$",
    re.I,
)
_EVOLVED_JA = re.compile(
    r"^(?P<topic>.+?)(?:は|が)(?:どのように|どう)(?:変化|変わ|進展|発展|推移|展開|変遷)"
    r"|^(?P<topic2>.+?)の(?:変遷|推移|経緯|歩み)"
)
_SINCE = re.compile(r"\bsince\s+((?:19|20)\d\d)\b|((?:19|20)\d\d)\s*年\s*(?:以降|から)", re.I)
_BETWEEN = re.compile(r"\b(?:between|from)\s+((?:19|20)\d\d)\s+(?:and|to|until)\s+((?:19|20)\d\d)\b", re.I)
_JA_SINCE_PREFIX = re.compile(r"^\s*(?:19|20)\d\d\s*年\s*(?:以降|から)[、,]?\s*")


@dataclass(frozen=True)
class EvolutionQuestion:
    topic: str
    date_from: str = ""
    date_to: str = ""


def evolution_question(question: str) -> EvolutionQuestion | None:
    """ "How has X evolved / changed since 2021?", "the evolution of X", 「Xはどのように変化して
    きたか」: the topic and the period, or None for any other question."""
    q = unicodedata.normalize("NFKC", question or "").strip()
    topic = ""
    m = _EVOLVED_EN.match(q) or _EVOLUTION_OF.match(q)
    if m:
        topic = m.group("topic")
    else:
        mj = _EVOLVED_JA.match(q)
        if mj:
            topic = _JA_SINCE_PREFIX.sub("", mj.group("topic") or mj.group("topic2") or "")
    topic = re.sub(r"\s+(?:since|from|between|over)\b.*$", "", topic, flags=re.I).strip(" ,.?\u3001")
    if not topic:
        return None
    since = _SINCE.search(q)
    between = _BETWEEN.search(q)
    date_from = (between.group(1) if between else "") or (since and (since.group(1) or since.group(2))) or ""
    date_to = between.group(2) if between else ""
    return EvolutionQuestion(topic, date_from, date_to)


def timeline_answer(
    assistant, question: str, asked: EvolutionQuestion, filters: dict | None = None, mode: str = "hybrid"
) -> Answer | None:
    """The chat's answer to an evolution question: the dated entries as a list with [n] markers,
    each citation carrying its quote; None when fewer than two dated documents address the topic
    (the usual answer is better then)."""
    import time

    t0 = time.perf_counter()
    scope = Filters(filters or {})
    if asked.date_from and not scope.get("date_from"):
        scope["date_from"] = asked.date_from
    if asked.date_to and not scope.get("date_to"):
        scope["date_to"] = asked.date_to + "-12-31"
    try:
        timeline = build_timeline(assistant, asked.topic, scope, mode)
    except TimelineError:
        return None
    if len(timeline.entries) < 2:
        return None
    first, last = timeline.entries[0].date, timeline.entries[-1].date
    lines = [
        f"{len(timeline.entries)} dated documents address {asked.topic}, from {first} to {last}, oldest first:",
        "",
    ]
    citations = []
    for n, e in enumerate(timeline.entries, 1):
        lines.append(f"- {entry_line(e, n)}")
        citations.append(Citation.of(n, e.hit, e.quote))
    ms = round((time.perf_counter() - t0) * 1000, 1)
    return Answer(
        question=question,
        text="\n".join(lines),
        declined=False,
        citations=citations,
        retrieved=[e.hit for e in timeline.entries],
        backend=assistant.generator.name,
        latency_ms={"retrieve": ms, "generate": 0.0, "total": ms},
        rewritten_question=asked.topic,
    )
