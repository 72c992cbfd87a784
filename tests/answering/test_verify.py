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


def test_a_sentence_that_drops_what_the_quote_negates_is_removed():
    # Qwen 1.5B: "Yes, ... their approach means de-coupling" from "de-risking, not de-coupling";
    # every word of it is in the quote, so only the lost "not" shows it.
    p = {1: "Our approach is based on diversifying partnerships and de-risking, not de-coupling."}
    v = verify("Yes, the G7 said their approach means de-coupling [1].", p)
    assert not v.kept and v.removed[0]["reason"] == "the cited passage says 'not de-coupling', the sentence does not"
    assert verify("Their approach means de-risking, not de-coupling [1].", p).kept
    assert verify("Chips and batteries matter [1].", {1: "Chips matter, not only batteries."}).kept


def test_one_name_in_its_other_forms_is_found_and_no_other_name_is():
    p = {1: "The United States and Japan will convene the Ministerial in the Asia Pacific region within 180 days."}
    for sentence in (
        "The U.S. and Japan will convene it within 180 days [1].",
        "The US and Japan will convene it within 180 days [1].",
        "The Japanese side will convene it within 180 days [1].",
        "A U.S.-Japan Ministerial will meet in the Asia-Pacific within 180 days [1].",
    ):
        assert verify(sentence, p).kept, sentence
    for sentence in (
        "The U.S.-China Ministerial will meet within 180 days [1].",  # China is named nowhere
        "The Chinese side will convene it within 180 days [1].",
        "Latin America will convene it within 180 days [1].",
    ):
        assert not verify(sentence, p).kept, sentence
    assert not verify("The U.S. will convene it [1].", {1: "Latin America will convene it."}).kept
    assert verify("The United States will convene it [1].", {1: "The U.S. will convene it."}).kept
    # The Koreas under their several names: "North Korea" is the DPRK, "South Korea" the ROK.
    dprk = {1: "We call on the DPRK to return to diplomacy without preconditions, as the Republic of Korea has urged."}
    assert verify("The call went to North Korea to return to diplomacy [1].", dprk).kept
    assert verify("As South Korea urged, the call was to return to diplomacy [1].", dprk).kept
    assert not verify("The call went to North Korea [1].", {1: "The call went to the ROK."}).kept


def test_an_acronym_the_question_spells_out_may_be_restated_where_the_passage_has_its_words():
    q = "What are the main focus areas of Japan's economic security promotion legislation (ESPA)?"
    p = {
        1: "President Biden noted the Diet's approval of the Economic Security Promotion Bill, with its focus on supply chains."
    }
    assert verify("The ESPA focuses on supply chains [1].", p, q).kept
    # Not where the passage lacks its words, and not an acronym the question does not spell out.
    assert not verify("The ESPA focuses on supply chains [1].", {1: "The Bill focuses on supply chains."}, q).kept
    assert not verify("The ESPA focuses on supply chains [1].", p, "What does the ESPA focus on?").kept


def test_a_sentence_citing_the_wrong_quote_is_cited_where_one_supports_it():
    from assistant.answering.verify import attribute

    p = {1: "Japan aims to replace 10% of the fuel used by Japanese airlines with SAF by 2030.", 2: "Net zero by 2050."}
    shown = attribute("Japan aims to replace 10% of airline fuel with SAF [2]. It also wants 20% [2].", p)
    assert shown == "Japan aims to replace 10% of airline fuel with SAF. [1] It also wants 20% [2]."
    assert verify(shown, p).kept == ("Japan aims to replace 10% of airline fuel with SAF. [1]",)


def test_a_bare_verdict_is_removed_since_nothing_in_it_can_be_checked():
    # Qwen 1.5B's whole answer to "Did the G7 say their approach means de-coupling?"
    p = {1: "Our approach is based on de-risking, not de-coupling."}
    for verdict in ("No, they did not [1].", "Yes [1].", "Yes, they did [1]."):
        v = verify(verdict, p)
        assert not v.kept and v.removed[0]["reason"] == "states nothing the cited passage could confirm"
    assert verify("No: de-risking, not de-coupling [1].", p).kept


