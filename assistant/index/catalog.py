"""The ingest state and the text of record: which files were ingested (with their hash) and
which chunks each produced. In a database (SQLite in the index folder by default, PostgreSQL
when `database_url` is set: `index/database.py` decides), so that a document's chunks change
in one transaction and an ingest killed half-way leaves the previous state intact."""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from pathlib import Path

from sqlalchemy import Column, Float, Index, Integer, MetaData, Table, Text, cast, delete, func, select, update

from assistant.core.types import Chunk
from assistant.index.database import database, ensure_schema, insert_missing, sqlite, upsert

SQLITE_NAME = "catalog.sqlite"

# The same tables as the sqlite3 schema this replaced, so existing catalogues open unchanged.
_META = MetaData()
files_t = Table(
    "files",
    _META,
    Column("source", Text, primary_key=True),
    Column("doc_id", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("size", Integer),
    Column("ingested_at", Float),
    Column("n_chunks", Integer),
)
chunks_t = Table(
    "chunks",
    _META,
    Column("id", Text, primary_key=True),
    Column("doc_id", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("position", Integer),
    Column("page", Integer),
    Column("text", Text, nullable=False),
    Column("metadata", Text, nullable=False),
    Index("chunks_source", "source"),
)
state_t = Table("state", _META, Column("key", Text, primary_key=True), Column("value", Text))

_CHUNK_COLS = (chunks_t.c.id, chunks_t.c.text, chunks_t.c["metadata"])


def writer() -> str:
    """Who committed: host and process (process ids alone repeat across hosts)."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Catalog:
    def __init__(self, where) -> None:
        """`where`: the settings (the shared database when `database_url` is set), or an index
        folder (its own SQLite file)."""
        if isinstance(where, (str, Path)):
            self.engine = sqlite(Path(where), SQLITE_NAME)
        else:
            self.engine = database(where, SQLITE_NAME)
        # The SQLite file, if that is where the catalogue is (its identity tells a reader that
        # the index was deleted and built again); None in a shared database.
        self.path: Path | None = Path(self.engine.url.database or "") if self.engine.dialect.name == "sqlite" else None
        ensure_schema(self.engine, _META)
        with self.engine.connect() as c:
            has = c.execute(select(state_t.c.value).where(state_t.c.key == "incarnation")).first()
        if not has:
            # A catalogue's identity: the version count restarts when the tables are made
            # anew, and readers must then rebuild, not catch up.
            with self.engine.begin() as c:
                insert_missing(c, state_t, {"key": "incarnation", "value": uuid.uuid4().hex}, ["key"])

    def _scalar(self, stmt):
        with self.engine.connect() as c:
            return c.execute(stmt).scalar()

    def file_sha(self, source: str) -> str | None:
        return self._scalar(select(files_t.c.sha256).where(files_t.c.source == source))

    def sources(self) -> list[str]:
        with self.engine.connect() as c:
            return list(c.execute(select(files_t.c.source)).scalars())

    def chunk_ids(self, source: str) -> set[str]:
        with self.engine.connect() as c:
            return set(c.execute(select(chunks_t.c.id).where(chunks_t.c.source == source)).scalars())

    def all_chunk_ids(self) -> set[str]:
        with self.engine.connect() as c:
            return set(c.execute(select(chunks_t.c.id)).scalars())

    def commit(self, replaced: list[tuple[str, str, str, int, list[Chunk]]], removed: list[str]) -> None:
        """All the files of one ingest in one transaction: readers see the index before the
        ingest or after it, never a part of it. `replaced`: (source, doc_id, sha256, size, chunks)."""
        if not replaced and not removed:
            return
        with self.engine.begin() as c:
            for source in removed:
                c.execute(delete(chunks_t).where(chunks_t.c.source == source))
                c.execute(delete(files_t).where(files_t.c.source == source))
            for source, doc_id, sha256, size, chunks in replaced:
                c.execute(delete(chunks_t).where(chunks_t.c.source == source))
                rows = [
                    {
                        "id": ch.id,
                        "doc_id": ch.doc_id,
                        "source": source,
                        "position": ch.position,
                        "page": ch.page,
                        "text": ch.text,
                        "metadata": json.dumps(ch.to_metadata()),
                    }
                    for ch in chunks
                ]
                upsert(c, chunks_t, rows, ["id"])
                upsert(
                    c,
                    files_t,
                    [
                        {
                            "source": source,
                            "doc_id": doc_id,
                            "sha256": sha256,
                            "size": size,
                            "ingested_at": time.time(),
                            "n_chunks": len(chunks),
                        }
                    ],
                    ["source"],
                )
            # An increment in the database, not read-and-write here: two writers committing at
            # once (PostgreSQL, READ COMMITTED) each count their commit.
            insert_missing(c, state_t, {"key": "version", "value": "0"}, ["key"])
            c.execute(
                update(state_t)
                .where(state_t.c.key == "version")
                .values(value=cast(cast(state_t.c.value, Integer) + 1, Text))
            )
            upsert(
                c,
                state_t,
                [
                    {"key": "last_ingest", "value": str(time.time())},
                    {"key": "writer", "value": writer()},
                ],
                ["key"],
            )

    @staticmethod
    def _state(c) -> dict[str, str]:
        return dict(c.execute(select(state_t.c.key, state_t.c.value)).tuples().all())

    def writer(self) -> str | None:
        """Host and process of the last commit (see `writer()`)."""
        return self._scalar(select(state_t.c.value).where(state_t.c.key == "writer"))

    def version(self) -> int:
        return int(self._scalar(select(state_t.c.value).where(state_t.c.key == "version")) or 0)

    def epoch(self) -> tuple[str, int]:
        """(identity, version) in one read: what a reader compares to notice a commit."""
        with self.engine.connect() as c:
            state = self._state(c)
        return state.get("incarnation", ""), int(state.get("version") or 0)

    def chunks(self) -> list[Chunk]:
        with self.engine.connect() as c:
            rows = c.execute(select(*_CHUNK_COLS).order_by(chunks_t.c.source, chunks_t.c.position))
            return [Chunk.from_metadata(i, t, json.loads(m)) for i, t, m in rows]

    def changes(self, known: dict[str, str]) -> tuple[int, dict[str, str], dict[str, list[Chunk]]]:
        """The catalogue against a reader's copy of it, `known` = {source: sha256} of the files
        the copy holds: the version, the files now, and the chunks of every file that is new or
        changed (a changed file may keep chunk ids with new metadata, e.g. its access level, so
        files are compared, not chunk ids). Read in one transaction that sees one state
        (PostgreSQL's default READ COMMITTED would let each statement see a later commit): an
        ingest committing meanwhile cannot pair one version with another's chunks."""
        with self.engine.connect() as c:
            if c.dialect.name == "postgresql":
                c.execution_options(isolation_level="REPEATABLE READ")
            version = int(self._state(c).get("version") or 0)
            files = dict(c.execute(select(files_t.c.source, files_t.c.sha256)).tuples().all())
            fresh: dict[str, list[Chunk]] = {}
            for source, sha in files.items():
                if known.get(source) != sha:
                    rows = c.execute(
                        select(*_CHUNK_COLS).where(chunks_t.c.source == source).order_by(chunks_t.c.position)
                    )
                    fresh[source] = [Chunk.from_metadata(i, t, json.loads(m)) for i, t, m in rows]
            return version, files, fresh

    def documents(self) -> list[dict]:
        out = []
        with self.engine.connect() as c:
            listed = c.execute(
                select(files_t.c.source, files_t.c.doc_id, files_t.c.n_chunks).order_by(files_t.c.source)
            ).all()
            for source, doc_id, n in listed:
                row = c.execute(select(chunks_t.c["metadata"]).where(chunks_t.c.source == source).limit(1)).first()
                md = json.loads(row[0]) if row else {}
                out.append(
                    {
                        "source": source,
                        "doc_id": doc_id,
                        "chunks": n,
                        **{k: md.get(k, "") for k in ("title", "issuer", "date", "type", "language", "access")},
                    }
                )
        return out

    def page_chunks(self, doc_id: str, page: int | None) -> list[Chunk]:
        """The passages of one page of one document, in reading order (the source panel)."""
        on_page = chunks_t.c.page.is_(None) if page is None else chunks_t.c.page == page
        with self.engine.connect() as c:
            rows = c.execute(
                select(*_CHUNK_COLS).where(chunks_t.c.doc_id == doc_id, on_page).order_by(chunks_t.c.position)
            )
            return [Chunk.from_metadata(i, t, json.loads(m)) for i, t, m in rows]

    def stats(self) -> dict:
        with self.engine.connect() as c:
            docs = c.execute(select(func.count()).select_from(files_t)).scalar()
            chunks = c.execute(select(func.count()).select_from(chunks_t)).scalar()
            state = self._state(c)
        return {
            "documents": docs,
            "chunks": chunks,
            "last_ingest": float(state["last_ingest"]) if state.get("last_ingest") else None,
            "version": int(state.get("version") or 0),
        }

    def close(self) -> None:
        """Nothing held: every call takes a connection and gives it back (kept for callers)."""
