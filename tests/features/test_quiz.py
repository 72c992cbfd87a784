"""Fair quizzes (issue 16): blanks that are whole facts worth knowing, never given away, never a
party of the corpus; distractors of the key's kind; questions about the topic, in its language."""

from __future__ import annotations

import json

import pytest

from assistant.features.quiz import (
    BLANK,
    QuizQuestion,
    facts,
    gives_away,
    grade,
    is_party,
    make_quiz,
    name_kind,
    same_fact,
)


def keys(sentence, language="en"):
    return {(k, v) for k, v, _ in facts(sentence, language)}


def test_names_are_whole_and_classified():
    s = (
        "The two countries will cooperate through the Partnership for Resilient and Inclusive Supply-chain "
        "Enhancement and the Minerals Security Partnership."
    )
    assert keys(s) == {
        ("programme", "Partnership for Resilient and Inclusive Supply-chain Enhancement"),
        ("programme", "Minerals Security Partnership"),
    }
    s = "President Biden noted the Japanese Diet\u2019s approval of the Economic Security Promotion Bill in 2022."
    assert keys(s) == {("law", "Economic Security Promotion Bill"), ("year", "2022")}
    s = "They will work with the Ministry of Internal Affairs and Communications on the new cables."
    assert keys(s) == {("institution", "Ministry of Internal Affairs and Communications")}
    assert name_kind("Camp David") == name_kind("Near East") == ""
    # Two names joined by "and" are two keys; a name cut before its own list of words is none.
    s = "They thank the U.S. Trade and Development Agency and Japan Bank for International Cooperation for it."
    assert keys(s) == {
        ("institution", "U.S. Trade and Development Agency"),
        ("institution", "Japan Bank for International Cooperation"),
    }
    assert keys("They met at the Ministry of Economy, Trade and Industry in Tokyo on the cables.") == set()
    s = "They work along the Partnership for Global Infrastructure and Investment Lobito Corridor with partners."
    assert keys(s) == {("programme", "Partnership for Global Infrastructure and Investment Lobito Corridor")}
    assert keys("They signed the Vienna Convention on Consular relations with the ministers.") == set()


def test_the_parties_are_never_a_fact():
    s = "Japan and the United States will invest $550 billion in projects in the United States by 2029."
    assert keys(s) == {("amount", "$550 billion"), ("year", "2029")}
    assert all(is_party(p) for p in ("the United States", "U.S.", "Japan\u2019s", "日本", "米国", "我が国"))
    assert not is_party("U.S.-Japan Economic Policy Consultative Committee")


def test_a_number_inside_an_amount_is_not_a_figure_of_its_own():
    assert keys("Toyota will add $8 billion to reach 25 percent of the plant by 2030.") == {
        ("amount", "$8 billion"),
        ("figure", "25 percent"),
        ("year", "2030"),
    }


@pytest.mark.parametrize(
    "stem, key, why",
    [
        (
            f"including the {BLANK} (ASEAN) and its member states.",
            "Association of Southeast Asian Nations",
            "parenthesis",
        ),
        (f"the {BLANK} and its members: ASEAN leaders met.", "Association of Southeast Asian Nations", "abbreviation"),
        (f"the Minerals Security Partnership ({BLANK}) met.", "MSP", "parenthesis"),
        (f"the {BLANK} met; the MSP agreed.", "Minerals Security Partnership", "abbreviation"),
        (f"in {BLANK}, and again in 2023.", "2023", "repeated"),
        (f"成果物は{BLANK}度(2024年度)に公開されます。", "令和6年", "other calendar"),
        (f"launched in 2021 the {BLANK} of the Quad.", "Quad Investors Network", ""),
    ],
)
def test_a_stem_that_gives_its_key_away_is_refused(stem, key, why):
    reason = gives_away(stem, key)
    assert (why in reason) if why else reason == ""


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("PGI Lobito Corridor", "Partnership for Global Infrastructure and Investment Lobito Corridor", True),
        ("MSP", "Minerals Security Partnership", True),
        ("the Minerals Security Partnership", "minerals security partnership", True),
        ("10%", "10 per cent", True),
        ("Minerals Security Partnership", "Blue Dot Network", False),
        ("2021", "2022", False),
    ],
)
def test_the_same_fact_in_other_words(a, b, same):
    assert same_fact(a, b) is same


def test_japanese_facts():
    s = "理化学研究所は、令和6年4月に新たな研究センターを設置し、総額120億円のムーンショット型研究開発制度を開始しました。"
    found = keys(s, "ja")
    assert ("institution", "理化学研究所") in found and ("amount", "120億円") in found
    assert ("year", "令和6年") in found and ("programme", "ムーンショット型研究開発制度") in found
    # "a new research centre" names a category, not an institution.
    assert not any(v == "研究センター" for _, v in found)
    # "同センター" refers back: not a name.
    assert not any(v.startswith("同") for _, v in keys("同センターでは研究開発を進めています。", "ja"))


