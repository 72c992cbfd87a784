"""Timeline: each dated document's position on a topic, oldest first, quoted and cited."""

from __future__ import annotations

import streamlit as st

from assistant.app import state
from assistant.app.common import assistant_for, require_user, sidebar
from assistant.features.timeline import TimelineError, build_timeline

user = require_user()
filters, backend = sidebar(user)

st.title("Timeline")
st.caption(
    "For a topic, the most relevant sentence (or two) of every dated document in the library that addresses "
    "it, in date order, quoted word for word with issuer and page."
)
topic = st.text_input("Topic", key="timeline_topic", placeholder="e.g. semiconductors, critical minerals, 輸出管理")
if st.button("Show the timeline", type="primary", disabled=not topic.strip()):
    with st.spinner("Reading the documents \u2026"):
        try:
            state.put(timeline=build_timeline(assistant_for(user, backend), topic.strip(), filters))
            state.pop("timeline_error")
        except TimelineError as exc:
            state.put(timeline_error=str(exc))
            state.pop("timeline")

if state.get("timeline_error"):
    st.error(state.get("timeline_error"))
timeline = state.get("timeline")
if timeline is not None:
    if not timeline.entries:
        st.info(f"No dated document in the library addresses {timeline.topic}.")
    else:
        first, last = timeline.entries[0].date, timeline.entries[-1].date
        st.caption(f"{len(timeline.entries)} dated documents on {timeline.topic}, {first} to {last}")
    for e in timeline.entries:
        with st.container(border=True):
            where = f" \u00b7 {e.location}" if e.location else ""
            st.markdown(f"**{e.date}** \u00b7 {e.issuer}")
            st.caption(f"{e.title}{where}")
            # "$" pairs would render as mathematics in Markdown ("$170 million ... $2 billion").
            st.markdown("> \u201c" + e.quote.replace("$", "\\$") + "\u201d")
            if e.url:
                st.caption(e.url)
    if timeline.undated:
        st.caption("Undated documents that also address it: " + "; ".join(e.title for e in timeline.undated))
