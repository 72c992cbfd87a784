"""The ingest against a real Chroma in a temp dir and the real embedder, on small files."""

import pytest

from assistant.index.catalog import Catalog
from assistant.index.stores import open_store
from ingest.pipeline import IngestBusy, ingest, ingest_lock
from tests.conftest import make_pdf

LINES = [
    "Japan lowered the investment screening threshold to one percent.",
    "The Economic Division of the National Security Secretariat opened in April 2020.",
]


def _state(settings):
    catalog = Catalog(settings.index_dir)
    ids = catalog.all_chunk_ids()
    catalog.close()
    return ids, open_store(settings).all_ids()


@pytest.fixture
def small_corpus(settings):
    make_pdf(settings.corpus_dir / "paper.pdf", [[LINES[0]], [LINES[1]]], header="A Running Header")
    (settings.corpus_dir / "note.md").write_text("---\ntitle: Note\n---\n\nThe Economic 2+2 first met in July 2022.\n")
    (settings.corpus_dir / "manifest.yaml").write_text(
        "documents:\n  paper.pdf: {id: paper, title: The Paper, type: analysis, date: '2021'}\n"
    )
    return settings


def test_ingest_keeps_pages_and_metadata(small_corpus, embedder):
    report = ingest(small_corpus, progress=False)
    assert report.files_ingested == 2 and not report.errors
    catalog = Catalog(small_corpus.index_dir)
    chunks = {c.text: c for c in catalog.chunks()}
    assert chunks[LINES[1]].page == 2 and chunks[LINES[1]].meta.title == "The Paper"
    assert chunks["The Economic 2+2 first met in July 2022."].meta.title == "Note"
    assert not any("Running Header" in t for t in chunks)


def test_reingest_writes_nothing_and_removal_removes_exactly_that_file(small_corpus, embedder):
    ingest(small_corpus, progress=False)
    before_catalog, before_store = _state(small_corpus)
    again = ingest(small_corpus, progress=False)
    assert (again.chunks_written, again.chunks_deleted, again.files_unchanged) == (0, 0, 2)
    assert _state(small_corpus) == (before_catalog, before_store)

    catalog = Catalog(small_corpus.index_dir)
    note_ids = catalog.chunk_ids("note.md")
    catalog.close()
    (small_corpus.corpus_dir / "note.md").unlink()
    gone = ingest(small_corpus, progress=False)
    assert gone.files_removed == 1 and gone.chunks_deleted == len(note_ids)
    assert _state(small_corpus) == (before_catalog - note_ids, before_store - note_ids)


def test_changed_file_replaces_only_its_changed_chunks(small_corpus, embedder):
    ingest(small_corpus, progress=False)
    make_pdf(small_corpus.corpus_dir / "paper.pdf", [[LINES[0]], ["A new second page."]], header="A Running Header")
    report = ingest(small_corpus, progress=False)
    assert (report.files_ingested, report.chunks_written, report.chunks_deleted) == (1, 1, 1)
    catalog = Catalog(small_corpus.index_dir)
    assert {c.text for c in catalog.chunks() if c.doc_id == "paper"} == {LINES[0], "A new second page."}


def test_bad_files_are_named_and_the_rest_ingests(small_corpus, embedder):
    (small_corpus.corpus_dir / "empty.pdf").write_bytes(b"")
    good = (small_corpus.corpus_dir / "paper.pdf").read_bytes()
    (small_corpus.corpus_dir / "cut.pdf").write_bytes(good[: len(good) // 3])
    report = ingest(small_corpus, progress=False)
    named = {e.path: e.reason for e in report.errors}
    assert set(named) == {"empty.pdf", "cut.pdf"}
    assert "empty" in named["empty.pdf"] and "PDF" in named["cut.pdf"]
    assert report.files_ingested == 2
    assert "SKIPPED cut.pdf" in report.summary()


def test_orphan_vectors_of_an_interrupted_ingest_are_swept(small_corpus, embedder):
    from assistant.core.types import Chunk, DocMeta

    ingest(small_corpus, progress=False)
    store = open_store(small_corpus)
    orphan = Chunk("ghost", "half-written", 1, "", 0, DocMeta("ghost", "Ghost", "ghost.pdf"))
    store.add([orphan], embedder.embed_documents([orphan.text]))
    report = ingest(small_corpus, progress=False)
    assert orphan.id not in open_store(small_corpus).all_ids() and report.chunks_deleted == 1


def test_second_ingest_at_once_is_refused(small_corpus):
    with ingest_lock(small_corpus.index_dir):
        with pytest.raises(IngestBusy, match="another ingest"):
            ingest(small_corpus, progress=False)
