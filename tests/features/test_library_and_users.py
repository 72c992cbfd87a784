"""Uploads (names, types by content, size, access level) and sign-in."""

from __future__ import annotations

import pytest

from assistant.features.users import add_user, authenticate
from ingest.uploads import UploadError, remove_upload, sanitise_name, save_upload, sniff
from tests.conftest import make_pdf


@pytest.mark.parametrize(
    "name, safe",
    [
        ("../../etc/passwd.md", "passwd.md"),
        ("C:\\Users\\x\\report.PDF", "report.pdf"),
        ("/abs/path/notes.md", "notes.md"),
        (".hidden.md", "hidden.md"),
        ("a b;rm -rf $HOME`.txt", "a-b-rm-rf-HOME.txt"),
        ("\u0000\u202eevil.md", "evil.md"),
        ("", "upload"),
    ],
)
def test_upload_names_are_sanitised(name, safe):
    assert sanitise_name(name) == safe


def test_the_type_is_decided_by_content(tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", [["Some text on a page."]]).read_bytes()
    assert sniff("a.pdf", pdf) == "pdf"
    assert sniff("a.md", b"# Title\n\nText.") == "markdown"
    assert sniff("a.html", b"<html><body><p>x</p></body></html>") == "html"
    for name, data, reason in [
        ("a.pdf", b"# not a pdf", "not a PDF"),
        ("a.md", pdf, "binary"),
        ("a.md", b"PK\x03\x04zipped", "binary"),
        ("a.txt", "caf\u00e9".encode("latin-1"), "not UTF-8"),
        ("a.html", b"just words", "no HTML"),
        ("a.exe", b"MZ...", "unsupported"),
        ("a.md", b"", "empty"),
    ]:
        with pytest.raises(UploadError, match=reason):
            sniff(name, data)


def test_save_upload_limits_size_and_access_and_never_overwrites(settings):
    small = settings.model_copy(update={"max_file_mb": 0.001})
    with pytest.raises(UploadError, match="more than the limit"):
        save_upload(small, "big.md", b"x" * 2000, "public", "public")
    with pytest.raises(UploadError, match="cannot upload a document at access level 'restricted'"):
        save_upload(settings, "a.md", b"# A", "restricted", "public")
    first = save_upload(settings, "a.md", b"# A", "internal", "internal")
    second = save_upload(settings, "a.md", b"# B", "internal", "internal")
    assert first.name == "a.md" and second.name == "a-2.md" and first.read_bytes() == b"# A"
    assert "access: internal" in (first.parent / "a.md.meta.yaml").read_text()


def test_an_uploaded_pdf_gets_its_access_level_from_the_sidecar(settings, embedder):
    from assistant.index.catalog import Catalog
    from ingest.pipeline import ingest

    pdf = make_pdf(settings.corpus_dir / "x.pdf", [["The restricted annex lists twelve critical minerals."]])
    path = save_upload(settings, "annex.pdf", pdf.read_bytes(), "restricted", "restricted")
    pdf.unlink()
    ingest(settings, progress=False)
    docs = Catalog(settings.index_dir).documents()
    assert [(d["source"], d["access"]) for d in docs] == [("uploads/annex.pdf", "restricted")]
    remove_upload(settings, "uploads/annex.pdf")
    assert not path.exists()
    report = ingest(settings, [path.parent], progress=False)
    assert report.files_removed == 1 and Catalog(settings.index_dir).documents() == []


def test_only_uploads_can_be_removed(settings):
    with pytest.raises(UploadError, match="only uploaded"):
        remove_upload(settings, "paper.pdf")
    with pytest.raises(UploadError):
        remove_upload(settings, "uploads/../paper.pdf")


def test_sign_in_checks_salted_hashes(tmp_path):
    path = tmp_path / "users.toml"
    add_user(path, "ana", "correct horse", "internal", admin=True)
    add_user(path, "bo", "battery staple", "public")
    text = path.read_text()
    assert "correct horse" not in text and "pbkdf2_sha256$" in text
    user = authenticate(path, "ana", "correct horse")
    assert user and user.role == "internal" and user.admin
    assert authenticate(path, "ana", "battery staple") is None
    assert authenticate(path, "nobody", "x") is None
    assert authenticate(path, "bo", "battery staple").admin is False
    with pytest.raises(ValueError, match="unknown role"):
        add_user(path, "cy", "password1", "root")
