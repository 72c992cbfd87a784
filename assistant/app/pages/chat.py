"""Chat: questions in, cited answers out; every citation opens its passage on its page."""

from __future__ import annotations

import re
import time

import streamlit as st

from assistant.app import state
from assistant.app.common import (
    assistant_for,
    merged_citations,
    require_user,
    show_source,
    sidebar,
    source_help,
    source_label,
)
from assistant.app.state import select
from assistant.core.text import strip_markup
from assistant.core.types import location
from assistant.features.answer_view import QUOTES_LABEL, answer_view, quote_lines
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
        if c is None:
            return None
        # Every marker of the merged button: the same document and place.
        same = [x.marker for x in answer.citations if (x.doc_id, x.location) == (c.doc_id, c.location)]
        quote = " \u2026 ".join(dict.fromkeys(x.quote for x in answer.citations if x.marker in same and x.quote))
        label = f"[{', '.join(map(str, same))}]"
        return {
            "doc_id": c.doc_id,
            "page": c.page,
            "article": c.article,
            "quote": quote,
            "text": c.text,
            "label": label,
        }
    if sel.n < len(answer.related):
        h = answer.related[sel.n].chunk
        return {"doc_id": h.doc_id, "page": h.page, "quote": "", "text": h.text, "label": "(related passage)"}
    return None


def _meta_of(answer) -> dict:
    """doc_id -> its metadata, from the passages the answer was built on (a Citation carries the
    title but not the date or issuer)."""
    return {h.chunk.doc_id: h.chunk.meta for h in [*answer.retrieved, *answer.related]}


def chips(i: int, answer) -> None:
    """One button per cited document and place (identical sources merged, their markers listed),
    labelled with a title cut at a word, the location and the date, the full title on hover;
    the related passages when the answer is a decline."""
    metas = _meta_of(answer)
    if answer.declined:
        if answer.related:
            st.caption("Related passages (they do not answer the question):")
        seen: set[tuple] = set()
        for j, h in enumerate(answer.related):
            c = h.chunk
            where = location(c.page, c.article)
            if (c.doc_id, where) in seen:
                continue
            seen.add((c.doc_id, where))
            st.button(
                source_label(c.meta.title, where, c.meta.date),
                key=f"near-{i}-{j}",
                on_click=select,
                args=(i, "near", j),
                help=source_help(c.meta.title, c.meta.issuer, c.meta.date, where),
            )
        return
    for group in merged_citations(answer.citations):
        c = group[0]
        meta = metas.get(c.doc_id)
        date, issuer = (meta.date, meta.issuer) if meta else ("", "")
        st.button(
            source_label(c.title, c.location, date, [x.marker for x in group]),
            key=f"cite-{i}-{c.marker}",
            on_click=select,
            args=(i, "cite", c.marker),
            help=source_help(c.title, issuer, date, c.location),
        )


def show_answer(i: int, answer) -> None:
    with st.chat_message("user"):
        st.markdown(answer.question)
    with st.chat_message("assistant"):
        render(i, answer)


def render(i: int, answer, streamed: bool = False) -> None:
    """What features/answer_view.py decides is shown: a model's direct answer (streamed word by
    word when it has just arrived), the quotations it was written from in a box beneath it, then
    the citation buttons; an answer of quotations as it is, labelled when it stands in for a
    model's answer."""
    if answer.declined:
        st.info(answer.text)
    else:
        view = answer_view(answer)
        if view.note:
            st.caption(view.note)
        text = strip_markup(view.text)  # an index built before ingest cleaned markup
        if streamed:
            st.write_stream(words(text))
        else:
            st.markdown(text)
        if view.quotes:
            quotations(view.quotes)
        partly(answer)
    chips(i, answer)


def quotations(quotes) -> None:
    """The quotations beneath a direct answer, apart from it, one per line with their [n]."""
    with st.container(border=True):
        st.caption(QUOTES_LABEL)
        st.markdown("\n\n".join(strip_markup(q) for q in quotes))


def partly(answer) -> None:
    if answer.not_covered:
        st.warning(f"Partly answered: the documents do not state {answer.not_covered}.")


def words(text: str):
    """The verified answer, streamed word by word."""
    for token in re.findall(r"\S+\s*", text):
        yield token
        time.sleep(0.01)


st.title("Japan's economic security: cited answers")
submitted = st.chat_input("Ask about Japan's economic security")  # pinned to the bottom wherever it is called
# A question sent while an answer is still on its way stops that run (Streamlit reruns the page
# with the new input): both are queued, the interrupted one stays first until it is answered,
# so nothing typed is lost and the order is kept.
if submitted:
    state.enqueue(submitted)
chat_col, source_col = st.columns([3, 2], gap="large")
with chat_col:
    if not answers and not state.queued():
        st.caption(
            "Answers quote official documents and cite their pages. Follow-up questions use the "
            "conversation. When the documents do not answer, the assistant says so."
        )
    for i, a in enumerate(answers):
        show_answer(i, a)

while state.queued():
    question, *waiting = state.queued()
    chat = state.conversation(assistant_for(user, backend))
    with chat_col:
        with st.chat_message("user"):
            st.markdown(question)
        if waiting:
            st.caption("Queued, answered next: " + "; ".join(f"\u201c{q}\u201d" for q in waiting))
        with st.chat_message("assistant"):
            draft = st.empty()
            early = st.empty()
            streamed: list[str] = []

            def show(token: str) -> None:
                streamed.append(token)
                draft.caption(
                    "Provisional: every sentence is checked against its sources before it is shown "
                    "as the answer \u2026\n\n" + "".join(streamed)
                )

            def show_quotes(quotes: str) -> None:
                # Chosen before any model writes (about 0.5 s): something true to read at once,
                # beneath where the model's words will stream.
                with early.container():
                    quotations(quote_lines(quotes))

            try:
                with st.spinner("Searching the documents \u2026"):
                    answer = chat.ask(
                        question,
                        filters=filters,
                        on_token=show,
                        on_quotes=None if backend == "extractive" else show_quotes,
                    )
            except Exception as exc:  # noqa: BLE001 - named on the page; the queue must not retry it forever
                state.answered(question)
                st.error(f"Could not answer \u201c{question}\u201d: {exc}")
                continue
            state.answered(question)  # in the conversation now: a rerun from here shows it, not asks again
            # The provisional text and the early quotations give way to the checked answer.
            draft.empty()
            early.empty()
            answers = chat.answers
            render(len(answers) - 1, answer, streamed=True)

if answers:
    with chat_col:
        # In a row that takes the buttons' own width: in narrow equal columns their labels were
        # cut ("New conversa…", "Export (Markd…").
        with st.container(horizontal=True):
            if st.button("New conversation"):
                state.new_conversation()
                st.rerun()
            st.download_button(
                "Export (Markdown)", conversation_markdown(answers), file_name="conversation.md", mime="text/markdown"
            )

with source_col:
    src = source_of(state.selection())
    if src:
        with st.container(border=True):
            show_source(src, user)
    else:
        st.caption("Click a citation to see the passage on its page.")
