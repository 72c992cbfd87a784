"""Markdown table of generator metrics written by scripts/eval_generators.sh."""
from __future__ import annotations

import json
import sys
from pathlib import Path

COLUMNS = [("correct", "correct"), ("false_decline", "false declines"), ("correct_decline", "correct declines"),
           ("faithfulness", "faithfulness"), ("citation_hit", "citation hit"),
           ("answer_p50_ms", "answer p50 (s)"), ("answer_p95_ms", "answer p95 (s)")]


def main(out: str, name: str) -> None:
    print("| generator | " + " | ".join(c for _, c in COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for path in sorted(Path(out).glob(f"{name}.*.metrics.json")):
        m = json.loads(path.read_text())
        cells = []
        for key, _ in COLUMNS:
            v = m.get(key)
            cells.append("\u2014" if v is None else f"{v / 1000:.1f}" if key.endswith("_ms") else f"{v:.2f}")
        print(f"| {path.name.split('.')[1]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
