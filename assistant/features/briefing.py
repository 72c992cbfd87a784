"""Briefing notes for staffers: purpose, key points, background, open questions, sources.

Every point is a quotation of a retrieved passage with a numbered source (document and page),
so a note can be handed on and checked line by line. Drafted from a topic (retrieval under the
user's role and filters) or from a chat (the answers already given). The staffer edits the
text in the app; the sources list stays tied to what was actually quoted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from assistant.core.guard import looks_like_injection
from assistant.core.text import MARKER, split_sentences


@dataclass
class Source:
    n: int
    doc_id: str
    title: str
    issuer: str
    date: str
    page: int | None
    url: str = ""

    def reference(self) -> str:
        parts = [self.title, self.issuer, self.date, f"p. {self.page}" if self.page else ""]
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

    def to_dict(self) -> dict:
        return asdict(self)


class _Sources:
    """Numbers sources by first use, one number per (document, page)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, int | None], Source] = {}

    def number(self, chunk) -> int:
        key = (chunk.doc_id, chunk.page)
        if key not in self.items:
            m = chunk.meta
            self.items[key] = Source(len(self.items) + 1, chunk.doc_id, m.title, m.issuer, m.date, chunk.page, m.url)
        return self.items[key].n


def draft_note(
    assistant,
    topic: str,
    filters: dict | None = None,
    chats: list | None = None,
    max_points: int = 5,
    max_background: int = 3,
) -> BriefingNote:
    """`chats`: answers (assistant.core.types.Answer) of a conversation to build the note from;
    otherwise the topic is asked and searched. Everything goes through the assistant, so the
    user's role and filters apply as in the chat."""
    sources = _Sources()
    points: list[Point] = []
    background: list[Point] = []
    open_questions: list[str] = []
    if chats:
        answers = list(chats)
        topic = topic or answers[0].question
    else:
        answers = [assistant.ask(topic, filters=filters)]
    cited_sentences: set[str] = set()
    for ans in answers:
        if ans.declined:
            open_questions.append(f"{ans.question} (the documents in the library do not answer this)")
            continue
        for c in ans.citations:
            hit = next(
                (
                    h
                    for h in ans.retrieved
                    if h.chunk.doc_id == c.doc_id and h.chunk.page == c.page and h.chunk.text == c.text
                ),
                None,
            )
            if hit is None:
                continue
            for quote in (c.quote or "").split(" \u2026 "):
                quote = quote.strip()
                if quote and quote not in cited_sentences and len(points) < max_points:
                    n = sources.number(hit.chunk)
                    cited_sentences.add(quote)
                    points.append(Point(f"\u201c{quote}\u201d [{n}]", [n]))
    supported = [a for a in answers if not a.declined]
    if supported:
        # Background: the best further sentences of the retrieved passages, from pages not yet
        # quoted, ranked by closeness to the topic (and never a passage that reads as an order).
        seen_pages = {(s.doc_id, s.page) for s in sources.items.values()}
        candidates = []
        for ans in supported:
            for hit in ans.retrieved[:8]:
                if (hit.chunk.doc_id, hit.chunk.page) in seen_pages:
                    continue
                for s in split_sentences(hit.chunk.text.replace("\n", " ")):
                    if (
                        60 <= len(s) <= 400
                        and s not in cited_sentences
                        and not looks_like_injection(s)
                        and "http" not in s
                    ):
                        candidates.append((hit, s))
        if candidates:
            sims = assistant.sentences.similarity(topic, [s for _, s in candidates])
            threshold = assistant.settings.min_dense_score
            used_pages: set = set()
            for sim, (hit, s) in sorted(zip(sims, candidates), key=lambda t: -t[0]):
                key = (hit.chunk.doc_id, hit.chunk.page)
                if sim < threshold or len(background) >= max_background:
                    break
                if key in used_pages:
                    continue
                used_pages.add(key)
                n = sources.number(hit.chunk)
                background.append(Point(f"\u201c{s}\u201d [{n}]", [n]))
        newest = max((s.date for s in sources.items.values() if s.date), default="")
        if newest:
            open_questions.append(
                f"What has happened since {newest}? The newest source quoted here is "
                f"dated {newest}; later developments are not in the library."
            )
    docs = {s.doc_id for s in sources.items.values()}
    declined = not points
    if declined:
        purpose = f"To brief on {topic}. The documents in the library do not answer this topic; see the open questions."
        if not chats:
            # The decline names what the library does cover near this topic.
            open_questions = [
                answers[0].text if answers[0].declined else f"{topic} (the documents in the library do not answer this)"
            ]
    else:
        purpose = (
            f"To brief on {topic}, quoting {len(sources.items)} passages from {len(docs)} "
            "official documents in the library."
        )
    return BriefingNote(
        topic=topic,
        purpose=purpose,
        key_points=points,
        background=background,
        open_questions=open_questions,
        sources=list(sources.items.values()),
        declined=declined,
        prepared_by=getattr(assistant, "user", ""),
    )


def cited_numbers(note: BriefingNote) -> list[int]:
    """Source numbers the (possibly edited) text still cites, in order of first use."""
    seen: list[int] = []
    for p in note.key_points + note.background:
        for m in MARKER.findall(p.text):
            if int(m) not in seen:
                seen.append(int(m))
    return seen
