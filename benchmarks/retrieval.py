"""Retrieval latency, p50/p95 of hybrid retrieval and of each stage (query embedding, dense
search, BM25, fusion, rerank), at 1k, 10k and 100k chunks, with embedded Chroma and with a
real `chroma run` server started on localhost; peak RSS of the process serving the queries.

    python -m benchmarks.retrieval          # 1k, 10k, 100k chunks, both modes (about 10 min on 2 cores)
    python -m benchmarks.retrieval --quick  # 200 and 500 chunks (smoke)

The indexes are built without the ingest: synthetic policy prose (benchmarks/synthetic.py) as
chunk texts, written to the catalogue as the ingest writes them, and vectors made cheaply from
a base set of really embedded texts (each chunk gets a base vector plus noise, normalised):
embedding 100k chunks would take an hour on 2 cores. The query path is the real one: the
Retriever, the MiniLM query embedding, BM25 over the real texts, Chroma, fusion, reranker.
About 10 % of the documents are internal or restricted, so the public role's access filter is
a real filter. The retrieval cache is off while timing (one row shows a cache hit).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import (
    REPO,
    arguments,
    command_line,
    emit,
    free_port,
    peak_rss_mb,
    percentile,
    phase,
    process_peak_rss_mb,
    report,
    table,
)

GOAL_MS = 50.0  # p95 of hybrid retrieval at 10k chunks
STAGES = ["embed", "dense", "bm25", "fusion", "rerank"]
PER_DOC = 100  # chunks per synthetic document


def questions(n: int) -> list[str]:
    out = []
    for name in ("gate", "dev"):
        for line in (REPO / "evals" / "datasets" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)["question"]
                if q not in out:
                    out.append(q)
    distinct = len(out)
    while len(out) < n:  # more than the datasets have: vary them
        out.append(f"{out[len(out) % distinct]} (variant {len(out)})")
    return out[:n]


class Builder:
    """Grows a catalogue and a vector store, PER_DOC chunks per synthetic document."""

    def __init__(self, settings, base_vectors, seed: int = 0) -> None:
        import numpy as np

        from assistant.index.catalog import Catalog
        from assistant.index.stores import open_store

        self.np = np
        self.settings = settings
        self.catalog = Catalog(settings.index_dir)
        self.store = open_store(settings)
        self.base = np.asarray(base_vectors, dtype=np.float32)
        self.rng = random.Random(seed)
        self.nrng = np.random.default_rng(seed)
        self.docs = 0
        self.size = 0

    def grow(self, target: int) -> float:
        from assistant.core.types import Chunk, DocMeta
        from benchmarks.synthetic import TITLES, passage

        np = self.np
        t0 = time.perf_counter()
        while self.size < target:
            d = self.docs
            self.docs += 1
            n = min(PER_DOC, target - self.size)
            r = self.rng.random()
            access = "restricted" if r < 0.04 else "internal" if r < 0.10 else "public"
            meta = DocMeta(
                doc_id=f"syn{d:05d}",
                title=f"{self.rng.choice(TITLES)} {2016 + d % 10}, part {d}",
                source=f"synthetic/{d:05d}.pdf",
                issuer=self.rng.choice(["METI", "MOFA", "Cabinet Office", "NSS"]),
                date=f"{2016 + d % 10}-{1 + d % 12:02d}-01",
                type=self.rng.choice(["analysis", "strategy", "statement", "white paper"]),
                access=access,
            )
            chunks = [Chunk(meta.doc_id, passage(self.rng, 110), p + 1, "", p, meta) for p in range(n)]
            idx = self.nrng.integers(0, len(self.base), size=n)
            vecs = self.base[idx] + self.nrng.normal(0, 0.025, size=(n, self.base.shape[1])).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            self.store.add(chunks, vecs.tolist())
            sha = hashlib.sha256(meta.doc_id.encode()).hexdigest()
            self.catalog.commit([(meta.source, meta.doc_id, sha, 0, chunks)], [])
            self.size += n
        return time.perf_counter() - t0


def base_vectors(n: int) -> list[list[float]]:
    from assistant.index.embedders import get_embedder
    from benchmarks.synthetic import texts

    return get_embedder("minilm").embed_documents(texts(n, seed=99))


def serve(mode: str, sizes: list[int], n_queries: int, n_base: int, work: Path) -> dict:
    """Build and query in this process (the serving process whose peak RSS is reported)."""
    from assistant.core.settings import Settings
    from assistant.retrieval.search import Retriever

    server = None
    settings = Settings(corpus_dir=work / "corpus", index_dir=work / "index", retrieval_cache_size=0)
    if mode == "server":
        server, port = start_chroma(work / "chroma-server")
        settings = settings.model_copy(
            update={"chroma_mode": "http", "chroma_host": "127.0.0.1", "chroma_port": port, "collection": "bench"}
        )
    try:
        t0 = time.perf_counter()
        builder = Builder(settings, base_vectors(n_base))
        base_s = time.perf_counter() - t0
        qs = questions(n_queries)
        retriever = Retriever(settings)  # kept across sizes: its BM25 follows the catalogue incrementally
        retriever.search("warm up the model")
        results = []
        for size in sizes:
            build_s = builder.grow(size)
            t0 = time.perf_counter()
            retriever.snapshot()
            update_s = time.perf_counter() - t0
            full_s = None
            if mode == "embedded":
                t0 = time.perf_counter()
                Retriever(settings, store=retriever.store, embedder=retriever.embedder).snapshot()
                full_s = time.perf_counter() - t0
            for q in qs[:5]:  # warm-up: masks, Chroma's first loads
                retriever.search(q)
            samples = []
            for q in qs:
                retriever._vectors.clear()
                t: dict = {}
                retriever.search(q, timings=t)
                samples.append(t)
            cached = Retriever(
                settings.model_copy(update={"retrieval_cache_size": 64}),
                store=retriever.store,
                embedder=retriever.embedder,
            )
            cached.search(qs[0])
            hit: dict = {}
            cached.search(qs[0], timings=hit)
            row = {
                "size": size,
                "build_s": build_s,
                "bm25_update_s": update_s,
                "bm25_full_s": full_s,
                "cache_hit_ms": hit["total"] * 1000,
            }
            for stage in ["total", *STAGES]:
                ms = [s[stage] * 1000 for s in samples]
                row[stage] = {"p50": percentile(ms, 50), "p95": percentile(ms, 95)}
            results.append(row)
            print(
                f"[retrieval] {mode} {size}: p50 {row['total']['p50']:.1f} ms, p95 {row['total']['p95']:.1f} ms",
                file=sys.stderr,
                flush=True,
            )
        # One more document (100 chunks) into the largest index: what a user's upload costs the
        # running retriever (incremental) against a new one reading every chunk (last row's full build).
        builder.grow(builder.size + PER_DOC)
        t0 = time.perf_counter()
        retriever.snapshot()
        one_file_s = time.perf_counter() - t0
        out = {
            "mode": mode,
            "rows": results,
            "peak_rss_mb": peak_rss_mb(),
            "base_vectors_s": base_s,
            "queries": len(qs),
            "one_file_update_s": one_file_s,
        }
        if server is not None:
            out["server_peak_rss_mb"] = process_peak_rss_mb(server.pid)
        return out
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)


def serve_only(work: Path, n_queries: int) -> dict:
    """A fresh process that only opens an existing embedded index and answers queries: the
    memory of a process serving queries, without what building the index left behind."""
    from assistant.core.settings import Settings
    from assistant.retrieval.search import Retriever

    settings = Settings(corpus_dir=work / "corpus", index_dir=work / "index", retrieval_cache_size=0)
    retriever = Retriever(settings)
    for q in questions(n_queries):
        retriever.search(q)
    return {"chunks": len(retriever.snapshot().ids), "peak_rss_mb": peak_rss_mb()}


def start_chroma(data: Path):
    """A real `chroma run` on a free localhost port (the tests' `chroma_server` fixture too)."""
    import chromadb

    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    data.mkdir(parents=True, exist_ok=True)
    log = open(data / "server.log", "w+")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            return proc, port
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                log.seek(0)
                raise RuntimeError(f"chroma run did not start: {log.read()[-1500:]}")
            time.sleep(0.5)


def main() -> None:
    if "--phase" in sys.argv:
        p = argparse.ArgumentParser()
        p.add_argument("--phase")
        p.add_argument("--mode")
        p.add_argument("--sizes")
        p.add_argument("--queries", type=int)
        p.add_argument("--base", type=int)
        p.add_argument("--work", type=Path)
        a = p.parse_args()
        if a.phase == "serve-only":
            return emit(serve_only(a.work, a.queries))
        return emit(serve(a.mode, [int(s) for s in a.sizes.split(",")], a.queries, a.base, a.work))
    p = arguments(__doc__.split("\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="index sizes in chunks, ascending")
    p.add_argument("--queries", type=int, default=120, help="timed queries per size (default 120)")
    p.add_argument("--base", type=int, default=1000, help="really embedded base vectors (default 1000)")
    p.add_argument("--modes", default="embedded,server")
    a = p.parse_args()
    if a.quick:
        a.sizes, a.queries, a.base = "200,500", 8, 32
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        for mode in a.modes.split(","):
            print(f"[retrieval] {mode}: building and querying ...", file=sys.stderr, flush=True)
            sizes = [int(x) for x in a.sizes.split(",")]
            runs.append(
                phase(
                    a.quick,
                    "benchmarks.retrieval",
                    [
                        "--phase",
                        "serve",
                        "--mode",
                        mode,
                        "--sizes",
                        a.sizes,
                        "--queries",
                        str(a.queries),
                        "--base",
                        str(a.base),
                        "--work",
                        str(Path(tmp) / mode),
                    ],
                    serve,
                    mode,
                    sizes,
                    a.queries,
                    a.base,
                    Path(tmp) / mode,
                )
            )
            if mode == "embedded":
                runs[-1]["serve_only"] = phase(
                    a.quick,
                    "benchmarks.retrieval",
                    ["--phase", "serve-only", "--queries", str(a.queries), "--work", str(Path(tmp) / mode)],
                    serve_only,
                    Path(tmp) / mode,
                    a.queries,
                )
    rows, notes = [], []
    for run in runs:
        for r in run["rows"]:
            rows.append(
                [
                    f"{run['mode']} Chroma",
                    f"{r['size']:,}",
                    r["total"]["p50"],
                    r["total"]["p95"],
                    *[f"{r[s]['p50']:.1f} / {r[s]['p95']:.1f}" for s in STAGES],
                    r["cache_hit_ms"],
                    r["bm25_update_s"],
                    r["bm25_full_s"],
                ]
            )
            if r["size"] == 10000:
                p95 = r["total"]["p95"]
                verdict = (
                    "met" if p95 <= GOAL_MS else f"missed by {p95 - GOAL_MS:.1f} ms ({p95 / GOAL_MS:.1f}x the goal)"
                )
                notes.append(
                    f"- {run['mode']} Chroma at 10k chunks: p95 {p95:.1f} ms (goal <= {GOAL_MS:.0f} ms: {verdict})."
                )
        last = run["rows"][-1]
        rss = (
            f"- {run['mode']} Chroma: peak RSS of the process that built the index and served the queries "
            f"{run['peak_rss_mb']:,.0f} MB"
        )
        if run.get("serve_only"):
            rss += (
                f"; of a fresh process only opening the {run['serve_only']['chunks']:,}-chunk index and serving "
                f"the queries {run['serve_only']['peak_rss_mb']:,.0f} MB"
            )
        if run.get("server_peak_rss_mb"):
            rss += f"; of the `chroma run` server {run['server_peak_rss_mb']:,.0f} MB"
        notes.append(rss + f" (at {last['size']:,} chunks).")
        notes.append(
            f"- {run['mode']} Chroma: one more document (100 chunks) into the {last['size']:,}-chunk index: "
            f"the running retriever's BM25 catches up in {run['one_file_update_s'] * 1000:,.0f} ms"
            + (f" (a full rebuild: {last['bm25_full_s']:.1f} s)." if last.get("bm25_full_s") else ".")
        )
    md = (
        "### Retrieval latency (hybrid, ms)\n\n"
        + table(
            [
                "store",
                "chunks",
                "hybrid p50",
                "hybrid p95",
                *[f"{s} p50 / p95" for s in STAGES],
                "cache hit ms",
                "BM25 update s",
                "BM25 full build s",
            ],
            rows,
        )
        + "\n\n"
        + "\n".join(notes)
        + f"\n\n{runs[0]['queries']} distinct questions (evals/datasets gate + dev) per size, public role, "
        "top 10 of 40 candidates per retriever, reranker `none` (no cross-encoder ships; a configured one "
        "adds its own time). \"BM25 update\": the running retriever catching up with the chunks added since "
        "the previous size (incremental); \"full build\": a new retriever reading every chunk."
    )
    report("retrieval", a.out, command_line("benchmarks.retrieval"), md, {"runs": runs})


if __name__ == "__main__":
    main()
