"""Bad inputs, made here: each is named with a clear reason, and the rest of the batch ingests.
Prints `bad inputs: N tried, N passed` for CI's log."""

import zlib

from assistant.index.catalog import Catalog
from ingest.pipeline import ingest
from tests.conftest import make_pdf


def _pdf_with_nesting(depth: int) -> bytes:
    inner = "<< /A " * depth + "1" + " >>" * depth
    body = f"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X {inner} >>\nendobj\n"
    body += "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    return body.encode()


def _pdf_many_pages(path, n: int) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(n):
        writer.add_blank_page(width=10, height=10)
    with open(path, "wb") as fh:
        writer.write(fh)


def cases(tmp):
    """name -> (write(path), expected words in the reason). Each file is one bad input."""
    good = make_pdf(tmp / "src.pdf", [["Some real text on page one."], ["And page two."]])
    data = good.read_bytes()
    return {
        "zero.pdf": (lambda p: p.write_bytes(b""), "empty file"),
        "zero.md": (lambda p: p.write_bytes(b""), "empty file"),
        "truncated.pdf": (lambda p: p.write_bytes(data[: len(data) // 2]), "corrupt or truncated"),
        "header-only.pdf": (lambda p: p.write_bytes(b"%PDF-1.7\n"), "PDF"),
        "garbage.pdf": (lambda p: p.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40), "PDF"),
        "not-a-pdf.pdf": (lambda p: p.write_bytes(b"<html>hello</html>"), "not a PDF"),
        "locked.pdf": (lambda p: make_pdf(p, [["secret"]], password="owner", user_password="pw"), "needs a password"),
        "image-only.pdf": (lambda p: make_pdf(p, [[]], numbers=False), "OCR"),
        "nested.pdf": (lambda p: p.write_bytes(_pdf_with_nesting(5000)), "PDF"),
        "bomb-pages.pdf": (lambda p: _pdf_many_pages(p, 2500), "limit"),
        "zipbomb.pdf": (
            lambda p: p.write_bytes(
                b"%PDF-1.4\n1 0 obj\n<< /Length 99 /Filter /FlateDecode >>\nstream\n"
                + zlib.compress(b"\0" * 10_000_000)[:200]
                + b"\nendstream\nendobj\n"
            ),
            "PDF",
        ),
        "binary.md": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0IHDR" + bytes(200)), "binary"),
        "latin1.txt": (lambda p: p.write_bytes("caf\xe9 cr\xe8me".encode("latin-1")), "UTF-8"),
        "utf16.md": (lambda p: p.write_bytes("hello".encode("utf-16")), "binary"),
        "only-front-matter.md": (lambda p: p.write_text("---\ntitle: x\n---\n"), "no text"),
        "whitespace.txt": (lambda p: p.write_text("   \n\n\t  \n"), "no text"),
        "script-only.html": (
            lambda p: p.write_text("<html><script>var a = 1;</script><style>p{}</style></html>"),
            "no visible text",
        ),
        "empty.html": (lambda p: p.write_text("<html><body></body></html>"), "no visible text"),
        "word.docx": (lambda p: p.write_bytes(b"PK\x03\x04"), "not a Word document"),
        "sheet.xlsx": (lambda p: p.write_bytes(b"PK\x03\x04"), "unsupported file type"),
        "huge.txt": (lambda p: p.write_bytes(b"x" * (2 * 1024 * 1024 + 10)), "limit"),
        # Unreadable metadata might hide `access: restricted`: refused, never ingested as public.
        "broken-front-matter.md": (
            lambda p: p.write_text("---\naccess: restricted\ntitle: [unclosed\n---\nSecret text.\n"),
            "invalid front matter",
        ),
    }


def test_bad_inputs_are_named_and_the_rest_ingests(settings, embedder, capsys):
    settings = settings.model_copy(update={"max_file_mb": 2.0})
    bad = cases(settings.index_dir.parent)
    for name, (write, _) in bad.items():
        write(settings.corpus_dir / name)
    make_pdf(settings.corpus_dir / "good.pdf", [["The Economic 2+2 first met in July 2022."]])
    (settings.corpus_dir / "good.md").write_text("A good note about semiconductors.\n")
    (settings.corpus_dir / "long-line.txt").write_text("word " * 20_000)  # one enormous line: chunked, not refused
    (settings.corpus_dir / "page.html").write_text("<html><body><p>Visible.</p><script>steal()</script></body></html>")

    report = ingest(settings, progress=False)
    reasons = {e.path: e.reason for e in report.errors}
    passed = [n for n, (_, words) in bad.items() if n in reasons and words.lower() in reasons[n].lower()]
    with capsys.disabled():
        print(f"\nbad inputs: {len(bad)} tried, {len(passed)} passed")
    assert set(passed) == set(bad), {n: reasons.get(n) for n in bad if n not in passed}
    assert report.files_ingested == 4
    cat = Catalog(settings.index_dir)
    texts = " ".join(c.text for c in cat.chunks())
    cat.close()
    assert "July 2022" in texts and "Visible." in texts and "steal" not in texts


def test_duplicate_documents_under_two_names_are_ingested_once(settings, embedder):
    make_pdf(settings.corpus_dir / "a.pdf", [["Identical content."]])
    (settings.corpus_dir / "b.pdf").write_bytes((settings.corpus_dir / "a.pdf").read_bytes())
    report = ingest(settings, progress=False)
    assert report.files_ingested == 1
    assert [(e.path, e.reason) for e in report.errors] == [
        ("b.pdf", "same content as a.pdf: a duplicate is not ingested twice")
    ]
