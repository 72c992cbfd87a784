"""Library: the documents this user may read, uploads and removal."""
from __future__ import annotations

import streamlit as st

from assistant.app.common import require_user, sidebar
from assistant.config import get_settings, readable_levels
from assistant.library import (UPLOADS, UploadError, remove_upload, removable, save_upload,
                               visible_documents)
from ingest.pipeline import IngestBusy, ingest

user = require_user()
sidebar(user)
settings = get_settings()

st.title("Library")
if flash := st.session_state.pop("library_flash", None):
    st.success(flash)
docs = visible_documents(settings, user.role)
st.caption(f"{len(docs)} documents you may read. Answers, briefing notes and quizzes draw only on these.")
st.dataframe([{"title": d["title"], "issuer": d["issuer"], "date": d["date"], "type": d["type"],
               "language": d["language"], "access": d["access"], "chunks": d["chunks"], "file": d["source"]}
              for d in docs], hide_index=True, width="stretch")

st.subheader("Add documents")
with st.form("upload", clear_on_submit=True):
    files = st.file_uploader("PDF, Markdown, HTML or text", accept_multiple_files=True,
                             type=["pdf", "md", "markdown", "html", "htm", "txt"])
    levels = readable_levels(user.role)
    access = st.selectbox("Access level", levels, key="upload_access", help="Who may read it; never above your own role")
    submitted = st.form_submit_button("Add to the library")
if submitted and files:
    progress = st.progress(0.0, text="Ingesting \u2026")
    for k, f in enumerate(files, 1):
        data = f.getvalue()
        try:
            path = save_upload(settings, f.name, data, access, user.role, uploader=user.name)
        except UploadError as exc:
            st.error(f"**{exc.name}** not added: {exc.reason}")
            progress.progress(k / len(files), text=f"{k} of {len(files)} files")
            continue
        source = path.relative_to(settings.corpus_dir).as_posix()
        try:
            report = ingest(settings, [path], progress=False)
        except IngestBusy as exc:
            remove_upload(settings, source)
            st.error(f"**{path.name}** not added: {exc}")
            continue
        if report.errors:
            # A file the ingest refuses (encrypted, image-only, ...) would fail every later
            # ingest too: it does not stay in the corpus.
            remove_upload(settings, source)
            for e in report.errors:
                st.error(f"**{path.name}** not added: {e.reason}")
        else:
            st.success(f"**{path.name}** added: {report.pages} pages, {report.chunks_written} passages "
                       f"({access}).")
        progress.progress(k / len(files), text=f"{k} of {len(files)} files")

st.subheader("Remove a document")
mine = [d for d in docs if removable(settings, d["source"])]
if not mine:
    st.caption(f"Only uploaded documents (in {UPLOADS}/) can be removed here; the shipped corpus is "
               "managed with its manifest.")
else:
    choice = st.selectbox("Uploaded document", [d["source"] for d in mine], key="remove_choice")
    sure = st.checkbox("Remove it from the library and the index", key="remove_sure")
    if st.button("Remove", disabled=not sure):
        folder = remove_upload(settings, choice)
        try:
            report = ingest(settings, [folder], progress=False)
            st.session_state["library_flash"] = f"Removed {choice} ({report.chunks_deleted} passages left the index)."
            st.rerun()
        except IngestBusy as exc:
            st.error(f"{choice} was deleted, but the index is busy: it leaves the index at the next ingest ({exc}).")
