"""A model's direct answer with the quotations it was written from beneath it, as the CLI and the
app's chat page show it (features/answer_view.py decides what; they only render), with the
scripted chat models of tests/answering/fakes.py behind a `scripted` backend: the pipeline and
the verifier are real, over the small real index of test_app.py."""

from __future__ import annotations

import json
import re

import pytest

from assistant.answering import generators
from assistant.answering.model_answer import LLMGenerator
from assistant.features.answer_view import QUOTES_LABEL, answer_view, fallback_note, quote_lines
from tests.answering.fakes import FunctionModel, ScriptedModel
from tests.frontends.apptest import app_env
from tests.frontends.test_app import app_test, build_corpus

QUESTION = "When was the Economic Division launched?"
SOURCE = "The Economic Division of the National Security Secretariat was launched in April 2020."
UNSUPPORTED = fallback_note("no sentence of the model's answer was supported")


def marker_of(messages, needle: str) -> int:
    """The number the prompt gives the quotation containing `needle`."""
    for block in messages[-1]["content"].split("<quote ")[1:]:
        if needle in block:
            # The attribute is the prompt's (prompts/evidence.vN.md): n="1" since v2.
            return int(re.match(r'(?:n|number)="(\d+)"', block).group(1))
    raise AssertionError(f"{needle!r} not in the prompt")


def direct(messages) -> str:
    return f"The Economic Division was launched in April 2020 [{marker_of(messages, 'April 2020')}]."


# What the `scripted` backend's model replies: a supported direct answer, or one the verifier
# removes whole (then the quotations stand, labelled).
REPLY = {"model": FunctionModel(direct)}


def scripted(settings) -> LLMGenerator:
    return LLMGenerator(settings, "scripted", model=REPLY["model"])


@pytest.fixture
def scripted_backend(monkeypatch):
    monkeypatch.setitem(generators.REGISTRY, "scripted", (f"{__name__}:scripted", {}))
    monkeypatch.setitem(REPLY, "model", FunctionModel(direct))
    return REPLY


@pytest.fixture
def env(settings, monkeypatch, embedder, scripted_backend):
    build_corpus(settings.corpus_dir)
    monkeypatch.setenv("BRIEFING_BACKEND", "scripted")
    with app_env(settings, monkeypatch) as indexed:
        yield indexed


# --- the one definition ------------------------------------------------------------------------


def test_the_view_puts_a_direct_answer_above_its_quotations_and_labels_a_fallback():
    from assistant.core.types import Answer, Verification

    quotes = "\u201cIt was launched in April 2020.\u201d [1] \u201cIt coordinates policy.\u201d [2]"
    answer = Answer("q", "It began in April 2020 [1].", False, [], [], "m", quotes=quotes)
    view = answer_view(answer)
    assert view.text == answer.text and view.direct and not view.note
    assert view.quotes == ("\u201cIt was launched in April 2020.\u201d [1]", "\u201cIt coordinates policy.\u201d [2]")
    assert quote_lines(quotes) == view.quotes
    # The model's answer did not hold: the quotations are the answer, and say so.
    fallback = Answer("q", quotes, False, [], [], "m", verification=Verification(fallback="model failed: down"))
    assert answer_view(fallback) == type(view)(quotes, (), fallback_note("model failed: down"))
    # The extractive answerer's answer and a decline: as they are.
    assert answer_view(Answer("q", quotes, False, [], [], "extractive")) == type(view)(quotes)
    assert answer_view(Answer("q", "No.", True, [], [], "m", quotes=quotes)) == type(view)("No.")


# --- the CLI ------------------------------------------------------------------------------------


def ask(capsys, *args):
    from assistant.cli import main

    assert main(["ask", QUESTION, "--backend", "scripted", *args]) == 0
    return capsys.readouterr()


def test_cli_prints_the_direct_answer_then_the_quotes_then_the_sources(env, capsys):
    out = ask(capsys)
    lines = out.out.splitlines()
    first = lines.index(QUOTES_LABEL)
    assert re.fullmatch(r"The Economic Division was launched in April 2020 \[1\]\.", lines[0])
    assert lines[first + 1] == f"  \u201c{SOURCE}\u201d [1]"
    assert lines.index("[1] Economic security paper (paper.pdf, p. 1)") > first + 1
    # The model's tokens went to stderr, marked provisional; stdout ends with the checked answer.
    assert "(provisional) The Economic Division was launched" in out.err
    assert "the checked answer follows" in out.err and "provisional" not in out.out


