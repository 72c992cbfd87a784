"""Chat: questions in, cited answers out; every citation opens its passage on its page."""
from __future__ import annotations

import re
import time

import streamlit as st

from assistant.app.common import assistant_for, require_user, show_source, sidebar
from assistant.export import conversation_markdown

user = require_user()
filters, backend = sidebar(user)
turns: list = st.session_state.setdefault("turns", [])  # (question, Answer), oldest first


def select(turn: int, kind: str, n: int) -> None:
    st.session_state["source"] = {"turn": turn, "kind": kind, "n": n}


def source_of(sel: dict) -> dict | None:
    if not sel or sel["turn"] >= len(turns):
        return None
    _, answer = turns[sel["turn"]]
    if sel["kind"] == "cite":
        c = next((c for c in answer.citations if c.marker == sel["n"]), None)
        return c and {"doc_id": c.doc_id, "page": c.page, "quote": c.quote, "text": c.text, "label": f"[{c.marker}]"}
    hits = answer.retrieved
    if sel["n"] < len(hits):
        h = hits[sel["n"]].chunk
        return {"doc_id": h.doc_id, "page": h.page, "quote": "", "text": h.text, "label": "(nearest passage)"}
    return None


def chips(i: int, answer) -> None:
    """One button per citation; the nearest passages when the answer is a decline."""
    if answer.declined:
        near, seen = [], set()
        for j, h in enumerate(answer.retrieved):
            if h.chunk.doc_id not in seen:
                seen.add(h.chunk.doc_id)
                near.append((j, h.chunk))
            if len(near) == 3:
                break
        if near:
            st.caption("Nearest passages (they do not answer the question):")
        for j, c in near:
            where = f", p. {c.page}" if c.page else ""
            st.button(f"{c.meta.title[:70]}{where}", key=f"near-{i}-{j}", on_click=select, args=(i, "near", j))
        return
    for c in answer.citations:
        where = f", p. {c.page}" if c.page else ""
        st.button(f"[{c.marker}] {c.title[:70]}{where}", key=f"cite-{i}-{c.marker}", on_click=select,
                  args=(i, "cite", c.marker), help="Show the passage on its page")


def show_answer(i: int, question: str, answer) -> None:
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        if answer.declined:
            st.info(answer.answer)
        else:
            st.markdown(answer.answer)
        chips(i, answer)


def words(text: str):
    """The verified answer, streamed word by word."""
    for token in re.findall(r"\S+\s*", text):
        yield token
        time.sleep(0.01)


st.title("Japan's economic security: cited answers")
question = st.chat_input("Ask about Japan's economic security")  # pinned to the bottom wherever it is called
chat_col, source_col = st.columns([3, 2], gap="large")
with chat_col:
    if not turns and not question:
        st.caption("Answers quote official documents and cite their pages. Follow-up questions use the "
                   "conversation. When the documents do not answer, the assistant says so.")
    for i, (q, a) in enumerate(turns):
        show_answer(i, q, a)

if question:
    assistant = assistant_for(user, backend)
    history = [{"question": q, "answer": a.answer, "rewritten_question": a.rewritten_question}
               for q, a in turns[-8:]]
    with chat_col:
        with st.chat_message("user"):
            st.markdown(question)
        with st.chat_message("assistant"):
            draft = st.empty()
            streamed: list[str] = []

            def show(token: str) -> None:
                streamed.append(token)
                draft.caption("Provisional: every sentence is checked against its sources before it is shown "
                              "as the answer \u2026\n\n" + "".join(streamed))

            with st.spinner("Searching the documents \u2026"):
                answer = assistant.ask(question, history=history, filters=filters, on_token=show)
            draft.empty()
            if answer.declined:
                st.info(answer.answer)
            else:
                st.write_stream(words(answer.answer))
            turns.append((question, answer))
            chips(len(turns) - 1, answer)

if turns:
    with chat_col:
        bar = st.columns([1, 1, 2])
        if bar[0].button("New conversation"):
            st.session_state["turns"] = []
            st.session_state.pop("source", None)
            st.rerun()
        bar[1].download_button("Export (Markdown)", conversation_markdown(turns), file_name="conversation.md",
                               mime="text/markdown")

with source_col:
    src = source_of(st.session_state.get("source"))
    if src:
        with st.container(border=True):
            show_source(src, user)
    else:
        st.caption("Click a citation to see the passage on its page.")
