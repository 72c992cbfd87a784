"""The rough edges a first-time user hit in the app (issue 16), each driven through AppTest over a
small real index: citation labels and merged sources, markup in quotes, a question sent while an
answer streams, language names in the filter."""

from __future__ import annotations

import dataclasses

import pytest

from tests.frontends.apptest import app_env, open_app
from tests.frontends.test_app import build_corpus, texts

LONG_TITLE = "Fact Sheet: U.S.-Japan Competitiveness and Resilience (CoRe) Partnership for a New Era of Cooperation"


@pytest.fixture
def env(settings, monkeypatch, embedder):
    build_corpus(settings.corpus_dir)
    (settings.corpus_dir / "kanji.md").write_text(
        "---\ntitle: 経済安全保障の文書\nlanguage: ja\ndate: 2022-05-18\n---\n経済安全保障推進法は2022年5月に成立した。\n",
        encoding="utf-8",
    )
    with app_env(settings, monkeypatch, role="public"):
        yield settings


@pytest.fixture
def app(env):
    return open_app()


def cite_buttons(at):
    return [b for b in at.button if b.key and b.key.startswith("cite-")]


def replace_last_answer(at, **changes):
    """Give the conversation's last answer other citations (as an answer citing one page several
    times, or an index built before markup was cleaned, would have) and render the page again."""
    chat = at.session_state["chat"]
    chat.answers[-1] = dataclasses.replace(chat.answers[-1], **changes)
    return at.run()


def test_citation_button_has_date_location_and_full_title_on_hover(app):
    app.chat_input[0].set_value("When was the Economic Division launched?").run()
    assert not app.exception
    (b,) = cite_buttons(app)
    assert b.label == "[1] Economic security paper, p. 1 (2021-05-01)"
    assert "Economic security paper" in b.help and "Analysts" in b.help and "2021-05-01" in b.help


def test_identical_sources_merge_and_long_titles_are_cut_at_a_word(app):
    app.chat_input[0].set_value("When was the Economic Division launched?").run()
    c = app.session_state["chat"].answers[-1].citations[0]
    twice = [
        dataclasses.replace(c, title=LONG_TITLE),
        dataclasses.replace(c, marker=2, title=LONG_TITLE, quote="It coordinates economic security policy"),
    ]
    replace_last_answer(app, citations=twice)
    (b,) = cite_buttons(app)  # one document, one page: one button for [1] and [2]
    assert b.label.startswith("[1, 2] Fact Sheet: U.S.-Japan Competitiveness and Resilience (CoRe)\u2026")
    assert b.label.endswith(", p. 1 (2021-05-01)")
    assert LONG_TITLE in b.help  # the whole title on hover
    b.click().run()
    assert app.session_state["source"].n == 1
    panel = texts(app)
    assert "Source [1, 2]" in " ".join(h.value for h in app.subheader)
    assert "<mark>It coordinates economic security policy</mark>" in panel  # both quotes marked


def test_markup_of_an_old_index_never_shows_in_a_quote(app):
    app.chat_input[0].set_value("When was the Economic Division launched?").run()
    answer = app.session_state["chat"].answers[-1]
    c = answer.citations[0]
    dirty = "**<u>The Economic Division</u>** of the National Security Secretariat \u2022 was launched <!-- -->"
    replace_last_answer(app, text=f"\u201c{dirty}\u201d [1]", citations=[dataclasses.replace(c, quote=dirty)])
    assert not app.exception
    shown = [m.value for m in app.markdown if "Economic Division" in m.value]
    assert shown and not any(mark in v for v in shown for mark in ("**<u>", "\u2022", "<!--", "</u>"))
    cite_buttons(app)[0].click().run()
    page = next(m.value for m in app.markdown if "page-text" in m.value)
    assert "<mark>" in page and not any(mark in page for mark in ("**", "\u2022", "&lt;!--", "&lt;u&gt;"))


def test_a_question_sent_while_another_is_answered_is_queued_not_lost(app):
    # What the page holds after a question arrived while "When ..." was streaming: the rerun
    # that the new input caused stopped that answer, and both wait in the queue, oldest first.
    app.session_state["queue"] = ["When was the Economic Division launched?"]
    app.chat_input[0].set_value("When was the Economic Security Promotion Act enacted?").run()
    assert not app.exception
    questions = [a.question for a in app.session_state["chat"].answers]
    assert questions == [
        "When was the Economic Division launched?",
        "When was the Economic Security Promotion Act enacted?",
    ]
    assert app.session_state["queue"] == []
    assert "April 2020" in texts(app) and "May 2022" in texts(app)
    app.run()  # a plain rerun asks nothing again
    assert len(app.session_state["chat"].answers) == 2


def test_language_filter_shows_language_names(app):
    lang = app.sidebar.multiselect(key="f_lang")
    assert set(lang.options) == {"English", "日本語 (Japanese)"}
    lang.set_value(["ja"]).run()  # the value stays the code the index stores
    assert not app.exception
    app.chat_input[0].set_value("経済安全保障推進法はいつ成立したか").run()
    answer = app.session_state["chat"].answers[-1]
    assert answer.retrieved and all(h.chunk.meta.language == "ja" for h in answer.retrieved)


def test_conversation_buttons_keep_their_whole_labels(app):
    app.chat_input[0].set_value("When was the Economic Division launched?").run()
    assert [b.label for b in app.button if b.label == "New conversation"]
    assert [d.label for d in app.get("download_button")] == ["Export (Markdown)"]
