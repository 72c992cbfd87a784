"""Small real fixtures: PDFs made by the test, a real Chroma in a temp dir, the real embedder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.core.offline import go_offline

go_offline()

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_model_requests(monkeypatch):
    """No test reaches a real language model by accident; those that mean to say so."""
    import assistant.answering.models

    monkeypatch.setattr(assistant.answering.models, "ALLOW_MODEL_REQUESTS", False)


@pytest.fixture
def allow_model_requests(monkeypatch):
    import assistant.answering.models

    monkeypatch.setattr(assistant.answering.models, "ALLOW_MODEL_REQUESTS", True)


CORPUS = REPO / "corpus"


def make_pdf(
    path: Path,
    pages: list[list[str]],
    header: str | None = None,
    numbers: bool = True,
    password: str | None = None,
    user_password: str = "",
) -> Path:
    """A real PDF, one list of lines per page, with an optional running header and page numbers;
    encrypted when `password` (the owner password) is given."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    w, h = A4
    for i, lines in enumerate(pages, start=1):
        if header:
            c.setFont("Helvetica", 8)
            c.drawString(56, h - 40, header)
        y = h - 70
        c.setFont("Helvetica", 10)
        for line in lines:
            c.drawString(56, y, line)
            y -= 13
        if numbers:
            c.drawCentredString(w / 2, 30, str(i))
        c.showPage()
    c.save()
    if password is not None:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(path))
        writer.encrypt(user_password=user_password, owner_password=password, algorithm="AES-256")
        with open(path, "wb") as fh:
            writer.write(fh)
    return path


@pytest.fixture(scope="session")
def embedder():
    from assistant.index.embedders import get_embedder

    return get_embedder("minilm")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on a free loopback port, for the whole session."""
    from benchmarks.retrieval import start_chroma

    try:
        proc, port = start_chroma(tmp_path_factory.mktemp("chroma-server"))
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield port
    proc.terminate()
    proc.wait(timeout=30)


# BRIEFING_TEST_STORE=http runs every test that takes `settings` against the real `chroma run`
# server above instead of embedded Chroma (scripts/test does so for the ingest and retrieval
# suites after the full run), one collection per test.
TEST_STORE = os.environ.get("BRIEFING_TEST_STORE", "embedded")


@pytest.fixture
def settings(tmp_path, request):
    from assistant.core.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    if TEST_STORE == "http":
        port = request.getfixturevalue("chroma_server")
        return Settings(
            corpus_dir=corpus,
            index_dir=tmp_path / "index",
            chroma_mode="http",
            chroma_host="127.0.0.1",
            chroma_port=port,
            collection=f"t{abs(hash(str(tmp_path))):x}"[:60],
        )
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index")


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest, dirs_exist_ok=True)
    return dest


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory, embedder):
    """The shipped corpus, ingested once per test session into a temporary index (about a
    minute on 2 cores); tests that need the real corpus share it and must not change it."""
    from assistant.core.settings import Settings
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("shipped")
    settings = Settings(corpus_dir=CORPUS, index_dir=root / "index")
    report = ingest(settings, progress=False)
    assert not report.errors, report.summary()
    return settings, report


# A real PostgreSQL for the shared-state suites (tests/postgres.py): `postgres_server` for the
# session, `database_url` a schema of the test's own.
from tests.postgres import database_url, postgres_server  # noqa: E402,F401

# BRIEFING_TEST_DATABASE=postgres runs every test's Settings (and the CLI processes it starts)
# against that test's own schema of the real PostgreSQL, through BRIEFING_DATABASE_URL: scripts/test
# does so for the ingest and retrieval suites, as BRIEFING_TEST_STORE=http does for Chroma.
TEST_DATABASE = os.environ.get("BRIEFING_TEST_DATABASE", "sqlite")


@pytest.fixture(autouse=True)
def shared_database(request, monkeypatch):
    if TEST_DATABASE == "postgres":
        monkeypatch.setenv("BRIEFING_DATABASE_URL", request.getfixturevalue("database_url"))
