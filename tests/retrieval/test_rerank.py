"""The reranking stage with a real sentence-transformers CrossEncoder loaded from a local path:
a tiny, randomly initialised model built by the test (none ships on PyPI), so what is checked
is the plumbing, not the ranking quality."""

import pytest

from assistant.retrieval.rerank import CrossEncoderReranker, NoReranker, get_reranker
from assistant.retrieval.search import Retriever
from ingest.pipeline import ingest


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory, embedder):
    from transformers import BertConfig, BertForSequenceClassification

    path = tmp_path_factory.mktemp("tiny-ce")
    embedder.tokenizer.save_pretrained(path)
    config = BertConfig(
        vocab_size=embedder.tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=37,
        num_labels=1,
    )
    BertForSequenceClassification(config).save_pretrained(path)
    return path


def test_unknown_or_unconfigured_rerankers_are_refused():
    assert isinstance(get_reranker("none"), NoReranker)
    with pytest.raises(ValueError, match="RERANKER_PATH"):
        get_reranker("cross-encoder", None)
    with pytest.raises(ValueError, match="unknown reranker"):
        get_reranker("colbert")


def test_cross_encoder_from_a_local_path_reorders_the_fused_hits(settings, embedder, tiny_cross_encoder):
    for i, text in enumerate(
        [
            "Semiconductor supply chains.",
            "Critical minerals and rare earths.",
            "Investment screening thresholds.",
            "The Economic 2+2 dialogue.",
        ]
    ):
        (settings.corpus_dir / f"n{i}.md").write_text(text + "\n")
    ingest(settings, progress=False)
    s = settings.model_copy(update={"reranker": "cross-encoder", "reranker_path": tiny_cross_encoder})
    retriever = Retriever(s)
    assert isinstance(retriever.reranker, CrossEncoderReranker)
    hits = retriever.search("semiconductor supply")
    scores = [h.rerank_score for h in hits]
    assert len(hits) == 4 and all(isinstance(x, float) for x in scores)
    assert scores == sorted(scores, reverse=True)
