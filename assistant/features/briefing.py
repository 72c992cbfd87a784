"""Briefing notes a staffer can send: header line, bottom line up front, purpose, key points,
talking points, background in date order, open questions, sources.

Every point is a verbatim quotation with a numbered source (one number per document, the pages
or articles quoted listed with it), so a note can be handed on and checked line by line. The
sources come from across the library: every readable document that addresses the topic is
considered (`features/timeline.gather`), and a note quotes several when several exist. Key
points are the short sentence carrying the fact, trimmed to its clause when long; recitals,
preambles and boilerplate never are. Background is the timeline of positions. Open questions
come from the documents: what the newest of them commits to (has it happened since?), and the
kinds of fact none of them states (an amount, a deadline). Drafted from a topic, or from a chat
(the answers already given). The staffer edits the text in the app; the sources list stays
tied to what is actually quoted."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from assistant.answering.question import analyse, carries
from assistant.core.text import MARKER, fold, strip_markup, terms
from assistant.core.types import date_int, location
from assistant.features.timeline import MAX_WORDS, Scored, TimelineError, by_date, clip, entry_of, gather, is_recital

KEY_POINTS = 5
TALKING_POINTS = 3
# A sentence sharing this much of its words with one already quoted says the same thing (a fact
# sheet and the joint statement of the same day often do).
SAME_SENTENCE = 0.8
# A commitment: what the newest documents say will happen, which a reader will ask about.
_COMMITS = re.compile(
    r"\b(?:will|intend(?:s)? to|plan(?:s)? to|commit(?:ted|s)? to|resolve(?:d)? to|aim(?:s)? to|are establishing|"
    r"decided to|agreed to|launch(?:ed)?|establish(?:ed)?)\b|予定|目指す|推進する|実施する",
    re.I,
)
_DEADLINE = re.compile(
    r"\bby (?:the end of |early |mid-|late )?(?:fy\s?)?(?:19|20)\d\d\b|\buntil\b|\bdeadline\b|までに", re.I
)


@dataclass
class Header:
    """The optional line above a note, as a staffer's template has it."""

    classification: str = ""
    meeting: str = ""
    date: str = ""
    drafter: str = ""

    def line(self) -> str:
        parts = [
            self.classification.upper(),
            f"Meeting: {self.meeting}" if self.meeting else "",
            f"Date: {self.date}" if self.date else "",
            f"Drafted by: {self.drafter}" if self.drafter else "",
        ]
        return " | ".join(p for p in (x.strip() for x in parts) if p)


@dataclass
class Source:
    n: int
    doc_id: str
    title: str
    issuer: str
    date: str
    page: int | None  # the first page quoted
    url: str = ""
    locations: list[str] = field(default_factory=list)  # every page / article quoted, in order of use

    def where(self) -> str:
        """The places quoted: "p. 2", "pp. 1, 3" (in page order), or articles with their pages."""
        if not self.locations:
            return f"p. {self.page}" if self.page else ""
        pages = [int(x[3:]) for x in self.locations if re.fullmatch(r"p\. \d+", x)]
        if len(pages) == len(self.locations) > 1:
            return "pp. " + ", ".join(str(p) for p in sorted(pages))
        return ", ".join(self.locations)

    def reference(self) -> str:
        parts = [self.title, self.issuer, self.date, self.where()]
        text = ", ".join(p for p in parts if p)
        return f"{text}. {self.url}" if self.url else text + "."


@dataclass
class Point:
    text: str  # a quotation followed by its [n] marker(s)
    refs: list[int] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> "Point":
        """A point as a staffer edited it: its sources are the markers it still has."""
        return cls(text.strip(), [int(m) for m in MARKER.findall(text)])


@dataclass
class BriefingNote:
    topic: str
    purpose: str
    key_points: list[Point]
    background: list[Point]
    open_questions: list[str]
    sources: list[Source]
    declined: bool = False
    prepared_by: str = ""
    prepared_on: str = field(default_factory=lambda: date.today().isoformat())
    bottom_line: str = ""  # one sentence up front, itself quoting and citing
    talking_points: list[Point] = field(default_factory=list)
    header: Header | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def documents(self) -> set[str]:
        """The distinct documents the note cites."""
        used = set(cited_numbers(self))
        return {s.doc_id for s in self.sources if s.n in used}


class _Sources:
    """One number per document, by first use; the pages or articles quoted listed with it."""

    def __init__(self) -> None:
        self.items: dict[str, Source] = {}

    def number(self, chunk) -> int:
        m = chunk.meta
        s = self.items.get(chunk.doc_id)
        if s is None:
            s = self.items[chunk.doc_id] = Source(
                len(self.items) + 1, chunk.doc_id, strip_markup(m.title), m.issuer, m.date, chunk.page, m.url
            )
        where = location(chunk.page, chunk.article)
        if where and where not in s.locations:
            s.locations.append(where)
        return s.n


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _verb(n: int) -> str:
    return "addresses" if n == 1 else "address"


