"""The one place that decides where shared state lives: with `database_url` set (PostgreSQL,
shared by every host), all stores use that database; without it, each store keeps its own SQLite
file in the index folder, as an embedded default that needs no setting."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event


@lru_cache(maxsize=16)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        eng = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(eng, "connect")
        def _wal(dbapi_conn, _record) -> None:  # readers never wait for a writer
            dbapi_conn.execute("PRAGMA journal_mode=WAL")

        return eng
    return create_engine(url, pool_pre_ping=True)


def database(settings, sqlite_name: str) -> Engine:
    """The engine for one store: the shared database if configured, else `<index>/<sqlite_name>`."""
    if settings.database_url:
        return _engine(settings.database_url)
    index_dir = Path(settings.index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    return _engine(f"sqlite:///{(index_dir / sqlite_name).resolve()}")


def is_shared(settings) -> bool:
    return bool(settings.database_url)
