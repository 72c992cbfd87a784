"""Benchmarks (not tests): each prints a Markdown table and writes it, with the raw numbers as
JSON, to reports/bench/<name>.md and <name>.json. Run one at a time on a small machine:

    python -m benchmarks.ingest       # pages/s and chunks/s, embedder ceiling, tutorial pipeline
    python -m benchmarks.retrieval    # hybrid retrieval latency per stage at 1k/10k/100k chunks
    python -m benchmarks.generation   # first token, tokens/s, answer latency of the embedded LLM

`--quick` runs a small smoke size (what tests/benchmarks runs); see benchmarks/README.md."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

from assistant.core.offline import OFFLINE_ENV
from assistant.features.evaluation.metrics import percentile as nearest_rank

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "reports" / "bench"


def arguments(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="a small smoke size (seconds, not minutes)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the .md and .json reports go")
    return p


def free_port() -> int:
    """A free loopback port for a server started here (or by the tests, which share this)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak RSS) of another running process, e.g. a `chroma run` server."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100), the eval harness's rule; NaN for no values (a
    table cell, not an error)."""
    p = nearest_rank(values, q)
    return float("nan") if p is None else p


def machine() -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "assistant", "ingest", "benchmarks"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    cpu = ""
    try:
        cpu = next(
            l.split(":", 1)[1].strip()
            for l in Path("/proc/cpuinfo").read_text().splitlines()
            if l.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return {
        "commit": commit + ("+local changes" if dirty else ""),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def table(headers: list[str], rows: list[list]) -> str:
    def cell(v):
        if v is None:
            return "\u2014"
        if isinstance(v, float):
            return f"{v:,.1f}" if abs(v) >= 10 else f"{v:.2f}"
        return str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def report(name: str, out: Path, command: str, markdown: str, data: dict) -> str:
    """Print the report and write <out>/<name>.md and <name>.json."""
    m = machine()
    text = (
        f"{markdown}\n\nMeasured with `{command}` at commit {m['commit']} on {m['cpus']} CPU cores "
        f"({m['cpu'] or 'unknown CPU'}), Python {m['python']}, {m['date']}.\n"
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.md").write_text(text, encoding="utf-8")
    (out / f"{name}.json").write_text(
        json.dumps({"command": command, "machine": m, **data}, indent=1), encoding="utf-8"
    )
    print(text)
    return text


def command_line(module: str) -> str:
    return " ".join([f"python -m {module}", *sys.argv[1:]])


def run_phase(module: str, args: list[str], timeout: float | None = None) -> dict:
    """Run one measurement in its own process (its own peak RSS, its own model load) and
    return the JSON it prints on its last line of stdout."""
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), **OFFLINE_ENV}
    proc = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    return json.loads(lines[-1])


def phase(inline: bool, module: str, args: list[str], fn, *fn_args) -> dict:
    """A measurement in its own process, or (--quick: one process, one model load) in this one;
    the JSON round trip keeps both the same."""
    if inline:
        return json.loads(json.dumps(fn(*fn_args)))
    return run_phase(module, args)


def emit(result: dict) -> None:
    """A phase's result, as the last line of its stdout."""
    print(json.dumps(result), flush=True)
