"""Word (.docx) through python-docx: paragraphs and tables in reading order, headings (Title,
Heading 1-9) as Markdown headings so that the chunker starts a section at each, as it does for
Markdown and HTML. Text a reader cannot see (hidden, white or under 1 pt) is dropped, as for
PDFs: it is a known way to slip instructions to a model."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders import LoadedFile, RawPage

# A .docx is a ZIP package: refuse one that would unpack to far more than a document holds.
MAX_UNPACKED_MB = 200
MAX_RATIO = 200
_HEADING = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.I)


def load(path: Path) -> LoadedFile:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    _check_package(path)
    try:
        doc = Document(str(path))
        blocks = list(_blocks(doc))
        props = doc.core_properties
        # Not the creation date: Word's own templates carry theirs into every new document.
        meta = {"title": props.title or "", "author": props.author or ""}
    except PackageNotFoundError:
        raise IngestError(path, "not a Word document (the .docx package cannot be opened)") from None
    except (KeyError, ValueError, AttributeError, TypeError, zipfile.BadZipFile, OSError) as exc:
        raise IngestError(path, f"corrupt Word document ({type(exc).__name__}: {str(exc)[:120]})") from None
    except Exception as exc:  # lxml's XMLSyntaxError and kin: a damaged part of the package
        raise IngestError(path, f"corrupt Word document ({type(exc).__name__}: {str(exc)[:120]})") from None
    body = "\n\n".join(b for b in blocks if b.strip())
    if not body.strip():
        raise IngestError(path, "no visible text in the Word document")
    return LoadedFile("docx", [RawPage(None, body)], {k: v for k, v in meta.items() if v})


def _check_package(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError):
        raise IngestError(path, "not a Word document (a .docx is a ZIP package; this file is not one)") from None
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_UNPACKED_MB * 2**20 or unpacked / packed > MAX_RATIO:
        raise IngestError(
            path, f"Word document unpacks to {unpacked / 2**20:.0f} MB ({unpacked / packed:.0f}x): a ZIP bomb?"
        )
    if "word/document.xml" not in {i.filename for i in infos}:
        raise IngestError(path, "not a Word document (no word/document.xml in the package)")


def _blocks(doc):
    """Paragraphs and tables in the order of the body."""
    from docx.table import Table

    for item in doc.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    text = " ".join(_visible(p) for p in cell.paragraphs).strip()
                    if text and (not cells or cells[-1] != text):  # a merged cell repeats in each column
                        cells.append(text)
                if cells:
                    yield " | ".join(cells)
            continue
        text = _visible(item).strip()
        if not text:
            continue
        level = _heading_level(item)
        yield f"{'#' * level} {text}" if level else text


def _heading_level(paragraph) -> int:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name.lower() == "title":
        return 1
    m = _HEADING.match(name.strip())
    return min(6, int(m.group(1)) + 1) if m else 0  # Title is #, Heading 1 is ##


def _visible(paragraph) -> str:
    from docx.text.run import Run

    out = []
    for item in paragraph.iter_inner_content():
        runs = [item] if isinstance(item, Run) else list(item.runs)  # a hyperlink holds runs
        out += [r.text for r in runs if not _hidden(r)]
    return "".join(out)


def _hidden(run) -> bool:
    font = run.font
    if font.hidden:
        return True
    if font.size is not None and font.size.pt < 1:
        return True
    try:
        rgb = font.color.rgb if font.color is not None and font.color.type is not None else None
    except (AttributeError, ValueError):
        rgb = None
    return rgb is not None and str(rgb).upper() == "FFFFFF"
