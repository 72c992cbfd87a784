"""The tuning loop: the default pipeline (extractive, hybrid) over one half of the dev sets,
metrics per file and the items it got wrong, so a rule can be changed and checked in a minute.

    python -m evals.tune [--split tune|test|all] [--sets nearmiss buried ...] [--failures]

Tune on `--split tune` only; `test` is what the README and the CI gate report."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.features.evaluation.dataset import half, read_jsonl
from assistant.features.evaluation.metrics import aggregate, score_unit
from assistant.features.evaluation.run import answer_item

DATASETS = Path(__file__).resolve().parent / "datasets"
SETS = ["dev", "japanese", "conversations", "nearmiss", "crosslingual", "buried", "metadata", "plain"]
KEYS = ["questions", "hit@5", "mrr@10", "correct", "false_decline", "correct_decline", "truthfulness"]


def main(argv: list[str] | None = None) -> int:
    from assistant.answering.engine import Assistant
    from assistant.core.settings import get_settings
    from ingest.bootstrap import ensure_index

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--split", default="tune", choices=["tune", "test", "all"])
    p.add_argument("--sets", nargs="+", default=SETS)
    p.add_argument("--failures", action="store_true", help="list the items answered wrongly")
    p.add_argument("--json", type=Path, default=None, help="write the metrics here")
    args = p.parse_args(argv)
    settings = get_settings()
    ensure_index(settings, quiet=True)
    assistant = Assistant(settings, backend="extractive")
    table, out = [], {}
    for name in args.sets:
        items = half(read_jsonl(DATASETS / f"{name}.jsonl"), None if args.split == "all" else args.split)
        results = [answer_item(assistant, it) for it in items]
        m = aggregate(items, results)
        out[name] = m
        table.append(f"| {name} | " + " | ".join("-" if m.get(k) is None else f"{m[k]:g}" for k in KEYS) + " |")
        # A set of several kinds of item (xja-/xen-: each direction across languages) gets a row per kind.
        kinds = sorted({it["id"].rsplit("-", 1)[0] for it in items})
        for kind in kinds if len(kinds) > 1 else []:
            pairs = [(it, rec) for it, rec in zip(items, results) if it["id"].rsplit("-", 1)[0] == kind]
            part = aggregate([it for it, _ in pairs], [rec for _, rec in pairs])
            out[f"{name}:{kind}"] = part
            table.append(
                f"| {name}: {kind} | " + " | ".join("-" if part.get(k) is None else f"{part[k]:g}" for k in KEYS) + " |"
            )
        if args.failures:
            for item, rec in zip(items, results):
                units = list(zip(item.get("turns", [item]), rec.get("turns", [rec])))
                for spec, turn in units:
                    s = score_unit(spec, turn)
                    if s.get("correct", s.get("correct_decline")) == 1.0:
                        continue
                    why = turn.get("decline_reason", "") if turn["declined"] else turn["answer"][:160]
                    top = turn["retrieved"][0]["doc_id"] if turn["retrieved"] else "-"
                    print(
                        f"  {item['id']:>9} {'DECLINED' if turn['declined'] else 'answered'}: "
                        f"{spec['question'][:90]!r} -> {why!r} [top: {top}]"
                    )
    print(f"split: {args.split}\n| set | " + " | ".join(KEYS) + " |\n|---|" + "---|" * len(KEYS))
    print("\n".join(table))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
