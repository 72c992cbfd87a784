from assistant.features.evaluation.metrics import aggregate, retrieval_scores, score_unit
from assistant.features.evaluation.textmatch import covers, fold, matches_group


def test_folding_forgives_extraction_not_content():
    assert covers("Japan\u2019s securi-\nty   policy", "Japan's security policy")
    assert covers("ＡＩ 戦略 会議", "AI戦略会議")
    assert not covers("Japan's security policy", "Japan's defence policy")
    assert fold("Ten\u2013Percent") == "ten-percent"


def test_long_quote_split_by_a_chunk_boundary_counts_by_either_half():
    quote = "one two three four five six seven eight nine ten"
    assert covers("... one two three four five", quote)
    assert not covers("... one two three four five", "one two three four five six")


def test_retrieval_ranks():
    ev = [{"quote": "needle in here"}]
    ranked = [{"text": "hay"}, {"text": "the needle in here"}, {"text": "hay"}]
    s = retrieval_scores(ranked, ev)
    assert (s["hit@1"], s["hit@5"], s["mrr@10"]) == (0.0, 1.0, 0.5)


def test_answer_correctness_declines_and_conversations():
    items = [
        {
            "id": "a",
            "question": "q",
            "answerable": True,
            "must_include": [["1%", "one percent"]],
            "evidence": [{"quote": "to one percent", "page": 4}],
        },
        {"id": "u", "question": "q", "answerable": False, "must_include": [], "evidence": []},
        {
            "id": "c",
            "turns": [
                {"question": "q1", "must_include": [["July 2022"]], "evidence": []},
                {"question": "q2", "must_include": [["2023"]], "evidence": []},
            ],
        },
    ]
    cited = {"marker": 1, "text": "lowered to one percent", "page": 4}
    results = [
        {
            "id": "a",
            "answer": "It fell to one percent [1].",
            "declined": False,
            "citations": [cited],
            "retrieved": [cited],
            "latency_ms": {"retrieve": 10, "total": 20},
        },
        {"id": "u", "answer": "not in the documents", "declined": True, "citations": [], "retrieved": []},
        {
            "id": "c",
            "turns": [
                {"answer": "In July 2022.", "declined": False, "citations": [], "retrieved": []},
                {"answer": "", "declined": True, "citations": [], "retrieved": []},
            ],
        },
    ]
    m = aggregate(items, results)
    assert m["questions"] == 4 and m["answerable"] == 3
    assert m["correct"] == round(2 / 3, 3) and m["false_decline"] == round(1 / 3, 3)
    assert m["correct_decline"] == 1.0 and m["page_accuracy"] == 1.0 and m["citation_hit"] == 1.0
    assert score_unit(items[0], {**results[0], "citations": [{**cited, "page": 5}]})["page_accuracy"] == 0.0
    assert matches_group("ONE  Percent", ["one percent"])


def test_faithfulness_counts_sentences_whose_facts_are_in_their_cited_passages():
    from assistant.features.evaluation.metrics import faithfulness

    rec = {
        "answer": "It fell to one percent [1]. It was then raised to 5 percent in 2019 [1].",
        "declined": False,
        "citations": [{"marker": 1, "text": "lowered to one percent"}],
    }
    assert faithfulness(rec) == 0.5
    assert faithfulness({**rec, "declined": True}) is None


def test_faithfulness_reads_the_document_a_citation_shows_for_what_the_question_gives():
    from assistant.features.evaluation.metrics import faithfulness

    cited = {
        "marker": 1,
        "text": "The leaders welcomed the Crew-10 mission.",
        "title": "Joint Statement",
        "date": "2025-02-07",
    }
    rec = {
        "question": "Which mission did the February 2025 statement mention?",
        "answer": "The February 2025 statement mentions the Crew-10 mission [1].",
        "citations": [cited],
    }
    assert faithfulness(rec) == 1.0
    # A date the question does not give must be in the passage itself.
    assert faithfulness({**rec, "question": "Which mission did the statement mention?"}) == 0.0
