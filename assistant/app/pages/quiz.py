"""Quiz: questions cut from the documents, answered and graded here, exported as CSV."""

from __future__ import annotations

import random

import streamlit as st

from assistant.app import state
from assistant.app.common import require_user, shared_retriever, sidebar
from assistant.core.settings import get_settings
from assistant.core.types import Filters
from assistant.features.library import visible_documents
from assistant.features.quiz import grade, make_quiz, results_csv

user = require_user()
filters, _ = sidebar(user)
settings = get_settings()

st.title("Quiz")
st.caption(
    "Each question blanks a fact worth knowing (a year, an amount, a figure, or the full name of an "
    "institution, a programme or a law) of a sentence about the topic in an official document; the "
    "options are facts of the same kind. The answer key is the document's own words, with its page. "
    "A Japanese topic gives questions from the Japanese documents."
)
docs = visible_documents(settings, user.role)
titles = {d["doc_id"]: d["title"] for d in docs}
with st.form("quiz_setup"):
    topic = st.text_input("Topic (optional)", placeholder="e.g. critical minerals, supply chains, AI研究開発")
    chosen = st.multiselect("Documents (optional)", list(titles), format_func=lambda d: titles.get(d, d))
    c1, c2 = st.columns(2)
    n = c1.number_input("Questions", min_value=1, max_value=20, value=3)
    kind = c2.selectbox("Kind", ["Mixed", "Multiple choice", "Short answer"])
    trainee = st.text_input("Trainee", value=user.name)
    make = st.form_submit_button("Make the quiz", type="primary")
if make:
    kinds = {"Mixed": ("mc", "short"), "Multiple choice": ("mc",), "Short answer": ("short",)}[kind]
    qfilters = Filters(filters)
    if chosen:
        qfilters["doc_id"] = list(chosen)
    questions = make_quiz(
        shared_retriever(user.role),
        int(n),
        topic=topic.strip() or None,
        filters=qfilters,
        kinds=kinds,
        seed=random.randrange(2**31),
    )
    state.put(quiz=questions, quiz_trainee=trainee, quiz_submitted=False)
    state.bump("quiz_rev")
    if not questions:
        st.warning(
            "No fair question could be made: the documents you may read state no year, amount, figure or "
            "named institution, programme or law in sentences about this topic. Try a broader topic."
        )
    elif len(questions) < n:
        st.warning(
            f"Only {len(questions)} questions could be made: the documents hold no more fair ones on this topic."
        )

questions = state.get("quiz") or []
if questions:
    rev = state.get("quiz_rev", 0)
    responses: dict[int, str] = {}
    with st.form(f"quiz-{rev}"):
        for q in questions:
            st.markdown(f"**{q.id}.** {q.prompt}")
            st.caption(f"From: {q.source}")
            if q.kind == "mc":
                responses[q.id] = st.radio(f"Answer to question {q.id}", q.options, index=None, key=f"a-{rev}-{q.id}")
            else:
                responses[q.id] = st.text_input(f"Answer to question {q.id}", key=f"a-{rev}-{q.id}")
        if st.form_submit_button("Submit answers"):
            state.put(quiz_submitted=True)
    if state.get("quiz_submitted"):
        grades = {q.id: grade(q, responses.get(q.id)) for q in questions}
        score = sum(g.correct for g in grades.values())
        st.subheader(f"Score: {score} / {len(questions)}")
        for q in questions:
            g = grades[q.id]
            (st.success if g.correct else st.error)(f"{q.id}. {g.feedback}")
            with st.expander(f"Source of question {q.id}: {q.source}"):
                st.text(q.passage)
        st.download_button(
            "Export results (CSV)",
            results_csv(questions, {k: v or "" for k, v in responses.items()}, state.get("quiz_trainee", "")),
            file_name="quiz-results.csv",
            mime="text/csv",
        )
