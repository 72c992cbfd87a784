"""PDF through pypdf, one RawPage per page of the file; pages that are images (scans) are read
by OCR (`ocr.py`) and marked as such, and a page that cannot be read is named in the notes."""

from __future__ import annotations

import logging
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders import LoadedFile, RawPage
from ingest.loaders import ocr as ocr_engine

# pypdf logs every recoverable oddity of a messy PDF; the user only needs our one message.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def load(path: Path, max_pages: int = 2000, ocr: ocr_engine.OcrConfig | None = None) -> LoadedFile:
    """`ocr`: how to read image-only pages; by default with Tesseract where it is installed."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PyPdfError

    with open(path, "rb") as fh:
        if not fh.read(1024).lstrip().startswith(b"%PDF-"):
            raise IngestError(path, "not a PDF (the file does not start with '%PDF-')")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            # Many official PDFs carry an owner password only: the empty user password opens them.
            try:
                ok = reader.decrypt("")
            except DependencyError as exc:
                raise IngestError(path, f"encrypted PDF needs the 'cryptography' package ({exc})")
            if not ok:
                raise IngestError(path, "encrypted PDF: it needs a password to open")
        n = len(reader.pages)
        if n == 0:
            raise IngestError(path, "PDF has no pages")
        if n > max_pages:
            raise IngestError(path, f"PDF has {n} pages, more than the limit of {max_pages} (max_pdf_pages)")
        pages = [RawPage(i + 1, _visible_text(page)) for i, page in enumerate(reader.pages)]
        notes: list[str] = []
        scanned = _read_scans(reader, pages, ocr or ocr_engine.OcrConfig(), notes)
        info = reader.metadata or {}
        meta = {k: str(info.get(f"/{k.title()}", "") or "") for k in ("title", "author")}
    except IngestError:
        raise
    except FileNotDecryptedError:
        raise IngestError(path, "encrypted PDF: it needs a password to open")
    except LimitReachedError as exc:
        raise IngestError(
            path, f"PDF exceeds a safety limit of the PDF reader (a decompression bomb?) ({str(exc)[:120]})"
        )
    except NotImplementedError as exc:
        # e.g. a certificate (non-Standard) security handler, or a stream filter pypdf lacks.
        raise IngestError(path, f"PDF uses a feature the PDF reader does not support ({str(exc)[:120]})")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        raise IngestError(path, f"corrupt or truncated PDF ({type(exc).__name__}: {str(exc)[:120]})")
    if not any(p.text.strip() for p in pages):
        if not scanned:
            raise IngestError(path, "PDF has no extractable text and no page images to read by OCR")
        raise IngestError(path, f"PDF has no extractable text: its pages are images (a scan) and {'; '.join(notes)}")
    return LoadedFile("pdf", pages, {k: v for k, v in meta.items() if v}, notes=notes)


def _read_scans(reader, pages: list[RawPage], config: ocr_engine.OcrConfig, notes: list[str]) -> int:
    """Reads the pages whose text layer is (nearly) empty from their images, in place; returns
    how many such pages have images. What could not be read goes into `notes`, by page."""
    scans = []
    for raw, page in zip(pages, reader.pages):
        if len("".join(raw.text.split())) >= ocr_engine.MIN_TEXT_CHARS:
            continue
        try:
            images = ocr_engine.page_images(page)
        except Exception as exc:  # a filter pypdf or Pillow cannot decode (JBIG2 without jbig2dec, ...)
            notes.append(
                f"page {raw.number}: its image cannot be decoded for OCR ({type(exc).__name__}: {str(exc)[:80]})"
            )
            continue
        if images:
            scans.append((raw, images))
    if not scans:
        return 0
    try:
        exe, languages = ocr_engine.check(config)
    except ocr_engine.OcrUnavailable as exc:
        numbers = ", ".join(str(raw.number) for raw, _ in scans)
        notes.append(f"{exc}: page{'s' if len(scans) > 1 else ''} {numbers} not read")
        return len(scans)
    for raw, images in scans:
        texts, problems = [], []
        for img in images:
            try:
                text, confidence = ocr_engine.read_image(img, exe, languages, config.timeout_s)
            except ocr_engine.OcrFailed as exc:
                problems.append(str(exc))
                continue
            if confidence < ocr_engine.MIN_CONFIDENCE or len("".join(text.split())) < 3:
                problems.append(f"no legible text (mean confidence {confidence:.0f}%)")
                continue
            texts.append(text)
        if texts:
            # What the text layer had (a page number, a stamp) stays; the image's text follows.
            raw.text = "\n\n".join(([raw.text.strip()] if raw.text.strip() else []) + texts)
            raw.ocr = True
        elif not raw.text.strip():  # a page with a line of text and a logo is not an unread page
            notes.append(f"page {raw.number}: OCR could not read it ({'; '.join(problems)})")
    return len(scans)


def _visible_text(page) -> str:
    """The page's text without what a reader cannot see: white fill, invisible render mode, or
    a font under 1 pt. Such text is a known way to slip instructions to a model."""
    state = {"white": False, "invisible": False}
    hidden: list[str] = []

    def before(op, args, cm, tm):
        try:
            # Only device colour operators: sc/scn values mean nothing without their colour space.
            if op in (b"rg", b"g") and args:
                state["white"] = all(float(a) >= 0.95 for a in args[:3])
            elif op == b"k" and args:
                state["white"] = all(float(a) <= 0.05 for a in args[:4])
            elif op in (b"sc", b"scn", b"cs"):
                state["white"] = False
            elif op == b"Tr" and args:
                state["invisible"] = int(args[0]) == 3
        except (TypeError, ValueError):
            pass

    def text(t, cm, tm, font, size):
        scale = abs(tm[0] * cm[0]) or abs(tm[3] * cm[3]) or 1.0
        if t.strip() and (state["white"] or state["invisible"] or (size or 0) * scale < 1.0):
            hidden.append(t.strip())

    out = page.extract_text(visitor_operand_before=before, visitor_text=text) or ""
    for fragment in hidden:
        if len(fragment) >= 2:
            out = out.replace(fragment, "", 1)
    return out
