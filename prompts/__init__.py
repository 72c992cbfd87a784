"""Versioned prompt and message templates, loaded by name as package data.

A template is `NAME.vN.md`; `load("decline")` takes the highest version. Placeholders use
str.format syntax, so a test can render every template with its declared fields."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_NAME = re.compile(r"^(?P<name>[a-z0-9_-]+)\.v(?P<version>\d+)\.md$")


def available() -> dict[str, int]:
    out: dict[str, int] = {}
    for entry in resources.files(__name__).iterdir():
        m = _NAME.match(entry.name)
        if m:
            out[m["name"]] = max(out.get(m["name"], 0), int(m["version"]))
    return out


@lru_cache(maxsize=64)
def load(name: str, version: int | None = None) -> str:
    version = version or available().get(name)
    if not version:
        raise KeyError(f"no prompt named '{name}' in prompts/")
    return resources.files(__name__).joinpath(f"{name}.v{version}.md").read_text(encoding="utf-8").strip()


def render(name: str, **fields) -> str:
    return load(name).format(**fields)
