"""Users and the audit log in a shared PostgreSQL (tests/postgres.py): written by one process,
read by another, with no users file and nothing in the index folder."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assistant.core.settings import Settings
from assistant.features.audit import AuditLog
from assistant.features.users import User, authenticate, get_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def shared(tmp_path, database_url) -> Settings:
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", database_url=database_url)


def _env(s: Settings, **extra: str) -> dict:
    env = {**os.environ, "BRIEFING_INDEX_DIR": str(s.index_dir), "BRIEFING_DATABASE_URL": s.database_url or ""}
    env.pop("BRIEFING_USERS_FILE", None)
    return {**env, **extra}


def test_users_added_with_briefing_user_add_are_found_by_other_processes(shared, tmp_path):
    def add(name: str, role: str, password: str, *flags: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "assistant.cli", "user", "add", name, "--role", role, "--password-stdin", *flags],
            input=password + "\n",
            env=_env(shared),
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = add("ana", "internal", "correct horse battery", "--admin")
    assert done.returncode == 0, done.stderr
    assert "shared database" in done.stdout
    assert authenticate(shared, "ana", "correct horse battery") == User("ana", "internal", True)
    assert get_user(shared, "ana") == User("ana", "internal", True)
    assert authenticate(shared, "ana", "wrong password") is None
    assert get_user(shared, "nobody") is None and authenticate(shared, "nobody", "x" * 8) is None

    assert add("ana", "public", "a new password").returncode == 0  # an update, not a second user
    assert get_user(shared, "ana") == User("ana", "public", False)
    assert authenticate(shared, "ana", "correct horse battery") is None

    # Nothing went to a file, and a process without the database knows no one.
    assert not list(tmp_path.rglob("*.toml")) and not (shared.index_dir / "users.sqlite").exists()
    assert get_user(shared.model_copy(update={"database_url": None}), "ana") is None


def test_audit_entries_written_by_two_processes_are_both_in_the_shared_log(shared):
    record = (
        "from assistant.core.settings import get_settings\n"
        "from assistant.core.types import Answer\n"
        "from assistant.features.audit import AuditLog\n"
        "import os\n"
        "AuditLog(get_settings()).record(Answer(question='asked on ' + os.environ['HOST_NAME'], text='-',"
        " declined=True, citations=[], retrieved=[], backend='extractive', latency_ms={'total': 1.0}),"
        " os.environ['HOST_NAME'], 'public')\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", record], env=_env(shared, HOST_NAME=host), stderr=subprocess.PIPE)
        for host in ("host-a", "host-b")
    ]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read().decode() if p.stderr else ""
    entries = AuditLog(shared).entries(limit=10)
    assert sorted((e["user"], e["question"], e["declined"]) for e in entries) == [
        ("host-a", "asked on host-a", 1),
        ("host-b", "asked on host-b", 1),
    ]
    assert [e["question"] for e in AuditLog(shared).entries(limit=10, user="host-b")] == ["asked on host-b"]
    assert not (shared.index_dir / "audit.sqlite").exists()
    # The administrators' command reads the same log.
    shown = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "audit"], env=_env(shared), capture_output=True, text=True, timeout=120
    )
    assert shown.returncode == 0, shown.stderr
    assert "asked on host-a" in shown.stdout and "asked on host-b" in shown.stdout
