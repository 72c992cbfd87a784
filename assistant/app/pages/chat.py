"""Chat: questions in, cited answers out; every citation opens its passage on its page."""

from __future__ import annotations

import re
import time

import streamlit as st

from assistant.app import state
from assistant.app.common import assistant_for, require_user, show_source, sidebar
from assistant.app.state import select
from assistant.features.export import conversation_markdown

user = require_user()
filters, backend = sidebar(user)
answers = state.answers()  # this session's conversation, oldest first


def source_of(sel: state.Selection | None) -> dict | None:
    if sel is None or sel.turn >= len(answers):
        return None
    answer = answers[sel.turn]
    if sel.kind == "cite":
        c = next((c for c in answer.citations if c.marker == sel.n), None)
        return c and {"doc_id": c.doc_id, "page": c.page, "quote": c.quote, "text": c.text, "label": f"[{c.marker}]"}
    if sel.n < len(answer.related):
        h = answer.related[sel.n].chunk
        return {"doc_id": h.doc_id, "page": h.page, "quote": "", "text": h.text, "label": "(related passage)"}
    return None


def chips(i: int, answer) -> None:
    """One button per citation; the related passages when the answer is a decline."""
    if answer.declined:
        if answer.related:
            st.caption("Related passages (they do not answer the question):")
        for j, h in enumerate(answer.related):
            c = h.chunk
            where = f", p. {c.page}" if c.page else ""
            st.button(f"{c.meta.title[:70]}{where}", key=f"near-{i}-{j}", on_click=select, args=(i, "near", j))
        return
    for c in answer.citations:
        where = f", p. {c.page}" if c.page else ""
        st.button(
            f"[{c.marker}] {c.title[:70]}{where}",
            key=f"cite-{i}-{c.marker}",
            on_click=select,
            args=(i, "cite", c.marker),
            help="Show the passage on its page",
        )


def show_answer(i: int, answer) -> None:
    with st.chat_message("user"):
        st.markdown(answer.question)
    with st.chat_message("assistant"):
        if answer.declined:
            st.info(answer.text)
        else:
            st.markdown(answer.text)
            partly(answer)
        chips(i, answer)


def partly(answer) -> None:
    if answer.not_covered:
        st.warning(f"Partly answered: the documents do not state {answer.not_covered}.")


def words(text: str):
    """The verified answer, streamed word by word."""
    for token in re.findall(r"\S+\s*", text):
        yield token
        time.sleep(0.01)


st.title("Japan's economic security: cited answers")
question = st.chat_input("Ask about Japan's economic security")  # pinned to the bottom wherever it is called
chat_col, source_col = st.columns([3, 2], gap="large")
with chat_col:
    if not answers and not question:
        st.caption(
            "Answers quote official documents and cite their pages. Follow-up questions use the "
            "conversation. When the documents do not answer, the assistant says so."
        )
    for i, a in enumerate(answers):
        show_answer(i, a)

if question:
    chat = state.conversation(assistant_for(user, backend))
    with chat_col:
        with st.chat_message("user"):
            st.markdown(question)
        with st.chat_message("assistant"):
            draft = st.empty()
            streamed: list[str] = []

            def show(token: str) -> None:
                streamed.append(token)
                draft.caption(
                    "Provisional: every sentence is checked against its sources before it is shown "
                    "as the answer \u2026\n\n" + "".join(streamed)
                )

            with st.spinner("Searching the documents \u2026"):
                answer = chat.ask(question, filters=filters, on_token=show)
            draft.empty()
            if answer.declined:
                st.info(answer.text)
            else:
                st.write_stream(words(answer.text))
                partly(answer)
            answers = chat.answers
            chips(len(answers) - 1, answer)

if answers:
    with chat_col:
        bar = st.columns([1, 1, 2])
        if bar[0].button("New conversation"):
            state.new_conversation()
            st.rerun()
        bar[1].download_button(
            "Export (Markdown)", conversation_markdown(answers), file_name="conversation.md", mime="text/markdown"
        )

with source_col:
    src = source_of(state.selection())
    if src:
        with st.container(border=True):
            show_source(src, user)
    else:
        st.caption("Click a citation to see the passage on its page.")
