"""The cold-start benchmark at its smoke size, so it does not rot; and its import-time parser
on real `python -X importtime` output. Nothing is timed against a goal here."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.offline import OFFLINE_ENV
from benchmarks.cold_start import top_imports

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.fast


def test_top_imports_reads_real_importtime_output():
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import json, email.message"], capture_output=True, text=True
    )
    names = [name for name, _ in top_imports(proc.stderr, n=50)]
    assert "json" in names and "email.message" in names
    assert "json.decoder" not in names  # imported by json, not by the program: nested, not top level


def test_cold_start_benchmark_runs_at_smoke_size_and_writes_its_report(tmp_path):
    env = {**os.environ, **OFFLINE_ENV}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.cold_start", "--quick", "--out", str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    md = (tmp_path / "cold_start.md").read_text(encoding="utf-8")
    assert "| minilm | the same | 1 |" in md and "| minilm | new each run | 1 |" in md and md.strip() in proc.stdout
    data = json.loads((tmp_path / "cold_start.json").read_text(encoding="utf-8"))
    assert data["command"].startswith("python -m benchmarks.cold_start --quick")
    assert len(data["results"]) == 2
    for result in data["results"]:
        assert result["p50"] > 0 and len(result["seconds"]) == 1
        # The default embedder answers a question in numpy: a cold question never imports torch.
        assert result["torch_imported"] is False
