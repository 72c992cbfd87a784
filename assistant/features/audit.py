"""Audit log: every question, who asked it with which role, what was cited, whether it was
declined, and which backend answered. Append-only, in SQLite in the index folder or, with
`database_url` set, in the shared database, so that every host's questions are in one log;
shown only to administrators (`briefing audit`), never to other users."""

from __future__ import annotations

import json
import time
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text, insert, select

from assistant.index.database import database, ensure_schema, sqlite

SQLITE_NAME = "audit.sqlite"

# The columns of the sqlite3 table this replaced, so existing logs open unchanged.
_META = MetaData()
audit_t = Table(
    "audit",
    _META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("user", Text),
    Column("role", Text),
    Column("question", Text),
    Column("rewritten", Text),
    Column("cited", Text),
    Column("declined", Integer),
    Column("backend", Text),
    Column("total_ms", Float),
    sqlite_autoincrement=True,
)


class AuditLog:
    def __init__(self, where) -> None:
        """`where`: the settings (the shared database when `database_url` is set), or an index
        folder (its own SQLite file)."""
        if isinstance(where, (str, Path)):
            self.engine = sqlite(Path(where), SQLITE_NAME)
        else:
            self.engine = database(where, SQLITE_NAME)
        self.path: Path | None = Path(self.engine.url.database or "") if self.engine.dialect.name == "sqlite" else None
        self._ready = False

    def _begin(self):
        # Tables made on first use, not on opening: a front end opens the log before anyone asks.
        if not self._ready:
            ensure_schema(self.engine, _META)
            self._ready = True
        return self.engine.begin()

    def record(self, answer, user: str, role: str) -> None:
        cited = [{"doc_id": c.doc_id, "page": c.page} for c in answer.citations]
        with self._begin() as c:
            c.execute(
                insert(audit_t).values(
                    at=time.time(),
                    user=user,
                    role=role,
                    question=answer.question,
                    rewritten=answer.rewritten_question,
                    cited=json.dumps(cited),
                    declined=int(answer.declined),
                    backend=answer.backend,
                    total_ms=answer.latency_ms.get("total"),
                )
            )

    def entries(self, limit: int = 50, user: str | None = None) -> list[dict]:
        query = select(audit_t).order_by(audit_t.c.id.desc()).limit(limit)
        if user:
            query = query.where(audit_t.c.user == user)
        with self._begin() as c:
            rows = [dict(r) for r in c.execute(query).mappings()]
        for r in rows:
            r["cited"] = json.loads(r["cited"])
        return rows
