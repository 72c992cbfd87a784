"""The app's entry point (`briefing app`): sign-in, then the pages a user may open."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` executes this file as a script: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from assistant.core.offline import go_offline  # noqa: E402

go_offline()

import streamlit as st  # noqa: E402

from assistant.app.common import require_user  # noqa: E402

# By absolute path: `briefing app` runs this file through a launcher in the index folder (where
# Streamlit serves the static files from), so the installed package is never written to.
PAGES = Path(__file__).resolve().parent / "pages"
st.set_page_config(page_title="Economic security briefing", page_icon="\U0001f4d1", layout="wide")
user = require_user()
pages = [
    st.Page(PAGES / "chat.py", title="Chat", icon=":material/chat:", default=True),
    st.Page(PAGES / "library.py", title="Library", icon=":material/library_books:"),
    st.Page(PAGES / "briefing.py", title="Briefing note", icon=":material/description:"),
    st.Page(PAGES / "timeline.py", title="Timeline", icon=":material/timeline:"),
    st.Page(PAGES / "quiz.py", title="Quiz", icon=":material/school:"),
    st.Page(PAGES / "glossary.py", title="Glossary", icon=":material/translate:"),
]
if user.admin:
    pages.append(st.Page(PAGES / "audit.py", title="Audit log", icon=":material/policy:"))
st.navigation(pages).run()
