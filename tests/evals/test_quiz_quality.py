"""The quiz quality check can fail: each hand-written bad question (a giveaway, a party blank, a
fragment key, wrong-kind distractors, ...) breaks its rule, and a fair question passes every rule."""

from __future__ import annotations

import pytest

from evals.quiz_quality import RULES, check, kind_of, score

PASSAGE = (
    "The United States and Japan resolve to explore joint critical minerals projects, including through the "
    "Minerals Security Partnership and the Partnership for Resilient and Inclusive Supply-chain Enhancement (RISE). "
    "We underscore our commitment to strengthen coordination with regional partners, including the Association "
    "of Southeast Asian Nations (ASEAN) and its member states, on critical minerals. "
    "Japan will provide $550 billion for critical minerals projects by 2029. "
    "The two leaders confirmed that Japan and the United States will collaborate on critical minerals supply."
)


def question(prompt, answer, options=None, **kw):
    q = {
        "kind": "mc" if options else "short",
        "prompt": prompt,
        "answer": answer,
        "options": options or [],
        "doc_id": "framework",
        "title": "Critical minerals framework",
        "page": None,
        "passage": PASSAGE,
    }
    q.update(kw)
    return q


FAIR = question(
    "The United States and Japan resolve to explore joint critical minerals projects, including through the _____ "
    "and the "
    "Partnership for Resilient and Inclusive Supply-chain Enhancement (RISE).",
    "Minerals Security Partnership",
    ["Minerals Security Partnership", "Lobito Corridor", "Blue Dot Network", "Quad Investors Network"],
)
TOPIC = "critical minerals"


def test_a_fair_question_passes_every_rule():
    assert check(FAIR, TOPIC) == {}


@pytest.mark.parametrize(
    "rule, bad",
    [
        # The stem gives its key away: the abbreviation stands beside the blank.
        (
            "not_given_away",
            question(
                "We underscore our commitment to strengthen coordination with regional partners, including the "
                "_____ (ASEAN) and its member states, on critical minerals.",
                "Association of Southeast Asian Nations",
            ),
        ),
        # A party of the bilateral corpus as the blank.
        (
            "not_a_party",
            question(
                "The two leaders confirmed that Japan and the _____ will collaborate on critical minerals supply.",
                "United States",
            ),
        ),
        # A fragment of a name as the key.
        (
            "whole_key",
            question(
                "The United States and Japan resolve to explore joint critical minerals projects, including through "
                "the Minerals Security Partnership and the _____ and Inclusive Supply-chain Enhancement (RISE).",
                "Partnership for Resilient",
            ),
        ),
        # Distractors of another kind than the key (regions and subjects for a programme).
        (
            "same_kind_options",
            question(
                "The United States and Japan resolve to explore joint critical minerals projects, including through "
                "the _____ and the Partnership for Resilient and Inclusive Supply-chain Enhancement (RISE).",
                "Minerals Security Partnership",
                ["Minerals Security Partnership", "Near East", "Education Culture", "2019"],
            ),
        ),
        # An amount offered against a percentage is the wrong unit.
        (
            "same_kind_options",
            question(
                "Japan will provide _____ for critical minerals projects by 2029.",
                "$550 billion",
                ["$550 billion", "$20 billion", "15 percent", "$3 billion"],
            ),
        ),
        # The key in other words among the options.
        (
            "distinct_options",
            question(
                "Japan will provide _____ for critical minerals projects by 2029.",
                "$550 billion",
                ["$550 billion", "$550 Billion", "$20 billion", "$3 billion"],
            ),
        ),
        # Two names as one key; a name cut before the rest of its words.
        (
            "whole_key",
            question("The minerals work of the _____ goes on.", "University of Washington and University of Tsukuba"),
        ),
        (
            "whole_key",
            question("The critical minerals office of the _____, Trade and Industry met.", "Ministry of Economy"),
        ),
        # The year stands in the stem in the other calendar.
        (
            "not_given_away",
            question("重要鉱物の成果物は_____度(2024年度)の公開が予定されています。", "令和6年"),
        ),
        # A sentence that is not about the topic.
        (
            "on_topic",
            question("Japan will provide $550 billion for _____ projects by 2029.", "critical minerals"),
        ),
        # A key that is no fact worth knowing (a common phrase).
        ("worth_knowing", question("Japan will provide $550 billion for critical _____ projects by 2029.", "minerals")),
        # A quote the passage does not hold.
        ("grounded", question("Japan will provide _____ for critical minerals projects by 2030.", "$550 billion")),
    ],
)
def test_each_bad_question_breaks_its_rule(rule, bad):
    broken = check(bad, TOPIC)
    assert rule in broken, broken


def test_a_japanese_topic_wants_japanese_questions():
    q = question("Japan will provide _____ for critical minerals projects by 2029.", "$550 billion")
    assert "language_matches" in check(q, "重要鉱物")
    assert "language_matches" not in check(q, TOPIC)


def test_kinds_are_judged_from_the_text():
    assert [kind_of(x) for x in ("2023", "令和6年", "$2.9 billion", "4.2 billion yen", "25 percent", "1,750")] == [
        "year",
        "year",
        "amount",
        "amount",
        "figure",
        "figure",
    ]
    assert kind_of("G7 Clean Energy Economy Action Plan") == "programme"
    assert kind_of("Ministry of Internal Affairs and Communications") == "institution"
    assert kind_of("Economic Security Promotion Act") == "law"
    assert kind_of("理化学研究所") == "institution" and kind_of("経済安全保障推進法") == "law"
    assert kind_of("Near East") == kind_of("United States") == "other"


def test_score_counts_failures_per_rule_and_the_share_passing_all():
    bad = question("The two leaders confirmed that Japan and the _____ will collaborate.", "United States")
    report = score([(TOPIC, [FAIR, bad])])
    assert report["questions"] == 2 and set(report["failures"]) == {r.__name__ for r in RULES}
    assert report["failures"]["not_a_party"] == 1
    assert report["share_passing_all"] < 1 and report["examples"][0]["answer"] == "United States"
