"""load -> clean -> chunk -> embed -> store, file by file (new chunks embedded in batches across
files), each file on its own.

Idempotent: a file whose bytes are unchanged is skipped without being read; a changed file
has only its new chunks embedded (ids are content hashes) and its old chunks removed; a file
that disappeared has its chunks removed. All or nothing: new vectors are added as files are
processed, but the catalogue (the text of record, which retrieval follows) switches to the new
state in one transaction at the end, and old vectors are deleted only after that. An ingest
killed at any point leaves the previous index answering as before; the next run reuses the
vectors already added (their ids are content hashes) and sweeps those nothing references.
Bad files are reported by name and skipped; the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.settings import Settings
from assistant.index.catalog import Catalog
from assistant.index.database import Busy, exclusive
from assistant.index.embedders import get_embedder
from assistant.index.stores import open_store
from ingest import loaders
from ingest.chunk import chunk_pages
from ingest.clean import clean_markup, clean_pdf_pages
from ingest.errors import IngestError
from ingest.loaders.ocr import OcrConfig
from ingest.manifest import Manifest

# Bump when cleaning or chunking changes what a file turns into: every file is then redone.
PIPELINE_VERSION = "5"  # 4: laws chunked by article, scanned pages read by OCR; 5: references dropped


class IngestBusy(RuntimeError):
    pass


@dataclass
class IngestReport:
    files_seen: int = 0
    files_ingested: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    chunks_written: int = 0
    chunks_deleted: int = 0
    pages: int = 0
    errors: list[IngestError] = field(default_factory=list)
    # Files ingested with a part left unread, by file and page (a page OCR could not read).
    notes: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [
            f"{self.files_seen} files: {self.files_ingested} ingested, {self.files_unchanged} unchanged, "
            f"{self.files_removed} removed, {len(self.errors)} skipped; "
            f"{self.chunks_written} chunks written, {self.chunks_deleted} deleted "
            f"in {self.seconds:.1f} s"
        ]
        lines += [f"SKIPPED {e.path}: {e.reason}" for e in self.errors]
        lines += [f"NOTE {e.path}: {e.reason}" for e in self.notes]
        return "\n".join(lines)


@contextmanager
def ingest_lock(where):
    """Two ingests into one library would interleave their writes: the second is refused.
    `where`: the settings or an index folder. With a shared database (`database_url`) the lock
    is the database's (a PostgreSQL advisory lock), so ingests on different hosts are
    serialised too; otherwise a file lock in the index folder (`index/database.exclusive`)."""
    try:
        with exclusive(where, "ingest"):
            yield
    except Busy as exc:
        raise IngestBusy(f"another ingest is running on {exc}; try again when it ends") from None


def discover(paths: list[Path], manifest: Manifest) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += [
                f
                for f in sorted(p.rglob("*"))
                if f.is_file() and not f.name.startswith(".") and not manifest.ignored(_rel(f, manifest.root))
            ]
        elif p.exists():
            files.append(p)
    return files


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def prepare(path: Path, rel: str, manifest: Manifest, settings: Settings, count_tokens, max_tokens: int, notes=None):
    """One file to chunks, or IngestError. `notes`, when given, receives what of the file could
    not be read (a page OCR could not read), named by file and page."""
    size = path.stat().st_size
    if size > settings.max_file_mb * 1024 * 1024:
        raise IngestError(
            rel, f"file is {size / 2**20:.0f} MB, more than the limit of {settings.max_file_mb:g} MB (max_file_mb)"
        )
    loaded = loaders.load(path, max_pdf_pages=settings.max_pdf_pages, ocr=OcrConfig.from_settings(settings))
    if notes is not None:
        notes += [IngestError(rel, note) for note in loaded.notes]
    meta = manifest.meta_for(rel, loaded.metadata)
    if loaded.kind == "pdf":
        texts = clean_pdf_pages([p.text for p in loaded.pages])
    else:
        texts = [clean_markup(p.text) for p in loaded.pages]
    pages = [(p.number, t) for p, t in zip(loaded.pages, texts)]
    if meta.language == "ja":
        # The English embedder reads a Japanese character as a word piece of its own, so its budget
        # cut a Japanese passage at one or two sentences (median 110 characters), splitting a
        # figure from what it counts. Japanese passages are searched by BM25 and the multilingual
        # embedder, which read further; their own budget keeps a paragraph together.
        max_tokens = max(max_tokens, settings.chunk_max_tokens_cjk)
    chunks = chunk_pages(meta, pages, count_tokens, max_tokens, ocr_pages=loaded.ocr_pages)
    if not chunks:
        raise IngestError(rel, "no text left after cleaning")
    return meta, chunks, len(loaded.pages)


def ingest(settings: Settings, paths: list[Path] | None = None, progress: bool = True) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    root = settings.corpus_dir
    manifest = Manifest.load(root)
    scan = [Path(p) for p in paths] if paths else [root]
    for p in scan:
        if not p.exists():
            report.errors.append(IngestError(p, "no such file or folder"))
    files = discover(scan, manifest)
    report.files_seen = len(files)

    with ingest_lock(settings):
        catalog = Catalog(settings)
        store = open_store(settings)
        embedder = None  # loaded on the first changed file: an unchanged corpus needs no model
        fingerprint = f"{PIPELINE_VERSION}|{settings.embedder}|{settings.chunk_max_tokens}|{settings.chunk_max_tokens_cjk}|{settings.ocr}|{settings.ocr_languages}"
        seen: set[str] = set()
        first_with: dict[str, str] = {}  # raw content hash -> the first file that had it
        replaced: list = []
        stale_ids: set[str] = set()
        # New chunks of several files are embedded together, in full batches of the model: small
        # files (one statement, one page) would otherwise each make a call of a few texts. They
        # are added to the store as each batch is done, still invisible until the commit below.
        pending: list = []
        pending_ids: set[str] = set()
        reused: list = []  # chunks of changed files whose vectors exist: their metadata may be new
        flush_at = max(1, settings.embed_batch_size)
        bar = _progress(files, progress)
        for path in bar:
            rel = _rel(path, root)
            seen.add(rel)
            try:
                loaders.check_supported(path, rel)
                data = path.read_bytes() if path.stat().st_size <= settings.max_file_mb * 2**20 else b""
                if data:
                    original = first_with.setdefault(hashlib.sha256(data).hexdigest(), rel)
                    if original != rel:
                        raise IngestError(rel, f"same content as {original}: a duplicate is not ingested twice")
                # The manifest entry (with any sidecar) and the pipeline's settings count as content: a change to
                # either redoes the file.
                entry = repr(sorted(manifest.entry_for(rel).items()))
                sha = hashlib.sha256(data + fingerprint.encode() + entry.encode()).hexdigest()
                if data and catalog.file_sha(rel) == sha:
                    report.files_unchanged += 1
                    continue
                if embedder is None:
                    embedder = get_embedder(settings.embedder, settings.embed_batch_size)
                max_tokens = min(settings.chunk_max_tokens, embedder.max_tokens)
                meta, chunks, n_pages = prepare(
                    path, rel, manifest, settings, embedder.count_tokens, max_tokens, notes=report.notes
                )
            except IngestError as exc:
                exc.path = rel
                report.errors.append(exc)
                _note(bar, f"SKIPPED {rel}: {exc.reason}")
                continue
            except OSError as exc:
                report.errors.append(IngestError(rel, f"cannot read the file ({exc.strerror or exc})"))
                continue
            chunks = list({c.id: c for c in chunks}.values())  # a repeated paragraph is stored once
            old = catalog.chunk_ids(rel)
            new_ids = [c.id for c in chunks]
            have = store.existing(new_ids)
            fresh = [c for c in chunks if c.id not in have and c.id not in pending_ids]
            reused += [c for c in chunks if c.id in have]
            pending += fresh
            pending_ids.update(c.id for c in fresh)
            if len(pending) >= flush_at:
                _embed_and_add(store, embedder, pending, pending_ids)
            replaced.append((rel, meta.doc_id, sha, len(data), chunks))
            stale = old - set(new_ids)
            stale_ids |= stale
            report.files_ingested += 1
            report.pages += n_pages
            report.chunks_written += len(fresh)
            report.chunks_deleted += len(stale)

        if pending:
            _embed_and_add(store, embedder, pending, pending_ids)

        # Files gone from a scanned folder lose their chunks.
        removed = []
        for rel in catalog.sources():
            if rel in seen:
                continue
            full = root / rel if not rel.startswith("/") else Path(rel)
            inside_scan = any(_is_under(full, s) for s in scan if s.is_dir())
            if inside_scan and not full.exists():
                ids = catalog.chunk_ids(rel)
                stale_ids |= ids
                removed.append(rel)
                report.files_removed += 1
                report.chunks_deleted += len(ids)
        catalog.commit(replaced, removed)
        # Only now: before the commit the catalogue still describes these chunks the old way. (A
        # kill right here leaves the store's metadata behind; retrieval checks the catalogue's.)
        if reused:
            store.update_metadata(reused)
        # Only now that the catalogue no longer references them.
        still_used = catalog.all_chunk_ids()
        if stale_ids - still_used:
            store.delete(sorted(stale_ids - still_used))
        # Vectors of an ingest that was killed between add and commit.
        orphans = store.all_ids() - still_used - stale_ids
        if orphans:
            store.delete(sorted(orphans))
            report.chunks_deleted += len(orphans)
        catalog.close()
    report.seconds = time.perf_counter() - started
    return report


def _embed_and_add(store, embedder, pending: list, pending_ids: set) -> None:
    """Embed and add the pending chunks (to the store only: the catalogue commit is what makes
    them visible), then empty the buffer."""
    store.add(pending, embedder.embed_documents([c.embed_text() for c in pending]))
    pending.clear()
    pending_ids.clear()


def _is_under(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _progress(files, enabled: bool):
    if not enabled:
        return files
    from tqdm import tqdm

    return tqdm(files, desc="ingest", unit="file", file=sys.stderr, disable=not files)


def _note(bar, message: str) -> None:
    (bar.write if hasattr(bar, "write") else print)(message, file=sys.stderr)
