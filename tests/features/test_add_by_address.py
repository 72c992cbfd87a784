"""Adding documents by their address and refreshing them, against a real HTTP server on
127.0.0.1, into a temporary corpus and index with the real embedder."""

from __future__ import annotations

import pytest

from assistant.features.sources import FetchError, add_from_address, refresh_sources
from ingest.manifest import read_sidecar
from tests.conftest import make_pdf
from tests.localserver import Site

STRATEGY = [
    [
        "National Security Strategy of Japan",
        "Japan will strengthen its economic security to protect critical supply chains.",
    ],
    ["The government designates specified critical products such as semiconductors and critical minerals."],
]
BLUEBOOK = (
    '<!doctype html><html lang="en"><head><title>Diplomatic Bluebook 2024 | Ministry of Foreign Affairs of Japan'
    '</title><meta name="dc.date" content="2024-04-16"></head><body><h1>Economic Diplomacy</h1>'
    "<p>Japan promotes economic diplomacy to secure a free and fair economic order.</p></body></html>"
)


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


@pytest.fixture
def open_settings(settings):
    """The test's server is on loopback: only a configuration that allows it may reach it."""
    return settings.model_copy(update={"allow_private_addresses": True})


def chunk_texts(settings) -> str:
    from assistant.index.catalog import Catalog

    catalog = Catalog(settings)
    try:
        return " ".join(c.text for c in catalog.chunks())
    finally:
        catalog.close()


def test_a_pdf_is_added_with_its_address_and_metadata_then_the_same_address_is_a_no_op(
    open_settings, site, embedder, tmp_path
):
    pdf = make_pdf(tmp_path / "nss.pdf", STRATEGY)
    site.put("/jp/nss-e.pdf", pdf.read_bytes(), "application/octet-stream")  # the kind comes from the bytes
    url = site.url("/jp/nss-e.pdf")
    added = add_from_address(open_settings, url, "public", user="tester", issuer="Cabinet Secretariat")
    assert added.status == "added" and added.source == "added/127-0-0-1-jp-nss-e.pdf"
    assert added.meta["title"] == "National Security Strategy of Japan"  # the first line of page 1
    assert added.meta["issuer"] == "Cabinet Secretariat" and added.meta["type"] == "strategy"
    assert added.pages == 2 and added.passages >= 1
    line = added.line()
    assert "National Security Strategy of Japan" in line and "2 pages" in line and "passage" in line
    side = read_sidecar(open_settings.corpus_dir / added.source)
    assert side["url"] == url and side["fetched"]["etag"] and len(side["fetched"]["sha256"]) == 64
    assert side["set_by_user"] == ["issuer"] and side["added_by"] == "tester"
    assert "semiconductors and critical minerals" in chunk_texts(open_settings)

    stored = (open_settings.corpus_dir / added.source).stat().st_mtime_ns
    again = add_from_address(open_settings, url, "public")
    assert again.status == "unchanged" and again.source == added.source and again.passages == added.passages
    assert site.requests[-1][1].get("If-None-Match") == side["fetched"]["etag"]  # a conditional request
    assert (open_settings.corpus_dir / added.source).stat().st_mtime_ns == stored


def test_a_changed_document_is_re_ingested_on_add_and_on_refresh(open_settings, site, embedder, tmp_path):
    site.put("/bluebook.html", BLUEBOOK.encode())
    url = site.url("/bluebook.html")
    first = add_from_address(open_settings, url, "public")
    assert first.meta["title"] == "Diplomatic Bluebook 2024" and first.meta["date"] == "2024-04-16"
    assert first.meta["issuer"] == "Ministry of Foreign Affairs of Japan" and first.meta["type"] == "white paper"

    site.put("/bluebook.html", BLUEBOOK.replace("free and fair", "rules-based").encode())
    second = add_from_address(open_settings, url, "public")
    assert second.status == "updated" and second.source == first.source
    assert "rules-based economic order" in chunk_texts(open_settings)
    assert "free and fair" not in chunk_texts(open_settings)

    # refresh: one changed, one unchanged, one gone; the failure is named and the rest completes.
    pdf = make_pdf(tmp_path / "nss.pdf", STRATEGY)
    site.put("/nss.pdf", pdf.read_bytes(), "application/pdf", etag=False, **{"Last-Modified": "Fri, 16 Dec 2022"})
    add_from_address(open_settings, site.url("/nss.pdf"), "public")
    site.put("/gone.html", b"<html><body><p>A page that will disappear from its site.</p></body></html>")
    add_from_address(open_settings, site.url("/gone.html"), "public")
    del site.routes["/gone.html"]
    site.put("/bluebook.html", BLUEBOOK.replace("free and fair", "transparent").encode())
    results = {r.url.rsplit("/", 1)[-1]: r for r in refresh_sources(open_settings, "public")}
    assert results["bluebook.html"].status == "updated"
    assert results["nss.pdf"].status == "unchanged"
    assert results["gone.html"].status == "failed" and "404" in results["gone.html"].reason
    assert "transparent economic order" in chunk_texts(open_settings)
    assert "A page that will disappear" in chunk_texts(open_settings)  # the last good copy stays


