"""One loader per format, chosen by extension and checked against the file's content.

A loader returns raw pages; cleaning and chunking happen later, so that each step can be
tested on its own. Registering a format is one line in FORMATS and a module of that kind's
name in this folder with a `load(path)` function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from ingest.errors import IngestError


@dataclass
class RawPage:
    number: int | None  # 1-based page of the file; None for page-less formats
    text: str
    ocr: bool = False  # the text was read from the page's image by OCR


@dataclass
class LoadedFile:
    kind: str  # "pdf" | "markdown" | "html" | "text": tells the cleaner what to undo
    pages: list[RawPage]
    metadata: dict = field(default_factory=dict)  # from front matter / PDF info
    notes: list[str] = field(default_factory=list)  # what could not be read, by page ("page 3: ...")

    @property
    def ocr_pages(self) -> frozenset[int]:
        return frozenset(p.number for p in self.pages if p.ocr and p.number is not None)


# The one list of file formats: extension -> kind (the loader module's name). Ingest, the
# upload check and the app's file picker all read it.
FORMATS = {
    ".pdf": "pdf",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".docx": "docx",
}
SUPPORTED = tuple(FORMATS)


def check_supported(path: Path, name: str | Path | None = None) -> str:
    """The file's kind by extension, or an IngestError naming the file (as `name`, if given)."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise IngestError(
            name or path, f"unsupported file type '{path.suffix or '(none)'}' (supported: {', '.join(SUPPORTED)})"
        )
    return kind


def load(path: Path, max_pdf_pages: int = 2000, ocr=None) -> LoadedFile:
    """`ocr`: an `ocr.OcrConfig` for the PDF loader's scanned pages (default: Tesseract where installed)."""
    loader = import_module(f"ingest.loaders.{check_supported(path)}").load
    if path.stat().st_size == 0:
        raise IngestError(path, "empty file (0 bytes)")
    if path.suffix.lower() == ".pdf":
        return loader(path, max_pages=max_pdf_pages, ocr=ocr)
    return loader(path)
