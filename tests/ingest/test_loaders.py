import pytest

from ingest.errors import IngestError
from ingest.loaders import load
from ingest.loaders import pdf as pdf_loader
from tests.conftest import make_pdf


def test_pdf_pages_are_numbered_from_one(tmp_path):
    path = make_pdf(tmp_path / "a.pdf", [["alpha page"], ["beta page"]])
    loaded = load(path)
    assert [p.number for p in loaded.pages] == [1, 2]
    assert "beta page" in loaded.pages[1].text


def test_pdf_with_empty_user_password_opens(tmp_path):
    path = make_pdf(tmp_path / "enc.pdf", [["secret but readable"]], password="owner")
    assert "secret but readable" in load(path).pages[0].text


def test_pdf_needing_a_password_is_refused_by_name(tmp_path):
    path = make_pdf(tmp_path / "locked.pdf", [["x"]], password="owner", user_password="user")
    with pytest.raises(IngestError, match="needs a password"):
        load(path)


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "empty file"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "corrupt or truncated"),
        (b"hello, not a pdf", "not a PDF"),
    ],
)
def test_bad_pdfs_get_a_clear_reason(tmp_path, content, reason):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=reason):
        load(path)


def test_truncated_real_pdf(tmp_path):
    good = make_pdf(tmp_path / "good.pdf", [["some words"]] * 3)
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(good.read_bytes()[:400])
    with pytest.raises(IngestError):
        load(bad)


def test_page_limit(tmp_path):
    path = make_pdf(tmp_path / "many.pdf", [["p"]] * 5)
    with pytest.raises(IngestError, match="more than the limit"):
        pdf_loader.load(path, max_pages=3)


def test_image_only_pdf_needs_ocr(tmp_path):
    path = make_pdf(tmp_path / "blank.pdf", [[]] * 2, numbers=False)
    with pytest.raises(IngestError, match="OCR"):
        load(path)


def test_markdown_front_matter_becomes_metadata(tmp_path):
    path = tmp_path / "s.md"
    path.write_text("---\ntitle: A Statement\ndate: '2023-01-13'\naccess: restricted\n---\n\n# Head\n\nBody text.\n")
    loaded = load(path)
    assert loaded.metadata["title"] == "A Statement" and loaded.metadata["access"] == "restricted"
    assert "Body text." in loaded.pages[0].text and "title:" not in loaded.pages[0].text


def test_html_drops_scripts_and_keeps_headings(tmp_path):
    path = tmp_path / "p.html"
    path.write_text(
        "<html><head><title>T</title><script>alert(1)</script></head><body>"
        "<h2>Sec</h2><p>Visible text.</p><script>evil()</script></body></html>"
    )
    loaded = load(path)
    assert loaded.metadata["title"] == "T"
    assert "## Sec" in loaded.pages[0].text and "Visible text." in loaded.pages[0].text
    assert "evil" not in loaded.pages[0].text and "alert" not in loaded.pages[0].text


def test_non_utf8_text_is_named(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9 au lait".encode("latin-1"))
    with pytest.raises(IngestError, match="UTF-8"):
        load(path)


def test_unsupported_extension(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"PK..")
    with pytest.raises(IngestError, match="unsupported"):
        load(path)
