"""Documents kept with their address: add one by its address (`briefing add URL`, the Library
page's "Add from address") and refresh every document that has one (`briefing refresh`).

A document added by address lands in <corpus>/added/<name> with a sidecar holding its metadata
(from the document, overridden by what the user gave) and a `fetched` block: the address, where
it redirected to, ETag, Last-Modified and the SHA-256 of the bytes downloaded. Asking again for
the same address sends ETag / Last-Modified; a 304, or the same bytes, changes nothing. New bytes
replace the file and are re-ingested; a download or an ingest that fails leaves the previous
version in place (a new document that fails is not kept)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from assistant.core.access import ROLES, readable_levels
from assistant.core.settings import Settings
from assistant.index.catalog import Catalog
from ingest.fetch import Fetched, FetchError, check_url, fetch, normalise_date
from ingest.manifest import ADDED, FETCHED, Manifest, fetched_documents, read_sidecar, sidecar_path, write_sidecar
from ingest.pipeline import IngestBusy, ingest

__all__ = ["FetchError", "OVERRIDABLE", "SourceResult", "add_from_address", "find_by_address", "refresh_sources"]

# What a user may set instead of what the document says (`--title --issuer --date --type --access`).
OVERRIDABLE = ("title", "issuer", "date", "type", "access")
DOC_FIELDS = ("title", "issuer", "date", "type", "language")


@dataclass(frozen=True)
class SourceResult:
    url: str
    status: str  # "added" | "updated" | "unchanged" | "failed"
    source: str = ""  # path under the corpus
    meta: dict = field(default_factory=dict)  # title, issuer, date, type, language, access
    pages: int = 0
    passages: int = 0  # the document's passages in the index
    reason: str = ""  # why it failed, or what was updated

    def line(self) -> str:
        """One line for a terminal or a status message."""
        if self.status == "failed":
            return f"failed {self.url}: {self.reason}"
        m = self.meta
        what = ", ".join(
            x for x in (m.get("issuer"), m.get("date") or "undated", m.get("type"), m.get("language")) if x
        )
        counts = (f"{_n(self.pages, 'page')}, " if self.pages and self.source.endswith(".pdf") else "") + _n(
            self.passages, "passage"
        )
        extra = f" [{self.reason}]" if self.reason else ""
        return (
            f"{self.status} {self.source}: \u201c{m.get('title', '')}\u201d ({what}); "
            f"{counts} ({m.get('access', 'public')}){extra}"
        )


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def find_by_address(settings: Settings, url: str) -> tuple[Path, dict] | None:
    """The document already added from this address, if any."""
    url = url.strip()
    for path, data in fetched_documents(settings.corpus_dir):
        if data[FETCHED].get("url") == url:
            return path, data
    return None


def _overrides(title, issuer, date, type, access) -> dict:
    given = {"title": title, "issuer": issuer, "date": date, "type": type, "access": access}
    out = {k: " ".join(str(v).split()) for k, v in given.items() if v is not None and str(v).strip()}
    if "date" in out:
        normal = normalise_date(out["date"])
        if not normal or len(normal) != len(out["date"]):
            raise FetchError(out["date"], "a date is YYYY, YYYY-MM or YYYY-MM-DD")
        out["date"] = normal
    if "access" in out and out["access"] not in ROLES:
        raise FetchError(out["access"], f"the access level is one of {', '.join(ROLES)}")
    return out


def add_from_address(
    settings: Settings,
    url: str,
    role: str,
    user: str = "",
    title: str | None = None,
    issuer: str | None = None,
    date: str | None = None,
    type: str | None = None,
    access: str | None = None,
    allow_private: bool | None = None,
) -> SourceResult:
    """Downloads, stores and ingests one document; the same address again is a no-op unless the
    content (or a metadata override) changed. Raises FetchError (an UploadError) when refused."""
    url = url.strip()
    check_url(url)
    overrides = _overrides(title, issuer, date, type, access)
    found = find_by_address(settings, url)
    old = found[1] if found else {}
    if found and (old.get("access") or "public") not in readable_levels(role):
        # Nor may a re-add lower the access level of a document this user cannot read.
        raise FetchError(url, "this address belongs to a document above your access level")
    level = overrides.get("access") or old.get("access") or "public"
    if level not in readable_levels(role):
        raise FetchError(url, f"a {role} user cannot add a document at access level '{level}'")
    if found:
        path, side = found
        rel = path.relative_to(settings.corpus_dir).as_posix()
        got = fetch(settings, url, side[FETCHED].get("etag", ""), side[FETCHED].get("last_modified", ""), allow_private)
        if got.not_modified or got.sha256 == side[FETCHED].get("sha256"):
            changed = {k: v for k, v in overrides.items() if side.get(k) != v}
            if not changed:
                if _in_index(settings, rel):
                    return _result(settings, url, "unchanged", path)
                return _ingest(settings, url, path, "added", None, None)
            new_side = {**side, **changed, "set_by_user": sorted(set(side.get("set_by_user", [])) | set(changed))}
            return _replace(settings, url, path, None, new_side, "updated", f"metadata: {', '.join(sorted(changed))}")
        _same_kind(url, path, got)
        new_side = _sidecar(got, side, overrides, user)
        return _replace(settings, url, path, got.data, new_side, "updated", "new content")
    got = fetch(settings, url, allow_private=allow_private)
    folder = settings.corpus_dir / ADDED
    folder.mkdir(parents=True, exist_ok=True)
    path = _free_name(folder, got.name)
    return _replace(settings, url, path, got.data, _sidecar(got, {}, overrides, user), "added", "")


def refresh_sources(settings: Settings, role: str, allow_private: bool | None = None) -> list[SourceResult]:
    """Asks every address again (documents this role may read); re-ingests what changed. A
    failure is reported for its document and the others go on."""
    levels = set(readable_levels(role))
    results = []
    for path, side in fetched_documents(settings.corpus_dir):
        if (side.get("access") or "public") not in levels:
            continue
        url = side[FETCHED]["url"]
        try:
            got = fetch(
                settings, url, side[FETCHED].get("etag", ""), side[FETCHED].get("last_modified", ""), allow_private
            )
            if got.not_modified or got.sha256 == side[FETCHED].get("sha256"):
                results.append(_result(settings, url, "unchanged", path))
                continue
            _same_kind(url, path, got)
            results.append(
                _replace(
                    settings,
                    url,
                    path,
                    got.data,
                    _sidecar(got, side, {}, side.get("added_by", "")),
                    "updated",
                    "new content",
                )
            )
        except FetchError as exc:
            results.append(
                SourceResult(url, "failed", path.relative_to(settings.corpus_dir).as_posix(), reason=exc.reason)
            )
    return results


# --- storing -----------------------------------------------------------------------------------


def _sidecar(got: Fetched, old: dict, overrides: dict, user: str) -> dict:
    """The document's own metadata, except what the user set (now or when it was added)."""
    kept = set(old.get("set_by_user", [])) | set(overrides)
    side = {k: got.info[k] for k in DOC_FIELDS if got.info.get(k)}
    side.update({k: old[k] for k in kept if k in old})
    side.update(overrides)
    side.setdefault("access", old.get("access", "public"))
    side["url"] = got.url
    side["added_by"] = old.get("added_by") or user or "unknown"
    if kept:
        side["set_by_user"] = sorted(kept)
    side[FETCHED] = {
        "url": got.url,
        "final_url": got.final_url,
        "etag": got.etag,
        "last_modified": got.last_modified,
        "sha256": got.sha256,
        "content_type": got.content_type,
        "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return side


def _same_kind(url: str, path: Path, got: Fetched) -> None:
    """A file keeps its kind: an address that now serves a web page instead of its PDF (often a
    login or an error page) does not replace the document."""
    if Path(got.name).suffix != path.suffix:
        raise FetchError(
            url, f"the address now serves a {got.kind} document instead of a {path.suffix.lstrip('.')} file"
        )


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, ext = target.stem, target.suffix
    i = 1
    while target.exists() or sidecar_path(target).exists():
        i += 1
        target = folder / f"{stem}-{i}{ext}"
    return target


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _replace(
    settings: Settings, url: str, path: Path, data: bytes | None, side: dict, status: str, note: str
) -> SourceResult:
    """Writes the new bytes (if any) and sidecar, ingests; on failure puts the old ones back."""
    old_bytes = path.read_bytes() if path.is_file() else None
    old_side = read_sidecar(path) if sidecar_path(path).is_file() else None
    if data is not None:
        _write(path, data)
    write_sidecar(path, side)
    return _ingest(settings, url, path, status, old_bytes, old_side, note)


def _restore(path: Path, old_bytes: bytes | None, old_side: dict | None) -> None:
    if old_bytes is None:
        path.unlink(missing_ok=True)
    else:
        _write(path, old_bytes)
    if old_side is None:
        sidecar_path(path).unlink(missing_ok=True)
    else:
        write_sidecar(path, old_side)


def _ingest(
    settings: Settings,
    url: str,
    path: Path,
    status: str,
    old_bytes: bytes | None,
    old_side: dict | None,
    note: str = "",
) -> SourceResult:
    try:
        report = ingest(settings, [path], progress=False)
    except IngestBusy as exc:
        _restore(path, old_bytes, old_side)
        raise FetchError(url, str(exc)) from None
    if report.errors:
        _restore(path, old_bytes, old_side)
        if old_bytes is not None:
            # The previous version goes back into the index as it was (its chunks are unchanged).
            ingest(settings, [path], progress=False)
        raise FetchError(url, "; ".join(e.reason for e in report.errors))
    return _result(settings, url, status, path, report.pages, note)


def _in_index(settings: Settings, rel: str) -> bool:
    catalog = Catalog(settings)
    try:
        return catalog.file_sha(rel) is not None
    finally:
        catalog.close()


def _result(settings: Settings, url: str, status: str, path: Path, pages: int = 0, note: str = "") -> SourceResult:
    rel = path.relative_to(settings.corpus_dir).as_posix()
    meta = Manifest.load(settings.corpus_dir).meta_for(rel, {})
    catalog = Catalog(settings)
    try:
        passages = len(catalog.chunk_ids(rel))
    finally:
        catalog.close()
    fields = {k: getattr(meta, k) for k in (*DOC_FIELDS, "access")}
    return SourceResult(url, status, rel, fields, pages, passages, note)
