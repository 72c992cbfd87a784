"""Library: the documents this user may read, uploads, adding by address, refresh and removal.

Every action that changes the library ends in a rerun with its messages kept for one run: the
list, the counts in the sidebar and the choices of "Remove a document" are read after the
change, never before it (a page that acted after drawing them showed the old count and could
not remove the new file until the user navigated away)."""

from __future__ import annotations

import streamlit as st

from assistant.app import state
from assistant.app.common import require_user, sidebar
from assistant.core.access import readable_levels
from assistant.core.settings import get_settings
from assistant.features.library import (
    SUPPORTED,
    USER_FOLDERS,
    FetchError,
    IngestBusy,
    UploadError,
    add_from_address,
    add_upload,
    find_by_address,
    refresh_sources,
    removable,
    remove_document,
    visible_documents,
)

user = require_user()
sidebar(user)
settings = get_settings()


def done(messages: list[tuple[str, str]]) -> None:
    """Keep the messages for the next run and draw the page again from the changed library."""
    state.put(library_flash=messages)
    state.pop("remove_sure")  # one confirmation removes one document
    st.rerun()


st.title("Library")
flash = state.pop("library_flash") or []
for kind, text in [("ok", flash)] if isinstance(flash, str) else flash:
    (st.success if kind == "ok" else st.info if kind == "note" else st.error)(text)
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
levels = readable_levels(user.role)

st.subheader("Add documents")
upload_tab, address_tab = st.tabs(["Upload files", "Add from address"])
with upload_tab:
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader(
            "PDF, Markdown, HTML or text", accept_multiple_files=True, type=[ext.lstrip(".") for ext in SUPPORTED]
        )
        access = st.selectbox(
            "Access level", levels, key="upload_access", help="Who may read it; never above your own role"
        )
        submitted = st.form_submit_button("Add to the library")
    if submitted and files:
        progress = st.progress(0.0, text="Ingesting \u2026")
        messages = []
        for k, f in enumerate(files, 1):
            try:
                added = add_upload(settings, f.name, f.getvalue(), access, user.role, uploader=user.name)
                messages.append(
                    (
                        "ok",
                        f"**{added.path.name}** added: {added.report.pages} pages, "
                        f"{added.report.chunks_written} passages ({access}).",
                    )
                )
            except UploadError as exc:
                messages.append(("error", f"**{exc.name}** not added: {exc.reason}"))
            progress.progress(k / len(files), text=f"{k} of {len(files)} files")
        done(messages)

with address_tab:
    with st.form("add_address"):
        url = st.text_input(
            "Address of a PDF or web page (http or https)",
            key="add_url",
            placeholder="https://www.cas.go.jp/jp/siryou/221216anzenhoshou/nss-e.pdf",
        )
        st.caption("Title, issuer, date and type are taken from the document; fill in a field to set it instead.")
        left, right = st.columns(2)
        title = left.text_input("Title", key="add_title")
        issuer = right.text_input("Issuer", key="add_issuer")
        date = left.text_input("Date (YYYY-MM-DD)", key="add_date")
        kind = right.text_input("Type (law, strategy, statement, ...)", key="add_type")
        add_access = st.selectbox(
            "Access level", levels, key="add_access", help="Who may read it; never above your own role"
        )
        fetch_now = st.form_submit_button("Add from address")
    if fetch_now and url.strip():
        with st.spinner("Downloading and ingesting \u2026"):
            try:
                # Loopback and private addresses are refused unless the server's settings allow them.
                # The access selector always has a value: for an address already in the library it
                # would silently change the level, so it counts only for a new document.
                known = find_by_address(settings, url) is not None
                result = add_from_address(
                    settings,
                    url,
                    user.role,
                    user=user.name,
                    title=title or None,
                    issuer=issuer or None,
                    date=date or None,
                    type=kind or None,
                    access=None if known else add_access,
                )
                message = ("note" if result.status == "unchanged" else "ok", result.line())
            except FetchError as exc:
                message = ("error", f"**{exc.name}** not added: {exc.reason}")
        done([message])
    if st.button("Check every address for a new version", key="refresh_sources"):
        with st.spinner("Checking the addresses \u2026"):
            results = refresh_sources(settings, user.role)
        kinds = {"updated": "ok", "unchanged": "note", "failed": "error"}
        done([(kinds[r.status], r.line()) for r in results] or [("note", "No document was added by address yet.")])

st.subheader("Remove a document")
mine = [d for d in docs if removable(settings, d["source"])]
if not mine:
    folders = " or ".join(f"{f}/" for f in USER_FOLDERS)
    st.caption(
        f"Only documents users added (in {folders}) can be removed here; the shipped corpus is managed with its manifest."
    )
else:
    choice = st.selectbox("Added document", [d["source"] for d in mine], key="remove_choice")
    sure = st.checkbox("Remove it from the library and the index", key="remove_sure")
    if st.button("Remove", disabled=not sure):
        try:
            report = remove_document(settings, choice)
            done([("ok", f"Removed {choice} ({report.chunks_deleted} passages left the index).")])
        except IngestBusy as exc:
            done(
                [
                    (
                        "error",
                        f"{choice} was deleted, but the index is busy: it leaves the index at the next ingest ({exc}).",
                    )
                ]
            )
        except UploadError as exc:
            done([("error", f"{exc.name}: {exc.reason}")])
