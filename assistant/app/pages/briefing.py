"""Briefing note: drafted from a topic or from the chat, edited here, exported to DOCX or Markdown."""

from __future__ import annotations

import re
from dataclasses import replace

import streamlit as st

from assistant.app import state
from assistant.app.common import assistant_for, require_user, sidebar
from assistant.features.briefing import Header, Point, draft_note
from assistant.features.export import note_docx, note_markdown

user = require_user()
filters, backend = sidebar(user)
answers = state.answers()

st.title("Briefing note")
st.caption(
    "Every point quotes a passage and carries its numbered source (document and page). Edit the "
    "text freely; keep the [n] markers so the sources list stays right."
)
origin = "From a topic"
if answers:
    origin = st.radio("Draft", ["From a topic", "From this conversation"], horizontal=True, key="note_origin")
topic = (
    st.text_input("Topic", key="note_topic", placeholder="e.g. Japan's screening of foreign direct investment")
    if origin == "From a topic"
    else ""
)
with st.expander("Header line (optional)"):
    h1, h2, h3, h4 = st.columns(4)
    header = Header(
        h1.text_input("Classification", key="note_class", placeholder="UNCLASSIFIED"),
        h2.text_input("Meeting", key="note_meeting"),
        h3.text_input("Date", key="note_date"),
        h4.text_input("Drafter", key="note_drafter"),
    )
if st.button("Draft the note", type="primary", disabled=origin == "From a topic" and not topic.strip()):
    with st.spinner("Reading the documents \u2026"):
        assistant = assistant_for(user, backend)
        chats = answers if origin == "From this conversation" else None
        note = draft_note(
            assistant, topic.strip(), filters=filters, chats=chats, header=header if header.line() else None
        )
    state.put(note=note)
    state.bump("note_rev")

note = state.get("note")
if note is not None:
    rev = state.get("note_rev", 0)  # new widgets for a new draft
    if note.declined:
        st.info(
            "The documents in the library do not answer this topic. The note says so and lists what "
            "they do cover nearby."
        )
    if note.header is not None:
        st.caption(note.header.line())
    bottom_line = st.text_area("Bottom line", note.bottom_line, key=f"bluf-{rev}")
    purpose = st.text_area("Purpose", note.purpose, key=f"purpose-{rev}")
    st.markdown("**Key points**")
    points = [
        st.text_area(f"Key point {i}", p.text, key=f"kp-{rev}-{i}", label_visibility="collapsed")
        for i, p in enumerate(note.key_points, 1)
    ]
    st.markdown("**Background** (oldest first)")
    background = [
        st.text_area(f"Background {i}", p.text, key=f"bg-{rev}-{i}", label_visibility="collapsed")
        for i, p in enumerate(note.background, 1)
    ]
    st.markdown("**Talking points**")
    talking = [
        st.text_area(f"Talking point {i}", p.text, key=f"tp-{rev}-{i}", label_visibility="collapsed")
        for i, p in enumerate(note.talking_points, 1)
    ]
    open_q = st.text_area("Open questions (one per line)", "\n".join(note.open_questions), key=f"oq-{rev}")
    st.markdown("**Sources**")
    for s in note.sources:
        st.markdown(f"[{s.n}] {s.reference()}")

    edited = replace(
        note,
        purpose=purpose.strip(),
        bottom_line=bottom_line.strip(),
        talking_points=[Point.parse(t) for t in talking if t.strip()],
        key_points=[Point.parse(t) for t in points if t.strip()],
        background=[Point.parse(t) for t in background if t.strip()],
        open_questions=[q.strip() for q in open_q.splitlines() if q.strip()],
    )
    slug = re.sub(r"[^A-Za-z0-9]+", "-", edited.topic).strip("-")[:60] or "note"
    c1, c2 = st.columns(2)
    c1.download_button(
        "Export DOCX",
        note_docx(edited),
        file_name=f"briefing-{slug}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    c2.download_button("Export Markdown", note_markdown(edited), file_name=f"briefing-{slug}.md", mime="text/markdown")
