"""Markdown with YAML front matter; headings are kept for the chunker."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders import LoadedFile, RawPage
from ingest.loaders.frontmatter import split
from ingest.loaders.text import read_text


def load(path: Path) -> LoadedFile:
    meta, body = split(read_text(path), path)
    if not body.strip():
        raise IngestError(path, "no text after the front matter")
    return LoadedFile("markdown", [RawPage(None, body)], meta)
