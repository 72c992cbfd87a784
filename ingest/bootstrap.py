"""A fresh machine has no index: every front end builds it from the corpus folder on first use."""

from __future__ import annotations

import sys

from assistant.core.settings import Settings
from assistant.index.catalog import Catalog
from ingest.pipeline import IngestBusy, ingest


def ensure_index(settings: Settings, quiet: bool = False) -> None:
    catalog = Catalog(settings)
    empty = catalog.stats()["documents"] == 0
    catalog.close()
    if empty:
        if not quiet:
            print(f"No index in {settings.index_dir}: building it from {settings.corpus_dir} ...", file=sys.stderr)
        try:
            report = ingest(settings, progress=not quiet)
        except IngestBusy:
            # Several processes starting at once on one shared database (API workers, hosts):
            # one builds the index, the others serve and see its documents when it commits.
            print("Another process is building the index; its documents appear when it commits.", file=sys.stderr)
            return
        print(report.summary(), file=sys.stderr)
