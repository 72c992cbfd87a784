"""A model's direct answer, written from the sentences the pipeline chose and checked before
anyone sees it.

The pipeline has decided that the question is answerable and chosen the sentences that answer
it (engine.py); the model only phrases them. It gets the question and those few sentences,
numbered as the quotations beneath its answer will be (one number per passage, with document
and location), never whole passages, and writes one to three sentences with [n] markers. Its text
is streamed (marked provisional by the caller), then every sentence is verified against the
sentences it cites (verify.py). What fails is removed; if nothing remains, or the model cannot
be reached, the quotations are the answer, labelled with why (`Verification.fallback`). A model
never declines a question the pipeline found answerable: the prompt offers no way to, and a
reply that tries is simply not verified. Every backend (llama.cpp, OpenAI-compatible, Ollama)
takes this path with the same prompts."""

from __future__ import annotations

import re
from dataclasses import replace

import prompts
from assistant.answering.evidence import Evidence
from assistant.answering.extractive import quote
from assistant.answering.generators import Draft, Generator, OnToken
from assistant.answering.models import ModelError, get_model
from assistant.answering.question import KINDS, Question, analyse, answer_kinds
from assistant.answering.verify import attribute, in_quoted_words, verify, with_document
from assistant.core.text import MARKER, cjk_share, mostly_japanese
from assistant.core.types import Citation, Hit, Turn, Verification

# The direct answer is one to three sentences: more would repeat the quotations beneath it.
MAX_SENTENCES = 3
# Tokens per sentence the model may spend. Writing is most of the answer's time on 2 cores
# (10 to 20 tokens/s for Qwen 1.5B): a 2-sentence answer of 96 tokens is 5 to 10 s, about the
# goal of 8 s; 40 cut a one-sentence answer that restated a long question inside its marker.
# A Japanese sentence takes about twice the tokens. A sentence cut short is dropped.
TOKENS_PER_SENTENCE = 48
TOKENS_PER_SENTENCE_JA = 80
# Quoted text the model reads, in tokens: on 2 cores reading the prompt is the wait before the
# first word (about 40 tokens/s for Qwen 1.5B idle, once the system text is kept), so the model
# gets the best sentences up to this budget (always the first), the reader all of them beneath.
PROMPT_EVIDENCE_TOKENS = 120


_LENGTH = {1: "one sentence", 2: "two short sentences", 3: "three short sentences"}


# What the pipeline found the question asks for, said to the model: a small model otherwise
# answers the part it finds first ("the name of the existing body" for "what body do they
# propose, and what is the existing one called?") or the person a quote names first.
_ASKS_FOR = {
    "date": "a date",
    "amount": "an amount",
    "count": "a number",
    "person": "a person or body, by name",
    "place": "a place",
    "duration": "a length of time",
    "size": "a figure",
    "name": "a name",
    "reason": "a reason",
    "penalty": "a penalty",
}


def _asks(asked: Question) -> str:
    """What to give, as part of the one instruction line: a separate line after the question
    ("The question asks for a length of time: ...") was copied by Qwen 1.5B as its answer."""
    if asked.yes_no:
        # Qwen 1.5B otherwise answers "Yes [1]." or "No, they did not [1].", which no check can
        # confirm and the reader cannot act on: the fact that settles it is the answer.
        return ": say yes or no, with the fact from the quote that shows it"
    if not asked.wants:
        return ""
    what = " and ".join(_ASKS_FOR[k] for k in asked.wants)
    return f", giving {what} as the quote{'s write them' if len(asked.wants) > 1 else ' writes it'}"


def _escape(text: str) -> str:
    # A quotation cannot close its own delimiter and pose as the prompt.
    return re.sub(r"</?\s*quote[^>]*>", "[tag removed]", text, flags=re.I)


def language_of(question: str) -> str:
    """The language the answer is written in: the question's, whatever the quotations'."""
    return "Japanese (日本語)" if mostly_japanese(question) else "English"


def _other_language(answer: str, question: str) -> bool:
    """Written in the other language: a Japanese question answered in English sentences ("This
    action plan was determined in 2023 [1]."), or an English one in Japanese. A figure, a date or
    a name alone ("3 [1]", "2017年3月 [1]", "TSUBAME4.0") is in either."""
    if mostly_japanese(question):
        return cjk_share(answer) == 0 and len(re.findall(r"[A-Za-z]{2,}", MARKER.sub(" ", answer))) >= 4
    return mostly_japanese(answer)


_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f\"'\u201d\u300d)\uff09]\s*$|\[\d+\]\s*$")


_LABEL = re.compile(r"^(?:answer|回答)\s*[:\uff1a]\s*", re.I)
_MARKER_CUT = re.compile(r"\s*\[\d*$")


def _whole_sentences(text: str, offered: set[int], stopped: bool = False) -> str:
    """The model's text without what cannot be shown as written: a leading "Answer:", markers
    of quotes it was not given (it cited one it was shown too, or `attribute` finds the one that
    supports it) and a last sentence cut short by the token cap. A sentence cut inside its
    closing marker ("... in 2027 [") was whole: `attribute` cites it if a quote supports it.
    `stopped`: the model ended well within the cap, so a last sentence without a full stop
    ("Yunjong Wang [2]") is what it meant to write, not a cut."""
    text = _LABEL.sub("", text.strip())
    # "[1, 2]" cites two quotes, as "[1] [2]" does.
    text = re.sub(r"\[(\d+(?:\s*,\s*\d+)+)\]", lambda m: " ".join(f"[{n.strip()}]" for n in m[1].split(",")), text)
    text = MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in offered else "", text)
    text = re.sub(r"\s+(?=[.,!?\u3002])", "", text).strip()
    if _MARKER_CUT.search(text):
        text = _MARKER_CUT.sub("", text)
        if text and not _SENTENCE_END.search(text):
            text += "."
    if text and not _SENTENCE_END.search(text):
        if stopped:
            return text + "."
        ends = list(re.finditer(r"[.!?\u3002\uff01\uff1f](?:\s*\[\d+\])*", text))
        text = text[: ends[-1].end()] if ends else ""
    return text


