"""YAML front matter (`---` ... `---`) at the top of a text file, turned into metadata."""

from __future__ import annotations

import re

import yaml

from ingest.errors import IngestError

_KEY_LINE = re.compile(r"^[ \t]*[A-Za-z_][\w-]*[ \t]*:", re.M)


def split(text: str, path="") -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        return {}, text
    block = text[3:end]
    try:
        # Anchors and aliases have no use in front matter, and nested aliases expand
        # exponentially when a value is turned into text ("billion laughs").
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(block, Loader=yaml.SafeLoader)):
            raise IngestError(path, "invalid front matter: YAML aliases (*name) are not allowed")
        meta = yaml.safe_load(block) or {}
    except yaml.YAMLError as exc:
        if _KEY_LINE.search(block):
            # Metadata that cannot be read might hold the access level: guessing "public"
            # could expose a restricted document, so the file is refused, by name.
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark is not None else ""
            raise IngestError(
                path,
                f"invalid front matter{where}: the YAML cannot be read; fix it so that "
                "the document's metadata and access level are known",
            ) from None
        return {}, text
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
        # Valid YAML whose value cannot be built, e.g. `date: 2024-02-30` or `!!int x`.
        raise IngestError(
            path, f"invalid front matter: a value cannot be read ({type(exc).__name__}: {str(exc)[:120]})"
        ) from None
    if not isinstance(meta, dict):
        return {}, text
    body = text[end + 4 :]
    return {str(k): v for k, v in meta.items()}, body.split("\n", 1)[1] if "\n" in body else ""
