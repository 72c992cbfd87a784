"""Downloading by address (ingest/fetch.py) against a real HTTP server on 127.0.0.1: kinds by
content, metadata from the document, redirects, limits, refusals. Nothing is ingested here."""

from __future__ import annotations

import time

import pytest

from ingest.fetch import FetchError, _address_kind, fetch, name_for, normalise_date
from tests.localserver import Site

JA_PAGE = (
    '<html lang="ja"><head><meta charset="shift_jis"><title>外交青書2024 | 外務省</title>'
    '<meta name="dc.date" content="2024/04/16"></head><body><h1>第3章 経済外交</h1>'
    "<p>経済安全保障の確保に取り組む。</p></body></html>"
)


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


@pytest.fixture
def open_settings(settings):
    return settings.model_copy(update={"allow_private_addresses": True})


def test_a_pdf_is_a_pdf_whatever_the_server_says_and_its_info_is_read(open_settings, site, tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "law.pdf"
    c = canvas.Canvas(str(path))
    c.setTitle("Act on the Promotion of Ensuring National Security through Economic Measures")
    c.setAuthor("Cabinet Office")
    c.drawString(72, 720, "Article 1 This Act aims to ensure national security through economic measures.")
    c.save()
    site.put("/law", path.read_bytes(), "text/html")  # a wrong Content-Type does not decide
    got = fetch(open_settings, site.url("/law"))
    assert got.kind == "pdf" and got.name == "127-0-0-1-law.pdf" and got.data == path.read_bytes()
    assert got.info["title"].startswith("Act on the Promotion") and got.info["type"] == "law"
    assert got.info["issuer"] == "Cabinet Office" and got.info["pages"] == 1 and got.info["language"] == "en"
    assert got.etag and len(got.sha256) == 64 and got.content_type == "text/html"


def test_a_japanese_page_in_shift_jis_is_stored_as_utf8_with_its_metadata(open_settings, site):
    site.put("/bluebook/c030301.html", JA_PAGE.encode("shift_jis"), "text/html; charset=Shift_JIS")
    got = fetch(open_settings, site.url("/bluebook/c030301.html"))
    assert got.kind == "html" and got.name == "127-0-0-1-bluebook-c030301.html"
    text = got.data.decode("utf-8")
    assert "経済安全保障の確保" in text and 'charset="utf-8"' in text.lower()
    assert got.info == {
        "title": "外交青書2024",
        "issuer": "外務省",
        "date": "2024-04-16",
        "language": "ja",
        "type": "white paper",
    }


def test_redirects_are_followed_within_the_limit_and_checked_at_every_hop(open_settings, site):
    site.put("/final.html", b"<html><body><h1>Final</h1><p>Here.</p></body></html>")
    site.redirect("/a", "/b", 301)
    site.redirect("/b", "/final.html", 307)
    got = fetch(open_settings, site.url("/a"))
    assert got.final_url == site.url("/final.html") and got.url == site.url("/a") and got.info["title"] == "Final"
    with pytest.raises(FetchError, match="more than 1 redirects"):
        fetch(open_settings.model_copy(update={"fetch_max_redirects": 1}), site.url("/a"))
    site.redirect("/to-file", "file:///etc/passwd")
    with pytest.raises(FetchError, match="only http and https"):
        fetch(open_settings, site.url("/to-file"))


def test_errors_and_wrong_content_are_named(open_settings, site):
    with pytest.raises(FetchError, match="answered 404 Not Found"):
        fetch(open_settings, site.url("/nowhere.pdf"))
    site.put("/scan.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "application/pdf")
    with pytest.raises(
        FetchError, match=r"neither a PDF nor an HTML page nor text \(the server said application/pdf\)"
    ):
        fetch(open_settings, site.url("/scan.pdf"))
    site.put("/api", b'{"items": []}', "text/html")
    with pytest.raises(FetchError, match=r"neither a PDF nor an HTML page \(the server said text/html\)"):
        fetch(open_settings, site.url("/api"))
    site.put("/empty.html", b"")
    with pytest.raises(FetchError, match="empty"):
        fetch(open_settings, site.url("/empty.html"))
    site.put("/notes.md", b"# Notes\n\nPlain Markdown is kept as Markdown.\n", "text/plain")
    assert fetch(open_settings, site.url("/notes.md")).kind == "markdown"
    site.put("/%E7%99%BD%E6%9B%B8%202024.html", b"<html><body><p>White paper.</p></body></html>")
    assert fetch(open_settings, site.url("/白書 2024.html")).kind == "html"  # as pasted from a browser


def test_size_and_time_limits(open_settings, site, tmp_path):
    small = open_settings.model_copy(update={"fetch_max_mb": 0.001})  # about 1 KB
    big = b"<html><body><p>" + b"x" * 5000 + b"</p></body></html>"
    site.put("/big.html", big)
    with pytest.raises(FetchError, match=r"the file is 0\.0 MB, more than the limit of 0\.001 MB"):
        fetch(small, site.url("/big.html"))  # refused from Content-Length, before reading
    site.put("/big-unannounced.html", big, **{"no-length": "1"})
    with pytest.raises(FetchError, match="larger than 0.001 MB"):
        fetch(small, site.url("/big-unannounced.html"))  # stopped while reading
    site.routes["/drip.html"] = (200, {"drip": "0.2"}, b"<html><body><p>" + b"y" * 200 + b"</p></body></html>")
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"within 1 s \(fetch_timeout_s\)"):
        fetch(open_settings.model_copy(update={"fetch_timeout_s": 1.0}), site.url("/drip.html"))
    assert time.monotonic() - started < 3  # the whole download, not each read, is limited


def test_a_conditional_request_comes_back_not_modified(open_settings, site):
    site.put("/page.html", b"<html><body><p>Same text.</p></body></html>")
    first = fetch(open_settings, site.url("/page.html"))
    again = fetch(open_settings, site.url("/page.html"), etag=first.etag)
    assert again.not_modified and not again.data
    assert site.requests[-1][1]["If-None-Match"] == first.etag
    site.put("/page.html", b"<html><body><p>New text.</p></body></html>")
    changed = fetch(open_settings, site.url("/page.html"), etag=first.etag)
    assert not changed.not_modified and changed.sha256 != first.sha256


def test_private_and_loopback_addresses_are_refused_by_default(settings, site):
    site.put("/page.html", b"<html><body><p>Inside.</p></body></html>")
    assert not settings.allow_private_addresses
    for url in (site.url("/page.html"), f"http://localhost:{site.port}/page.html"):
        with pytest.raises(FetchError, match=r"is a loopback address \((127\.0\.0\.1|::1)\)"):
            fetch(settings, url)
    assert site.requests == []  # refused before connecting
    assert fetch(settings, site.url("/page.html"), allow_private=True).kind == "html"
    for ip, kind in [
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoints
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("fd00::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-public"),
        ("93.184.216.34", ""),
        ("2606:4700::1111", ""),
    ]:
        assert _address_kind(ip) == kind, ip


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/a.pdf", "file:///etc/passwd", "javascript:alert(1)", "http://", "https://user:pw@example.org/"],
)
def test_only_plain_http_and_https_addresses(settings, url):
    with pytest.raises(FetchError):
        fetch(settings, url)


def test_names_and_dates():
    assert (
        name_for("https://www.cas.go.jp/jp/siryou/221216anzenhoshou/nss-e.pdf", "pdf")
        == "cas-go-jp-jp-siryou-221216anzenhoshou-nss-e.pdf"
    )
    assert (
        name_for("https://laws.e-gov.go.jp/law/504AC0000000043", "html") == "laws-e-gov-go-jp-law-504AC0000000043.html"
    )
    assert len(name_for("https://example.org/" + "a/" * 200, "html")) <= 105
    assert [normalise_date(d) for d in ("D:20221216093000+09'00'", "2024/4/1", "2022-05", "May 2022")] == [
        "2022-12-16",
        "2024-04-01",
        "2022-05",
        "",
    ]
