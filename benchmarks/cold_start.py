"""Cold start of `briefing ask`: wall time of a whole new process answering one question over an
existing index (`python -m assistant.cli ask "…" --json`), N runs per embedder, p50/p95, like
hyperfine; then where the time goes, from one run under `python -X importtime` (the largest
top-level imports, cumulative).

    python -m benchmarks.cold_start                        # 10 runs each of minilm and minilm-numpy
    python -m benchmarks.cold_start --runs 20 --embedder minilm-numpy
    python -m benchmarks.cold_start --quick                # smoke: a 2-document index in a temp dir

Without --quick the index is the configured one (`briefing ingest` first). One run before the
timed ones is not counted (it warms the page cache, as a user's second question would find it).
An index built with either MiniLM serves both: their vectors are equal (tests/index/test_numpy_minilm.py).
Timings on a shared machine are not comparable: run it alone (on the project's 2-core machine,
under `flock /tmp/briefing-heavy.lock`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.core.offline import OFFLINE_ENV
from benchmarks import REPO, arguments, command_line, percentile, report, table

GOAL_S = 3.0
QUESTION = "What does the Economic Security Promotion Act say about critical materials?"
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( +)(\S+)")


def ask_command(question: str, python: str = sys.executable, importtime: bool = False) -> list[str]:
    return [python, *(["-X", "importtime"] if importtime else []), "-m", "assistant.cli", "ask", question, "--json"]


def run_once(env: dict, question: str, importtime: bool = False) -> tuple[float, str]:
    """Seconds of one `briefing ask` process, and its stderr (the import times with -X importtime)."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        ask_command(question, importtime=importtime), cwd=REPO, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0 or '"answer"' not in proc.stdout:
        raise RuntimeError(f"briefing ask failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds, proc.stderr


def top_imports(stderr: str, n: int = 8) -> list[tuple[str, float]]:
    """Top-level imports (no parent in the tree) by cumulative seconds, largest first."""
    rows = []
    for line in stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m and len(m.group(3)) == 1:  # one space: imported by the program itself
            rows.append((m.group(4), int(m.group(2)) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:n]


def small_index(tmp: Path) -> dict:
    """--quick: two shipped statements as the corpus, the index built by the first `ask`."""
    corpus = tmp / "corpus"
    (corpus / "statements").mkdir(parents=True)
    for path in sorted((REPO / "corpus" / "statements").glob("*.md"))[:2]:
        shutil.copy(path, corpus / "statements" / path.name)
    return {"BRIEFING_CORPUS_DIR": str(corpus), "BRIEFING_INDEX_DIR": str(tmp / "index")}


def measure(embedder: str, runs: int, question: str, extra_env: dict) -> dict:
    env = {**os.environ, **OFFLINE_ENV, **extra_env, "BRIEFING_EMBEDDER": embedder}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")
    run_once(env, question)  # warm-up (and, with --quick, the index build): not counted
    seconds = [run_once(env, question)[0] for _ in range(runs)]
    stderr = run_once(env, question, importtime=True)[1]
    imports = top_imports(stderr)
    return {
        "embedder": embedder,
        "runs": runs,
        "seconds": seconds,
        "p50": percentile(seconds, 50),
        "p95": percentile(seconds, 95),
        "min": min(seconds),
        "imports": imports,
        # Whether the question loaded torch at all (at any depth of the import tree).
        "torch_imported": bool(re.search(r"\| +torch$", stderr, re.M)),
    }


def main() -> None:
    p = arguments("Cold start of `briefing ask` (a new process per question)")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--question", default=QUESTION)
    p.add_argument("--embedder", action="append", help="repeatable (default: minilm and minilm-numpy)")
    args = p.parse_args()
    embedders = args.embedder or (["minilm-numpy"] if args.quick else ["minilm", "minilm-numpy"])
    runs = 1 if args.quick else args.runs
    with tempfile.TemporaryDirectory() as tmp:
        extra = small_index(Path(tmp)) if args.quick else {}
        results = [measure(e, runs, args.question, extra) for e in embedders]
    rows = [
        [r["embedder"], r["runs"], r["p50"], r["p95"], r["min"], "yes" if r["p95"] <= GOAL_S else "no"] for r in results
    ]
    parts = [
        "## Cold start of `briefing ask` (new process, existing index)\n",
        table(["embedder", "runs", "p50 s", "p95 s", "min s", f"p95 <= {GOAL_S:g} s"], rows),
    ]
    for r in results:
        parts.append(f"\nLargest top-level imports with `{r['embedder']}` (`python -X importtime`, one run):\n")
        parts.append(table(["module", "cumulative s"], [[m, s] for m, s in r["imports"]]))
    report(
        "cold_start",
        args.out,
        command_line("benchmarks.cold_start"),
        "\n".join(parts),
        {"question": args.question, "goal_s": GOAL_S, "results": results},
    )


if __name__ == "__main__":
    main()
