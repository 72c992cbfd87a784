"""The one place that decides where shared state lives: with `database_url` set (PostgreSQL,
shared by every host), all stores use that database; without it, each store keeps its own SQLite
file in the index folder, as an embedded default that needs no setting.

The stores (catalogue, audit log, users) are written once in SQLAlchemy Core; what differs
between the two dialects is kept here: how a transaction begins, creating tables when several
processes start at once, upserts and the lock that serialises ingests."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import weakref
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event, make_url, text
from sqlalchemy.schema import CreateIndex, CreateTable

# Creating the tables is serialised across processes (two API workers starting at once would
# otherwise both see no table and both CREATE it); any fixed key will do.
_SCHEMA_LOCK = zlib.crc32(b"briefing-schema")


@lru_cache(maxsize=64)
def _engine(url: str, file_id: tuple | None = None) -> Engine:
    if url.startswith("sqlite"):
        eng = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(eng, "connect")
        def _connect(dbapi_conn, _record) -> None:
            # pysqlite only begins a transaction before a write, so two reads "in one
            # transaction" could see two states; BEGIN is emitted below instead (SQLAlchemy's
            # documented recipe). WAL: readers never wait for a writer.
            dbapi_conn.isolation_level = None
            dbapi_conn.execute("PRAGMA journal_mode=WAL")

        @event.listens_for(eng, "begin")
        def _begin(conn) -> None:
            conn.exec_driver_sql("BEGIN")

        return eng
    # pre_ping: a server restarted under a long-running API process is reconnected, not an error.
    return create_engine(url, pool_pre_ping=True)


def sqlite(index_dir: Path, name: str) -> Engine:
    """The embedded store `<index_dir>/<name>`. Its connections are pooled (a new one per call
    cost a millisecond on every query) per file *identity*: an index folder deleted and built
    again gets a new engine, where a pooled connection would go on reading the deleted file."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    path = (index_dir / name).resolve()
    if not path.exists():
        sqlite3.connect(path).close()  # made now, so that its identity is known before any engine
    st = path.stat()
    return _engine(f"sqlite:///{path}", (st.st_dev, st.st_ino))


def database(settings, sqlite_name: str) -> Engine:
    """The engine for one store: the shared database if configured, else `<index>/<sqlite_name>`."""
    if settings.database_url:
        return _engine(settings.database_url)
    return sqlite(Path(settings.index_dir), sqlite_name)


def is_shared(settings) -> bool:
    return bool(getattr(settings, "database_url", None))


def describe(engine: Engine) -> str:
    """The database for a message: never its password."""
    return make_url(str(engine.url)).render_as_string(hide_password=True)


_made: weakref.WeakKeyDictionary[Engine, set[int]] = weakref.WeakKeyDictionary()


def ensure_schema(engine: Engine, metadata: MetaData) -> None:
    """The tables of `metadata`, created if missing: once per engine and process (an API looks a
    user up on every request; checking the tables each time would cost round trips and a lock).
    A SQLite file made anew has an engine of its own (`sqlite`), so it is checked again."""
    done = _made.setdefault(engine, set())
    if id(metadata) in done:
        return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK})
        # IF NOT EXISTS rather than look-then-create: two processes opening a fresh SQLite
        # file at once would both look, and the second CREATE would fail.
        for table in metadata.sorted_tables:
            conn.execute(CreateTable(table, if_not_exists=True))
            for index in table.indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))
    done.add(id(metadata))


def upsert(conn: Connection, table: Table, rows: list[dict], keys: list[str]) -> None:
    """Insert rows, replacing those whose `keys` exist (SQLite's INSERT OR REPLACE, portably)."""
    if not rows:
        return
    stmt = _insert(conn)(table)
    update = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update), rows)


def insert_missing(conn: Connection, table: Table, row: dict, keys: list[str]) -> None:
    conn.execute(_insert(conn)(table).values(**row).on_conflict_do_nothing(index_elements=keys))


def _insert(conn: Connection) -> Any:
    """The dialect's INSERT, which has ON CONFLICT (both spell it alike; Core's has none)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


class Busy(RuntimeError):
    """Another process holds the lock."""


@contextmanager
def exclusive(settings_or_dir, name: str) -> Iterator[None]:
    """Held by one process at a time, for the block, or `Busy` at once. With a shared database a
    PostgreSQL advisory lock (per schema, so two libraries in one database do not block each
    other), taken by hosts that share no file system; otherwise a file lock in the index folder.
    Both end with the process: a killed holder never leaves the lock behind."""
    if is_shared(settings_or_dir):
        with _advisory(_engine(settings_or_dir.database_url), name):
            yield
        return
    folder = Path(getattr(settings_or_dir, "index_dir", settings_or_dir))
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(str(folder)) from None
        fh.write(str(os.getpid()))
        fh.flush()
        yield


@contextmanager
def _advisory(engine: Engine, name: str) -> Iterator[None]:
    conn = engine.connect()
    try:
        key = text("SELECT hashtext(:n), hashtext(current_schema())")
        a, b = conn.execute(key, {"n": name}).one()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": a, "b": b}).scalar()
        # A session lock outlives the transaction: end it, so the ingest holds no transaction open.
        conn.commit()
        if not got:
            raise Busy(describe(engine))
        try:
            yield
        finally:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"), {"a": a, "b": b})
                conn.commit()
            except Exception:
                # Unlocking failed (the connection broke): drop the connection rather than
                # return a session that may still hold the lock to the pool.
                conn.invalidate()
    finally:
        conn.close()
