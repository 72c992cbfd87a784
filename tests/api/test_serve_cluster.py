"""The deployment recipe of docs/deployment.md, run as it is written: `scripts/serve-cluster`
starts a real `chroma run`, ingests the corpus into it and a real PostgreSQL (tests/postgres.py
stands in for the operator's own server), starts two `briefing serve` instances on loopback and
says when every /readyz answers; each instance then answers a question; SIGTERM to the script
stops every process it started."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from assistant.core.offline import OFFLINE_ENV
from benchmarks import free_port
from tests.api.documents import PUBLIC_NOTE, SECRET_DOC
from tests.postgres import new_schema

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "serve-cluster"
INSTANCES = 2


def _free_ports(n: int) -> int:
    """The first of n consecutive free loopback ports (the script numbers its instances so)."""
    for _ in range(50):
        first = free_port()
        socks = []
        try:
            for p in range(first, first + n):
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", p))
                socks.append(s)
            return first
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no consecutive free ports")


def _refused(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _lines(stream, out: queue.Queue) -> None:
    for line in stream:
        out.put(line.rstrip("\n"))
    out.put(None)


def test_the_recipe_starts_chroma_and_n_instances_that_answer_and_stops_them_all(tmp_path, postgres_server):
    from assistant.core.settings import Settings
    from assistant.features.tokens import add_token
    from assistant.features.users import add_user

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "subsidies.md").write_text(PUBLIC_NOTE, encoding="utf-8")
    (corpus / "reserves.md").write_text(SECRET_DOC, encoding="utf-8")
    database_url = new_schema(postgres_server)
    # The operator's one-time step (docs/deployment.md): a user and a token in the shared database.
    admin = Settings(corpus_dir=corpus, index_dir=tmp_path / "admin", database_url=database_url)
    add_user(admin, "portal", "password-portal", "public")
    token = add_token(admin, "portal")[0]

    first, chroma_port = _free_ports(INSTANCES), free_port()
    env = {
        **os.environ,
        **OFFLINE_ENV,
        "PYTHONPATH": str(REPO),
        "BRIEFING_CONFIG": str(tmp_path / "none.toml"),
        "BRIEFING_CORPUS_DIR": str(corpus),
        "BRIEFING_DATABASE_URL": database_url,
        "BRIEFING_CROSSLINGUAL_EMBEDDER": "none",  # a second model per instance: time, not what is tested
    }
    state = tmp_path / "cluster"
    stderr = tmp_path / "serve-cluster.log"
    t0 = time.time()
    proc = subprocess.Popen(
        ["bash", str(SCRIPT), "--instances", str(INSTANCES), "--port", str(first)]
        + ["--chroma-port", str(chroma_port), "--state", str(state), "--ready-timeout", "240"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=open(stderr, "w"),
        text=True,
        start_new_session=True,  # its own process group: swept below if anything goes wrong
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
    try:
        urls = []
        deadline = time.time() + 300
        while len(urls) < INSTANCES:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                line = None
            if line is None:
                pytest.fail(f"serve-cluster did not report {INSTANCES} ready instances:\n{stderr.read_text()[-4000:]}")
            if line.startswith("ready "):
                urls.append(line.split()[1])
        started = time.time() - t0
        assert urls == [f"http://127.0.0.1:{first + i}" for i in range(INSTANCES)]

        # What a load balancer checks, then one question through each instance.
        question = "Where are the factories supported by the subsidies?"
        for url in urls:
            assert httpx.get(f"{url}/healthz", timeout=10).json() == {"status": "ok"}
            ready = httpx.get(f"{url}/readyz", timeout=10)
            assert ready.status_code == 200 and ready.json()["status"] == "ready", ready.text
            assert ready.json()["documents"] == 2
            rec = httpx.post(
                f"{url}/v1/ask",
                json={"question": question},
                headers={"Authorization": f"Bearer {token}"},
                timeout=120,
            ).json()
            assert not rec["declined"] and "Kumamoto" in rec["answer"], rec
            assert rec["citations"][0]["source"] == "subsidies.md"
            assert "Sandpiper" not in str(rec)  # the public token reads no restricted document

        # Stopping the script stops everything it started.
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0, stderr.read_text()[-3000:]
        for port in [chroma_port, *range(first, first + INSTANCES)]:
            assert _refused(port), f"port {port} still open after the script stopped"
        with pytest.raises(ProcessLookupError):
            os.killpg(proc.pid, 0)  # no process of the script's group is left
        print(f"serve-cluster: {INSTANCES} instances ready in {started:.1f} s, all stopped in {time.time() - t0:.1f} s")
    finally:
        if proc.poll() is None:
            proc.kill()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
