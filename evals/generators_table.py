"""Markdown table of generator metrics written by scripts/eval_generators.sh."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.features.evaluation.dataset import is_answerable, read_jsonl

COLUMNS = [
    ("model_kept", "model's answer kept (answerable)"),
    ("correct", "correct"),
    ("false_decline", "false declines"),
    ("correct_decline", "correct declines"),
    ("faithfulness", "faithfulness"),
    ("citation_hit", "citation hit"),
    ("answer_p50_ms", "answer p50 (s)"),
    ("answer_p95_ms", "answer p95 (s)"),
]


def main(out: str, name: str) -> None:
    print("| generator | " + " | ".join(c for _, c in COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for path in sorted(Path(out).glob(f"{name}.*.metrics.json")):
        m = json.loads(path.read_text())
        results = path.with_name(path.name.replace(".metrics.json", ".results.jsonl"))
        if results.exists() and "extractive" not in path.name:
            recs = [json.loads(l) for l in results.read_text(encoding="utf-8").splitlines() if l.strip()]
            # Share of the answerable questions (issue 13's measure) where the model's own
            # verified answer was given: not declined, not replaced by the extractive fallback.
            # A question the set marks unanswerable has no answer of the model's to keep.
            answerable = {it["id"] for it in read_jsonl(Path(out) / f"{name}.jsonl") if is_answerable(it)}
            answered = [r for r in recs if r["id"] in answerable]
            m["model_kept"] = sum(
                1 for r in answered if not r["declined"] and not (r.get("verification") or {}).get("fallback")
            ) / max(1, len(answered))
        cells = []
        for key, _ in COLUMNS:
            v = m.get(key)
            cells.append("\u2014" if v is None else f"{v / 1000:.1f}" if key.endswith("_ms") else f"{v:.2f}")
        label = path.name[len(name) + 1 : -len(".metrics.json")]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
