"""The ingest state and the text of record: which files were ingested (with their hash) and
which chunks each produced. SQLite, so that a document's chunks change in one transaction and
an ingest killed half-way leaves the previous state intact."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

from assistant.core.types import Chunk

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (source TEXT PRIMARY KEY, doc_id TEXT NOT NULL, sha256 TEXT NOT NULL,
  size INTEGER, ingested_at REAL, n_chunks INTEGER);
CREATE TABLE IF NOT EXISTS chunks (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, source TEXT NOT NULL,
  position INTEGER, page INTEGER, text TEXT NOT NULL, metadata TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
"""


class Catalog:
    def __init__(self, index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        self.path = index_dir / "catalog.sqlite"
        self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)

    def file_sha(self, source: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM files WHERE source=?", (source,)).fetchone()
        return row[0] if row else None

    def sources(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT source FROM files")]

    def chunk_ids(self, source: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM chunks WHERE source=?", (source,))}

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM chunks")}

    def commit(self, replaced: list[tuple[str, str, str, int, list[Chunk]]], removed: list[str]) -> None:
        """All the files of one ingest in one transaction: readers see the index before the
        ingest or after it, never a part of it. `replaced`: (source, doc_id, sha256, size, chunks)."""
        if not replaced and not removed:
            return
        with self.db:
            for source in removed:
                self.db.execute("DELETE FROM chunks WHERE source=?", (source,))
                self.db.execute("DELETE FROM files WHERE source=?", (source,))
            for source, doc_id, sha256, size, chunks in replaced:
                self.db.execute("DELETE FROM chunks WHERE source=?", (source,))
                self.db.executemany(
                    "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?)",
                    [(c.id, c.doc_id, source, c.position, c.page, c.text, json.dumps(c.to_metadata())) for c in chunks],
                )
                self.db.execute(
                    "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)",
                    (source, doc_id, sha256, size, time.time(), len(chunks)),
                )
            self._bump()

    def _bump(self) -> None:
        self.db.execute(
            "INSERT INTO state VALUES ('version', '1') ON CONFLICT(key) DO UPDATE "
            "SET value = CAST(value AS INTEGER) + 1"
        )
        self.db.execute("INSERT OR REPLACE INTO state VALUES ('last_ingest', ?)", (str(time.time()),))
        self.db.execute("INSERT OR REPLACE INTO state VALUES ('writer_pid', ?)", (str(os.getpid()),))

    def writer_pid(self) -> int | None:
        row = self.db.execute("SELECT value FROM state WHERE key='writer_pid'").fetchone()
        return int(row[0]) if row else None

    def version(self) -> int:
        row = self.db.execute("SELECT value FROM state WHERE key='version'").fetchone()
        return int(row[0]) if row else 0

    def chunks(self) -> list[Chunk]:
        rows = self.db.execute("SELECT id, text, metadata FROM chunks ORDER BY source, position")
        return [Chunk.from_metadata(i, t, json.loads(m)) for i, t, m in rows]

    def changes(self, known: dict[str, str]) -> tuple[int, dict[str, str], dict[str, list[Chunk]]]:
        """The catalogue against a reader's copy of it, `known` = {source: sha256} of the files
        the copy holds: the version, the files now, and the chunks of every file that is new or
        changed (a changed file may keep chunk ids with new metadata, e.g. its access level, so
        files are compared, not chunk ids). Read in one transaction: an ingest committing
        meanwhile cannot pair one version with another's chunks."""
        with self.db:
            self.db.execute("BEGIN")
            version = self.version()
            files = dict(self.db.execute("SELECT source, sha256 FROM files"))
            fresh: dict[str, list[Chunk]] = {}
            for source, sha in files.items():
                if known.get(source) != sha:
                    rows = self.db.execute(
                        "SELECT id, text, metadata FROM chunks WHERE source=? ORDER BY position", (source,)
                    )
                    fresh[source] = [Chunk.from_metadata(i, t, json.loads(m)) for i, t, m in rows]
            return version, files, fresh

    def documents(self) -> list[dict]:
        out = []
        for source, doc_id, n in self.db.execute("SELECT source, doc_id, n_chunks FROM files ORDER BY source"):
            row = self.db.execute("SELECT metadata FROM chunks WHERE source=? LIMIT 1", (source,)).fetchone()
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
        rows = self.db.execute(
            "SELECT id, text, metadata FROM chunks WHERE doc_id=? AND page IS ? ORDER BY position", (doc_id, page)
        )
        return [Chunk.from_metadata(i, t, json.loads(m)) for i, t, m in rows]

    def stats(self) -> dict:
        docs = self.db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        chunks = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        row = self.db.execute("SELECT value FROM state WHERE key='last_ingest'").fetchone()
        return {
            "documents": docs,
            "chunks": chunks,
            "last_ingest": float(row[0]) if row else None,
            "version": self.version(),
        }

    def close(self) -> None:
        self.db.close()