def _checked_text(c: Citation) -> str:
    # What a sentence citing [n] is checked against: the sentences quoted under [n], not the
    # title: a name or year the model takes from a title ("the 2024 statement") is not stated
    # by the passage the reader opens.
    return c.quote or c.text


class LLMGenerator(Generator):
    def __init__(self, settings, kind: str, model=None) -> None:
        self.settings = settings
        self.model = model or get_model(kind, settings)
        self.name = self.model.name
        self.last_messages: list[dict] = []  # the latest prompt, for the generation benchmark
        # The system text is the same for every question: a model that can keep its evaluated
        # state (llama.cpp) reads it once per process, not once per question.
        self.model.prepare(self.system())

    @staticmethod
    def system() -> str:
        return prompts.render("system")

    def messages(self, question: str, citations: list[Citation], asked: Question | None = None) -> list[dict]:
        """The system text and the question with the quotations, numbered as shown to the reader.
        `asked`: the question as the pipeline read it (read here when not given)."""
        # Number and sentences only: the title and page are the reader's (beneath the answer);
        # to the model they were about 14 tokens a quote of reading time on 2 cores, and the source
        # of names and years no quoted sentence states, which verification then removes.
        evidence = "\n".join(
            prompts.render("evidence", marker=c.marker, text=_escape(c.quote or c.text)) for c in citations
        )
        user = prompts.render(
            "answer",
            evidence=evidence,
            question=question,
            asks=_asks(asked or analyse(question)),
            language=language_of(question),
            length=_LENGTH[self.max_sentences(citations)],
        )
        return [{"role": "system", "content": self.system()}, {"role": "user", "content": user}]

    def within_budget(self, evidence: list[Evidence]) -> list[Evidence]:
        """The first sentences, in the pipeline's order, up to PROMPT_EVIDENCE_TOKENS (at least one).
        quote() numbers passages in order of appearance, so a prefix keeps the numbers of the whole."""
        out: list[Evidence] = []
        spent = 0
        for e in evidence:
            cost = self.model.count_tokens(e.sentence)
            if out and spent + cost > PROMPT_EVIDENCE_TOKENS:
                break
            out.append(e)
            spent += cost
        return out

    @staticmethod
    def max_sentences(citations: list[Citation]) -> int:
        quoted = sum(len((c.quote or "x").split(" \u2026 ")) for c in citations)
        return max(1, min(MAX_SENTENCES, quoted))

    def answer(
        self, question: str, hits: list[Hit], evidence: list[Evidence], on_token: OnToken | None = None
    ) -> Draft:
        quotes = quote(evidence)
        if quotes.declined:  # nothing chosen to phrase: the pipeline's decision, not the model's
            return quotes
        # What the model reads: the best sentences within the budget, numbered as beneath.
        shown = quote(self.within_budget(evidence)).citations
        asked = analyse(question)  # once, for the prompt and for the check of a "why" answer
        messages = self.last_messages = self.messages(question, shown, asked)
        per_sentence = TOKENS_PER_SENTENCE_JA if language_of(question).startswith("Japanese") else TOKENS_PER_SENTENCE
        max_tokens = min(self.settings.llm_max_tokens, per_sentence * self.max_sentences(shown))
        try:
            parts = []
            for token in self.model.stream(messages, max_tokens):
                parts.append(token)
                if on_token:
                    on_token(token)
            raw = "".join(parts).strip()
        except ModelError as exc:
            return replace(quotes, verification=Verification(fallback=f"model failed: {exc}"))
        checked = {c.marker: _checked_text(c) for c in shown}
        # A name or date the question gives may also come from the cited document's title, issuer
        # and date: "the February 2025 statement" restates which document the user asked about.
        passages = {c.marker: with_document(c.text, c.title, c.issuer, c.date) for c in shown}
        # Within the cap by a margin: the model stopped by itself (an estimate of its tokens
        # errs towards "cut" where the backend's own tokenizer is not at hand).
        stopped = self.model.count_tokens(raw) < max_tokens - 2
        text = _whole_sentences(raw, set(checked), stopped)
        v = verify(attribute(text, checked, question, passages), checked, question, passages)
        v = replace(v, model_text=raw)
        if not v.ok:
            return replace(quotes, verification=replace(v, fallback="no sentence of the model's answer was supported"))
        # A direct answer without what the question asks for and the quotations state answers
        # nothing they do not ("The division is being split up [1]." for "Why is it being split
        # up?", "The G7 condemned the military coup [1]." for "Whose coup ...?"), or only one part
        # of a two-part question: the quotations stand alone.
        unstated = {k for e in evidence for k in e.kinds} - answer_kinds(v.text, asked)
        if unstated:
            what = " or ".join(KINDS[k] for k in asked.wants if k in unstated)
            return replace(quotes, verification=replace(v, fallback=f"the model's answer does not give {what}"))
        if _other_language(v.text, question):
            return replace(
                quotes, verification=replace(v, fallback="the model did not answer in the question's language")
            )
        text = in_quoted_words(v.text, " ".join(checked.values()))
        return Draft(text, declined=False, citations=quotes.citations, verification=v, quotes=quotes.text)

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