def test_a_sentence_that_only_repeats_the_question_is_removed():
    # Qwen 1.5B answered "What first-ever lunar milestone ...?" with the question's own words;
    # the quotations beneath it hold the answer, the sentence adds nothing a reader can use.
    question = "What first-ever lunar milestone do the U.S. and Japan hope a Japanese astronaut will achieve?"
    cited = {
        1: "The United States and Japan hope a Japanese astronaut will be the first non-American "
        "astronaut to land on the Moon, a first-ever lunar milestone."
    }
    echo = verify(
        "The U.S. and Japan hope a Japanese astronaut will achieve the first-ever lunar milestone [1].", cited, question
    )
    assert not echo.kept and echo.removed[0]["reason"] == "repeats the question and adds nothing from the cited passage"
    answer = verify(
        "They hope a Japanese astronaut will be the first non-American astronaut on the Moon [1].", cited, question
    )
    assert answer.kept and not answer.removed
    # Nor in other forms of its words, or with the country its capital stands for.
    honolulu = {1: "The Honolulu trilateral discussed economic coercion and agreed to coordinate responses to it."}
    asked = "What did the Honolulu trilateral discuss on economic coercion?"
    assert not verify("The Honolulu trilateral discussed economic coercion [1].", honolulu, asked).kept
    assert verify("They agreed to coordinate responses to it [1].", honolulu, asked).kept
    alliance = {1: "Japan is supporting a 'made in Japan' homegrown 5G alliance."}
    assert not verify(
        "Yes: Japan is backing a homegrown 5G alliance [1].", alliance, "Is Tokyo backing a homegrown 5G alliance?"
    ).kept
    assert verify(
        "Yes: Japan is supporting a 'made in Japan' alliance [1].",
        alliance,
        "Is Tokyo backing a homegrown 5G alliance?",
    ).kept
    # A negated echo is no answer either.
    q2 = "Did the G7 leaders in Hiroshima say their economic security approach means de-coupling from other economies?"
    p2 = {
        1: "The G7 leaders in Hiroshima said our economic security approach is based on de-risking, not de-coupling from other economies."
    }
    assert not verify(
        "The G7 leaders in Hiroshima did not say their approach means de-coupling from other economies [1].", p2, q2
    ).kept


def test_an_answer_spells_numbers_and_hyphens_as_its_quotation_does():
    from assistant.answering.verify import in_quoted_words

    quoted = "Japan will increase defense spending to two percent of GDP and deploy quantum resistant cryptography."
    assert (
        in_quoted_words("Japan plans 2 percent of GDP and quantum-resistant cryptography [1] [2].", quoted)
        == "Japan plans two percent of GDP and quantum resistant cryptography [1] [2]."
    )
    assert in_quoted_words("Japan plans 2% of GDP [1].", quoted) == "Japan plans two percent of GDP [1]."
    assert in_quoted_words("It rose 12 percent [1].", "Exports rose 12% in 2021.") == "It rose 12% [1]."
    # A number the quotation writes two ways, or not at all, is left as the model wrote it.
    assert in_quoted_words("It has 2 teams [1].", "two teams, up from 2") == "It has 2 teams [1]."
    assert in_quoted_words("It has 3 teams [1].", "two teams") == "It has 3 teams [1]."


def test_a_quoted_japanese_sentence_keeps_its_closing_quote_and_marker():
    # A Japanese sentence ends at 。, inside its quotation marks: the marker after the closing
    # quote is its citation, not the next sentence's (every quoted sentence read as uncited).
    passages = {1: "同センターは2015年5月に設置された。", 2: "ネットワークは2019年12月に設立された。"}
    answer = (
        "\u201c同センターは2015年5月に設置された。\u201d [1] \u201cネットワークは2019年12月に設立された。\u201d [2]"
    )
    v = verify(answer, passages)
    assert len(v.kept) == 2 and not v.removed


def test_a_capital_the_question_uses_for_its_country_may_be_restated_where_the_passage_names_the_country():
    from assistant.answering.verify import verify

    cited = {1: "The United States and Japan will use artificial intelligence to deepen cyber information sharing."}
    question = "What tech will Washington and Tokyo use to deepen cyber info-sharing?"
    assert verify("Washington and Tokyo will use artificial intelligence [1].", cited, question).kept
    # A capital the question did not use is a place the passage never states.
    assert not verify(
        "They will meet in Tokyo to use artificial intelligence [1].", cited, "What tech will they use?"
    ).kept


def test_a_sentence_quoted_word_for_word_keeps_its_words_whatever_the_passage_negates_elsewhere():
    from assistant.answering.verify import verify

    passage = {
        1: "We seek a world without nuclear weapons. They expressed concern about China's opaque build-up of its nuclear arsenal."
    }
    quoted = "\u201cThey expressed concern about China\u2019s opaque build-up of its nuclear arsenal.\u201d [1]"
    assert verify(quoted, passage).kept
    assert not verify("The world has nuclear weapons [1].", passage).kept  # not word for word: 'without nuclear'
