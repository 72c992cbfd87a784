"""The HTTP API under load: N concurrent clients asking questions through `POST /v1/ask` of a
real `briefing serve` (extractive backend), with 1 and 2 API worker processes.

    python -m benchmarks.serve                               # 4 and 8 clients, 30 s each, 1 and 2 workers
    python -m benchmarks.serve --clients 32 --duration 60    # the issue's bar
    python -m benchmarks.serve --quick                       # a tiny corpus, seconds (the smoke test)

The server runs over the shipped corpus (ingested into a temporary folder first, or
`--index-dir DIR` reused), bound to 127.0.0.1 only; the clients run in this process (asyncio +
httpx, one connection and one token each) and ask the questions of evals/datasets in turn.
Each row: completed requests per second, p50/p95/p99 latency as the client saw it, errors
(anything but 200, timeouts and refused connections included) and the peak RSS (VmHWM, from
/proc) of every server process so far. Before measuring, every worker answers once and a short
warm-up load runs unmeasured. The retrieval cache is off unless `--cache`: with the cache on, a
question asked again is a dictionary lookup and the figures would measure the cache.

Bounded on purpose: at most 256 clients and 600 s a row."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from assistant.core.offline import OFFLINE_ENV
from benchmarks import REPO, arguments, command_line, free_port, percentile, process_peak_rss_mb, report, table

MAX_CLIENTS = 256
MAX_DURATION = 600.0
HOST = "127.0.0.1"  # loopback only: this benchmark never targets another machine

QUICK_DOC = """---
title: Public note on semiconductor subsidies
access: public
type: analysis
date: '2024-05-01'
---

# Subsidies