def _quoted(quote: str, n: int) -> str:
    return f"\u201c{quote}\u201d [{n}]"


class _Quoted:
    """Sentences already in the note, so that no fact is said twice."""

    def __init__(self) -> None:
        self.words: list[set[str]] = []
        self.sentences: set[str] = set()

    def seen(self, sentence: str) -> bool:
        if fold(sentence) in self.sentences:
            return True
        own = set(terms(sentence))
        return any(own and len(own & w) >= SAME_SENTENCE * min(len(own), len(w)) for w in self.words)

    def add(self, sentence: str) -> None:
        self.sentences.add(fold(sentence))
        self.words.append(set(terms(sentence)))


def draft_note(
    assistant,
    topic: str,
    filters: dict | None = None,
    chats: list | None = None,
    max_points: int = KEY_POINTS,
    max_background: int | None = None,
    header: Header | None = None,
    mode: str = "hybrid",
) -> BriefingNote:
    """`chats`: answers (core.types.Answer) of a conversation to build the note from; otherwise
    the topic is searched across the library. Everything goes through the assistant's retriever,
    so the user's role and filters apply as in the chat."""
    sources = _Sources()
    quoted = _Quoted()
    open_questions: list[str] = []
    answers = list(chats or [])
    if answers:
        topic = topic or answers[0].question
    try:
        focus, by_doc = gather(assistant, topic, filters, mode)
        wanted: tuple[str, ...] = focus.all_terms()
    except TimelineError:
        by_doc, wanted = {}, ()
    key_points: list[Point] = []
    seen_in: dict[str, str] = {}  # doc_id -> where the note first quotes it
    if answers:
        key_points = _points_from_chat(answers, sources, quoted, max_points, open_questions)
    # Each document's usable sentences, best first; documents by their best sentence.
    ranked = sorted(by_doc.values(), key=lambda items: -items[0].score)
    if not answers and not ranked:
        return _declined(assistant, topic, filters, header)

    def take(items: list[Scored]) -> Scored | None:
        for x in items:
            if not quoted.seen(x.sentence) and not is_recital(x.sentence, x.chunk.section):
                quoted.add(x.sentence)
                return x
        return None

    dated = by_date(entry_of(items) for items in ranked if date_int(items[0].chunk.meta.date))
    # Key points: the best sentence of each of the best documents, one document each first.
    if not answers:
        for items in ranked:
            if len(key_points) >= max_points:
                break
            x = take(items)
            if x is not None:
                n = sources.number(x.chunk)
                key_points.append(Point(_quoted(x.quote, n) + _where(x), [n]))
                seen_in.setdefault(x.chunk.doc_id, f"key point {len(key_points)}")
    # The bottom line: how many documents address the topic and what the newest one says.
    bottom_line = ""
    if dated:
        newest = dated[-1]
        # It may repeat a key point: the bottom line is the one sentence a reader reads.
        x = by_doc[newest.doc_id][0]
        if x is not None:
            bl_quote = clip(x.sentence, wanted, max_words=min(MAX_WORDS, 35))
            n = sources.number(x.chunk)
            if len(by_doc) == 1:
                bottom_line = (
                    f"One official document in the library addresses {topic}: {newest.title}, issued by "
                    f"{newest.issuer or 'an unnamed issuer'} on {newest.date}. It says: {_quoted(bl_quote, n)}"
                )
            else:
                span = (
                    f"from {dated[0].date} to {newest.date}"
                    if dated[0].date != newest.date
                    else f"all dated {newest.date}"
                )
                bottom_line = (
                    f"{_plural(len(by_doc), 'official document')} in the library address {topic} ({span}); "
                    f"the most recent, {newest.title}, issued by {newest.issuer or 'an unnamed issuer'} on "
                    f"{newest.date}, says: {_quoted(bl_quote, n)}"
                )
    # Talking points: what the newest documents commit to, attributed and dated.
    talking: list[Point] = []
    for e in reversed(dated):
        if len(talking) >= TALKING_POINTS:
            break
        items = [x for x in by_doc[e.doc_id] if _COMMITS.search(x.sentence)] or by_doc[e.doc_id]
        x = take(items)
        if x is not None:
            n = sources.number(x.chunk)
            talking.append(Point(f"{e.date}, {e.issuer}: {_quoted(clip(x.sentence, wanted, 30), n)}", [n]))
            seen_in.setdefault(e.doc_id, "the talking points")
    # Background: the timeline of positions, oldest first; a document already quoted above is
    # still listed, with its next-best sentence or a pointer to where it is quoted.
    background: list[Point] = []
    for e in dated[-max_background:] if max_background else dated:
        x = take(by_doc[e.doc_id])
        if x is not None:
            n = sources.number(x.chunk)
            text = f"{e.date}, {e.issuer}, {e.title}: {_quoted(x.quote, n)}"
        else:
            n = sources.number(e.hit.chunk)
            text = f"{e.date}, {e.issuer}, {e.title}: see {seen_in.get(e.doc_id, 'above')} [{n}]"
        background.append(Point(text, [n]))
    open_questions += _open_questions(topic, dated, by_doc, sources, wanted)
    docs = {s.doc_id for s in sources.items.values()}
    if not key_points and not bottom_line:
        return _declined(assistant, topic, filters, header, open_questions)
    # Passages quoted: the distinct quotations of the note (a "see key point 2" pointer is none).
    texts = [bottom_line] + [p.text for p in key_points + talking + background]
    passages = len({q for t in texts for q in re.findall("\u201c(.+?)\u201d", t)})
    span = f", dated {dated[0].date} to {dated[-1].date}" if len(dated) > 1 else ""
    purpose = (
        f"To brief on {topic}: {_plural(len(by_doc) or len(docs), 'official document')} in the library "
        f"{_verb(len(by_doc) or len(docs))} it{span}; this note quotes {_plural(passages, 'passage')} from "
        f"{_plural(len(docs), 'document')}."
    )
    return BriefingNote(
        topic=topic,
        purpose=purpose,
        key_points=key_points,
        background=background,
        open_questions=open_questions,
        sources=list(sources.items.values()),
        declined=False,
        prepared_by=getattr(assistant, "user", ""),
        bottom_line=bottom_line,
        talking_points=talking,
        header=header,
    )


