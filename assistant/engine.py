"""retrieve -> rerank -> generate -> cite: the path every front end (CLI, app, eval) calls."""
from __future__ import annotations

import time

import prompts
from assistant.answer import Answer
from assistant.audit import AuditLog
from assistant.chat import condense
from assistant.config import Settings, get_settings
from assistant.generate import get_generator
from assistant.index.catalog import Catalog
from assistant.retrieve import Retriever


class Assistant:
    def __init__(self, settings: Settings | None = None, backend: str | None = None,
                 retriever: Retriever | None = None, role: str | None = None, user: str | None = None,
                 generator=None) -> None:
        """`retriever` and `generator` may be shared across users (the app keeps one per process);
        the role and user stay per Assistant, so the audit log names who asked."""
        self.settings = settings or get_settings()
        self.role = role or self.settings.role
        self.user = user or self.settings.user
        self.retriever = retriever or Retriever(self.settings, role=self.role)
        self.audit = AuditLog(self.settings.index_dir)
        self.generator = generator or get_generator(backend or self.settings.backend, self.settings)

    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None,
            k: int | None = None, mode: str = "hybrid", id: str | None = None, on_token=None) -> Answer:
        """`on_token` receives the model's streamed text, which is provisional: the returned
        answer is what passed verification."""
        t0 = time.perf_counter()
        standalone = (self.generator.condense(question, history) if history else None) \
            or condense(question, history)
        k = max(k or self.settings.top_k, 10)
        hits = self.retriever.search(standalone, filters=filters, k=k, mode=mode)
        t1 = time.perf_counter()
        first_token: list[float] = []

        def tap(token: str) -> None:
            if not first_token:
                first_token.append(time.perf_counter())
            if on_token:
                on_token(token)

        draft = self.generator.answer(standalone, hits, self.retriever, on_token=tap)
        t2 = time.perf_counter()
        text = draft.text if not draft.declined else self.decline_message(hits)
        latency = {"retrieve": round((t1 - t0) * 1000, 1), "generate": round((t2 - t1) * 1000, 1),
                   "total": round((t2 - t0) * 1000, 1)}
        if first_token:
            latency["first_token"] = round((first_token[0] - t0) * 1000, 1)
        verification = None
        if draft.removed or draft.fallback or draft.raw is not None:
            verification = {"removed": draft.removed, "fallback": draft.fallback, "model_text": draft.raw}
        answer = Answer(question=question, answer=text, declined=draft.declined,
                        citations=[] if draft.declined else draft.citations, retrieved=hits,
                        backend=self.generator.name, latency_ms=latency,
                        rewritten_question=standalone, id=id, verification=verification)
        self.audit.record(answer, self.user, self.role)
        return answer

    def decline_message(self, hits: list) -> str:
        if not hits:
            catalog = Catalog(self.settings.index_dir)
            try:
                if catalog.stats()["chunks"] == 0:
                    return prompts.render("no_index", corpus_dir=self.settings.corpus_dir)
            finally:
                catalog.close()
        seen, lines = set(), []
        for h in hits:
            c = h.chunk
            if c.doc_id in seen:
                continue
            seen.add(c.doc_id)
            where = f", p. {c.page}" if c.page else (f", \u00a7 {c.section}" if c.section else "")
            lines.append(f"- {c.meta.title}{where}")
            if len(lines) == 3:
                break
        return prompts.render("decline", nearest="\n".join(lines) or "- (nothing close)")
