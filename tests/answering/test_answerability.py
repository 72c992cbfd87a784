"""Answerability on a small real index: the sentence that answers comes first, a question whose
asked-for fact is not there is declined with its reason and related passages (never citations),
and a two-part question with one part missing is answered in part and says so."""

from __future__ import annotations

import pytest

from assistant.answering.engine import Assistant
from ingest.pipeline import ingest

NOTE = """---
title: Programme note
issuer: Test Ministry
date: 2024-05-01
---

# The resilience programme

The resilience programme supports supply chains for critical minerals in partner countries. It provides 3.5 billion yen in grants over three years. The programme was launched in April 2024 in Tokyo.

# The research network

The research network links universities working on quantum computing. Its members exchange researchers and share testbeds.

# The campus

The Global Startup Campus will be established in Tokyo to foster innovation. Two governments welcomed it.

# Markets

The global smart city market will be worth 20 trillion yen by 2030, with 300 firms competing.
"""


@pytest.fixture
def assistant(settings, embedder):
    (settings.corpus_dir / "note.md").write_text(NOTE, encoding="utf-8")
    ingest(settings, progress=False)
    return Assistant(settings)


def test_the_sentence_with_the_amount_is_quoted_first(assistant):
    a = assistant.ask("How much does the resilience programme provide?")
    assert not a.declined
    assert a.text.startswith("\u201cIt provides 3.5 billion yen")


def test_a_question_whose_fact_is_not_stated_is_declined_with_related_passages(assistant):
    a = assistant.ask("How much funding does the research network on quantum computing receive?")
    assert a.declined and not a.citations
    assert a.decline_reason == "no quoted sentence states an amount"
    assert "do not state an amount" in a.text
    assert a.related and a.related[0].chunk.doc_id == "note"
    rec = a.to_record()
    assert rec["decline_reason"] and rec["related"] and rec["citations"] == []


def test_a_name_the_passages_do_not_mention_is_declined(assistant):
    a = assistant.ask("When was the resilience programme launched in Osaka?")
    assert a.declined and a.decline_reason == "the closest passages do not mention: osaka"


def test_a_two_part_question_with_one_part_missing_is_answered_in_part(assistant):
    a = assistant.ask("Who runs the research network, and when was it launched?")
    assert a.declined or a.not_covered  # never a confident answer to both parts
    b = assistant.ask("How much does the resilience programme provide, and who leads it?")
    assert not b.declined and "3.5 billion yen" in b.text
    assert b.not_covered == "who it is"
    assert b.to_record()["partial"] is True


def test_a_date_of_something_else_does_not_answer_a_question_about_a_named_thing(assistant):
    # "by 2030" is the date of the smart city market, which shares one word ("global") with the
    # name asked about: the campus's passage states no date, so the question is declined.
    a = assistant.ask("In what year will the Global Startup Campus open?")
    assert a.declined and a.decline_reason == "no quoted sentence states a date"


def test_a_count_of_other_things_does_not_answer_how_many(assistant):
    # "Two governments" is a count, but not of people.
    a = assistant.ask("How many people work at the Global Startup Campus?")
    assert a.declined and a.decline_reason == "no quoted sentence states a number"
    b = assistant.ask("How many companies compete in the global smart city market?")
    assert not b.declined and "300 firms" in b.text


def test_a_question_about_another_country_is_not_answered_by_a_passage_that_never_names_it(assistant):
    a = assistant.ask("How much does South Korea's resilience programme provide?")
    assert a.declined and a.decline_reason == "the closest passages do not mention: Korea"


def test_an_acronym_the_question_spells_out_is_found_by_its_words(assistant):
    # "RSP" is in no document, but the question says what it stands for.
    a = assistant.ask("How much does the resilience supply programme (RSP) provide?")
    assert not a.declined and "3.5 billion yen" in a.text
    b = assistant.ask("How much does the RSP provide?")
    assert b.declined


def test_a_day_the_question_names_must_be_that_day_in_the_passages(assistant):
    # The note says "April 2024" and "2024" and many single digits, but no May 3.
    a = assistant.ask("Where was the resilience programme launched on May 3, 2024?")
    assert a.declined and a.decline_reason == "the closest passages do not mention: May 3, 2024"
    b = assistant.ask("Where was the resilience programme launched on May 1, 2024?")  # the note's own date
    assert not b.declined, b.decline_reason
    assert "Tokyo" in b.text


def test_a_figure_stated_of_another_country_only_is_not_about_the_one_asked(settings):
    from assistant.answering.answerability import _about
    from assistant.answering.evidence import Evidence
    from assistant.answering.question import analyse
    from assistant.core.types import Chunk, DocMeta, Hit

    q = analyse("How much is Japan contributing to the Pandemic Fund?")
    meta = DocMeta(doc_id="f", title="Fact sheet", source="f.md")
    text = "Investing in health security with U.S. contribution of $250 Million to the Pandemic Fund."

    def said(sentence):
        hit = Hit(Chunk("f", f"{text} {sentence}", None, "", 0, meta, id="f1"), 1.0)
        e = Evidence(hit, 0, sentence, 1.0, frozenset({"amount"}))
        return _about(e, e, q, settings)

    assert not said(text)
    assert said("Japan and the United States each pledged $50 million to the Pandemic Fund.")
    assert said("It adds $50 million to the Pandemic Fund.")  # no country named: the passage decides


