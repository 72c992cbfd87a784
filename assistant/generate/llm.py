"""Grounded generation with a language model, checked before anyone sees it.

The model gets the question and numbered, delimited passages; its text is streamed (marked
provisional by the caller), then every sentence is verified against the passages it cites
(assistant/verify.py). What fails is removed; if nothing supported remains, or the model
cannot be reached, the extractive answer is given instead. The model saying the passages do
not answer is a decline; the model is never asked without passages."""
from __future__ import annotations

import re

import prompts
from assistant.answer import citation_for
from assistant.generate import Draft, Generator
from assistant.generate.extractive import ExtractiveGenerator, supported
from assistant.llm import ModelError, get_model
from assistant.verify import MARKER, verify

DECLINE_TOKEN = "NOT_IN_DOCUMENTS"


def _escape(text: str) -> str:
    # A passage cannot close its own delimiter and pose as the prompt.
    return re.sub(r"</?\s*passage[^>]*>", "[tag removed]", text, flags=re.I)


class LLMGenerator(Generator):
    def __init__(self, settings, kind: str, model=None) -> None:
        self.settings = settings
        self.model = model or get_model(kind, settings)
        self.name = self.model.name
        self.extractive = ExtractiveGenerator(settings)

    def _passages(self, hits: list, budget: int) -> tuple[str, list]:
        blocks, used, spent = [], [], 0
        for n, hit in enumerate(hits[: self.settings.llm_passages], start=1):
            c = hit.chunk
            block = prompts.render("passage", marker=n, title=c.meta.title, page=c.page or "-",
                                   text=_escape(c.text))
            cost = self.model.count_tokens(block)
            if used and spent + cost > budget:
                break
            blocks.append(block)
            used.append(hit)
            spent += cost
        return "\n".join(blocks), used

    def messages(self, question: str, hits: list) -> tuple[list[dict], list]:
        system = prompts.render("system", max_sentences=self.settings.answer_sentences + 1)
        budget = (self.model.context_tokens - self.settings.llm_max_tokens
                  - self.model.count_tokens(system) - self.model.count_tokens(question) - 200)
        passages, used = self._passages(hits, budget)
        user = prompts.render("answer", passages=passages, question=question)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}], used

    def answer(self, question: str, hits: list, retriever, on_token=None) -> Draft:
        if not supported(question, hits, self.settings, retriever):
            return Draft("", declined=True)
        messages, used = self.messages(question, hits)
        try:
            parts = []
            for token in self.model.stream(messages, self.settings.llm_max_tokens):
                parts.append(token)
                if on_token:
                    on_token(token)
            raw = "".join(parts).strip()
        except ModelError as exc:
            return self._fallback(question, hits, retriever, f"model failed: {exc}")
        if DECLINE_TOKEN in raw and not MARKER.search(raw):
            return Draft("", declined=True, raw=raw)
        raw_clean = raw.replace(DECLINE_TOKEN, "").strip()
        v = verify(raw_clean, {n: h.chunk.text for n, h in enumerate(used, start=1)}, question)
        if not v.ok:
            draft = self._fallback(question, hits, retriever, "no sentence of the model's answer was supported")
            draft.removed, draft.raw = v.removed, raw
            return draft
        cited = sorted({int(m) for m in MARKER.findall(v.text)})
        citations = [citation_for(n, used[n - 1]) for n in cited]
        return Draft(v.text, declined=False, citations=citations, removed=v.removed, raw=raw)

    def _fallback(self, question, hits, retriever, why: str) -> Draft:
        draft = self.extractive.answer(question, hits, retriever)
        draft.fallback = why
        return draft

    def condense(self, question: str, history: list[dict]) -> str | None:
        lines, spent = [], 0
        for turn in reversed(history):  # newest first, until the budget is spent
            line = f"User: {turn['question']}\nAssistant: {turn.get('answer', '')[:600]}"
            spent += self.model.count_tokens(line)
            if spent > self.model.context_tokens // 2:
                break
            lines.insert(0, line)
        prompt = prompts.render("condense", history="\n".join(lines), question=question)
        try:
            text = self.model.complete([{"role": "user", "content": prompt}], max_tokens=80).strip()
        except ModelError:
            return None
        text = text.splitlines()[0].strip().strip('"') if text else ""
        return text if len(text) > 5 else None