def test_refusals_keep_nothing(settings, open_settings, site, embedder):
    site.put("/page.html", BLUEBOOK.encode())
    with pytest.raises(FetchError, match="loopback address"):
        add_from_address(settings, site.url("/page.html"), "public")  # the default configuration
    for path, body, ctype, reason in [
        ("/missing.html", None, "", "404"),
        ("/image.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "application/pdf", "neither a PDF nor an HTML page"),
        ("/data.html", b'{"not": "a page"}', "text/html", "neither a PDF nor an HTML page"),
    ]:
        if body is not None:
            site.put(path, body, ctype)
        with pytest.raises(FetchError, match=reason):
            add_from_address(open_settings, site.url(path), "public")
    with pytest.raises(FetchError, match="cannot add a document at access level 'restricted'"):
        add_from_address(open_settings, site.url("/page.html"), "public", access="restricted")
    with pytest.raises(FetchError, match="only http and https"):
        add_from_address(open_settings, "file:///etc/passwd", "public")
    assert not (open_settings.corpus_dir / "added").exists() or not any((open_settings.corpus_dir / "added").iterdir())


def test_overrides_win_and_survive_a_refresh_and_an_added_document_can_be_removed(
    open_settings, site, embedder, tmp_path
):
    from ingest.uploads import remove_document

    site.put("/law.html", BLUEBOOK.encode())
    url = site.url("/law.html")
    added = add_from_address(
        open_settings,
        url,
        "internal",
        title="Economic Security Promotion Act",
        date="2022-05-18",
        type="law",
        access="internal",
    )
    assert added.meta == {
        "title": "Economic Security Promotion Act",
        "issuer": "Ministry of Foreign Affairs of Japan",
        "date": "2022-05-18",
        "type": "law",
        "language": "en",
        "access": "internal",
    }
    site.put("/law.html", BLUEBOOK.replace("free and fair", "resilient").encode())
    [refreshed] = refresh_sources(open_settings, "internal")
    assert refreshed.status == "updated" and refreshed.meta["title"] == "Economic Security Promotion Act"
    assert refresh_sources(open_settings, "public") == []  # a public user does not touch an internal document
    with pytest.raises(FetchError, match="above your access level"):
        add_from_address(open_settings, url, "public", access="public")  # nor lowers its level
    site.put("/law.html", make_pdf(tmp_path / "login.pdf", [["Please sign in."]]).read_bytes(), "application/pdf")
    with pytest.raises(FetchError, match="now serves a pdf document instead of a html file"):
        add_from_address(open_settings, url, "internal")
    assert "resilient economic order" in chunk_texts(open_settings)  # the document as it was
    report = remove_document(open_settings, added.source)
    assert report.files_removed == 1 and not (open_settings.corpus_dir / added.source).exists()


def test_briefing_add_and_refresh_on_the_command_line(settings, site, embedder, monkeypatch, capsys, tmp_path):
    from assistant.cli import main
    from assistant.core.settings import get_settings

    pdf = make_pdf(tmp_path / "nss.pdf", STRATEGY)
    site.put("/nss-e.pdf", pdf.read_bytes(), "application/pdf")
    monkeypatch.setenv("BRIEFING_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("BRIEFING_INDEX_DIR", str(settings.index_dir))
    get_settings.cache_clear()
    try:
        assert main(["add", site.url("/nss-e.pdf")]) == 1  # loopback refused by default
        assert "loopback address" in capsys.readouterr().err
        monkeypatch.setenv("BRIEFING_ALLOW_PRIVATE_ADDRESSES", "1")
        get_settings.cache_clear()
        assert main(["add", site.url("/nss-e.pdf"), "--issuer", "Cabinet Secretariat", "--date", "2022-12-16"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("added added/127-0-0-1-nss-e.pdf")
        assert "National Security Strategy of Japan" in out and "Cabinet Secretariat, 2022-12-16" in out
        assert "2 pages" in out
        assert main(["add", site.url("/nss-e.pdf")]) == 0
        assert capsys.readouterr().out.startswith("unchanged added/127-0-0-1-nss-e.pdf")
        assert main(["refresh"]) == 0
        assert "1 documents: 0 updated, 1 unchanged, 0 failed" in capsys.readouterr().out
        assert main(["add", site.url("/nss-e.pdf"), "--date", "16 Dec 2022"]) == 1
        assert "YYYY" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
