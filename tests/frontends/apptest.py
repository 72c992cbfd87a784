"""What every AppTest of the app sets up, once: the small real index built from the test's corpus
folder, the app pointed at it through the environment (as a deployment would), the cached
settings and Streamlit resources cleared before and after so no test sees another's index, and
the app opened on a page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "assistant" / "app" / "main.py"


@contextmanager
def app_env(settings, monkeypatch, role: str = "public") -> Iterator:
    """Index `settings.corpus_dir` (written by the caller) and serve it to the app as `role`."""
    import streamlit as st

    from assistant.core.settings import get_settings
    from ingest.pipeline import ingest

    ingest(settings, progress=False)
    monkeypatch.setenv("BRIEFING_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("BRIEFING_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("BRIEFING_ROLE", role)
    get_settings.cache_clear()
    st.cache_resource.clear()
    try:
        yield settings
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()


def open_app(page: str | None = None):
    """The app, run once, on its chat page or on `page` ("pages/library.py")."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    if page:
        at.switch_page(page)
    return at.run()
