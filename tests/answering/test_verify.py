from assistant.answering.verify import facts, verify

PASSAGES = {
    1: "The law lowered the threshold for regulatory approval from ten percent of a company's shares to one percent.",
    2: "The Economic Division was launched in April 2020 and has a staff of about 20 people.",
}


def test_invented_number_and_invented_name_are_removed_with_reasons():
    answer = (
        "The threshold fell from 10% to 1% [1]. It was raised to 5 million yen in 2019 [2]. "
        "The division was launched in April 2020 [2]. Minister Tanaka Kakuei led the division [2]."
    )
    v = verify(answer, PASSAGES)
    assert list(v.kept) == ["The threshold fell from 10% to 1% [1].", "The division was launched in April 2020 [2]."]
    reasons = {r["sentence"]: r["reason"] for r in v.removed}
    assert "5" in reasons["It was raised to 5 million yen in 2019 [2]."]
    assert "Tanaka" in reasons["Minister Tanaka Kakuei led the division [2]."]


def test_uncited_sentences_and_markers_to_nothing_are_removed():
    v = verify("About 20 people work there. About 20 people work there [7].", PASSAGES)
    assert not v.kept
    assert [r["reason"] for r in v.removed] == ["no citation", "cites [7], which is not a retrieved passage"]


def test_fact_must_be_in_the_passage_the_sentence_cites_not_just_any():
    assert not verify("The division was launched in April 2020 [1].", PASSAGES).kept


def test_links_not_asked_for_are_refused():
    p = {1: "More at https://example.org/x on the division."}
    assert not verify("See https://example.org/x for details [1].", p).kept
    assert verify("See https://example.org/x for details [1].", p, question="link? https://example.org/x").kept


def test_facts_are_numbers_and_names():
    assert facts("In April 2020, Japan's NSS had 20 staff and 1% [1].") == [
        "2020",
        "20",
        "1%",
        "April",
        "Japan's",
        "NSS",
    ]


def test_markers_after_the_full_stop_belong_to_the_sentence_before():
    v = verify("The division was launched in April 2020. [2] \u201cThe law lowered the threshold.\u201d [1]", PASSAGES)
    assert list(v.kept) == [
        "The division was launched in April 2020. [2]",
        "\u201cThe law lowered the threshold.\u201d [1]",
    ]
