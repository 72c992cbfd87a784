"""The CI gate: metrics on fixed datasets must stay on the right side of the thresholds recorded
in evals/thresholds.json, so that a regression turns CI red. The new dev sets are read on their
*test* halves only (the halves no rule was tuned on): declines of near misses, false declines,
cross-language retrieval."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.features.evaluation.dataset import half, read_jsonl
from assistant.features.evaluation.metrics import aggregate
from assistant.features.evaluation.run import answer_item

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = Path(__file__).with_name("thresholds.json")


def check(assistant, thresholds_path: Path = THRESHOLDS) -> tuple[dict, list[str]]:
    """(metrics per check, failures as 'metric = value < bound (dataset[split])')."""
    spec = json.loads(thresholds_path.read_text(encoding="utf-8"))
    all_metrics, failures = {}, []
    for c in spec["checks"]:
        items = half(read_jsonl(ROOT / c["dataset"]), c.get("split"))
        metrics = aggregate(items, [answer_item(assistant, item) for item in items])
        where = f"{Path(c['dataset']).name}[{c.get('split', 'all')}]"
        all_metrics[where] = metrics
        for k, v in c.get("min", {}).items():
            if metrics.get(k) is None or metrics[k] < v:
                failures.append(f"{k} = {metrics.get(k)} < {v} ({where})")
        for k, v in c.get("max", {}).items():
            if metrics.get(k) is None or metrics[k] > v:
                failures.append(f"{k} = {metrics.get(k)} > {v} ({where})")
    return all_metrics, failures