The Ministry of Economy, Trade and Industry allocated 3.9 trillion yen to semiconductor manufacturing between 2021 and 2023.
The subsidies support factories built by TSMC in Kumamoto and by Rapidus in Hokkaido, which aims to mass-produce 2-nanometre chips in 2027.
"""


def questions() -> list[str]:
    from benchmarks.retrieval import questions as dataset_questions

    return dataset_questions(200)


def process_tree(pid: int) -> list[tuple[int, str]]:
    """(pid, role) of the server: the uvicorn process and, with several workers, its children."""
    out = [(pid, "server")]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    if children:
        out = [(pid, "supervisor")]
    for c in children:
        try:
            cmd = Path(f"/proc/{c}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        out.append((int(c), "resource tracker" if "resource_tracker" in cmd else "worker"))
    return out


class Server:
    """`briefing serve` with W workers, started here and stopped by its process id."""

    def __init__(self, env: dict, workers: int, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log = open(log, "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "assistant.cli",
                "serve",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--no-ingest",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=REPO,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.workers = workers

    def wait_ready(self, token: str, question: str, timeout: float = 600) -> None:
        """Ready when /readyz says so on fresh connections many times in a row (the kernel hands
        new connections to the workers in turn) and every worker has answered a question."""
        deadline = time.time() + timeout
        streak = 0
        while streak < 6 * self.workers:
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"briefing serve did not become ready: {Path(self.log.name).read_text()[-2000:]}")
            try:
                ok = httpx.get(f"{self.url}/readyz", timeout=10).status_code == 200
            except httpx.TransportError:
                ok = False
            streak = streak + 1 if ok else 0
            time.sleep(0.05 if ok else 0.5)
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(4 * self.workers):
            httpx.post(f"{self.url}/v1/ask", json={"question": question}, headers=headers, timeout=300)

    def rss(self) -> list[dict]:
        return [
            {"pid": p, "role": role, "peak_rss_mb": process_peak_rss_mb(p)} for p, role in process_tree(self.proc.pid)
        ]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


async def _client(url: str, token: str, qs: list[str], start: int, step: int, stop_at: float, out: list) -> None:
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
        i = start
        while time.perf_counter() < stop_at:
            q = qs[i % len(qs)]
            i += step
            t0 = time.perf_counter()
            try:
                r = await client.post("/v1/ask", json={"question": q})
                status = str(r.status_code)
                if r.status_code == 200 and "answer" not in r.json():
                    status = "malformed"
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            out.append((time.perf_counter() - t0, status, time.perf_counter()))


async def _load(url: str, tokens: list[str], qs: list[str], duration: float) -> tuple[list, float]:
    out: list = []
    t0 = time.perf_counter()
    stop_at = t0 + duration
    await asyncio.gather(*(_client(url, tok, qs, i, len(tokens), stop_at, out) for i, tok in enumerate(tokens)))
    # Requests in flight at the end finish and count; throughput is over the whole span.
    return out, max([end for _, _, end in out], default=stop_at) - t0


def run_load(url: str, tokens: list[str], qs: list[str], duration: float) -> dict:
    results, span = asyncio.run(_load(url, tokens, qs, duration))
    ok = [lat * 1000 for lat, status, _ in results if status == "200"]
    errors: dict[str, int] = {}
    for _, status, _ in results:
        if status != "200":
            errors[status] = errors.get(status, 0) + 1
    return {
        "clients": len(tokens),
        "duration_s": round(span, 2),
        "requests": len(results),
        "rps": len(ok) / span if span > 0 else 0.0,
        "p50_ms": percentile(ok, 50),
        "p95_ms": percentile(ok, 95),
        "p99_ms": percentile(ok, 99),
        "errors": sum(errors.values()),
        "error_kinds": errors,
    }


def prepare(root: Path, quick: bool, index_dir: Path | None) -> dict:
    """The environment of the server: corpus, index, a users file; the index built if missing."""
    env = {
        **os.environ,
        **OFFLINE_ENV,
        "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "BRIEFING_CONFIG": str(root / "none.toml"),
        "BRIEFING_USERS_FILE": str(root / "users.toml"),
        # The benchmark measures capacity, not the per-token limit.
        "BRIEFING_API_RATE_PER_MINUTE": "1000000",
        "BRIEFING_API_BURST": "1000000",
    }
    if quick:
        corpus = root / "corpus"
        corpus.mkdir()
        (corpus / "note.md").write_text(QUICK_DOC, encoding="utf-8")
        env["BRIEFING_CROSSLINGUAL_EMBEDDER"] = "none"
    else:
        corpus = REPO / "corpus"
    env["BRIEFING_CORPUS_DIR"] = str(corpus)
    env["BRIEFING_INDEX_DIR"] = str(index_dir or root / "index")
    if not (index_dir and index_dir.is_dir() and any(index_dir.iterdir())):
        print(f"ingesting {corpus} ...", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, "-m", "assistant.cli", "ingest", "--quiet"], env=env, cwd=REPO, check=True, timeout=3600
        )
    return env


def make_tokens(env: dict, n: int) -> list[str]:
    """One user, one token per client (each client its own rate bucket and connection)."""
    from assistant.core.settings import Settings
    from assistant.features.tokens import add_token
    from assistant.features.users import add_user

    s = Settings(
        index_dir=Path(env["BRIEFING_INDEX_DIR"]),
        users_file=Path(env["BRIEFING_USERS_FILE"]),
        corpus_dir=Path(env["BRIEFING_CORPUS_DIR"]),
    )
    add_user(s, "bench", "bench-password", "public")
    return [add_token(s, "bench", note="benchmarks.serve")[0] for _ in range(n)]


def main() -> None:
    p = arguments(__doc__.splitlines()[0])
    p.add_argument("--clients", default="4,8", help="concurrent clients per row, comma-separated")
    p.add_argument("--duration", type=float, default=30.0, help="seconds of load per row")
    p.add_argument("--workers", default="1,2", help="API worker processes, comma-separated")
    p.add_argument("--warmup", type=float, default=5.0, help="seconds of unmeasured load before the rows")
    p.add_argument("--index-dir", type=Path, default=None, help="reuse this index of the shipped corpus")
    p.add_argument("--cache", action="store_true", help="keep the retrieval cache on")
    args = p.parse_args()
    if args.quick:
        args.clients, args.duration, args.workers, args.warmup = "2", 3.0, "1", 1.0
    clients = [int(c) for c in args.clients.split(",")]
    workers = [int(w) for w in args.workers.split(",")]
    if not all(1 <= c <= MAX_CLIENTS for c in clients) or not 0 < args.duration <= MAX_DURATION:
        p.error(f"clients 1..{MAX_CLIENTS}, duration up to {MAX_DURATION:g} s")
    if not all(1 <= w <= (os.cpu_count() or 1) * 4 for w in workers):
        p.error("workers 1..4 per CPU core")

    root = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    rows, raw = [], []
    try:
        env = prepare(root, args.quick, args.index_dir)
        if not args.cache:
            env["BRIEFING_RETRIEVAL_CACHE_SIZE"] = "0"
        tokens = make_tokens(env, max(clients))
        qs = questions()
        for w in workers:
            server = Server(env, w, root / f"serve-{w}.log")
            try:
                server.wait_ready(tokens[0], qs[0])
                run_load(server.url, tokens[: max(clients)], qs, args.warmup)
                for n in clients:
                    result = run_load(server.url, tokens[:n], qs, args.duration)
                    procs = server.rss()
                    result.update(workers=w, processes=procs)
                    raw.append(result)
                    worker_rss = [x["peak_rss_mb"] for x in procs if x["role"] in ("server", "worker")]
                    rows.append(
                        [
                            w,
                            n,
                            result["duration_s"],
                            result["requests"],
                            result["rps"],
                            result["p50_ms"],
                            result["p95_ms"],
                            result["p99_ms"],
                            result["errors"],
                            " / ".join(f"{x:,.0f}" for x in worker_rss if x is not None),
                        ]
                    )
                    print(
                        f"workers {w}, clients {n}: {result['rps']:.1f} req/s, p95 {result['p95_ms']:.0f} ms, "
                        f"{result['errors']} errors",
                        file=sys.stderr,
                        flush=True,
                    )
            finally:
                server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)

    corpus = "a one-document corpus (--quick)" if args.quick else "the shipped corpus"
    markdown = (
        f"## `briefing serve` under load: POST /v1/ask, extractive backend, {corpus}\n\n"
        + table(
            [
                "workers",
                "clients",
                "span s",
                "requests",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "errors",
                "peak RSS per worker MB",
            ],
            rows,
        )
        + f"\n\nRetrieval cache {'on' if args.cache else 'off'}; clients and server on one machine over loopback."
    )
    report("serve", args.out, command_line("benchmarks.serve"), markdown, {"rows": raw})


if __name__ == "__main__":
    main()
