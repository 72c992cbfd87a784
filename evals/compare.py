"""Side by side, in one run: the project's pipeline, its ablations and the LangChain tutorial
pipeline, over the same corpus and datasets. Writes results, metrics and a Markdown report.

    python -m evals.compare [--datasets A.jsonl B.jsonl] [--out reports/eval]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from assistant.features.evaluation.dataset import half, read_jsonl
from assistant.features.evaluation.metrics import ANSWER_METRICS, RETRIEVAL_METRICS, aggregate
from assistant.features.evaluation.run import run

DATASETS = [
    Path(f"evals/datasets/{name}.jsonl")
    for name in ("dev", "japanese", "conversations", "nearmiss", "crosslingual", "buried", "metadata", "plain")
]
RETRIEVAL = list(RETRIEVAL_METRICS)
ANSWERS = [*ANSWER_METRICS, "correct_decline", "truthfulness"]
LATENCY = ["retrieve_p50_ms", "retrieve_p95_ms", "answer_p50_ms", "answer_p95_ms"]


def configurations(settings, tutorial_dir: Path):
    """(name, assistant-like object, retrieval mode, answers scored?)"""
    from assistant.answering.engine import Assistant
    from assistant.index.embedders import get_embedder
    from evals.baseline import TutorialPipeline

    ours = Assistant(settings, backend="extractive")
    reranked = settings.reranker != "none"
    yield (f"pipeline: hybrid{' + rerank' if reranked else ' (no reranker ships)'}", ours, "hybrid", True)
    yield ("ablation: dense only", ours, "dense", True)
    yield ("ablation: BM25 only", ours, "lexical", True)
    tutorial = TutorialPipeline(settings.corpus_dir, tutorial_dir, get_embedder(settings.embedder))
    yield (f"LangChain tutorial ({tutorial.n_chunks} chunks)", tutorial, "", False)


def table(rows: list[tuple[str, dict, bool]], keys: list[str]) -> str:
    head = "| configuration | " + " | ".join(keys) + " |\n|---|" + "---|" * len(keys) + "\n"
    body = ""
    for name, m, answered in rows:
        cells = []
        for k in keys:
            v = m.get(k)
            if v is None or (not answered and k in ANSWERS):
                cells.append("\u2014")
            else:
                cells.append(f"{v:.0f}" if k.endswith("_ms") else f"{v:.3f}")
        body += f"| {name} | " + " | ".join(cells) + " |\n"
    return head + body


def plots(rows: dict, latencies: dict, out: Path) -> list[str]:
    """hit@k per configuration and dataset, and the distribution of retrieval latency."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    fig, axes = plt.subplots(1, len(rows), figsize=(5 * len(rows), 3.6), squeeze=False)
    for ax, (path, r) in zip(axes[0], rows.items()):
        for name, m, _ in r:
            ax.plot([1, 5, 10], [m["hit@1"], m["hit@5"], m["hit@10"]], marker="o", label=name.split(" (")[0])
        ax.set_title(path.stem)
        ax.set_xlabel("k")
        ax.set_ylabel("hit@k")
        ax.set_ylim(0, 1.02)
        ax.set_xticks([1, 5, 10])
    axes[0][0].legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(out / "hit_at_k.png", dpi=110)
    names.append("hit_at_k.png")
    fig, ax = plt.subplots(figsize=(6, 3.4))
    for name, values in latencies.items():
        ax.hist(values, bins=30, alpha=0.55, label=name.split(" (")[0])
    ax.set_xlabel("retrieval latency per question (ms)")
    ax.set_ylabel("questions")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "retrieval_latency.png", dpi=110)
    names.append("retrieval_latency.png")
    plt.close("all")
    return names


def main(argv: list[str] | None = None) -> int:
    from assistant.core.settings import get_settings
    from ingest.bootstrap import ensure_index

    parser = argparse.ArgumentParser(description="Compare the pipeline, ablations and the tutorial baseline.")
    parser.add_argument("--datasets", nargs="+", type=Path, default=DATASETS)
    parser.add_argument("--out", type=Path, default=Path("reports/eval"))
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument(
        "--split", choices=["tune", "test"], default=None, help="one half of every dataset (the README reports test)"
    )
    args = parser.parse_args(argv)

    settings = get_settings()
    ensure_index(settings)
    args.out.mkdir(parents=True, exist_ok=True)
    data = {p: half(read_jsonl(p), args.split) for p in args.datasets}
    report = [
        "# Evaluation report",
        "",
        f"Corpus: `{settings.corpus_dir.name}/`, embedder `{settings.embedder}`, k={args.k}, "
        "answers by the extractive backend. Metrics as in EVAL_FORMAT.md, computed offline "
        "(no LLM judge). Faithfulness is the lexical support check of `assistant/answering/verify.py` (every "
        "number and name of an answer sentence found in the passages it cites): no entailment "
        "model ships on PyPI. "
        + (
            f"Only the **{args.split}** half of every dataset (ids ending in an "
            f"{'even' if args.split == 'test' else 'odd'} number). "
            if args.split
            else ""
        )
        + f"Reproduce: `.venv/bin/python -m evals.compare{' --split ' + args.split if args.split else ''}`.",
        "",
    ]
    all_metrics: dict = {}
    latencies: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        rows: dict[Path, list] = {p: [] for p in data}
        for name, system, mode, answered in configurations(settings, Path(tmp)):
            for path, items in data.items():
                slug = name.split(":")[0].split(" (")[0].replace(" ", "-") + (f"-{mode}" if mode else "")
                results = run(
                    system,
                    items,
                    args.out / f"{path.stem}.{slug}.results.jsonl",
                    k=args.k,
                    mode=mode or "hybrid",
                    progress=False,
                )
                m = aggregate(items, results, k=args.k)
                for rec in results:
                    for turn in rec.get("turns", [rec]):
                        latencies.setdefault(name, []).append(turn["latency_ms"]["retrieve"])
                rows[path].append((name, m, answered))
                all_metrics.setdefault(path.stem, {})[name] = m
                print(f"{path.stem:>14} | {name:<45} hit@5={m['hit@5']} mrr@10={m['mrr@10']} correct={m['correct']}")
    for path, r in rows.items():
        n = r[0][1]
        report += [
            f"## {path.name} ({n['answerable']} answerable, {n['unanswerable']} unanswerable units)",
            "",
            "Retrieval",
            "",
            table(r, RETRIEVAL),
            "Answers and citations",
            "",
            table(r, ANSWERS),
            "Latency on this machine (ms)",
            "",
            table(r, LATENCY),
        ]
    report += ["## Plots", ""] + [f"![{n}]({n})" for n in plots(rows, latencies, args.out)]
    (args.out / "report.md").write_text("\n".join(report), encoding="utf-8")
    (args.out / "metrics.json").write_text(json.dumps(all_metrics, indent=2), encoding="utf-8")
    print(f"wrote {args.out / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