def test_a_japanese_short_answer_is_graded():
    q = QuizQuestion(1, "short", f"{BLANK}は研究を進めています。", "理化学研究所", title="白書", page=3)
    assert grade(q, "理化学研究所です").correct and not grade(q, "産業技術総合研究所").correct
    mc = QuizQuestion(2, "mc", f"{BLANK}は研究を進めています。", "理化学研究所", ["理化学研究所", "経済産業省"])
    assert grade(mc, "理化学研究所").correct and not grade(mc, "経済産業省").correct


# -- over a small real index ----------------------------------------------------------------------
MINERALS = """---
title: Critical minerals framework
type: statement
date: 2025-10-27
---

The United States and Japan will cooperate on critical minerals through the Minerals Security Partnership, which met in Tokyo.

The two countries will mobilize $550 billion for critical minerals processing projects by 2029 in both countries.

Japan and the United States confirmed that critical minerals stockpiles will be coordinated by the Japan Organization for Metals and Energy Security from 2026.

The leaders also welcomed the Osaka Expo Cultural Exchange Programme launched in 2024 for students of both countries.

Critical minerals recycling under the Circular Economy Partnership will cover 30 percent of supply by 2030 in partner economies.
"""
OTHER = """---
title: Clean energy statement
type: statement
date: 2024-04-10
---

The leaders launched the Clean Energy Partnership in April 2021 to support countries in the Indo-Pacific region.

The Blue Dot Network will certify quality infrastructure projects in partner countries from 2025 onwards.

The International Energy Agency will report on the progress of the energy transition in 2027 to the ministers.
"""
WHITE_PAPER = """---
title: 科学技術白書
type: white paper
language: ja
date: 2024-06-06
---

理化学研究所は、令和6年4月にAI研究開発の新たな拠点を設置し、総額120億円のAI研究開発事業を開始しました。

産業技術総合研究所は、平成27年5月にAI研究開発の拠点として人工知能研究センターを設置しました。

情報通信研究機構は、2023年からAI研究開発のための大規模な言語データの整備を進めています。
"""


@pytest.fixture
def retriever(settings, embedder):
    from assistant.retrieval.search import Retriever
    from ingest.pipeline import ingest

    (settings.corpus_dir / "minerals.md").write_text(MINERALS, encoding="utf-8")
    (settings.corpus_dir / "energy.md").write_text(OTHER, encoding="utf-8")
    (settings.corpus_dir / "whitepaper.md").write_text(WHITE_PAPER, encoding="utf-8")
    ingest(settings, progress=False)
    return Retriever(settings, embedder=embedder)


def test_a_topic_quiz_is_fair(retriever):
    seen = []
    for seed in range(4):
        quiz = make_quiz(retriever, 4, topic="critical minerals", kinds=("mc",), seed=seed)
        assert quiz
        for q in quiz:
            seen.append(q.answer)
            # About the topic: the stem the trainee reads says so (the Expo sentence, in the same
            # passage as critical minerals facts, is not about them).
            assert "critical minerals" in q.prompt.lower() and "Expo" not in q.prompt
            assert q.prompt.count(BLANK) == 1 and q.language == "en" and q.doc_id == "minerals"
            assert not is_party(q.answer) and not any(is_party(o) for o in q.options)
            assert len(q.options) == 4 and q.answer in q.options
            assert not any(same_fact(o, q.answer) for o in q.options if o != q.answer)
            if q.fact == "year":
                assert all(o.isdigit() and len(o) == 4 for o in q.options)
            if q.fact == "amount":
                assert all(o.startswith("$") for o in q.options)
            if q.fact in ("institution", "programme", "law"):
                assert all(name_kind(o) == q.fact for o in q.options), q.options
    assert "Minerals Security Partnership" in seen or "$550 billion" in seen


def test_a_japanese_topic_gives_japanese_questions(retriever):
    quiz = make_quiz(retriever, 3, topic="AI研究開発", kinds=("mc",), seed=1)
    assert quiz and all(q.language == "ja" and q.doc_id == "whitepaper" for q in quiz)
    for q in quiz:
        assert "研究開発" in q.prompt and q.prompt.replace(BLANK, q.answer) in q.passage
        assert len(set(q.options)) == 4
    # An English topic never draws on the Japanese paper.
    assert all(q.language == "en" for q in make_quiz(retriever, 3, topic="energy", seed=1))


def test_briefing_quiz_prints_the_questions_and_their_key(retriever, settings, monkeypatch, capsys):
    from assistant.cli import main
    from assistant.core.settings import get_settings

    monkeypatch.setenv("BRIEFING_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("BRIEFING_INDEX_DIR", str(settings.index_dir))
    get_settings.cache_clear()
    try:
        assert main(["quiz", "critical minerals", "-n", "2", "--json", "--kind", "mc"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert len(out) == 2 and all(q["answer"] in q["options"] and q["title"] for q in out)
        assert main(["quiz", "critical minerals", "-n", "2"]) == 0
        text = capsys.readouterr().out
        assert "Answer key" in text and "Critical minerals framework" in text
        assert main(["quiz", "   "]) == 2 and "give a topic" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
