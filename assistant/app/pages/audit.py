"""Audit log, for administrators only: who asked what, with which role, what was cited."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from assistant.app.common import require_user, sidebar
from assistant.core.settings import get_settings
from assistant.features.audit import AuditLog

user = require_user()
if not user.admin:
    # The navigation hides this page from others; a direct URL gets nothing either.
    st.error("The audit log is for administrators.")
    st.stop()
sidebar(user)
st.title("Audit log")
who = st.text_input("Only this user (optional)")
rows = AuditLog(get_settings()).entries(limit=500, user=who.strip() or None)
st.dataframe(
    [
        {
            "time": datetime.fromtimestamp(r["at"]).strftime("%Y-%m-%d %H:%M:%S"),
            "user": r["user"],
            "role": r["role"],
            "question": r["question"],
            "declined": bool(r["declined"]),
            "cited": "; ".join(f"{c['doc_id']} p. {c['page']}" for c in r["cited"]),
            "backend": r["backend"],
            "ms": r["total_ms"],
        }
        for r in rows
    ],
    hide_index=True,
    width="stretch",
)
