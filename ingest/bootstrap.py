"""A fresh machine has no index: every front end builds it from the corpus folder on first use."""

from __future__ import annotations

import sys

from assistant.core.settings import Settings
from assistant.index.catalog import Catalog
from ingest.pipeline import ingest


def ensure_index(settings: Settings, quiet: bool = False) -> None:
    catalog = Catalog(settings)
    empty = catalog.stats()["documents"] == 0
    catalog.close()
    if empty:
        if not quiet:
            print(f"No index in {settings.index_dir}: building it from {settings.corpus_dir} ...", file=sys.stderr)
        report = ingest(settings, progress=not quiet)
        print(report.summary(), file=sys.stderr)
