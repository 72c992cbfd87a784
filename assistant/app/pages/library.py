"""Library: the documents this user may read, uploads and removal."""

from __future__ import annotations

import streamlit as st

from assistant.app import state
from assistant.app.common import require_user, sidebar
from assistant.core.access import readable_levels
from assistant.core.settings import get_settings
from assistant.features.library import (
    SUPPORTED,
    UPLOADS,
    IngestBusy,
    UploadError,
    add_upload,
    removable,
    remove_document,
    visible_documents,
)

user = require_user()
sidebar(user)
settings = get_settings()

st.title("Library")
if flash := state.pop("library_flash"):
    st.success(flash)
docs = visible_documents(settings, user.role)
st.caption(f"{len(docs)} documents you may read. Answers, briefing notes and quizzes draw only on these.")
st.dataframe(
    [
        {
            "title": d["title"],
            "issuer": d["issuer"],
            "date": d["date"],
            "type": d["type"],
            "language": d["language"],
            "access": d["access"],
            "chunks": d["chunks"],
            "file": d["source"],
        }
        for d in docs
    ],
    hide_index=True,
    width="stretch",
)

st.subheader("Add documents")
with st.form("upload", clear_on_submit=True):
    files = st.file_uploader(
        "PDF, Markdown, HTML or text", accept_multiple_files=True, type=[ext.lstrip(".") for ext in SUPPORTED]
    )
    levels = readable_levels(user.role)
    access = st.selectbox(
        "Access level", levels, key="upload_access", help="Who may read it; never above your own role"
    )
    submitted = st.form_submit_button("Add to the library")
if submitted and files:
    progress = st.progress(0.0, text="Ingesting \u2026")
    for k, f in enumerate(files, 1):
        try:
            added = add_upload(settings, f.name, f.getvalue(), access, user.role, uploader=user.name)
            st.success(
                f"**{added.path.name}** added: {added.report.pages} pages, "
                f"{added.report.chunks_written} passages ({access})."
            )
        except UploadError as exc:
            st.error(f"**{exc.name}** not added: {exc.reason}")
        progress.progress(k / len(files), text=f"{k} of {len(files)} files")

st.subheader("Remove a document")
mine = [d for d in docs if removable(settings, d["source"])]
if not mine:
    st.caption(
        f"Only uploaded documents (in {UPLOADS}/) can be removed here; the shipped corpus is managed with its manifest."
    )
else:
    choice = st.selectbox("Uploaded document", [d["source"] for d in mine], key="remove_choice")
    sure = st.checkbox("Remove it from the library and the index", key="remove_sure")
    if st.button("Remove", disabled=not sure):
        try:
            report = remove_document(settings, choice)
            state.put(library_flash=f"Removed {choice} ({report.chunks_deleted} passages left the index).")
            st.rerun()
        except IngestBusy as exc:
            st.error(f"{choice} was deleted, but the index is busy: it leaves the index at the next ingest ({exc}).")
