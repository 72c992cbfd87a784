"""The chat page: questions in, cited answers out, with the cited passages one click away."""
from __future__ import annotations

import os
import sys
from pathlib import Path

# `streamlit run` executes this file as a script: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import streamlit as st  # noqa: E402

from assistant.chat import ChatSession  # noqa: E402
from assistant.config import Filters, get_settings  # noqa: E402
from assistant.engine import Assistant  # noqa: E402
from assistant.index.catalog import Catalog  # noqa: E402


@st.cache_resource(show_spinner="Loading the embedding model and the index ...")
def get_assistant() -> Assistant:
    """One per server process: a rerun never reloads the model."""
    return Assistant(get_settings())


def index_status() -> dict:
    catalog = Catalog(get_settings().index_dir)
    try:
        return {"stats": catalog.stats(), "documents": catalog.documents()}
    finally:
        catalog.close()


def render_citations(answer) -> None:
    for c in answer.citations:
        where = f"page {c.page}" if c.page else "no page numbers"
        with st.expander(f"[{c.marker}] {c.title} \u2014 {where}"):
            if c.quote:
                st.markdown(f"**Quoted:** {c.quote}")
            st.caption(f"{c.source} \u00b7 {c.doc_id}")
            st.text(c.text)


def main() -> None:
    st.set_page_config(page_title="Economic security briefing", page_icon="\U0001F4D1")
    st.title("Japan's economic security: cited answers")
    status = index_status()
    docs = status["documents"]
    with st.sidebar:
        st.subheader("Filters")
        types = st.multiselect("Document type", sorted({d["type"] for d in docs if d["type"]}))
        langs = st.multiselect("Language", sorted({d["language"] for d in docs if d["language"]}))
        st.subheader("Index")
        st.write(f"{status['stats']['documents']} documents, {status['stats']['chunks']} chunks")
        st.caption(f"Answers by: {get_assistant().generator.name}")
        if st.button("New conversation"):
            st.session_state.pop("session", None)
            st.session_state.pop("turns", None)

    assistant = get_assistant()
    session = st.session_state.setdefault("session", ChatSession(assistant))
    turns = st.session_state.setdefault("turns", [])
    for q, a in turns:
        with st.chat_message("user"):
            st.markdown(q)
        with st.chat_message("assistant"):
            st.markdown(a.answer)
            render_citations(a)

    question = st.chat_input("Ask about Japan's economic security")
    if question:
        with st.chat_message("user"):
            st.markdown(question)
        with st.chat_message("assistant"):
            draft = st.empty()
            streamed: list[str] = []

            def show(token: str) -> None:
                streamed.append(token)
                draft.caption("Provisional, checking every sentence against its sources \u2026\n\n" + "".join(streamed))

            with st.spinner("Searching the documents ..."):
                answer = session.ask(question, filters=Filters.make(type=types, language=langs), on_token=show)
            draft.empty()
            if answer.declined:
                st.info(answer.answer)
            else:
                st.markdown(answer.answer)
            render_citations(answer)
        turns.append((question, answer))


main()
