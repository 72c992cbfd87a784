"""What every page of the app shares: the signed-in user, the sidebar (filters, answering
backend, index status), the heavy objects kept across reruns, and the source panel."""

from __future__ import annotations

import re
from datetime import datetime

import streamlit as st

from assistant.answering.engine import Assistant
from assistant.answering.generators import REGISTRY, describe, get_generator
from assistant.app.html import excerpt, highlight
from assistant.core.access import readable_levels
from assistant.core.settings import get_settings
from assistant.core.text import language_name, strip_markup
from assistant.core.types import Filters, location
from assistant.features.library import index_stats, page_text, visible_documents
from assistant.features.users import User, authenticate, has_users
from assistant.index.embedders import get_embedder
from assistant.retrieval.search import Retriever

# Counted so that a test can show a rerun never loads a model again.
LOADS = {"embedder": 0, "retriever": 0, "generator": 0}


@st.cache_resource(show_spinner="Loading the embedding model ...")
def shared_embedder():
    LOADS["embedder"] += 1
    s = get_settings()
    return get_embedder(s.embedder, s.embed_batch_size)


@st.cache_resource(show_spinner="Opening the index ...")
def shared_retriever(role: str) -> Retriever:
    """One per role and server process; the role's access filter lives inside it."""
    LOADS["retriever"] += 1
    return Retriever(get_settings(), embedder=shared_embedder(), role=role)


@st.cache_resource(show_spinner="Loading the answering model ...")
def shared_generator(backend: str):
    LOADS["generator"] += 1
    return get_generator(backend, get_settings())


def assistant_for(user: User, backend: str) -> Assistant:
    """Cheap: the retriever and generator are shared, the user and role are this session's."""
    return Assistant(
        get_settings(),
        retriever=shared_retriever(user.role),
        role=user.role,
        user=user.name,
        generator=shared_generator(backend),
    )


# --- who is signed in -------------------------------------------------------------------------


def require_user() -> User:
    """Without logins configured (a users file or the shared database): the configured user and
    role. With them: a login form, and the page stops until the password checks out."""
    settings = get_settings()
    if not has_users(settings):
        return User(settings.user, settings.role, admin=False)
    user = st.session_state.get("user")
    if isinstance(user, User):
        return user
    st.title("Sign in")
    with st.form("login"):
        name = st.text_input("User name")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        found = authenticate(settings, name.strip(), password)
        if found:
            st.session_state.clear()
            st.session_state["user"] = found
            st.rerun()
        st.error("Unknown user name or wrong password.")
    st.stop()


# --- the sidebar ------------------------------------------------------------------------------


def backend_endpoint(backend: str) -> str:
    s = get_settings()
    return {
        "extractive": "quotes the documents; no language model",
        "llamacpp": f"embedded llama.cpp, model {s.llm_model}",
        "openai": f"OpenAI-compatible server {s.openai_base_url}, model {s.openai_model}",
        "ollama": f"Ollama server {s.ollama_base_url}, model {s.ollama_model}",
    }.get(backend, backend)


def sidebar(user: User) -> tuple[Filters, str]:
    """Filters and backend chosen in the sidebar, the same on every page. Only documents this
    user may read feed the filter choices: a hidden document's issuer is not even listed."""
    settings = get_settings()
    docs = visible_documents(settings, user.role)
    with st.sidebar:
        if has_users(settings):
            st.caption(f"Signed in as **{user.name}** ({user.role}{', administrator' if user.admin else ''})")
            if st.button("Sign out"):
                st.session_state.clear()
                st.rerun()
        else:
            st.caption(f"User **{user.name}**, role {user.role}")
        st.subheader("Filters")
        types = st.multiselect("Document type", sorted({d["type"] for d in docs if d["type"]}), key="f_type")
        issuers = st.multiselect("Issuer", sorted({d["issuer"] for d in docs if d["issuer"]}), key="f_issuer")
        langs = st.multiselect(
            "Language",
            sorted({d["language"] for d in docs if d["language"]}),
            key="f_lang",
            format_func=language_name,  # "English", not "en"; the filter keeps the code
        )
        years = sorted({int(d["date"][:4]) for d in docs if d["date"][:4].isdigit()})
        date_from = date_to = None
        if len(years) > 1:
            lo, hi = st.slider("Document dates", years[0], years[-1], (years[0], years[-1]), key="f_years")
            if (lo, hi) != (years[0], years[-1]):
                date_from, date_to = str(lo), str(hi)
        st.subheader("Answering")
        names = list(REGISTRY)
        # Each choice says what it costs in seconds (answering.generators.COST, measured).
        backend = st.selectbox(
            "Backend",
            names,
            index=names.index(settings.backend) if settings.backend in names else 0,
            key="backend",
            format_func=lambda name: f"{name}: {describe(name)}",
            help="Set the endpoints in briefing.toml or BRIEFING_* variables",
        )
        st.caption(f"Active: **{backend}**, {backend_endpoint(backend)}. {describe(backend).capitalize()}.")
        st.subheader("Index")
        stats = index_stats(settings)
        st.markdown(f"{len(docs)} documents, {_visible_chunks(docs)} chunks")
        if stats["last_ingest"]:
            st.caption("Last ingest " + datetime.fromtimestamp(stats["last_ingest"]).strftime("%Y-%m-%d %H:%M"))
    return Filters.make(type=types, issuer=issuers, language=langs, date_from=date_from, date_to=date_to), backend


