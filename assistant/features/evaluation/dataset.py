"""Reading EVAL_FORMAT datasets: single questions and conversations, as written by anyone."""

from __future__ import annotations

import json
from pathlib import Path


def read_jsonl(path: Path) -> list[dict]:
    items = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
    return items


def scored_units(item: dict, result: dict) -> list[tuple[dict, dict]]:
    """(question spec, answer record) pairs: one per single item, one per conversation turn."""
    if "turns" in item:
        return list(zip(item["turns"], result.get("turns", [])))
    return [(item, result)]


def is_answerable(spec: dict) -> bool:
    # A turn of a conversation carries no `answerable`: it is answerable unless it says so.
    return spec.get("answerable", True)
