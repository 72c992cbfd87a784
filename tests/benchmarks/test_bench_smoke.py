"""The benchmark scripts at their smoke size (--quick), so they do not rot. Nothing is timed:
each must run to the end and write its table and JSON."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.offline import OFFLINE_ENV

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    "name, header", [("ingest", "| corpus |"), ("retrieval", "| store |"), ("generation", "| model |")]
)
def test_benchmark_runs_at_smoke_size_and_writes_its_report(name, header, tmp_path):
    env = {**os.environ, **OFFLINE_ENV}
    proc = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{name}", "--quick", "--out", str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    md = (tmp_path / f"{name}.md").read_text(encoding="utf-8")
    assert header in md and md.strip() in proc.stdout
    data = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
    assert data["command"].startswith(f"python -m benchmarks.{name} --quick")
    assert data["machine"]["cpus"] >= 1