def test_a_sentence_in_the_other_language_is_about_the_name_it_writes_as_the_question_does(settings):
    # An English question about the Japanese white paper: words cannot be compared across the
    # language line, but "Swallow" is written alike in both.
    from assistant.answering.answerability import _about
    from assistant.answering.evidence import Evidence
    from assistant.answering.question import analyse
    from assistant.core.types import Chunk, DocMeta, Hit

    q = analyse("How large is the web corpus built to train Swallow?")
    english = DocMeta(doc_id="e", title="Fact sheet", source="e.md")
    japanese = DocMeta(doc_id="j", title="白書", source="j.pdf", language="ja")

    def evidence(meta, sentence, chunk):
        hit = Hit(Chunk(meta.doc_id, sentence, 9, "", 0, meta, id=chunk), 1.0)
        return Evidence(hit, 0, sentence, 1.0, frozenset({"size"}))

    best = evidence(english, "AWS will invest $15 billion in web services.", "e1")
    swallow = evidence(
        japanese, "Swallowの開発に当たっては、約3,121億文字からなる日本語ウェブコーパスを構築しました。", "j1"
    )
    other = evidence(japanese, "約1億語のコーパスの開発が行われてきました。", "j2")
    assert _about(swallow, best, q, settings)
    assert not _about(other, best, q, settings)


def test_the_closest_sentence_of_a_passage_that_has_the_questions_names_is_about_it(settings):
    # The passage says "LDP"; its closest sentence, the one with the person, does not repeat it.
    from assistant.answering.answerability import _about
    from assistant.answering.evidence import Evidence
    from assistant.answering.question import analyse
    from assistant.core.types import Chunk, DocMeta, Hit

    q = analyse("Who is the LDP heavyweight said to prefer a softer approach to Beijing?")
    meta = DocMeta(doc_id="p", title="Paper", source="p.pdf")
    nikai = (
        "Secretary General Nikai Toshihiro, a party powerbroker close to Prime Minister Suga, favours the softer line."
    )
    other = "Minister Kono Taro spoke at the party meeting."
    text = f"Views of China diverge within the Liberal Democratic Party (LDP). {nikai} {other}"
    hit = Hit(Chunk("p", text, 3, "", 0, meta, id="p1"), 1.0)
    best = Evidence(hit, 0, nikai, 1.0, frozenset({"person"}))
    assert _about(best, best, q, settings)
    assert not _about(Evidence(hit, 0, other, 0.5, frozenset({"person"})), best, q, settings)


def test_an_acronym_the_passages_write_out_is_there(assistant):
    # The note writes "Test Ministry" and "resilience programme", never "TM".
    a = assistant.ask("How much does the resilience programme of the Global Startup Campus (GSC) provide?")
    b = assistant.ask("When will the GSC be established?")
    assert b.decline_reason != "the documents never mention: gsc"
    assert "the closest passages do not mention: gsc" not in (a.decline_reason, b.decline_reason)


def test_a_place_from_another_passage_than_the_closest_sentence_does_not_answer_where(settings):
    # The sentence closest to the question names no place; a place in another passage is about
    # something else, as often as not (aid to Gaza for where a disaster-relief hub would be).
    from assistant.answering.answerability import decide
    from assistant.answering.evidence import Evidence
    from assistant.answering.question import analyse
    from assistant.core.types import Chunk, DocMeta, Hit

    q = analyse("Where would the planned disaster relief hub be located?")
    meta = DocMeta(doc_id="s", title="Statement", source="s.md")
    hub = "We plan to explore the establishment of a disaster relief hub."
    aid = "Aid for civilians in Gaza rose to $180 million in disaster relief."
    place = "The hub will be built in Okinawa."

    def evidence(sentence, passage, score):
        hit = Hit(Chunk("s", f"{passage} {sentence}", None, "", 0, meta, id=passage), 1.0)
        return Evidence(hit, 0, sentence, score, frozenset({"place"}) if " in " in sentence else frozenset())

    closest = evidence(hub, "p1", 0.9)
    elsewhere = decide(q, [closest, evidence(aid, "p2", 0.8)], [], settings)
    assert not elsewhere.ok and elsewhere.reason == "no quoted sentence states a place"
    # The same place in the closest sentence's own passage answers.
    assert decide(q, [closest, evidence(place, "p1", 0.8)], [], settings).ok


def test_a_figure_the_question_gives_with_its_unit_must_be_stated_so(assistant):
    # The passage says the market "will be worth 20 trillion yen by 2030": a "20" is there, 20
    # percent is not.
    assert not assistant.ask("How many firms will compete in the 20 trillion yen smart city market?").declined
    a = assistant.ask("Will the global smart city market be worth 20 percent more by 2030?")
    assert a.declined and a.decline_reason == "the closest passages do not mention: 20 percent"
