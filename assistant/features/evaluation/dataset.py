"""Reading EVAL_FORMAT datasets: single questions and conversations, as written by anyone."""

from __future__ import annotations

import json
import re
from pathlib import Path

SPLITS = ("tune", "test")


def split_of(item_id: str) -> str:
    """The fixed tune/test split of every dev set: an item whose id ends in an even number is
    `test`, odd is `tune` (nm-001 tune, nm-002 test). Rules are tuned on `tune` only; the CI
    gate and the README read `test`. Nothing is stored in the records."""
    m = re.search(r"(\d+)$", str(item_id))
    if not m:
        raise ValueError(f"id without a number: {item_id!r}")
    return "test" if int(m.group(1)) % 2 == 0 else "tune"


def half(items: list[dict], split: str | None) -> list[dict]:
    """The items of one half (all items for None)."""
    return items if split is None else [it for it in items if split_of(it["id"]) == split]


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
