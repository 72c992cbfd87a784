"""One loader per format, chosen by extension and checked against the file's content.

A loader returns raw pages; cleaning and chunking happen later, so that each step can be
tested on its own. Registering a format is one entry in LOADERS.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ingest.errors import IngestError


@dataclass
class RawPage:
    number: int | None  # 1-based page of the file; None for page-less formats
    text: str


@dataclass
class LoadedFile:
    kind: str  # "pdf" | "markdown" | "html" | "text": tells the cleaner what to undo
    pages: list[RawPage]
    metadata: dict = field(default_factory=dict)  # from front matter / PDF info


def _loaders() -> dict[str, Callable[[Path], LoadedFile]]:
    from ingest.loaders import html, markdown, pdf, text
    return {".pdf": pdf.load, ".md": markdown.load, ".markdown": markdown.load,
            ".html": html.load, ".htm": html.load, ".txt": text.load}


SUPPORTED = (".pdf", ".md", ".markdown", ".html", ".htm", ".txt")


def load(path: Path, max_pdf_pages: int = 2000) -> LoadedFile:
    loader = _loaders().get(path.suffix.lower())
    if loader is None:
        raise IngestError(path, f"unsupported file type '{path.suffix}' (supported: {', '.join(SUPPORTED)})")
    if path.stat().st_size == 0:
        raise IngestError(path, "empty file (0 bytes)")
    if path.suffix.lower() == ".pdf":
        return loader(path, max_pages=max_pdf_pages)
    return loader(path)
