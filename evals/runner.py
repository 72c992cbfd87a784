"""`briefing eval`: answer every item of a dataset, write one results record per item, score.

Conversations are answered turn by turn with the earlier turns as history."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from evals.dataset import read_jsonl
from evals.metrics import aggregate


def answer_item(assistant, item: dict, k: int = 10, mode: str = "hybrid") -> dict:
    if "turns" in item:
        history, turns = [], []
        for turn in item["turns"]:
            ans = assistant.ask(turn["question"], history=history, k=k, mode=mode)
            history.append({"question": turn["question"], "answer": ans.answer,
                            "rewritten_question": ans.rewritten_question})
            turns.append(ans.to_record())
        return {"id": item["id"], "turns": turns}
    ans = assistant.ask(item["question"], k=k, mode=mode, id=item["id"])
    return ans.to_record()


def run(assistant, items: list[dict], out: Path, k: int = 10, mode: str = "hybrid",
        progress: bool = True) -> list[dict]:
    out.parent.mkdir(parents=True, exist_ok=True)
    results = []
    iterable = items
    if progress:
        from tqdm import tqdm
        iterable = tqdm(items, desc="eval", unit="q", file=sys.stderr)
    with open(out, "w", encoding="utf-8") as fh:
        for item in iterable:
            rec = answer_item(assistant, item, k, mode)
            results.append(rec)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return results


def format_metrics(name: str, m: dict) -> str:
    keys = [k for k in m if m[k] is not None]
    return f"{name}\n" + "\n".join(f"  {k:>16}: {m[k]}" for k in keys)


def main(args) -> int:
    from assistant.cli import ensure_index
    from assistant.config import get_settings
    from assistant.engine import Assistant

    settings = get_settings()
    ensure_index(settings)
    items = read_jsonl(args.dataset)
    assistant = Assistant(settings, backend=args.backend)
    results = run(assistant, items, args.results, k=args.k, mode=args.mode)
    metrics = aggregate(items, results, k=args.k)
    print(format_metrics(f"{args.dataset} [{args.backend}, {args.mode}]", metrics))
    if args.metrics:
        args.metrics.parent.mkdir(parents=True, exist_ok=True)
        args.metrics.write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    return 0
