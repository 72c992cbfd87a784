"""Shared state for several hosts, against a real PostgreSQL (tests/postgres.py) and a real
`chroma run` server: two "hosts" are two index folders that share nothing but the database, the
vector server and the corpus folder. What one host's ingest commits, the other's retriever
sees on its next query, caught up incrementally; ingests on two hosts are serialised by the
database; an interrupted ingest leaves the old index answering; a restricted document stays
hidden from the public role through the shared catalogue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest

from assistant.core.settings import Settings
from assistant.features.library import visible_documents
from assistant.index.catalog import Catalog
from assistant.index.stores import open_store
from assistant.retrieval.search import Retriever
from ingest.bootstrap import ensure_index
from ingest.pipeline import IngestBusy, ingest, ingest_lock

pytestmark = pytest.mark.e2e


def _note(title: str, topic: str, access: str = "public", paragraphs: int = 3) -> str:
    body = "\n\n".join(
        f"Paragraph {p} of {title}: the partners agreed on {topic}, measure {p}, reviewed in {2024 + p}."
        for p in range(paragraphs)
    )
    return f"---\ntitle: {title}\naccess: {access}\n---\n\n{body}\n"


@pytest.fixture
def hosts(tmp_path, database_url, chroma_server, embedder):
    """Two hosts' settings: one database, one chroma server and collection, one corpus folder,
    separate index folders (so nothing is shared through files)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def host(name: str) -> Settings:
        return Settings(
            corpus_dir=corpus,
            index_dir=tmp_path / name,
            database_url=database_url,
            chroma_mode="http",
            chroma_host="127.0.0.1",
            chroma_port=chroma_server,
            collection=f"pg{abs(hash(str(tmp_path))):x}"[:60],
            crosslingual_embedder="none",
        )

    return host("host-a"), host("host-b")


def _env(s: Settings) -> dict:
    return {
        **os.environ,
        "BRIEFING_CORPUS_DIR": str(s.corpus_dir),
        "BRIEFING_INDEX_DIR": str(s.index_dir),
        "BRIEFING_DATABASE_URL": s.database_url or "",
        "BRIEFING_CHROMA_MODE": "http",
        "BRIEFING_CHROMA_HOST": s.chroma_host,
        "BRIEFING_CHROMA_PORT": str(s.chroma_port),
        "BRIEFING_COLLECTION": s.collection,
    }


def _cli(s: Settings, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], env=_env(s), capture_output=True, text=True, timeout=300, **kw
    )


def _rows(database_url: str, sql: str) -> list:
    """Straight from the server (psycopg, not the code under test): what is really stored."""
    schema = database_url.rsplit("%3D", 1)[1]
    dsn = database_url.split("?")[0].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, options=f"-csearch_path={schema}") as conn:
        return conn.execute(sql).fetchall()


def _titles(hits) -> list[str]:
    return [h.chunk.meta.title for h in hits]


def test_the_catalogue_lives_in_postgres_and_a_reingest_changes_nothing(hosts):
    a, b = hosts
    (a.corpus_dir / "one.md").write_text(_note("Note one", "semiconductor supply"), encoding="utf-8")
    (a.corpus_dir / "two.md").write_text(_note("Note two", "undersea cables"), encoding="utf-8")
    first = ingest(a, progress=False)
    assert first.files_ingested == 2 and not first.errors
    assert sorted(r[0] for r in _rows(a.database_url, "SELECT source FROM files")) == ["one.md", "two.md"]
    assert _rows(a.database_url, "SELECT value FROM state WHERE key = 'version'") == [("1",)]
    assert not (a.index_dir / "catalog.sqlite").exists()  # nothing of the catalogue on the host
    # The other host reads the same catalogue without having ingested anything.
    assert [d["doc_id"] for d in Catalog(b).documents()] == [d["doc_id"] for d in Catalog(a).documents()]
    assert len(Catalog(b).documents()) == 2

    again = ingest(b, progress=False)
    assert (again.files_unchanged, again.chunks_written, again.chunks_deleted) == (2, 0, 0)
    assert Catalog(a).version() == 1  # a commit of nothing is no new version


