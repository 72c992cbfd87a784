"""The conversation export shows each answer as the chat does (features/answer_view.py): a
model's direct answer with the quotations it was written from beneath it, a fallback labelled,
an extractive answer as it always was. Scripted chat models (tests/answering/fakes.py) over a
small real index; the pipeline and the verifier are real."""

from __future__ import annotations

import pytest

from assistant.answering.engine import Assistant
from assistant.answering.model_answer import LLMGenerator
from assistant.features.answer_view import QUOTES_LABEL, fallback_note
from assistant.features.chat import ChatSession
from assistant.features.export import conversation_markdown
from ingest.pipeline import ingest
from tests.answering.fakes import ScriptedModel, UnreachableModel
from tests.conftest import make_pdf

SENTENCE = "The Economic 2+2 first met in July 2022 in Washington."
QUESTION = "Where did the Economic 2+2 first meet?"


@pytest.fixture
def corpus(settings, embedder):
    make_pdf(settings.corpus_dir / "note.pdf", [["The Economic 2+2 is a committee of two governments.", SENTENCE]])
    ingest(settings, progress=False)
    return settings


def exported(settings, model=None) -> list[str]:
    assistant = Assistant(settings)
    if model is not None:
        assistant.generator = LLMGenerator(settings, "scripted", model=model)
    chat = ChatSession(assistant)
    chat.ask(QUESTION)
    return conversation_markdown(chat.answers).splitlines()


def test_a_direct_answer_is_exported_with_its_quotes_beneath_it_then_the_sources(corpus):
    lines = exported(corpus, ScriptedModel("It first met in Washington [1]."))
    answer = lines.index("Answer:")
    assert lines[answer + 2] == "It first met in Washington [1]."
    label = lines.index(QUOTES_LABEL)
    assert label > answer + 2 and lines[label + 2] == f"- \u201c{SENTENCE}\u201d [1]"
    assert lines.index("Sources:") > label + 2
    assert lines[lines.index("Sources:") + 2] == "- [1] untitled, p. 1, anonymous. (library document note)"


def test_quotations_standing_in_for_the_models_answer_say_so(corpus):
    lines = exported(corpus, ScriptedModel("It met in Tokyo in 1999 [1]."))
    answer = lines.index("Answer:")
    assert lines[answer + 2] == fallback_note("no sentence of the model's answer was supported")
    assert lines[answer + 4] == f"\u201c{SENTENCE}\u201d [1]" and QUOTES_LABEL not in lines
    assert "Tokyo" not in "\n".join(lines)
    lines = exported(corpus, UnreachableModel())
    assert lines[answer + 2].startswith("Quotations only: the model's answer is not shown (model failed: cannot reach")


def test_an_extractive_answer_is_exported_as_before(corpus):
    assert exported(corpus) == [
        "# Conversation",
        "",
        "## Question 1",
        "",
        QUESTION,
        "",
        "Answer:",
        "",
        f"\u201c{SENTENCE}\u201d [1]",
        "",
        "Sources:",
        "",
        "- [1] untitled, p. 1, anonymous. (library document note)",
    ]
