"""The Library page after a change: the list, the counts and the removal choices are fresh in
the same interaction (AppTest over a small real index; a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import pytest

from tests.conftest import make_pdf
from tests.frontends.apptest import app_env, open_app
from tests.localserver import Site

NOTE = b"# Chip subsidies\n\nThe chip subsidy reached 3.9 trillion yen in 2023 according to the ministry.\n"


@pytest.fixture
def env(settings, monkeypatch, embedder):
    (settings.corpus_dir / "quad.md").write_text(
        "---\ntitle: Quad statement\ntype: statement\nissuer: Quad leaders\ndate: 2021-09-24\n---\n"
        "The leaders met in Washington in September 2021 to discuss semiconductors and supply chains.\n"
    )
    with app_env(settings, monkeypatch, role="internal"):
        yield settings


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def library():
    at = open_app("pages/library.py")
    assert not at.exception
    return at


def listed(at) -> list[str]:
    return list(at.dataframe[0].value["file"])


def counts(at) -> tuple[str, str]:
    """The page's caption and the sidebar's index line."""
    caption = next(c.value for c in at.caption if "documents you may read" in c.value)
    side = next(m.value for m in at.sidebar.markdown if "chunks" in m.value)
    return caption.split(" documents")[0], side.split(" documents")[0]


def test_an_upload_is_listed_counted_and_removable_at_once(env):
    at = library()
    assert listed(at) == ["quad.md"] and counts(at) == ("1", "1")
    at.file_uploader[0].set_value(("chips.md", NOTE, "text/markdown"))
    at.selectbox(key="upload_access").set_value("internal")
    next(b for b in at.button if b.label == "Add to the library").click().run()
    assert not at.exception
    assert any("chips.md** added" in s.value for s in at.success)
    assert listed(at) == ["quad.md", "uploads/chips.md"] and counts(at) == ("2", "2")
    assert at.selectbox(key="remove_choice").options == ["uploads/chips.md"]
    at.checkbox(key="remove_sure").check().run()
    next(b for b in at.button if b.label == "Remove").click().run()
    assert not at.exception
    assert any("Removed uploads/chips.md" in s.value for s in at.success)
    assert listed(at) == ["quad.md"] and counts(at) == ("1", "1")
    assert not [c for c in at.checkbox if c.key == "remove_sure"]  # nothing left to remove


def test_add_from_address_refuses_loopback_unless_configured_then_lists_the_document(env, site, monkeypatch, tmp_path):
    from assistant.core.settings import get_settings

    pdf = make_pdf(tmp_path / "nss.pdf", [["National Security Strategy of Japan", "Economic security matters."]])
    site.put("/nss-e.pdf", pdf.read_bytes(), "application/pdf")
    at = library()
    at.text_input(key="add_url").set_value(site.url("/nss-e.pdf"))
    next(b for b in at.button if b.label == "Add from address").click().run()
    assert any("loopback address" in e.value for e in at.error) and listed(at) == ["quad.md"]

    monkeypatch.setenv("BRIEFING_ALLOW_PRIVATE_ADDRESSES", "true")
    get_settings.cache_clear()
    at.text_input(key="add_url").set_value(site.url("/nss-e.pdf"))
    at.text_input(key="add_issuer").set_value("Cabinet Secretariat")
    at.selectbox(key="add_access").set_value("internal")
    next(b for b in at.button if b.label == "Add from address").click().run()
    assert not at.exception
    ok = " ".join(s.value for s in at.success)
    assert "added added/127-0-0-1-nss-e.pdf" in ok and "National Security Strategy of Japan" in ok
    assert "Cabinet Secretariat" in ok and "(internal)" in ok
    assert listed(at) == ["added/127-0-0-1-nss-e.pdf", "quad.md"] and counts(at) == ("2", "2")
    assert at.selectbox(key="remove_choice").options == ["added/127-0-0-1-nss-e.pdf"]

    at.selectbox(key="add_access").set_value("public")
    next(b for b in at.button if b.label == "Add from address").click().run()  # the same address again
    assert any(i.value.startswith("unchanged added/127-0-0-1-nss-e.pdf") for i in at.info)
    assert list(at.dataframe[0].value["access"]) == ["internal", "public"]  # the selector did not lower it
    next(b for b in at.button if b.label.startswith("Check every address")).click().run()
    assert any(i.value.startswith("unchanged added/127-0-0-1-nss-e.pdf") for i in at.info)
