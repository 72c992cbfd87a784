"""Audit log: every question, who asked it with which role, what was cited, whether it was
declined, and which backend answered. Append-only SQLite in the index folder; shown only to
administrators (`briefing audit`), never to other users."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

_SCHEMA = """CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL,
  user TEXT, role TEXT, question TEXT, rewritten TEXT, cited TEXT, declined INTEGER, backend TEXT, total_ms REAL)"""


class AuditLog:
    def __init__(self, index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        self.path = index_dir / "audit.sqlite"

    def _db(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute(_SCHEMA)
        return db

    def record(self, answer, user: str, role: str) -> None:
        cited = [{"doc_id": c.doc_id, "page": c.page} for c in answer.citations]
        db = self._db()
        with db:
            db.execute(
                "INSERT INTO audit (at, user, role, question, rewritten, cited, declined, backend, total_ms) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    time.time(),
                    user,
                    role,
                    answer.question,
                    answer.rewritten_question,
                    json.dumps(cited),
                    int(answer.declined),
                    answer.backend,
                    answer.latency_ms.get("total"),
                ),
            )
        db.close()

    def entries(self, limit: int = 50, user: str | None = None) -> list[dict]:
        db = self._db()
        db.row_factory = sqlite3.Row
        sql = "SELECT * FROM audit" + (" WHERE user = ?" if user else "") + " ORDER BY id DESC LIMIT ?"
        rows = [dict(r) for r in db.execute(sql, ((user,) if user else ()) + (limit,))]
        db.close()
        for r in rows:
            r["cited"] = json.loads(r["cited"])
        return rows
