"""Retrieval and the extractive answerer on a small real index (temp Chroma, real embedder)."""

import pytest

from assistant.answering.engine import Assistant
from assistant.core.text import terms
from assistant.features.evaluation.textmatch import covers
from ingest.pipeline import ingest
from tests.conftest import make_pdf

PAGES = [
    [
        "Japan revised the Foreign Exchange and Foreign Trade Act in 2019.",
        "The threshold for screening foreign investment fell from ten percent to one percent.",
    ],
    [
        "The Economic Division of the National Security Secretariat was launched in April 2020.",
        "It has a staff of about 20 people.",
    ],
]


@pytest.fixture
def assistant(settings, embedder):
    make_pdf(settings.corpus_dir / "paper.pdf", PAGES, header="Journal of Statecraft")
    (settings.corpus_dir / "ja.md").write_text(
        "---\ntitle: 白書\nlanguage: ja\ntype: white paper\n---\n\n"
        "経済安全保障重要技術育成プログラムが実施されている。\n",
        encoding="utf-8",
    )
    (settings.corpus_dir / "manifest.yaml").write_text(
        "documents:\n  paper.pdf: {id: paper, title: Statecraft paper, type: analysis, date: '2021'}\n"
    )
    ingest(settings, progress=False)
    return Assistant(settings)


def test_answer_quotes_the_supporting_sentence_with_page_citation(assistant):
    a = assistant.ask("How did the investment screening threshold change?")
    assert not a.declined
    assert "one percent" in a.text and "[1]" in a.text
    assert a.citations[0].doc_id == "paper" and a.citations[0].page == 1
    assert covers(a.citations[0].text, "fell from ten percent to one percent")


def test_every_marker_in_the_answer_points_at_a_citation(assistant):
    a = assistant.ask("When was the Economic Division launched and how many staff does it have?")
    import re

    markers = {int(m) for m in re.findall(r"\[(\d+)\]", a.text)}
    assert markers and markers == {c.marker for c in a.citations}
    assert all(c.page == 2 for c in a.citations)


def test_declines_and_names_what_the_corpus_covers(assistant):
    a = assistant.ask("What did the 2024 G7 summit in Apulia say about TSMC subsidies?")
    assert a.declined and not a.citations
    assert "do not answer" in a.text and "Statecraft paper" in a.text


def test_filters_reach_both_retrievers(assistant):
    hits = assistant.retriever.search("経済安全保障", filters={"language": ["ja"]})
    assert hits and all(h.chunk.meta.language == "ja" for h in hits)
    hits = assistant.retriever.search("threshold", filters={"type": ["analysis"]})
    assert hits and all(h.chunk.doc_id == "paper" for h in hits)
    assert any(h.chunk.doc_id == "paper" for h in assistant.retriever.search("threshold"))
    assert not any(
        h.chunk.doc_id == "paper" for h in assistant.retriever.search("threshold", filters={"date_from": "2022"})
    )


def test_japanese_query_finds_japanese_text(assistant):
    hits = assistant.retriever.search("経済安全保障", k=3)
    assert hits[0].chunk.meta.language == "ja"
    assert set(terms("経済安全保障")) <= set(terms(hits[0].chunk.text))


def test_follow_up_question_is_rewritten_with_the_previous_turn(assistant):
    from assistant.features.chat import ChatSession

    chat = ChatSession(assistant)
    chat.ask("What is the Economic Division of the National Security Secretariat?")
    a = chat.ask("When was it launched?")
    assert a.rewritten_question != a.question and "Economic Division" in a.rewritten_question
    assert "April 2020" in a.text


def test_index_version_change_refreshes_bm25(assistant, settings):
    assert not assistant.retriever.search("kumquat", mode="lexical")
    (settings.corpus_dir / "fruit.md").write_text("A note on kumquat exports.\n")
    ingest(settings, progress=False)
    assert assistant.retriever.search("kumquat", mode="lexical")[0].chunk.text == "A note on kumquat exports."