def test_cli_json_carries_the_quotes(env, capsys):
    rec = json.loads(ask(capsys, "--json").out)
    assert rec["answer"].startswith("The Economic Division was launched in April 2020")
    assert rec["quotes"] == f"\u201c{SOURCE}\u201d [1]" and rec["verification"]["fallback"] is None


def test_cli_labels_the_quotations_that_stand_in_for_an_unsupported_answer(env, capsys, scripted_backend):
    scripted_backend["model"] = ScriptedModel("It was launched by Minister Tanaka in 1999 [1].")
    lines = ask(capsys).out.splitlines()
    assert lines[0] == f"({UNSUPPORTED})"
    assert lines[1].startswith(f"\u201c{SOURCE}\u201d [1]") and QUOTES_LABEL not in lines
    assert "Tanaka" not in "\n".join(lines)


# --- the app's chat page ------------------------------------------------------------------------


def shown(at) -> list[tuple[str, str]]:
    """The last assistant message's elements in page order: (kind, text)."""
    out = []

    def walk(node):
        kind = getattr(node, "type", "")
        if kind in ("markdown", "caption", "info", "button"):
            out.append((kind, node.label if kind == "button" else node.value))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.chat_message[-1])
    return out


def test_app_shows_the_quotes_in_a_box_under_the_direct_answer_with_buttons_that_open_the_page(env):
    at = app_test().run()
    assert not at.exception
    at.chat_input[0].set_value(QUESTION).run()
    assert not at.exception
    for _ in range(2):  # as answered, and after a rerun (the conversation is rendered again)
        elements = shown(at)
        texts = [t for _, t in elements]
        answer = next(i for i, t in enumerate(texts) if t.startswith("The Economic Division was launched in April"))
        label = texts.index(QUOTES_LABEL)
        quote = texts.index(f"\u201c{SOURCE}\u201d [1]")
        chip = next(i for i, (k, t) in enumerate(elements) if k == "button" and t.startswith("[1] Economic security"))
        assert answer < label < quote < chip
        assert not any("Provisional" in t for t in texts)  # the streamed draft gave way to the answer
        at.run()
    # The quotations are apart from the answer: in a bordered box of their own, without it.
    (box,) = bordered(at)
    inside = [c.value for c in box.children.values()]
    assert inside == [QUOTES_LABEL, f"\u201c{SOURCE}\u201d [1]"]
    next(b for b in at.button if b.label.startswith("[1] Economic security paper, p. 1")).click().run()
    panel = " ".join(m.value for m in at.markdown)
    assert "**Page 1**" in panel and f"<mark>{SOURCE}</mark>" in panel


def bordered(at) -> list:
    """The bordered boxes in the last assistant message."""
    found = []

    def walk(node):
        if getattr(node, "type", "") == "flex_container" and node.proto.flex_container.border:
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.chat_message[-1])
    return found


def test_app_labels_the_quotations_that_stand_in_for_an_unsupported_answer(env, scripted_backend):
    scripted_backend["model"] = ScriptedModel("It was launched by Minister Tanaka in 1999 [1].")
    at = app_test().run()
    at.chat_input[0].set_value(QUESTION).run()
    texts = [t for _, t in shown(at)]
    note = texts.index(UNSUPPORTED)
    assert texts[note + 1].startswith(f"\u201c{SOURCE}\u201d [1]") and QUOTES_LABEL not in texts
    assert not any("Tanaka" in t for t in texts)


def test_an_extractive_answer_shows_no_quotes_box(env, monkeypatch):
    monkeypatch.setenv("BRIEFING_BACKEND", "extractive")
    from assistant.core.settings import get_settings

    get_settings.cache_clear()
    at = app_test().run()
    at.chat_input[0].set_value(QUESTION).run()
    texts = [t for _, t in shown(at)]
    assert texts[0].startswith(f"\u201c{SOURCE}\u201d [1]") and QUOTES_LABEL not in texts and not bordered(at)
    assert not any(t.startswith("Quotations only") for t in texts)
