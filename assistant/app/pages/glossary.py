"""Glossary: Japanese and English terms of economic security, as the documents use them."""

from __future__ import annotations

import streamlit as st

from assistant.app.common import require_user, sidebar
from assistant.features.glossary import lookup

user = require_user()
sidebar(user)

st.title("Glossary")
st.caption(
    "Japanese and English names of the terms, bodies and programmes in the library. A question in either "
    "language is also searched with the other language's terms."
)
text = st.text_input("Find a term (Japanese or English)", key="glossary_find")
rows = lookup(text)
st.caption(f"{len(rows)} terms")
st.dataframe(
    [{"日本語": e.ja, "English": " | ".join(e.en), "note": e.note} for e in rows], hide_index=True, width="stretch"
)
