"""The CI gate: retrieval and answer metrics on a small, fast dataset must stay above the
thresholds recorded in evals/thresholds.json, so that a regression turns CI red."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.features.evaluation.dataset import read_jsonl
from assistant.features.evaluation.metrics import aggregate
from assistant.features.evaluation.run import answer_item

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = Path(__file__).with_name("thresholds.json")


def check(assistant, thresholds_path: Path = THRESHOLDS) -> tuple[dict, list[str]]:
    spec = json.loads(thresholds_path.read_text(encoding="utf-8"))
    items = read_jsonl(ROOT / spec["dataset"])
    results = [answer_item(assistant, item) for item in items]
    metrics = aggregate(items, results)
    failures = [
        f"{k} = {metrics.get(k)} < {v}" for k, v in spec["min"].items() if metrics.get(k) is None or metrics[k] < v
    ]
    return metrics, failures
