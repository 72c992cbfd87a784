"""The chat page, driven by Streamlit's AppTest over a small real index."""
import pytest

from ingest.pipeline import ingest
from tests.conftest import make_pdf


@pytest.fixture
def app(settings, monkeypatch, embedder):
    from streamlit.testing.v1 import AppTest

    make_pdf(settings.corpus_dir / "paper.pdf",
             [["The Economic Division of the National Security Secretariat was launched in April 2020."]])
    ingest(settings, progress=False)
    monkeypatch.setenv("BRIEFING_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("BRIEFING_INDEX_DIR", str(settings.index_dir))
    from assistant.config import get_settings
    get_settings.cache_clear()
    at = AppTest.from_file("../../assistant/app/chat_page.py", default_timeout=120)
    yield at.run()
    get_settings.cache_clear()


def test_chat_page_answers_with_a_citation_and_shows_the_index(app):
    assert not app.exception
    assert any("1 documents" in m.value for m in app.sidebar.markdown)
    app.chat_input[0].set_value("When was the Economic Division launched?").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "April 2020" in text and "[1]" in text
    assert any("page 1" in e.label for e in app.expander)


def test_chat_page_says_plainly_when_the_documents_do_not_answer(app):
    app.chat_input[0].set_value("Who won the 2018 FIFA World Cup in Moscow?").run()
    assert any("do not answer" in i.value for i in app.info)
