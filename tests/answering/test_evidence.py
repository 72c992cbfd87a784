"""Which sentences may be quoted at all: a footnote's reference answers nothing."""

from __future__ import annotations

import pytest

from assistant.answering.evidence import candidates
from assistant.core.types import Chunk, DocMeta, Hit


def _hit(text: str) -> Hit:
    meta = DocMeta(doc_id="d", title="Paper", source="paper.pdf")
    return Hit(Chunk(doc_id="d", text=text, page=3, section="", position=0, meta=meta, id="c"), 1.0)


def test_footnote_references_are_never_quoted():
    text = (
        "JPAC was set up in July 2020 as a counterpart to IPAC. "
        "8 Strategic Headquarters on the Creation of a New International Order, Policy Research Council. "
        "9 Tatsuya Sato and Yuki Nikaido, \u201cJinken shingai ni seisai [Diet members lead the initiative],\u201d "
        "Asahi Shimbun, February 7, 2021. "
        "2 Ministry of Finance of Japan, \u201cYunyuu aitekoku jyoui 10 kakoku no suii [Trends of import countries]. "
        "See https://example.org/report.pdf for more. "
        "\u201cWe will act,\u201d the minister said, adding that 2023 matters."
    )
    quoted = [s for _, s in candidates([_hit(text)])]
    assert quoted[0].startswith("JPAC was set up")
    assert not any("Asahi" in s or "Yunyuu" in s or "https" in s for s in quoted)
    assert any(s.startswith("\u201cWe will act") for s in quoted)  # quoted speech is no reference


def test_an_acronym_of_the_question_counts_where_a_sentence_writes_it_out():
    from assistant.answering.evidence import _coverage
    from assistant.answering.question import analyse

    q = analyse("Which agency signed a memorandum with JBIC?")
    spelled = "The Trade and Development Agency signed a memorandum with the Japan Bank for International Cooperation."
    other = "The agency signed a memorandum on ports."
    assert _coverage(q, spelled) > _coverage(q, other)
    assert _coverage(q, spelled) == 1.0


def test_an_english_sentence_is_read_by_a_japanese_questions_english_terms():
    from assistant.answering.evidence import W_TRANSLATED, _coverage
    from assistant.answering.question import analyse

    # "In the 2023 G7 statement, what mechanism was launched to respond to economic coercion?"
    q = analyse("2023年のG7首脳声明で、経済的威圧に対応するために立ち上げられた仕組みは何ですか。")
    assert {"g7", "economic", "coercion"} <= q.translated
    states = "We are launching the Coordination Platform on Economic Coercion, a G7 mechanism."
    other = "This complements the steps we are taking to enhance supply chain resilience."
    assert _coverage(q, states) > _coverage(q, other) == 0.0
    assert _coverage(q, states) <= W_TRANSLATED  # the question's other words have no English
    # An English question has no translated terms; a Japanese sentence is read by the question's own.
    assert analyse("What mechanism responds to economic coercion?").translated == frozenset()
    assert _coverage(q, "経済的威圧に対する調整プラットフォームを立ち上げた。") > 0.0


def test_a_footnote_number_ends_a_sentence_and_a_glued_link_is_cut_off():
    # As pypdf gives the seed paper's page 2: superscript footnote numbers as plain digits, and a
    # footnote's reference run into the sentence that the page break cut.
    text = (
        "China overtook the United States as the largest purchaser of Japanese exports in 2002.2 Moreover, "
        "Japan has strategic dependence on China according to the Strategic Dependency Index.3 While the "
        "United States regained its position as Japan\u2019s largest export destination in 2019, China remains "
        "Japan\u2019s number one trading Vol. 44, Issue 3, 2021: 25-42. https://www.tandfonline.com/doi/pdf/10.1080. "
        "com/2020/04/10/the-virtues-of-a-strategy/. basis)],\u201d Trade Statistics, https://www.customs.go.jp/y5.pdf ument "
        "uses the index. Its budget grew 1.5 Trillion yen."
    )
    quoted = [s for _, s in candidates([_hit(text)])]
    assert quoted[0] == "China overtook the United States as the largest purchaser of Japanese exports in 2002."
    assert quoted[1].startswith("Moreover, Japan") and quoted[1].endswith("Index.")
    assert quoted[2].startswith("While the United States regained") and "http" not in quoted[2]
    assert not any("com/2020" in s or "ument uses" in s for s in quoted)  # the tail of another link
    assert quoted[-1] == "Its budget grew 1.5 Trillion yen."  # a decimal is no footnote number


NO_STATEMENT = [
    # As a chunk of a framework text ends: its last sentence, then the next section's heading; a
    # Japanese sentence with acronyms is a statement.
    (
        "The Participants will establish a Rapid Response Group under the Secretary of Energy.\n"
        "Section I  Critical Minerals and Rare Earths. Clean Energy Economy.\n"
        "東京工業大学のAIとGPUの研究は進んでいる。",
        [
            "The Participants will establish a Rapid Response Group under the Secretary of Energy.",
            "東京工業大学のAIとGPUの研究は進んでいる。",
        ],
    ),
    # A label and a list of titles.
    (
        "Reference documents: G7 Leaders\u2019 Hiroshima Vision on Nuclear Disarmament G7 Leaders\u2019 "
        "Statement on Ukraine G7 Clean Energy Economy Action Plan Hiroshima Action Statement for Resilient "
        "Global Food Security. They should: Create a Japan-US Economic Security Consultative Committee.",
        ["They should: Create a Japan-US Economic Security Consultative Committee."],
    ),
]


@pytest.mark.parametrize("text, statements", NO_STATEMENT)
def test_a_heading_or_a_list_of_titles_is_no_statement(text, statements):
    assert [s for _, s in candidates([_hit(text)])] == statements