def test_another_host_sees_a_new_document_within_seconds_caught_up_incrementally(hosts):
    a, b = hosts
    (a.corpus_dir / "one.md").write_text(_note("Note one", "semiconductor supply"), encoding="utf-8")
    (a.corpus_dir / "secret.md").write_text(
        _note("Secret note", "the zirconium stockpile", access="restricted"), encoding="utf-8"
    )
    ingest(a, progress=False)
    public_b = Retriever(b, role="public")
    restricted_b = Retriever(b, role="restricted")
    assert "Port note" not in _titles(public_b.search("port security inspections", k=5))
    assert public_b.stats["lexical_full"] == 1

    (a.corpus_dir / "port.md").write_text(_note("Port note", "port security inspections"), encoding="utf-8")
    done = _cli(a, "ingest", "--quiet")  # host A, another process
    assert done.returncode == 0, done.stderr
    ended = time.monotonic()
    while "Port note" not in _titles(public_b.search("port security inspections", k=5)):
        assert time.monotonic() - ended < 5, "host B did not see host A's document within 5 s"
        time.sleep(0.2)
    # Caught up from the catalogue's changes, not rebuilt from every chunk.
    assert public_b.stats["lexical_full"] == 1 and public_b.stats["lexical_incremental"] >= 1

    # The restricted note is in the shared catalogue, and only the restricted role reaches it.
    assert "Secret note" in _titles(restricted_b.search("zirconium stockpile", k=5))
    assert "Secret note" not in _titles(public_b.search("zirconium stockpile", k=10))
    assert "secret" not in {d["doc_id"] for d in visible_documents(b, "public")}
    assert "secret" in {d["doc_id"] for d in visible_documents(b, "restricted")}


def test_a_second_ingest_on_another_host_is_refused_while_one_runs(hosts):
    a, b = hosts
    (a.corpus_dir / "one.md").write_text(_note("Note one", "semiconductor supply"), encoding="utf-8")
    with ingest_lock(a):  # host A's ingest, holding the database's lock
        refused = _cli(b, "ingest", "--quiet")  # host B: another process, another index folder
        assert refused.returncode != 0
        assert "another ingest is running" in refused.stderr
        with pytest.raises(IngestBusy, match="another ingest is running"):
            ingest(b, progress=False)
        assert Catalog(b).stats()["documents"] == 0  # nothing interleaved
        ensure_index(b, quiet=True)  # a front end starting meanwhile serves, and does not fail
    report = ingest(b, progress=False)  # the lock ends with its holder
    assert report.files_ingested == 1


def test_an_ingest_killed_on_one_host_leaves_the_old_index_answering_and_frees_the_lock(hosts):
    a, b = hosts
    (a.corpus_dir / "one.md").write_text(_note("Note one", "semiconductor supply"), encoding="utf-8")
    ingest(a, progress=False)
    reader = Retriever(b, role="public")
    before = [h.chunk.id for h in reader.search("semiconductor supply", k=5)]
    for n in range(12):
        (a.corpus_dir / f"new{n:02d}.md").write_text(
            _note(f"New note {n}", "rare earth refining", paragraphs=30), encoding="utf-8"
        )
    store = open_store(a)
    start = store.count()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", "--quiet"],
        env=_env(a),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while store.reopen().count() == start and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert store.reopen().count() > start  # vectors were added, never committed
    assert Catalog(b).stats()["documents"] == 1
    assert [h.chunk.id for h in reader.search("semiconductor supply", k=5)] == before
    fresh = Retriever(b, role="public")  # a process starting now reads the old index too
    assert [h.chunk.id for h in fresh.search("semiconductor supply", k=5)] == before
    assert "New note 0" not in _titles(fresh.search("rare earth refining", k=10))

    report = ingest(b, progress=False)  # the killed holder's lock died with its connection
    assert not report.errors and Catalog(a).stats()["documents"] == 13
    assert Catalog(a).all_chunk_ids() == open_store(a).reopen().all_ids()
    assert "New note" in _titles(reader.search("rare earth refining", k=3))[0]


def test_the_suites_run_on_the_database_that_was_asked_for(settings, embedder):
    """scripts/test reruns the ingest and retrieval suites with BRIEFING_TEST_DATABASE=postgres:
    this shows they then really keep the catalogue in PostgreSQL (and in SQLite otherwise)."""
    from tests.conftest import TEST_DATABASE

    (settings.corpus_dir / "a.md").write_text(_note("Note a", "semiconductor supply"), encoding="utf-8")
    assert ingest(settings, progress=False).files_ingested == 1
    if TEST_DATABASE == "postgres":
        assert settings.database_url and not (settings.index_dir / "catalog.sqlite").exists()
        assert _rows(settings.database_url, "SELECT source FROM files") == [("a.md",)]
    else:
        assert settings.database_url is None
        assert Catalog(settings.index_dir).sources() == ["a.md"]
