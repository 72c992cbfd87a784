"""The path of every question, top to bottom in `Assistant.ask`:

    condense -> retrieve (and rerank) -> check support -> choose sentences -> check they answer
    -> phrase (and verify) -> cite

Every front end (CLI, app, eval harness) calls it and gets one `Answer`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import prompts
from assistant.answering.answerability import Support, assess, decide
from assistant.answering.condense import condense
from assistant.answering.evidence import choose, rank_sentences
from assistant.answering.extractive import quote
from assistant.answering.generators import Draft, OnToken, get_generator
from assistant.answering.question import analyse
from assistant.answering.sentences import SentenceScorer
from assistant.core.settings import Settings, get_settings
from assistant.core.types import Answer, Hit, Turn
from assistant.retrieval.search import Retriever

# An answer record lists at least the top 10 retrieved passages (EVAL_FORMAT.md), whatever k
# the caller asked the generator to read.
MIN_RETRIEVED = 10
# A decline names the nearest documents, one passage each: enough to show where to look.
RELATED_DOCUMENTS = 3


def related(hits: list[Hit], n: int = RELATED_DOCUMENTS) -> list[Hit]:
    """The best passage of each of the n nearest documents, in rank order."""
    seen: set[str] = set()
    out: list[Hit] = []
    for h in hits:
        if h.chunk.doc_id not in seen:
            seen.add(h.chunk.doc_id)
            out.append(h)
            if len(out) == n:
                break
    return out


@dataclass
class _Clock:
    """Milliseconds since the question arrived, per step; first token when a model streams."""

    t0: float = field(default_factory=time.perf_counter)
    marks: dict = field(default_factory=dict)

    def mark(self, name: str) -> None:
        self.marks[name] = time.perf_counter()

    def tap(self, on_token: OnToken | None) -> OnToken:
        def tap(token: str) -> None:
            self.marks.setdefault("first_token", time.perf_counter())
            if on_token:
                on_token(token)

        return tap

    def latency(self) -> dict:
        ms = {k: round((v - self.t0) * 1000, 1) for k, v in self.marks.items()}
        out = {
            "retrieve": ms["retrieve"],
            "generate": round(ms["generate"] - ms["retrieve"], 1),
            "total": ms["generate"],
        }
        if "first_token" in ms:
            out["first_token"] = ms["first_token"]
        return out


class Assistant:
    def __init__(
        self,
        settings: Settings | None = None,
        backend: str | None = None,
        retriever: Retriever | None = None,
        role: str | None = None,
        user: str | None = None,
        generator=None,
    ) -> None:
        """`retriever` and `generator` may be shared across users (the app keeps one per process);
        the role and user stay per Assistant."""
        self.settings = settings or get_settings()
        self.role = role or self.settings.role
        self.user = user or self.settings.user
        self.retriever = retriever or Retriever(self.settings, role=self.role)
        self.generator = generator or get_generator(backend or self.settings.backend, self.settings)
        crosslingual = getattr(self.retriever, "crosslingual", None)
        self.sentences = SentenceScorer(self.retriever.embedder, getattr(crosslingual, "embedder", None))

    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: dict | None = None,
        k: int | None = None,
        mode: str = "hybrid",
        id: str | None = None,
        on_token: OnToken | None = None,
        on_quotes: OnToken | None = None,
    ) -> Answer:
        """`on_token` receives the model's streamed text, which is provisional: the returned
        answer is what passed verification. `on_quotes` receives the pipeline's quotations as
        soon as they are chosen, before any model writes: a front end can show them at once
        and the model's direct answer above them when it comes."""
        clock = _Clock()
        # 1. A follow-up becomes a stand-alone question (the model's rewrite, else the lexical one).
        standalone = (self.generator.condense(question, history) if history else None) or condense(question, history)
        asked = analyse(standalone)
        # 2. Retrieve and rerank, within what this role may read.
        hits = self.retriever.search(
            standalone, filters=filters, k=max(k or self.settings.top_k, MIN_RETRIEVED), mode=mode
        )
        clock.mark("retrieve")
        # 3. Do the passages bear on the question at all?
        support = assess(asked, hits, self.retriever.unknown_terms, self.settings)
        # 4. Choose the sentences that answer it, and check they carry what it asks for.
        chosen: list = []
        if support.ok:
            ranked = rank_sentences(asked, hits[: self.settings.answer_passages], self.sentences)
            chosen = choose(asked, ranked, self.settings.answer_sentences)
            support = decide(asked, chosen, hits, self.settings)
        if support.ok and on_quotes:
            on_quotes(quote(chosen).text)
        # 5. Phrase the answer from those sentences: the extractive answerer quotes them; a model
        #    writes a direct answer from them alone, verified inside, with the quotations kept
        #    beneath it (or standing alone, labelled, when nothing of the model's text holds).
        #    Every backend declines exactly what the pipeline declined, and nothing else.
        draft = (
            self.generator.answer(standalone, hits, chosen, on_token=clock.tap(on_token))
            if support.ok
            else Draft("", declined=True)
        )
        clock.mark("generate")
        # 6. Cite: a decline carries no citations, only the nearest passages as related material.
        return Answer(
            question=question,
            text=self.decline_message(hits, support) if draft.declined else draft.text,
            declined=draft.declined,
            citations=[] if draft.declined else draft.citations,
            retrieved=hits,
            backend=self.generator.name,
            latency_ms=clock.latency(),
            rewritten_question=standalone,
            id=id,
            verification=draft.verification,
            decline_reason=support.reason if draft.declined or support.partial else "",
            related=related(hits) if draft.declined else [],
            not_covered=support.missing if support.partial and not draft.declined else "",
            quotes="" if draft.declined else draft.quotes,
        )

    def decline_message(self, hits: list[Hit], support: Support | None = None) -> str:
        if not hits and self.retriever.is_empty():
            return prompts.render("no_index", corpus_dir=self.settings.corpus_dir)
        lines = []
        for h in related(hits):
            c = h.chunk
            where = f", p. {c.page}" if c.page else (f", \u00a7 {c.section}" if c.section else "")
            lines.append(f"- {c.meta.title}{where}")
        missing = support.missing if support is not None else ""
        statement = (
            f"The documents in the library do not state {missing}."
            if missing
            else "The documents in the library do not answer this question."
        )
        return prompts.render("decline", statement=statement, nearest="\n".join(lines) or "- (nothing close)")
