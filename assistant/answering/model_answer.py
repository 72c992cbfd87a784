"""Grounded generation with a language model, checked before anyone sees it.

The model gets the question and numbered, delimited passages; its text is streamed (marked
provisional by the caller), then every sentence is verified against the passages it cites
(verify.py). What fails is removed; if nothing supported remains, or the model
cannot be reached, the extractive answer is given instead. The model saying the passages do
not answer is a decline; the model is never asked without passages."""

from __future__ import annotations

import re
from dataclasses import replace

import prompts
from assistant.answering.evidence import Evidence
from assistant.answering.extractive import quote
from assistant.answering.generators import Draft, Generator, OnToken
from assistant.answering.models import ModelError, get_model
from assistant.answering.verify import verify
from assistant.core.text import MARKER
from assistant.core.types import Citation, Hit, Turn, Verification

DECLINE_TOKEN = "NOT_IN_DOCUMENTS"


def _escape(text: str) -> str:
    # A passage cannot close its own delimiter and pose as the prompt.
    return re.sub(r"</?\s*passage[^>]*>", "[tag removed]", text, flags=re.I)


class LLMGenerator(Generator):
    def __init__(self, settings, kind: str, model=None) -> None:
        self.settings = settings
        self.model = model or get_model(kind, settings)
        self.name = self.model.name

    def _passages(self, hits: list, budget: int) -> tuple[str, list]:
        blocks, used, spent = [], [], 0
        for n, hit in enumerate(hits[: self.settings.llm_passages], start=1):
            c = hit.chunk
            block = prompts.render("passage", marker=n, title=c.meta.title, page=c.page or "-", text=_escape(c.text))
            cost = self.model.count_tokens(block)
            if used and spent + cost > budget:
                break
            blocks.append(block)
            used.append(hit)
            spent += cost
        return "\n".join(blocks), used

    def messages(self, question: str, hits: list) -> tuple[list[dict], list]:
        system = prompts.render("system", max_sentences=self.settings.answer_sentences + 1)
        budget = (
            self.model.context_tokens
            - self.settings.llm_max_tokens
            - self.model.count_tokens(system)
            - self.model.count_tokens(question)
            - 200
        )
        passages, used = self._passages(hits, budget)
        user = prompts.render("answer", passages=passages, question=question)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}], used

    def answer(
        self, question: str, hits: list[Hit], evidence: list[Evidence], on_token: OnToken | None = None
    ) -> Draft:
        messages, used = self.messages(question, hits)
        try:
            parts = []
            for token in self.model.stream(messages, self.settings.llm_max_tokens):
                parts.append(token)
                if on_token:
                    on_token(token)
            raw = "".join(parts).strip()
        except ModelError as exc:
            return self._fallback(evidence, Verification(fallback=f"model failed: {exc}"))
        if DECLINE_TOKEN in raw and not MARKER.search(raw):
            return Draft("", declined=True, verification=Verification(model_text=raw))
        raw_clean = raw.replace(DECLINE_TOKEN, "").strip()
        v = verify(raw_clean, {n: h.chunk.text for n, h in enumerate(used, start=1)}, question)
        v = replace(v, model_text=raw)
        if not v.ok:
            return self._fallback(evidence, replace(v, fallback="no sentence of the model's answer was supported"))
        cited = sorted({int(m) for m in MARKER.findall(v.text)})
        citations = [Citation.of(n, used[n - 1]) for n in cited]
        return Draft(v.text, declined=False, citations=citations, verification=v)

    def _fallback(self, evidence: list[Evidence], why: Verification) -> Draft:
        """The pipeline's quotations, labelled with why the model's text was not used."""
        return replace(quote(evidence), verification=why)

    def condense(self, question: str, history: list[Turn]) -> str | None:
        lines, spent = [], 0
        for turn in reversed(history):  # newest first, until the budget is spent
            line = f"User: {turn.question}\nAssistant: {turn.answer[:600]}"
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
