"""The lexical side of the index as one consistent view: the catalogue's committed chunks,
their BM25 index and per-filter masks. An ingest that commits may replace the view while a
query runs, never change it: updates build a new one, sharing what did not change."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.core.types import Chunk
from assistant.index.catalog import Catalog, writer
from assistant.index.filters import matches
from assistant.index.lexical import BM25


@dataclass
class Snapshot:
    epoch: tuple  # (catalogue identity, version): the cache key's index version
    files: dict[str, str]  # source -> sha256 of the files it holds
    slots: dict[str, list[int]]  # source -> BM25 slots of its chunks
    chunks: list  # by slot; None for an empty slot
    meta: list  # by slot; None for an empty slot
    bm25: BM25
    ids: dict[str, int]  # committed chunk id -> slot
    masks: dict  # repr(filters) -> (filters, mask), per snapshot

    def mask(self, filters: dict) -> np.ndarray:
        """Which chunks the filters let through. Every query carries at least the role's access
        filter, so masks are kept with the snapshot they were computed on, per filter set (and
        carried to the next snapshot, computed there for the new chunks only)."""
        key = repr(sorted(filters.items()))
        found = self.masks.get(key)
        if found is None:
            if len(self.masks) > 64:
                self.masks.clear()
            mask = np.array([md is not None and matches(md, filters) for md in self.meta], dtype=bool)
            self.masks[key] = (
                {k: (list(v) if isinstance(v, (list, tuple, set)) else v) for k, v in filters.items()},
                mask,
            )
            return mask
        return found[1]

    def passages(self, filters: dict) -> list[Chunk]:
        """Every chunk the filters let through, in reading order."""
        return sorted(
            (self.chunks[i] for i in np.flatnonzero(self.mask(filters))), key=lambda c: (c.meta.source, c.position)
        )

    def unknown(self, words: list[str], filters: dict) -> list[str]:
        """The words that occur in no chunk the filters let through."""
        mask = self.mask(filters)
        index = self.bm25.index
        return [w for w in words if w not in index or not mask[index[w][0]].any()]


def build(epoch, files: dict, fresh: dict) -> Snapshot:
    chunks: list[Chunk] = []
    slots: dict[str, list[int]] = {}
    for source in sorted(fresh):
        slots[source] = list(range(len(chunks), len(chunks) + len(fresh[source])))
        chunks += fresh[source]
    bm25 = BM25([c.embed_text() for c in chunks], keys=[c.id for c in chunks])
    return Snapshot(
        epoch,
        dict(files),
        slots,
        chunks,
        [c.to_metadata() for c in chunks],
        bm25,
        {c.id: i for i, c in enumerate(chunks)},
        {},
    )


def update(old: Snapshot, epoch, files: dict, fresh: dict) -> Snapshot:
    gone = [s for s in old.files if s not in files or s in fresh]
    remove = [slot for s in gone for slot in old.slots.get(s, [])]
    added = [(s, c) for s in sorted(fresh) for c in fresh[s]]
    live = old.bm25.n - len(remove) + len(added)
    if old.bm25.slots - live > max(1000, live // 4):  # mostly empty slots: start afresh
        keep = {s: [old.chunks[i] for i in old.slots[s]] for s in old.files if s not in gone}
        return build(epoch, files, {**keep, **fresh})
    bm25, placed = old.bm25.updated([c.embed_text() for _, c in added], remove, keys=[c.id for _, c in added])
    chunks, meta = list(old.chunks), list(old.meta)
    grow = bm25.slots - len(chunks)
    chunks += [None] * grow
    meta += [None] * grow
    for slot in remove:
        chunks[slot] = meta[slot] = None
    slots = {s: v for s, v in old.slots.items() if s not in gone}
    for (source, chunk), slot in zip(added, placed):
        chunks[slot], meta[slot] = chunk, chunk.to_metadata()
        slots.setdefault(source, []).append(slot)
    ids = {c.id: i for i, c in enumerate(chunks) if c is not None}
    masks = {}
    for key, (filters, mask) in list(old.masks.items()):  # carried forward: only new slots are computed
        m = np.zeros(bm25.slots, dtype=bool)
        m[: len(mask)] = mask
        m[remove] = False
        for slot in placed:
            m[slot] = matches(meta[slot], filters)
        masks[key] = (filters, m)
    return Snapshot(epoch, dict(files), slots, chunks, meta, bm25, ids, masks)


class SnapshotSource:
    """Follows one library's catalogue: the current snapshot, caught up incrementally with
    the files an ingest committed since (their chunks added, their old chunks removed), not
    rebuilt from every chunk. `changed` is called when another process (on this host or, with a
    shared database, any other) committed since the last snapshot: the vector store must then
    be reopened. `where` is the settings (the shared database when `database_url` is set) or an
    index folder, as for `Catalog`."""

    def __init__(self, where) -> None:
        self.where = where
        self.index_dir = Path(getattr(where, "index_dir", where))
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None
        self._catalog: Catalog | None = None
        self._file_id: tuple | None = None
        self.stats = {"lexical_full": 0, "lexical_incremental": 0}

    def _open_catalog(self) -> Catalog:
        """One catalogue, opened again (tables made if missing) when its SQLite file was
        replaced: an index deleted and built again. A shared database is opened once."""
        if self._catalog is not None and self._catalog.path is None:
            return self._catalog
        path = self._catalog.path if self._catalog is not None else None
        try:
            st = path.stat() if path is not None else None
            ident: tuple | None = (st.st_dev, st.st_ino) if st else None
        except OSError:
            ident = None
        if self._catalog is None or ident is None or ident != self._file_id:
            self._catalog = Catalog(self.where)
            if self._catalog.path is not None:
                st = self._catalog.path.stat()
                self._file_id = (st.st_dev, st.st_ino)
        return self._catalog

    def current(self, changed=None) -> Snapshot:
        with self._lock:
            catalog = self._open_catalog()
            # The epoch is (catalogue identity, version): a catalogue made anew restarts its
            # version count, and its identity keeps the epochs apart.
            epoch = catalog.epoch()
            snap = self._snap
            if snap is not None and snap.epoch == epoch:
                return snap
            if snap is not None and changed is not None and catalog.writer() != writer():
                changed()
            same = snap is not None and snap.epoch[0] == epoch[0]
            version, files, fresh = catalog.changes(snap.files if snap is not None and same else {})
            epoch = (epoch[0], version)
            if snap is not None and same:
                self._snap = update(snap, epoch, files, fresh)
                self.stats["lexical_incremental"] += 1
            else:
                self._snap = build(epoch, files, fresh)
                self.stats["lexical_full"] += 1
            return self._snap
