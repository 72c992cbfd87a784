"""`python -m benchmarks.serve --quick`: a real `briefing serve` over a one-document corpus, two
clients for 3 s. Nothing is timed: it must run to the end, answer every request and write its
table and JSON (so the load benchmark does not rot)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.offline import OFFLINE_ENV

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.fast


def test_serve_benchmark_runs_at_smoke_size_without_errors(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.serve", "--quick", "--out", str(tmp_path)],
        cwd=REPO,
        env={**os.environ, **OFFLINE_ENV},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    md = (tmp_path / "serve.md").read_text(encoding="utf-8")
    assert "| workers | clients |" in md and md.strip() in proc.stdout
    data = json.loads((tmp_path / "serve.json").read_text(encoding="utf-8"))
    assert data["command"].startswith("python -m benchmarks.serve --quick")
    (row,) = data["rows"]
    assert row["requests"] > 0 and row["errors"] == 0, row["error_kinds"]
    assert row["p95_ms"] >= row["p50_ms"] > 0
    assert any(p["peak_rss_mb"] for p in row["processes"])