def _visible_chunks(docs: list[dict]) -> int:
    return sum(int(d.get("chunks") or 0) for d in docs)


# --- citation labels ---------------------------------------------------------------------------

TITLE_CHARS = 60  # a button's title part: long official titles are cut here, at a word


def short_title(title: str, limit: int = TITLE_CHARS) -> str:
    """The title cut at the last whole word within `limit` characters, with an ellipsis
    (cutting mid-word made "Competitiveness" read "Competitiven")."""
    title = " ".join((title or "").split())
    if len(title) <= limit:
        return title
    cut = title[: limit + 1].rsplit(" ", 1)[0] if " " in title[:limit] else title[:limit]
    return cut.rstrip(" ,;:-\u2013(") + "\u2026"


def source_label(title: str, where: str, date: str = "", markers: list[int] | tuple[int, ...] = ()) -> str:
    """ "[1, 3] Short title, p. 2 (2022-05-23)": markers, title, location, date."""
    head = f"[{', '.join(str(m) for m in markers)}] " if markers else ""
    tail = f" ({date})" if date else ""
    return f"{head}{short_title(title)}{', ' + where if where else ''}{tail}"


def source_help(title: str, issuer: str = "", date: str = "", where: str = "") -> str:
    """The hover text of a source button: everything the label had to leave out."""
    return " \u00b7 ".join(p for p in (title, issuer, date, where) if p) + "\n\nShow the passage on its page"


def merged_citations(citations) -> list[list]:
    """Citations grouped by document and location, in order of first appearance: three
    quotes from one page are one source, one button."""
    groups: dict[tuple, list] = {}
    for c in citations:
        groups.setdefault((c.doc_id, location(c.page, getattr(c, "article", ""))), []).append(c)
    return list(groups.values())


# --- the source panel -------------------------------------------------------------------------


def show_source(source: dict, user: User) -> None:
    """`source`: doc_id, title, page, quote, text (a citation or a retrieved passage). Only
    ever built from results of the user's own role-filtered retrieval."""
    from assistant.app.pdf_links import pdf_link

    doc_id, page = source["doc_id"], source.get("page")
    text, chunks = page_text(get_settings(), doc_id, page)
    meta = chunks[0].meta if chunks else None
    if meta is None or meta.access not in readable_levels(user.role):
        st.warning("This passage is no longer in the index.")
        return
    label = source.get("label", "")
    st.subheader(f"Source {label}".strip())
    st.markdown(f"**{meta.title}**")
    st.caption(
        " \u00b7 ".join(p for p in (meta.issuer, meta.date, meta.type, language_name(meta.language), meta.access) if p)
    )
    article = source.get("article", "")
    if page or article:  # a law's article first, as location() prints it; the page spelt out
        st.markdown(f"**{', '.join(p for p in (article, f'Page {page}' if page else '') if p)}**")
    else:
        st.markdown("**No page numbers** (a web page or text file)")
    # Markup is cleaned here too, not only at ingest: an index built before the rule still has
    # "**" and bullets in its text, and the quote must match the cleaned page to be marked.
    quotes = [strip_markup(q) for q in re.split(r"\s*\u2026\s*", source.get("quote") or "") if q]
    quotes = [q for q in quotes if q] or [strip_markup(source.get("text", ""))]
    text = strip_markup(text or source.get("text", ""))
    style = "style='max-height: 24rem; overflow-y: auto; font-size: 0.9rem'"
    st.markdown(
        f"<div class='page-text' {style}>{highlight(excerpt(text, quotes), quotes)}</div>", unsafe_allow_html=True
    )
    with st.expander(f"The whole of page {page}" if page else "The whole passage"):
        st.markdown(f"<div {style}>{highlight(text, quotes)}</div>", unsafe_allow_html=True)
    if meta.source.lower().endswith(".pdf"):
        url = pdf_link(get_settings(), meta.source)
        if url:
            st.link_button(f"Open the PDF at page {page}", f"{url}#page={page or 1}")
    if meta.url:
        st.link_button("Open the original online", meta.url)