def _where(x: Scored) -> str:
    where = location(x.chunk.page, x.chunk.article)
    return f" ({where})" if where else ""


def _points_from_chat(answers, sources: _Sources, quoted: _Quoted, max_points: int, open_questions: list) -> list:
    """Key points from a conversation: the quotes its answers cited, trimmed and deduplicated."""
    points: list[Point] = []
    for ans in answers:
        if ans.declined:
            open_questions.append(f"{ans.question} (the documents in the library do not answer this)")
            continue
        hits = {(h.chunk.doc_id, h.chunk.page, h.chunk.text): h for h in ans.retrieved}
        for c in ans.citations:
            hit = hits.get((c.doc_id, c.page, c.text))
            if hit is None:
                continue
            for quote in (c.quote or "").split(" \u2026 "):
                quote = " ".join(strip_markup(quote).split())
                if not quote or quoted.seen(quote) or is_recital(quote) or len(points) >= max_points:
                    continue
                quoted.add(quote)
                n = sources.number(hit.chunk)
                points.append(Point(_quoted(clip(quote), n), [n]))
    return points


def _open_questions(topic: str, dated: list, by_doc: dict, sources: _Sources, wanted: tuple = ()) -> list[str]:
    """From the documents: what the newest commits to (delivered since?), and what none states."""
    out: list[str] = []
    if dated:
        newest = dated[-1]
        commitment = next((x for x in by_doc[newest.doc_id] if _COMMITS.search(x.sentence)), None)
        if commitment is not None:
            n = sources.number(commitment.chunk)
            out.append(
                f"What has been delivered since {newest.date}? {newest.title} said {_quoted(clip(commitment.sentence, wanted, 30), n)}; "
                "nothing later in the library reports on it."
            )
        else:
            out.append(
                f"What has happened since {newest.date}, the date of the newest document on {topic} in the library?"
            )
    sentences = [x.sentence for items in by_doc.values() for x in items]
    asked = analyse(f"how much {topic}")
    docs = "The one document" if len(by_doc) == 1 else f"None of the {len(by_doc)} documents"
    verb = ("does not state", "does not set") if len(by_doc) == 1 else ("states", "sets")
    if sentences and not any(carries(s, "amount", asked) for s in sentences):
        out.append(f"How much money is involved? {docs} on {topic} {verb[0]} an amount.")
    if sentences and not any(_DEADLINE.search(s) for s in sentences):
        out.append(f"By when? {docs} on {topic} {verb[1]} a deadline or target date.")
    return out


def _declined(assistant, topic: str, filters, header, open_questions: list | None = None) -> BriefingNote:
    """Nothing in the library addresses the topic: the note says so, and the usual decline names
    what the library covers nearby."""
    answer = assistant.ask(topic, filters=filters)
    reason = answer.text if answer.declined else f"{topic} (the documents in the library do not answer this)"
    return BriefingNote(
        topic=topic,
        purpose=f"To brief on {topic}. The documents in the library do not answer this topic; see the open questions.",
        key_points=[],
        background=[],
        open_questions=[reason, *(open_questions or [])],
        sources=[],
        declined=True,
        prepared_by=getattr(assistant, "user", ""),
        header=header,
    )


def cited_numbers(note: BriefingNote) -> list[int]:
    """Source numbers the (possibly edited) text still cites, in order of first use."""
    seen: list[int] = []
    texts = [note.bottom_line] + [p.text for p in note.key_points + note.talking_points + note.background]
    texts += note.open_questions
    for text in texts:
        for m in MARKER.findall(text or ""):
            if int(m) not in seen:
                seen.append(int(m))
    return seen
