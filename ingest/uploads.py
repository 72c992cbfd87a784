"""Upload acceptance: a file a user hands in, checked before it touches the corpus, then
ingested; and removal of an upload.

An upload is checked before it touches the corpus: the name is reduced to a safe file name,
the size is limited (max_file_mb), and the type is decided by the content, which must agree
with the extension. It lands in <corpus>/uploads/ with a sidecar holding the access level the
uploader chose (never above their own role), and is ingested like any other file."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.core.access import readable_levels
from assistant.core.settings import Settings
from ingest.loaders import FORMATS as KINDS
from ingest.manifest import ADDED, SIDECAR
from ingest.pipeline import IngestBusy, IngestReport, ingest

UPLOADS = "uploads"
_BINARY_MAGIC = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x7fELF",
    b"MZ",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\xd0\xcf\x11\xe0",
    b"\x1f\x8b",
)


class UploadError(ValueError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason


def sanitise_name(name: str) -> str:
    """A plain file name: no folders (../ or absolute paths), no hidden files, no control or
    shell characters; the extension kept, lower-cased."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    stem = re.sub(r"-{2,}", "-", stem).strip(".-_")[:120] or "upload"
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext).lower()[:10]
    return f"{stem}.{ext}" if ext else stem


def sniff(name: str, data: bytes) -> str:
    """The file's kind from its bytes; an extension that disagrees is refused."""
    ext = Path(name).suffix.lower()
    if ext not in KINDS:
        raise UploadError(name, f"unsupported file type '{ext or '(none)'}' (supported: {', '.join(KINDS)})")
    if not data:
        raise UploadError(name, "the file is empty")
    head = data[:1024]
    if KINDS[ext] == "pdf":
        if b"%PDF-" not in head:
            raise UploadError(name, "the name says PDF but the content is not a PDF")
        return "pdf"
    if KINDS[ext] == "docx":  # a Word document is a ZIP package; its loader checks what is inside
        if not head.startswith(b"PK\x03\x04"):
            raise UploadError(name, "the name says Word (.docx) but the content is not a Word package")
        return "docx"
    if any(head.startswith(m) for m in _BINARY_MAGIC) or b"\x00" in head:
        raise UploadError(name, f"the name says {KINDS[ext]} but the content is binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UploadError(name, "the text is not UTF-8") from None
    looks_html = re.search(r"<(!doctype html|html|body|head|p|div)\b", text[:4096], re.I) is not None
    if KINDS[ext] == "html" and not looks_html:
        raise UploadError(name, "the name says HTML but the content has no HTML")
    return KINDS[ext]


def save_upload(
    settings: Settings, name: str, data: bytes, access: str, role: str, title: str = "", uploader: str = ""
) -> Path:
    """Checks and stores one upload; returns its path (to be ingested)."""
    safe = sanitise_name(name)
    limit = settings.max_file_mb * 2**20
    if len(data) > limit:
        raise UploadError(
            safe, f"the file is {len(data) / 2**20:.1f} MB, more than the limit of {settings.max_file_mb:g} MB"
        )
    sniff(safe, data)
    if access not in readable_levels(role):
        raise UploadError(safe, f"a {role} user cannot upload a document at access level '{access}'")
    folder = settings.corpus_dir / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe
    stem, ext = target.stem, target.suffix
    i = 1
    while target.exists() or (folder / (target.name + SIDECAR)).exists():
        i += 1
        target = folder / f"{stem}-{i}{ext}"
    meta = {"access": access, "uploaded_by": uploader or "unknown", "original_name": name[:200]}
    if title:
        meta["title"] = title
    (folder / (target.name + SIDECAR)).write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    target.write_bytes(data)
    return target


# Folders of the corpus that users add to (uploads, and documents added by address).
USER_FOLDERS = (UPLOADS, ADDED)


def removable(settings: Settings, source: str) -> bool:
    """Only what users added (uploads, documents added by address) can be removed from the app;
    the shipped corpus is managed in git."""
    return source.startswith(tuple(f + "/" for f in USER_FOLDERS)) and "/../" not in f"/{source}/"


def remove_upload(settings: Settings, source: str) -> Path:
    """Deletes the uploaded (or added) file and its sidecar; the caller re-ingests its folder so
    that the document's chunks leave the index in one commit."""
    if not removable(settings, source):
        raise UploadError(source, "only uploaded documents can be removed here")
    folder = (settings.corpus_dir / source.split("/", 1)[0]).resolve()
    path = (settings.corpus_dir / source).resolve()
    if folder not in path.parents:
        raise UploadError(source, "not in the uploads folder")
    path.unlink(missing_ok=True)
    (path.parent / (path.name + SIDECAR)).unlink(missing_ok=True)
    return folder


@dataclass(frozen=True)
class Added:
    path: Path
    report: IngestReport


def add_upload(
    settings: Settings, name: str, data: bytes, access: str, role: str, uploader: str = "", title: str = ""
) -> Added:
    """Checks, stores and ingests one upload. A file the ingest refuses (encrypted, image-only,
    ...) would fail every later ingest too: it does not stay in the corpus."""
    path = save_upload(settings, name, data, access, role, title=title, uploader=uploader)
    source = path.relative_to(settings.corpus_dir).as_posix()
    try:
        report = ingest(settings, [path], progress=False)
    except IngestBusy as exc:
        remove_upload(settings, source)
        raise UploadError(path.name, str(exc)) from None
    if report.errors:
        remove_upload(settings, source)
        raise UploadError(path.name, "; ".join(e.reason for e in report.errors))
    return Added(path, report)


def remove_document(settings: Settings, source: str) -> IngestReport:
    """Deletes an upload and takes its chunks out of the index in one commit. If the index is
    busy, the file is gone and its chunks leave at the next ingest (IngestBusy says so)."""
    folder = remove_upload(settings, source)
    return ingest(settings, [folder], progress=False)
