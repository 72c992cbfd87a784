"""The default "minilm": a question in numpy (torch never imported), a bulk load in torch, the
same vectors either way, and texts embedded before read from the vector cache."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from assistant.core.offline import OFFLINE_ENV
from assistant.index.embedders import minilm
from assistant.index.embedders.minilm_numpy import BULK_TOKENS, is_bulk
from assistant.index.embedders.vector_cache import VectorCache
from tests.conftest import REPO
from tests.index.test_numpy_minilm import corpus_passages

SENTENCES = [
    "The Economic Security Promotion Act was enacted in May 2022.",
    "Japan and the United States will cooperate on semiconductors.",
    "経済安全保障推進法",
]


@pytest.fixture
def embedder(tmp_path, monkeypatch):
    """A fresh "minilm" (not the process-wide one) with its vector cache in a temp dir."""
    monkeypatch.setattr(minilm, "CACHE_DIR", tmp_path)
    return minilm.MiniLMEmbedder()


def run_python(code: str, tmp_path) -> str:
    env = {**os.environ, **OFFLINE_ENV, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip()


def test_a_question_and_an_answers_sentences_never_import_torch(tmp_path):
    out = run_python(
        f"""
        import sys
        from assistant.index.embedders import get_embedder
        e = get_embedder("minilm")
        e.embed_query("What does the Economic Security Promotion Act say about critical materials?")
        e.embed_documents({SENTENCES!r} * 20)
        e.count_tokens("semiconductors")
        print("torch" in sys.modules, "sentence_transformers" in sys.modules)
        """,
        tmp_path,
    )
    assert out == "False False"


def test_a_bulk_load_goes_to_torch_with_the_same_vectors(embedder):
    texts = corpus_passages(60)
    ids = embedder.small.ids(texts)
    assert is_bulk(ids) and sum(map(len, ids)) >= BULK_TOKENS
    assert not is_bulk(embedder.small.ids(SENTENCES))
    bulk = embedder.encode(texts)
    assert minilm._torch_model.cache_info().currsize == 1  # the bulk call loaded torch
    # Bulk vectors are not cached (the vector store keeps them); small ones are.
    assert all(v is None for v in embedder.cache.get(texts))
    # The same texts a few at a time (numpy): the same vectors, row for row.
    small = np.vstack([embedder.encode(texts[i : i + 4]) for i in range(0, len(texts), 4)])
    assert (bulk * small).sum(axis=1).min() >= 0.9999
    assert all(v is not None for v in embedder.cache.get(texts))


def test_vectors_embedded_before_come_from_the_cache(embedder, monkeypatch):
    first = embedder.encode(SENTENCES)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)

    def no_model(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(embedder.small, "encode_ids", no_model)
    again = embedder.encode(list(reversed(SENTENCES)))
    assert np.array_equal(again, first[::-1])
    # A new process reads the same file.
    other = minilm.MiniLMEmbedder()
    monkeypatch.setattr(other.small, "encode_ids", no_model)
    assert np.array_equal(other.encode(SENTENCES), first)


def test_only_missing_texts_are_computed(embedder, monkeypatch):
    embedder.encode(SENTENCES[:2])
    computed: list[int] = []
    real = embedder.small.encode_ids

    def counting(ids, threads=1):
        computed.append(len(ids))
        return real(ids, threads)

    monkeypatch.setattr(embedder.small, "encode_ids", counting)
    out = embedder.encode(SENTENCES)
    assert computed == [1]
    assert np.dot(out[2], embedder.small.encode([SENTENCES[2]])[0]) >= 0.9999


def test_a_damaged_or_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    (tmp_path / "bad").write_bytes(b"this is not a database" * 100)
    monkeypatch.setattr(minilm, "CACHE_DIR", tmp_path / "bad")  # a file where the folder should be
    e = minilm.MiniLMEmbedder()
    v = e.encode(SENTENCES)
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    cache = VectorCache(path, 384)
    assert cache.get(SENTENCES) == [None] * 3
    cache.put(SENTENCES, v)  # no error
    assert cache.get(SENTENCES) == [None] * 3


def test_a_wrong_sized_row_is_not_trusted(tmp_path):
    cache = VectorCache(tmp_path / "v.sqlite3", 384)
    cache.put(["a"], np.ones((1, 384), dtype=np.float32))
    small = VectorCache(tmp_path / "v.sqlite3", 512)
    assert small.get(["a"]) == [None]
    assert cache.get(["a"])[0] is not None


def test_the_oldest_rows_go_beyond_the_cap(tmp_path):
    cache = VectorCache(tmp_path / "v.sqlite3", 4, max_rows=10)
    for i in range(30):
        cache.put([f"text {i}"], np.full((1, 4), i, dtype=np.float32))
    got = cache.get([f"text {i}" for i in range(30)])
    assert all(v is None for v in got[:20]) and all(v is not None for v in got[20:])
