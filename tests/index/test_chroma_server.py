"""The same ingest and retrieval against a real `chroma run` server (chroma_mode = "http")."""

import pytest

from assistant.answering.engine import Assistant
from assistant.index.stores import open_store
from ingest.pipeline import ingest
from tests.conftest import make_pdf

pytestmark = pytest.mark.e2e


def test_ingest_reingest_and_answer_through_a_chroma_server(settings, chroma_server, embedder):
    s = settings.model_copy(
        update={
            "chroma_mode": "http",
            "chroma_host": "127.0.0.1",
            "chroma_port": chroma_server,
            "collection": "server-test",
        }
    )
    make_pdf(s.corpus_dir / "note.pdf", [["Intro."], ["The Economic 2+2 first met in July 2022 in Washington."]])
    first = ingest(s, progress=False)
    assert first.chunks_written >= 2 and not first.errors
    assert open_store(s).count() == first.chunks_written
    again = ingest(s, progress=False)
    assert (again.chunks_written, again.chunks_deleted) == (0, 0)
    a = Assistant(s).ask("When did the Economic 2+2 first meet?")
    assert "July 2022" in a.text and a.citations[0].page == 2
    (s.corpus_dir / "note.pdf").unlink()
    gone = ingest(s, progress=False)
    assert gone.files_removed == 1 and open_store(s).count() == 0


def test_the_suites_run_on_the_store_that_was_asked_for(settings, embedder):
    """scripts/test reruns the ingest and retrieval suites with BRIEFING_TEST_STORE=http: this
    shows they then really talk to the server (and to embedded Chroma otherwise)."""
    from tests.conftest import TEST_STORE

    make_pdf(settings.corpus_dir / "a.pdf", [["The Economic 2+2 first met in July 2022 in Washington."]])
    ingest(settings, progress=False)
    store = open_store(settings)
    kind = store.client.get_settings().chroma_api_impl
    print(f"store: {TEST_STORE} ({kind}, collection {settings.collection}, {store.count()} vectors)")
    assert settings.chroma_mode == TEST_STORE and store.count() >= 1
    assert ("fastapi" in kind.lower()) == (TEST_STORE == "http")
    assert (settings.index_dir / "chroma").exists() == (TEST_STORE == "embedded")
