"""Plain text (optionally with front matter)."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders import LoadedFile, RawPage
from ingest.loaders.frontmatter import split


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary content in a text file (wrong extension?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(path, f"not valid UTF-8 text (byte {exc.start}); save it as UTF-8")


def load(path: Path) -> LoadedFile:
    meta, body = split(read_text(path), path)
    if not body.strip():
        raise IngestError(path, "no text after the front matter")
    return LoadedFile("text", [RawPage(None, body)], meta)
