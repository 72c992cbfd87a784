"""Two `briefing serve` processes on one library, as two hosts would run them: a real
PostgreSQL (catalogue, users, tokens, audit log; tests/postgres.py) and a real `chroma run`
(vectors), one shared corpus folder, an index folder of their own each. A third process
ingests. What one process or host does, the other answers from within seconds; a token made
once works on both; a public token sees no restricted document on either."""

from __future__ import annotations

import os
import subprocess
import sys
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
BRIEFING = [sys.executable, "-m", "assistant.cli"]

LATER = """---
title: Public note on port security
access: public
type: analysis
date: '2025-02-01'
---

# Ports

The port security programme installs cargo scanners at Nagoya and Hakata, with 62 scanners in service by March 2026.
"""


def _serve(env: dict, index: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [*BRIEFING, "serve", "--port", str(port), "--no-access-log"],
        env={**env, "BRIEFING_INDEX_DIR": str(index)},
        cwd=index.parent,
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
    )
    return proc, f"http://127.0.0.1:{port}"


def _wait_ready(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.time() + 300
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail(f"briefing serve did not become ready:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def hosts(tmp_path_factory, postgres_server, chroma_server):
    from assistant.core.settings import Settings
    from assistant.features.tokens import add_token
    from assistant.features.users import add_user

    root = tmp_path_factory.mktemp("two-servers")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "subsidies.md").write_text(PUBLIC_NOTE, encoding="utf-8")
    url = new_schema(postgres_server)
    env = {
        **os.environ,
        **OFFLINE_ENV,
        "PYTHONPATH": str(REPO),
        "BRIEFING_CONFIG": str(root / "none.toml"),
        "BRIEFING_CORPUS_DIR": str(corpus),
        "BRIEFING_DATABASE_URL": url,
        "BRIEFING_CHROMA_MODE": "http",
        "BRIEFING_CHROMA_HOST": "127.0.0.1",
        "BRIEFING_CHROMA_PORT": str(chroma_server),
        "BRIEFING_COLLECTION": f"api{abs(hash(str(root))):x}"[:60],
        "BRIEFING_CROSSLINGUAL_EMBEDDER": "none",
    }
    # The third process: the first ingest, before the servers start.
    ingest = subprocess.run(
        [*BRIEFING, "ingest", "--quiet"],
        env={**env, "BRIEFING_INDEX_DIR": str(root / "c")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ingest.returncode == 0, ingest.stderr[-2000:]
    settings = Settings(corpus_dir=corpus, index_dir=root / "c", database_url=url)
    add_user(settings, "pub", "password-pub", "public")
    add_user(settings, "boss", "password-boss", "restricted", admin=True)
    tokens = {"pub": add_token(settings, "pub")[0], "boss": add_token(settings, "boss")[0]}
    servers = [_serve(env, root / name, root / f"{name}.log") for name in ("a", "b")]
    for (proc, base), name in zip(servers, ("a", "b")):
        _wait_ready(proc, base, root / f"{name}.log")
    yield {"a": servers[0][1], "b": servers[1][1], "tokens": tokens, "env": env, "root": root, "corpus": corpus}
    for proc, _ in servers:
        proc.terminate()
    for proc, _ in servers:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _client(hosts, host: str, user: str) -> httpx.Client:
    return httpx.Client(base_url=hosts[host], headers={"Authorization": f"Bearer {hosts['tokens'][user]}"}, timeout=120)


def _answered_within(client: httpx.Client, question: str, needle: str, seconds: float = 10.0) -> float:
    """Seconds until `needle` is in the answer, asking again meanwhile; fails after `seconds`."""
    t0 = time.time()
    while True:
        rec = client.post("/v1/ask", json={"question": question}).json()
        if not rec["declined"] and needle in rec["answer"]:
            return time.time() - t0
        assert time.time() - t0 < seconds, rec["answer"]
        time.sleep(0.3)


def test_one_token_works_on_both_processes_with_the_role_of_the_shared_user_record(hosts):
    for host in ("a", "b"):
        with _client(hosts, host, "pub") as c:
            assert c.get("/v1/me").json()["role"] == "public"
        with _client(hosts, host, "boss") as c:
            assert c.get("/v1/me").json()["admin"] is True


def test_a_document_ingested_by_a_third_process_is_answerable_through_both(hosts):
    question = "How many cargo scanners will be in service by March 2026?"
    with _client(hosts, "a", "pub") as a, _client(hosts, "b", "pub") as b:
        assert a.post("/v1/ask", json={"question": question}).json()["declined"]
        (hosts["corpus"] / "ports.md").write_text(LATER, encoding="utf-8")
        done = subprocess.run(
            [*BRIEFING, "ingest", "--quiet"],
            env={**hosts["env"], "BRIEFING_INDEX_DIR": str(hosts["root"] / "c")},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert _answered_within(a, question, "62 scanners") < 10
        assert _answered_within(b, question, "62 scanners") < 10


def test_an_upload_through_one_process_is_answerable_through_the_other_and_removable_there(hosts):
    text = b"Export controls on lithography equipment were tightened in July 2023 to cover 23 items of chip-making equipment.\n"
    question = "How many items of equipment did the export controls cover?"
    with _client(hosts, "a", "pub") as a, _client(hosts, "b", "pub") as b:
        r = a.post("/v1/documents", files={"file": ("controls.txt", text)}, data={"access": "public"})
        assert r.status_code == 201, r.text
        source = r.json()["source"]
        assert _answered_within(b, question, "23 items") < 10
        assert b.delete(f"/v1/documents/{source}").status_code == 200
        assert source not in {d["source"] for d in a.get("/v1/documents").json()["documents"]}


def test_a_restricted_document_stays_hidden_from_a_public_token_on_both(hosts):
    (hosts["corpus"] / "reserves.md").write_text(SECRET_DOC, encoding="utf-8")
    done = subprocess.run(
        [*BRIEFING, "ingest", "--quiet"],
        env={**hosts["env"], "BRIEFING_INDEX_DIR": str(hosts["root"] / "c")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    question = "What is the codename of the stockpile reserve managed by METI and JOGMEC?"
    with _client(hosts, "b", "boss") as boss:
        assert _answered_within(boss, question, "Sandpiper") < 10  # the control: it is there
    for host in ("a", "b"):
        with _client(hosts, host, "pub") as c:
            answer = c.post("/v1/ask", json={"question": question}).text.lower()
            assert "sandpiper" not in answer and "tomakomai" not in answer
            assert "reserves.md" not in c.get("/v1/documents").text


def test_the_audit_log_is_shared(hosts):
    question = "Where are the TSMC factories supported by the subsidies?"
    with _client(hosts, "a", "pub") as a:
        a.post("/v1/ask", json={"question": question})
    with _client(hosts, "b", "boss") as b:
        entries = b.get("/v1/audit", params={"user": "pub", "limit": 20}).json()["entries"]
    assert any(e["question"] == question for e in entries)
