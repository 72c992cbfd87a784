"""YAML front matter (`---` ... `---`) at the top of a text file, turned into metadata."""
from __future__ import annotations

import yaml


def split(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        return {}, text
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    body = text[end + 4:]
    return {str(k): v for k, v in meta.items()}, body.split("\n", 1)[1] if "\n" in body else ""
