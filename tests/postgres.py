"""A real PostgreSQL for the shared-state tests: Debian's server binaries, a cluster made by
initdb in a temporary folder, listening on loopback only (a free port) and a private socket
folder, for the whole session. Each test gets a schema of its own (the URL's search_path), so
tests never see each other's catalogue, audit log or users.

PostgreSQL refuses to run as root, and CI runs as root: there the server runs as the
`postgres` account (Debian's package creates it), or `nobody` without one.

With BRIEFING_TEST_POSTGRES=1 (scripts/test) a server that cannot start fails the tests; without
it, a machine with no PostgreSQL installed skips them, saying why."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

REQUIRED = os.environ.get("BRIEFING_TEST_POSTGRES") == "1"


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("postgres")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, proc: subprocess.Popen, port: int, folder: Path, log: Path) -> None:
        self.proc, self.port, self.folder, self.log = proc, port, folder, log
        self.url = f"postgresql+psycopg://briefing@127.0.0.1:{port}/postgres"

    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=briefing dbname=postgres"

    def stop(self) -> None:
        # SIGTERM's "smart" shutdown would wait for every client to leave; SIGINT is "fast".
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Server:
    """initdb + postgres, ready to accept connections, or RuntimeError saying why not."""
    import psycopg

    bindir = _bindir()
    if bindir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (Debian: apt-get install postgresql)")
    # Not under pytest's tmp folder: that one is private to root (0700), and the server account
    # must reach its data and socket folders.
    folder = Path(tempfile.mkdtemp(prefix="briefing-pg-"))
    data, sockets, log = folder / "data", folder / "sockets", folder / "server.log"
    sockets.mkdir()
    kw: dict = {}
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            account = pwd.getpwnam("nobody")
        os.chmod(folder, 0o755)
        for p in (folder, sockets):
            os.chown(p, account.pw_uid, account.pw_gid)
        kw = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    init = subprocess.run(
        [str(bindir / "initdb"), "-D", str(data), "-U", "briefing", "--auth=trust", "-E", "UTF8", "--no-sync"],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        **kw,
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {init.stderr.strip()[-2000:]}")
    port = _free_port()
    with open(log, "w") as fh:
        if kw:
            os.chown(log, kw["user"], kw["group"])
        proc = subprocess.Popen(
            [
                str(bindir / "postgres"),
                "-D", str(data),
                "-p", str(port),
                "-k", str(sockets),
                "-c", "listen_addresses=127.0.0.1",  # loopback only
                "-c", "fsync=off",  # a throwaway cluster: durability is not what is tested
                "-c", "max_connections=100",
            ],
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=folder,
            **kw,
        )  # fmt: skip
    server = Server(proc, port, folder, log)
    deadline = time.time() + 60
    while True:
        try:
            psycopg.connect(server.dsn(), connect_timeout=2).close()
            return server
        except psycopg.OperationalError:
            if proc.poll() is not None or time.time() > deadline:
                text = log.read_text(errors="replace")[-2000:]
                server.stop()
                raise RuntimeError(f"PostgreSQL did not start: {text}") from None
            time.sleep(0.2)


def new_schema(server: Server) -> str:
    """A fresh schema and the SQLAlchemy URL that uses it (libpq's `options` sets search_path)."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{server.url}?options=-csearch_path%3D{name}"


@pytest.fixture(scope="session")
def postgres_server():
    try:
        server = start()
    except FileNotFoundError as exc:
        if REQUIRED:
            pytest.fail(f"BRIEFING_TEST_POSTGRES=1 but {exc}")
        pytest.skip(str(exc))
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


@pytest.fixture
def database_url(postgres_server):
    """A database URL of the test's own (a fresh schema of the session's server)."""
    from assistant.index.database import database

    url = new_schema(postgres_server)
    yield url
    # Each schema's URL has an engine (and its pooled connections) of its own: closed here, or
    # a long run would reach the server's connection limit.
    database(SimpleNamespace(database_url=url), "").dispose()
