"""The corpus manifest (corpus/manifest.yaml): document metadata keyed by path under the corpus.

Precedence for each field: manifest entry, then the file's own metadata (front matter, PDF
info), then the manifest's defaults. A file the manifest does not list is still ingested.
A file may also carry a sidecar `<name>.meta.yaml` (what the app's upload writes: a PDF has
no front matter to hold its access level, and what `briefing add URL` writes: the address a
document came from and what its server said, so that `briefing refresh` can ask again); it
ranks just below the manifest entry."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

import yaml

from assistant.core.types import DocMeta

MANIFEST = "manifest.yaml"
SIDECAR = ".meta.yaml"
# Documents added by their address live in <corpus>/added/, each with a sidecar whose `fetched`
# block records the address, ETag, Last-Modified and the hash of the bytes downloaded.
ADDED = "added"
FETCHED = "fetched"


def sidecar_path(path: Path) -> Path:
    return path.parent / (path.name + SIDECAR)


def read_sidecar(path: Path) -> dict:
    """The sidecar of the file at `path` ({} when there is none or it is unreadable)."""
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def write_sidecar(path: Path, data: dict) -> None:
    """Written whole or not at all: a half-written sidecar would change a document's access."""
    side = sidecar_path(path)
    tmp = side.with_name(f".{side.name}.tmp")
    tmp.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    os.replace(tmp, side)


def fetched_documents(root: Path) -> list[tuple[Path, dict]]:
    """Every file under the corpus whose sidecar records the address it was downloaded from."""
    out = []
    for side in sorted(root.rglob("*" + SIDECAR)):
        path = side.with_name(side.name[: -len(SIDECAR)])
        data = read_sidecar(path)
        if path.is_file() and isinstance(data.get(FETCHED), dict) and data[FETCHED].get("url"):
            out.append((path, data))
    return out


@dataclass
class Manifest:
    root: Path
    documents: dict[str, dict] = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)
    ignore: list[str] = field(default_factory=lambda: [MANIFEST, "*" + SIDECAR])
    # Each issuer's one canonical name -> its other names (issuer_aliases): a document that gives
    # another name is filed under the canonical one, and a filter that names one finds it.
    issuer_names: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> "Manifest":
        path = root / MANIFEST
        if not path.is_file():
            return cls(root)
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(
            root,
            dict(data.get("documents") or {}),
            dict(data.get("defaults") or {}),
            list(data.get("ignore") or []) + [MANIFEST, "*" + SIDECAR],
            {str(k): [str(n) for n in (v or [])] for k, v in (data.get("issuer_aliases") or {}).items()},
        )

    @cached_property
    def _canonical(self) -> dict[str, str]:
        """Any name of an issuer, folded -> its canonical name."""
        return {_fold_name(n): c for c, others in self.issuer_names.items() for n in [c, *others]}

    def canonical_issuer(self, name: str) -> str:
        """The manifest's one name for an issuer given by any of its names; others unchanged."""
        return self._canonical.get(_fold_name(name), name)

    def ignored(self, rel: str) -> bool:
        name = rel.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(name, pat) for pat in self.ignore)

    def entry_for(self, rel: str) -> dict:
        """The manifest's entry over the file's sidecar, if any."""
        extra = read_sidecar((self.root / rel) if not rel.startswith("/") else Path(rel))
        return {**extra, **self.documents.get(rel, {})}

    def meta_for(self, rel: str, file_meta: dict) -> DocMeta:
        entry = self.entry_for(rel)

        def pick(*keys: str, default: str = "") -> str:
            for source in (entry, file_meta, self.defaults):
                for key in keys:
                    value = source.get(key)
                    if value not in (None, ""):
                        return _text(value)
            return default

        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return DocMeta(
            doc_id=_slug(pick("id", default=rel.rsplit(".", 1)[0])),
            title=pick("title", default=stem),
            source=rel,
            issuer=self.canonical_issuer(pick("issuer", "author", "publisher")),
            date=pick("date", "published_time")[:10],
            type=pick("type"),
            language=pick("language", "lang", default="en"),
            url=pick("url", "source_url"),
            licence=pick("licence", "license"),
            access=pick("access", default="public"),
        )


def _text(value) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return " ".join(str(value).replace("\\", "").split())


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:200] or "document"


def _fold_name(name: str) -> str:
    return " ".join(str(name).lower().split())
