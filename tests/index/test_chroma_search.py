"""The vector store's nearest chunks are the exact nearest ones, the same in every process: HNSW
searching too narrowly (Chroma's default) returned a different 60 for the same question each
time the corpus was opened."""

import numpy as np

from assistant.core.types import Chunk, DocMeta
from assistant.index.stores import open_store
from assistant.index.stores.chroma import EF_SEARCH, ChromaStore


def _chunks(n: int) -> list[Chunk]:
    meta = DocMeta(doc_id="d", title="T", source="d.md")
    return [Chunk("d", f"text {i}", None, "", i, meta, id=f"c{i:04d}") for i in range(n)]


def test_the_nearest_chunks_are_the_exact_nearest(settings):
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(800, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = open_store(settings)
    store.add(_chunks(len(vectors)), vectors.tolist())
    for q in rng.normal(size=(5, 384)).astype(np.float32):
        q /= np.linalg.norm(q)
        exact = [f"c{i:04d}" for i in np.argsort(-(vectors @ q))[:60]]
        assert [cid for cid, _ in store.query_ids(q.tolist(), 60, None)] == exact


def test_a_collection_made_with_the_default_search_width_is_widened(settings):
    store = open_store(settings)
    store.col.modify(configuration={"hnsw": {"ef_search": 100}})  # as Chroma made it before
    again = ChromaStore(store.client, settings.collection, settings)
    assert again.col.configuration["hnsw"]["ef_search"] == EF_SEARCH
