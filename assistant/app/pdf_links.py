"""Links that open a cited PDF at its page in the browser.

Streamlit serves files from the `static` folder beside the app's main script (static serving
is switched on by `briefing app`, whose main script is a launcher in <index>/app/, so nothing is
ever written into the installed package). That folder is public to anyone who knows a file's URL, so
a document is never placed there under its own name: each is copied under a random, unguessable
name, created only for a user whose role may read it (the caller checks), and old copies are
swept away after a day."""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path

MAX_AGE_S = 24 * 3600
_issued: dict[str, str] = {}  # corpus path -> static file name, for this server process


def static_dir(settings) -> Path:
    return settings.app_dir / "static"


def pdf_link(settings, source: str) -> str | None:
    """A URL path (relative to the app) for the PDF at `source`, under the corpus folder."""
    root = settings.corpus_dir.resolve()
    path = (root / source).resolve()
    if root not in path.parents or not path.is_file() or path.suffix.lower() != ".pdf":
        return None
    static = static_dir(settings)
    name = _issued.get(source)
    if not name or not (static / name).is_file():
        static.mkdir(parents=True, exist_ok=True)
        _sweep(static)
        name = f"{secrets.token_urlsafe(18)}.pdf"
        shutil.copyfile(path, static / name)
        _issued[source] = name
    return f"app/static/{name}"


def _sweep(static: Path) -> None:
    cutoff = time.time() - MAX_AGE_S
    for f in static.glob("*.pdf"):
        if f.stat().st_mtime < cutoff:
            f.unlink(missing_ok=True)
