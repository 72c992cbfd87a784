"""`briefing eval`: answer every item of a dataset, write one results record per item, score.

Conversations are answered turn by turn with the earlier turns as history. Eval runs leave no
audit record: the audit log is of people's questions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.features.chat import ChatSession
from assistant.features.evaluation.dataset import read_jsonl
from assistant.features.evaluation.metrics import aggregate


def answer_item(assistant, item: dict, k: int = 10, mode: str = "hybrid") -> dict:
    if "turns" in item:
        chat = ChatSession(assistant)
        return {"id": item["id"], "turns": [chat.ask(t["question"], k=k, mode=mode).to_record() for t in item["turns"]]}
    return assistant.ask(item["question"], k=k, mode=mode, id=item["id"]).to_record()


def run(
    assistant, items: list[dict], out: Path, k: int = 10, mode: str = "hybrid", progress: bool = True
) -> list[dict]:
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


def evaluate(assistant, dataset: Path, results: Path, k: int = 10, mode: str = "hybrid") -> dict:
    """Answers the dataset into `results` and returns its metrics."""
    items = read_jsonl(dataset)
    return aggregate(items, run(assistant, items, results, k=k, mode=mode), k=k)
