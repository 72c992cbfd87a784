"""A topic's focus terms, defined once (features/topics.py) and read the same way by the timeline,
the briefing note and the quiz."""

from __future__ import annotations

import pytest

from assistant.core.text import language_of, terms
from assistant.core.types import Chunk, DocMeta
from assistant.features.topics import Focus, TopicError, focus_of


def _chunk(doc_id: str, text: str) -> Chunk:
    meta = DocMeta(doc_id, f"Title {doc_id}", f"{doc_id}.md", issuer="Issuer", date="2024")
    return Chunk(doc_id, text, None, "", 0, meta)


# "Japan", "U.S.", "cooperation" and "partnership" are in every document, as in the shipped corpus.
LIBRARY = [
    _chunk("a", "Japan and the U.S. deepen cooperation on critical minerals under the partnership."),
    _chunk("b", "Japan and the U.S. deepen cooperation on semiconductors under the partnership."),
    _chunk("c", "Japan and the U.S. deepen cooperation on clean energy under the partnership."),
    _chunk("d", "Japan and the U.S. deepen cooperation on export controls under the partnership."),
]


def test_words_most_documents_contain_do_not_pin_a_topic_down():
    focus = focus_of("U.S.-Japan critical minerals cooperation partnership", LIBRARY)
    assert set(focus.terms) == set(terms("critical minerals"))
    assert focus.addressed_by("Stockpiles of critical minerals will be coordinated.")
    assert not focus.addressed_by("Japan and the U.S. deepen cooperation under the partnership.")


def test_the_rarest_word_is_kept_even_when_common():
    # Every word of the topic is in every document: the topic is still searchable by its rarest.
    focus = focus_of("Japan cooperation", LIBRARY)
    assert len(focus.terms) == 1 and focus.terms[0] in terms("Japan cooperation")


def test_a_topic_the_library_does_not_name_has_no_focus():
    assert focus_of("the 2018 FIFA World Cup final", LIBRARY).terms == ()
    with pytest.raises(TopicError):
        focus_of("!!!", LIBRARY)


def test_language_of_a_text():
    assert language_of("経済安全保障推進法") == "ja" and language_of("export controls") == "en"


def test_a_japanese_topic_is_read_by_its_glossary_terms_not_its_particles():
    chunks = [
        _chunk("a", "Japan and the U.S. will cooperate on semiconductors."),
        _chunk("b", "Japan and the U.S. will cooperate on clean energy."),
        _chunk("c", "Japan and the U.S. will cooperate on space."),
        _chunk("d", "政府は次世代半導体の研究開発を推進する。日米の協力を深める。"),
    ]
    focus = focus_of("半導体に関する日米協力", chunks)
    assert focus.own_phrases == ("半導体",) and focus.phrases == ("semiconductors",)
    assert focus.addressed_by("政府は次世代半導体の研究開発を推進する。")
    assert not focus.addressed_by("日米の協力を深める。")  # 日米 and 協力 are in every document here
    assert focus.addressed_by("Japan and the U.S. will cooperate on semiconductors.")
    assert not focus.addressed_by("Japan and the U.S. will cooperate on clean energy.")


def test_several_focus_terms_must_stand_together():
    focus = Focus("en", ("export", "control"), ())
    assert focus.addressed_by("We will strengthen cooperation on export controls.")
    assert focus.addressed_by("Existing tools of targeted controls on exports remain.")
    far = "We facilitate e-scrap exports to Japan for recycling under the OECD Council Decision on the Control of Movements."
    assert set(focus.terms) <= set(terms(far)) and not focus.addressed_by(far)


class _Library:
    """The two calls the quiz makes of a retriever for its topic: a real list of passages."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks

    def passages(self, filters: dict | None = None) -> list[Chunk]:
        ids = (filters or {}).get("doc_id")
        return [c for c in self.chunks if not ids or c.doc_id in ids]


def test_the_quiz_reads_a_topic_by_the_same_focus_terms():
    from assistant.features.quiz import focus_terms

    library = _Library(LIBRARY)
    topic = "U.S.-Japan critical minerals cooperation partnership"
    assert focus_terms(library, topic, None, LIBRARY) == list(focus_of(topic, LIBRARY).terms)
    # Filtered to one document, the words are still weighed across the whole readable library:
    # within document "a" alone every word would be in every document.
    one = library.passages({"doc_id": ["a"]})
    assert set(focus_terms(library, topic, {"doc_id": ["a"]}, one)) == set(terms("critical minerals"))
    assert len(focus_of(topic, one).terms) == 1
    assert focus_terms(library, "!!!", None, LIBRARY) == []
