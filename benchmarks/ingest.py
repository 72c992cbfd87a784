"""Ingest throughput: pages/s and chunks/s of `briefing ingest` on the shipped corpus and on a
synthetic corpus of generated PDFs, beside (same chunks, same run) the embedding model alone,
the ceiling, and beside the LangChain tutorial pipeline (PyPDFLoader/TextLoader ->
RecursiveCharacterTextSplitter(1000, 200) -> Chroma, evals/baseline.py) on the same files.

    python -m benchmarks.ingest            # shipped corpus + 50 PDFs x 100 pages (about 15 min on 2 cores)
    python -m benchmarks.ingest --quick    # 2 PDFs x 3 pages, no shipped corpus (smoke)

Each measurement runs in its own process (its own model load, not counted; its own peak RSS);
with --quick all run in one process (peak RSS is then that process's).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import REPO, arguments, command_line, emit, peak_rss_mb, phase, report, table

GOAL = 0.80  # ingest at >= 80 % of the embedder's own throughput


def phase_ours(corpus: Path, index: Path) -> dict:
    """The real ingest into a fresh index, then the embedder alone on the chunks it made."""
    from assistant.core.settings import Settings
    from assistant.index.catalog import Catalog
    from assistant.index.embedders import get_embedder
    from ingest.pipeline import ingest

    settings = Settings(corpus_dir=corpus, index_dir=index)
    embedder = get_embedder(settings.embedder, settings.embed_batch_size)  # the one load, not timed
    embedder.embed_documents(["warm up"])
    t0 = time.perf_counter()
    rep = ingest(settings, progress=False)
    seconds = time.perf_counter() - t0
    if rep.errors:
        raise SystemExit(rep.summary())
    rss_ingest = peak_rss_mb()
    catalog = Catalog(index)
    texts = [c.embed_text() for c in catalog.chunks()]
    catalog.close()
    t0 = time.perf_counter()
    embedder.embed_documents(texts)  # same model, same batch size, same texts
    ceiling = time.perf_counter() - t0
    return {
        "files": rep.files_ingested,
        "pages": rep.pages,
        "chunks": len(texts),
        "seconds": seconds,
        "embed_seconds": ceiling,
        "peak_rss_mb": rss_ingest,
        "batch_size": settings.embed_batch_size,
    }


def phase_tutorial(corpus: Path, persist: Path) -> dict:
    from pypdf import PdfReader

    from assistant.index.embedders import get_embedder
    from evals.baseline import TutorialPipeline

    embedder = get_embedder("minilm")
    embedder.embed_documents(["warm up"])
    t0 = time.perf_counter()
    pipe = TutorialPipeline(corpus, persist, embedder)
    seconds = time.perf_counter() - t0
    pages = 0
    for p in sorted(corpus.rglob("*")):
        if p.suffix == ".pdf":
            pages += len(PdfReader(p).pages)
        elif p.is_file() and p.suffix in (".md", ".txt", ".html"):
            pages += 1
    return {"pages": pages, "chunks": pipe.n_chunks, "seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def _phase_main(argv: list[str]) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--phase", choices=["ours", "tutorial"])
    p.add_argument("--corpus", type=Path)
    p.add_argument("--work", type=Path)
    a = p.parse_args(argv)
    emit(phase_ours(a.corpus, a.work) if a.phase == "ours" else phase_tutorial(a.corpus, a.work))


def measure(label: str, corpus: Path, work: Path, tutorial: bool, inline: bool) -> dict:
    print(f"[ingest] {label}: our ingest ...", file=sys.stderr, flush=True)
    ours = phase(
        inline,
        "benchmarks.ingest",
        ["--phase", "ours", "--corpus", str(corpus), "--work", str(work / "index")],
        phase_ours,
        corpus,
        work / "index",
    )
    row = {"corpus": label, **ours}
    if tutorial:
        print(f"[ingest] {label}: tutorial pipeline ...", file=sys.stderr, flush=True)
        row["tutorial"] = phase(
            inline,
            "benchmarks.ingest",
            ["--phase", "tutorial", "--corpus", str(corpus), "--work", str(work / "tutorial")],
            phase_tutorial,
            corpus,
            work / "tutorial",
        )
    return row


def main() -> None:
    if "--phase" in sys.argv:
        return _phase_main(sys.argv[1:])
    p = arguments(__doc__.split("\n")[0])
    p.add_argument("--pdfs", type=int, default=50, help="synthetic PDFs (default 50)")
    p.add_argument("--pages", type=int, default=100, help="pages per synthetic PDF (default 100)")
    p.add_argument("--no-shipped", action="store_true", help="skip the shipped corpus")
    p.add_argument("--no-tutorial", action="store_true", help="skip the LangChain tutorial pipeline")
    a = p.parse_args()
    if a.quick:
        a.pdfs, a.pages, a.no_shipped = 2, 3, True
    from benchmarks.synthetic import make_pdfs

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmp = Path(tmp)
        if not a.no_shipped:
            rows.append(
                measure("shipped corpus (corpus/)", REPO / "corpus", tmp / "shipped", not a.no_tutorial, a.quick)
            )
        print(f"[ingest] generating {a.pdfs} PDFs x {a.pages} pages ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        make_pdfs(tmp / "synthetic", a.pdfs, a.pages)
        generated = time.perf_counter() - t0
        rows.append(
            measure(
                f"synthetic: {a.pdfs} PDFs x {a.pages} pages",
                tmp / "synthetic",
                tmp / "syn",
                not a.no_tutorial,
                a.quick,
            )
        )
        shutil.rmtree(tmp / "synthetic", ignore_errors=True)

    out_rows, notes = [], []
    for r in rows:
        pages_s, chunks_s, ceil_s = (
            r["pages"] / r["seconds"],
            r["chunks"] / r["seconds"],
            r["chunks"] / r["embed_seconds"],
        )
        ratio = chunks_s / ceil_s
        t = r.get("tutorial")
        out_rows.append(
            [
                r["corpus"],
                r["files"],
                r["pages"],
                r["chunks"],
                r["seconds"],
                pages_s,
                chunks_s,
                ceil_s,
                f"{ratio:.0%}",
                r["peak_rss_mb"],
                None if not t else t["chunks"],
                None if not t else t["seconds"],
                None if not t else t["pages"] / t["seconds"],
                None if not t else f"{(r['pages'] / r['seconds']) / (t['pages'] / t['seconds']):.2f}x",
                None if not t else t["peak_rss_mb"],
            ]
        )
        r.update(pages_per_s=pages_s, chunks_per_s=chunks_s, ceiling_chunks_per_s=ceil_s, ratio_to_ceiling=ratio)
        verdict = "met" if ratio >= GOAL else f"missed by {GOAL - ratio:.0%} points"
        notes.append(
            f"- {r['corpus']}: ingest at {ratio:.0%} of the embedder's own throughput (goal >= {GOAL:.0%}: {verdict})."
        )
    md = (
        "### Ingest throughput\n\n"
        + table(
            [
                "corpus",
                "files",
                "pages",
                "chunks",
                "ingest s",
                "pages/s",
                "chunks/s",
                "embedder alone chunks/s",
                "ingest / embedder",
                "ingest peak RSS MB",
                "tutorial chunks",
                "tutorial s",
                "tutorial pages/s",
                "ours / tutorial (pages/s)",
                "tutorial peak RSS MB",
            ],
            out_rows,
        )
        + "\n\n"
        + "\n".join(notes)
        + f"\n\nSynthetic PDFs generated in {generated:.0f} s (not counted). Model load not counted (one per "
        "process, done before the clock starts); each column measured in its own process. The tutorial "
        "pipeline splits into 1,000-character chunks with 200 overlap, so its chunk count differs: "
        "compare pages/s."
    )
    report("ingest", a.out, command_line("benchmarks.ingest"), md, {"rows": rows, "generate_seconds": generated})


if __name__ == "__main__":
    main()
