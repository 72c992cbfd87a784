"""The numpy MiniLM is the torch MiniLM: same vectors (an index built with one stays valid
with the other), same word-piece counts (the chunker's budget), same truncation. Compared with
"minilm-torch", sentence-transformers alone (the default "minilm" mixes the two)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from assistant.index.embedders import REGISTRY, get_embedder
from ingest.clean import clean_markup
from tests.conftest import CORPUS


def corpus_passages(n: int = 200) -> list[str]:
    """Paragraphs of the shipped statements, as ingest cleans them, and some long runs of
    them (over the 256 word pieces the model reads, so truncation is compared too)."""
    paragraphs: list[str] = []
    for path in sorted((CORPUS / "statements").glob("*.md")):
        text = clean_markup(path.read_text(encoding="utf-8"))
        paragraphs += [p for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 4]
    step = max(1, len(paragraphs) // n)
    picked = paragraphs[::step][:n]
    long = [" ".join(paragraphs[i : i + 8]) for i in range(0, 32, 8)]
    return picked + long


@pytest.fixture(scope="module")
def both():
    return get_embedder("minilm-numpy"), get_embedder("minilm-torch")


def test_registered_and_shaped_like_the_torch_model(both):
    fast, torch_model = both
    assert REGISTRY["minilm-numpy"].endswith(":NumpyMiniLMEmbedder")
    assert (fast.dimensions, fast.max_tokens) == (torch_model.dimensions, torch_model.max_tokens) == (384, 254)


def test_vectors_equal_sentence_transformers_on_corpus_passages(both):
    fast, torch_model = both
    texts = corpus_passages()
    texts += ["What is the Economic Security Promotion Act?", "経済安全保障推進法", "", "x"]
    assert len(texts) >= 200
    a = np.asarray(fast.embed_documents(texts))
    b = np.asarray(torch_model.embed_documents(texts))
    assert a.shape == b.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    # Row by row: batches are sorted by length inside, so this also checks the order is kept.
    cosines = (a * b).sum(axis=1)
    assert cosines.min() >= 0.9999, texts[int(cosines.argmin())][:200]
    q = "How do Japan and the United States cooperate on semiconductors?"
    assert float(np.dot(fast.embed_query(q), torch_model.embed_query(q))) >= 0.9999


def test_long_text_is_cut_at_the_model_limit(both):
    fast, torch_model = both
    long = " ".join(corpus_passages()[-3:]) * 3
    assert fast.count_tokens(long) > 300  # far beyond what the model reads
    # The first 254 word pieces decide the vector: what follows them changes nothing.
    assert np.dot(fast.embed_query(long), fast.embed_query(long + " semiconductors export controls")) > 0.99999
    assert np.dot(fast.embed_query(long), torch_model.embed_query(long)) >= 0.9999


def test_word_piece_counts_match_the_torch_tokenizer(both):
    fast, torch_model = both
    texts = corpus_passages(60) + ["経済安全保障推進法の第一条", "U.S.-Japan", ""]
    assert [fast.count_tokens(t) for t in texts] == [torch_model.count_tokens(t) for t in texts]
