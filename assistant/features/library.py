"""The document library as a user sees it: what they may read, adding and removing uploads
(checked and ingested by ingest/uploads.py), adding and refreshing documents by their address
(features/sources.py)."""

from __future__ import annotations

from assistant.core.access import readable_levels
from assistant.core.settings import Settings
from assistant.features.sources import FetchError, SourceResult, add_from_address, find_by_address, refresh_sources
from assistant.index.catalog import Catalog
from ingest.loaders import SUPPORTED
from ingest.pipeline import IngestBusy
from ingest.uploads import UPLOADS, USER_FOLDERS, Added, UploadError, add_upload, removable, remove_document

__all__ = [
    "SUPPORTED",
    "UPLOADS",
    "USER_FOLDERS",
    "Added",
    "FetchError",
    "SourceResult",
    "add_from_address",
    "find_by_address",
    "refresh_sources",
    "IngestBusy",
    "UploadError",
    "add_upload",
    "remove_document",
    "removable",
    "index_stats",
    "page_text",
    "visible_documents",
]


def visible_documents(settings: Settings, role: str) -> list[dict]:
    """The library as this role may see it: documents above the role are not even listed."""
    levels = set(readable_levels(role))
    catalog = Catalog(settings)
    try:
        return [d for d in catalog.documents() if (d.get("access") or "public") in levels]
    finally:
        catalog.close()


def index_stats(settings: Settings) -> dict:
    catalog = Catalog(settings)
    try:
        return catalog.stats()
    finally:
        catalog.close()


def page_text(settings: Settings, doc_id: str, page: int | None) -> tuple[str, list]:
    """The whole text of one page (or page-less document) and its passages, as indexed."""
    catalog = Catalog(settings)
    try:
        chunks = catalog.page_chunks(doc_id, page)
    finally:
        catalog.close()
    return " ".join(" ".join(c.text.split()) for c in chunks), chunks
