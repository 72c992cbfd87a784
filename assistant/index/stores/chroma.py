"""Chroma, embedded (PersistentClient in the index folder) or a `chroma run` server (HttpClient).
Embeddings are computed by our embedder and passed in, so both modes store the same vectors."""

from __future__ import annotations

import logging

from assistant.core.types import Chunk
from assistant.index.stores import VectorStore

log = logging.getLogger(__name__)
_BATCH = 1000  # Chroma caps the size of one add; stay well below it
# How widely HNSW searches its graph. At Chroma's default (100) the 60 nearest chunks of the
# shipped corpus came back different in each process (5 runs, 5 rankings), so the same question
# was answered one way, then another; from about 400 on they are the exact 60, every run. The
# cost grows with the collection (a few ms at 10k chunks: benchmarks/retrieval.py).
EF_SEARCH = 512


class ChromaStore(VectorStore):
    def __init__(self, client, name: str, settings=None) -> None:
        self.client = client
        self.settings = settings
        self.col = client.get_or_create_collection(
            name, configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}}, embedding_function=None
        )
        # A collection made before EF_SEARCH (the setting is kept with it, and may be changed).
        hnsw = (getattr(self.col, "configuration", None) or {}).get("hnsw") or {}
        if hnsw.get("ef_search", EF_SEARCH) < EF_SEARCH:
            self.col.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})

    @classmethod
    def from_settings(cls, settings) -> "ChromaStore":
        import chromadb

        chroma_settings = chromadb.Settings(anonymized_telemetry=False)
        if settings.chroma_mode == "http":
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        else:
            path = settings.index_dir / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        return cls(client, settings.collection, settings)

    def add(self, chunks: list[Chunk], embeddings: list[list[float]]) -> None:
        for i in range(0, len(chunks), _BATCH):
            part = chunks[i : i + _BATCH]
            self.col.upsert(
                ids=[c.id for c in part],
                embeddings=embeddings[i : i + _BATCH],
                documents=[c.text for c in part],
                metadatas=[c.to_metadata() for c in part],
            )

    def update_metadata(self, chunks: list[Chunk]) -> None:
        for i in range(0, len(chunks), _BATCH):
            part = chunks[i : i + _BATCH]
            # The text is part of the chunk id, so only the metadata can differ.
            self.col.update(ids=[c.id for c in part], metadatas=[c.to_metadata() for c in part])

    def delete(self, ids: list[str]) -> None:
        ids = list(ids)
        for i in range(0, len(ids), _BATCH):
            self.col.delete(ids=ids[i : i + _BATCH])

    def existing(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        ids = list(ids)
        for i in range(0, len(ids), _BATCH):
            found.update(self.col.get(ids=ids[i : i + _BATCH], include=[])["ids"])
        return found

    def all_ids(self) -> set[str]:
        out: set[str] = set()
        offset = 0
        while True:
            page = self.col.get(include=[], limit=5000, offset=offset)["ids"]
            out.update(page)
            if len(page) < 5000:
                return out
            offset += len(page)

    def query(self, embedding: list[float], k: int, where: dict | None) -> list[tuple[Chunk, float]]:
        res = self._query(embedding, k, where, ["documents", "metadatas", "distances"])
        if res is None:
            return []
        return [
            (Chunk.from_metadata(i, doc, md), 1.0 - float(dist))
            for i, doc, md, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
        ]

    def query_ids(self, embedding: list[float], k: int, where: dict | None) -> list[tuple[str, float]]:
        res = self._query(embedding, k, where, ["distances"])
        if res is None:
            return []
        return [(i, 1.0 - float(dist)) for i, dist in zip(res["ids"][0], res["distances"][0])]

    def _query(self, embedding, k: int, where, include: list[str]):
        n = min(k, self.count())
        if n == 0:
            return None
        try:
            return self.col.query(query_embeddings=[embedding], n_results=n, where=where, include=include)
        except Exception as exc:  # chromadb raises its own InternalError for a stale view
            fresh = self.reopen()
            if fresh is self:
                raise
            self.client, self.col = fresh.client, fresh.col
            log.warning("vector store reloaded after another process wrote to it (%s)", exc)
            return self.col.query(query_embeddings=[embedding], n_results=n, where=where, include=include)

    def count(self) -> int:
        return self.col.count()

    def reopen(self) -> "ChromaStore":
        """Embedded Chroma keeps one in-memory view per folder and process, which does not see
        another process's writes (an ingest run from the CLI while the app serves): drop the
        cached view and load the folder again. Old handles keep working on their own view."""
        if self.settings is None or self.settings.chroma_mode != "embedded":
            return self
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
        return ChromaStore.from_settings(self.settings)
