"""What a question asks for, and whether a sentence carries it: the rules answerability and
sentence choice stand on (pure functions, no index)."""

from __future__ import annotations

import pytest

from assistant.answering.question import analyse, carries, countries_in, spelled_in
from assistant.core.text import terms


@pytest.mark.parametrize(
    "question, wants",
    [
        ("In what year did Japan set up the division?", ("date",)),
        ("When does the framework take effect?", ("date",)),
        ("How much money did Japan put into the lab?", ("amount",)),
        ("How many dollars did Japan pledge?", ("amount",)),
        ("How many people work in the division?", ("count",)),
        ("How large has the unit grown?", ("size",)),
        ("Who chairs the platform?", ("person",)),
        ("Where will the secretariat be based?", ("place",)),
        ("How long does the fellowship last?", ("duration",)),
        ("What does the deal cover, and when does it take effect?", ("date",)),
        ("How many were affected, and how many died?", ("count",)),
        ("Which forum does the ROK host?", ()),
        ("産業技術総合研究所の人工知能研究センターが設置されたのはいつですか？", ("date",)),
        ("日本の投資額はいくらですか", ("amount",)),
    ],
)
def test_the_kind_of_answer_asked_for(question, wants):
    assert analyse(question).wants == wants


def test_a_sentence_carries_the_kind_only_with_something_the_question_does_not_already_say():
    q = analyse("How much did Japan commit between 2014 and 2017?")
    assert carries("Japan committed $2 billion to the effort.", "amount", q)
    assert carries("Japan committed 4.5 trillion yen.", "amount", q)
    assert not carries("Japan committed to the effort between 2014 and 2017.", "amount", q)
    when = analyse("When did the Economic 2+2 first meet?")
    assert carries("It first met in July 2022.", "date", when)
    assert not carries("It met to discuss supply chains.", "date", when)
    # A Japanese counter with the question's own number restates it ("計187人" for "187 researchers").
    boost = analyse("ACT-X supports 187 young AI researchers; how many doctoral students does BOOST support?")
    assert not carries("令和5年度末時点で計187人の若手研究者を支援している。", "count", boost)
    assert carries("BOOSTでは約1,000人の博士後期課程学生を支援している。", "count", boost)


def test_who_is_a_person_or_a_body_and_a_minister_is_a_person():
    q = analyse("Who signed the arrangement on Japan's behalf?")
    assert carries("Minister Moriyama signed it.", "person", q)
    assert not carries("The United States and Japan signed the arrangement.", "person", q)
    minister = analyse("Who was Japan's minister at the first meeting?")
    assert not carries("They convened the Security Consultative Committee.", "person", minister)
    assert carries("Minister Hayashi attended the first meeting.", "person", minister)


def test_the_holder_of_an_office_is_a_person_with_that_title_not_a_body_or_another_office():
    ministers = analyse("Who were Japan's foreign and defense ministers at the 2+2?")
    assert not carries("In their Security Consultative Committee, the ministers met.", "person", ministers)
    assert not carries("President Biden congratulated Japan on its term.", "person", ministers)
    assert carries("Foreign Minister Hayashi and Defense Minister Hamada attended.", "person", ministers)
    director = analyse("Who is the director of MOFA's Economic Security Policy Division?")
    assert not carries("It was later renamed the Economic Security Policy Division at MOFA.", "person", director)
    # Without an office asked for, any titled name answers "who".
    assert carries("President Biden welcomed the plan.", "person", analyse("Who welcomed the plan?"))


def test_key_terms_are_the_names_and_figures_not_the_countries_every_document_names():
    q = analyse("How much money did Japan put into the Open RAN lab in Texas in 2022?")
    assert set(q.key_terms) == {"open", "ran", "texa", "2022"}


def test_a_name_is_asked_for_and_found_only_as_a_whole_name():
    q = analyse("Which Japanese fund is paying for Japan's $2 billion contribution to Beyond 5G research?")
    assert q.wants == ("name",)
    assert not carries("The United States has committed $2.5 billion, and Japan has committed $2 billion.", "name", q)
    assert carries("Japan pays for it from the Beyond 5G Promotion Fund of NICT.", "name", q)


def test_the_tail_of_a_title_is_not_a_person():
    q = analyse("Who signed the Lunar Surface Exploration Implementing Arrangement on Japan's behalf?")
    # Capitalised words of a title ("Historic Lunar Surface ...") are not a person's name, and a
    # backtracking match must not cut a word ("Consultativ") to make one.
    assert not carries(
        "Signing of Historic Lunar Surface Exploration Implementing Arrangement was welcomed.", "person", q
    )
    assert not carries("They convened a Security Consultative Committee meeting.", "person", q)
    assert carries("Foreign Minister Kamikawa Yoko signed it.", "person", q)


def test_the_names_of_a_question_and_when_a_sentence_names_them():
    q = analyse("In which city is Japan's Leading-Edge Semiconductor Technology Center (LSTC) based?")
    (name,) = q.names
    assert name.terms == {"leading", "edge", "semiconductor", "technology", "center"}
    assert "lstc" in name.acronyms
    assert name.named_in(set(terms("the LSTC opened")))
    assert name.named_in(set(terms("a semiconductor technology center leading at the edge")))
    assert not name.named_in(set(terms("a technology center")))  # two of five words name something else
    # Initials stand for the name too ("the NSS" is the National Security Secretariat).
    (nss,) = analyse("How many staff does the National Security Secretariat have?").names
    assert nss.named_in({"nss"})
    # Single capitalised words and the countries every document names make no name.
    assert analyse("When did Japan and the United States meet?").names == ()


def test_how_many_counts_what_it_asks_for():
    q = analyse("How many firms did the U.S. bar from getting exports?")
    assert q.counted == "firms"
    assert carries("cutting off over 70 companies from Russia", "count", q)  # firms are companies
    assert not carries("the two governments agreed", "count", q)
    times = analyse("How many times had the teams met?")
    assert carries("our teams have met twice", "count", times)
    staff = analyse("How many more full-time staff is it due to get?")
    assert carries("a further increase of four full-time staff", "count", staff)
    assert carries("リテラシーレベルが382件", "count", analyse("How many programmes were certified?"))
    # Money is not a count of what it pays for.
    visitors = analyse("How many Chinese visitors came to Japan in 2019?")
    assert not carries(
        "Airbnb will commit $1 million to an International Visitors Leadership Program", "count", visitors
    )
    assert carries("about 9 million visitors came from China", "count", visitors)


def test_which_thing_is_answered_by_a_name_of_that_kind_of_thing():
    fund = analyse("Which Japanese fund is paying for the research?")
    assert fund.wants == ("name",) and fund.named == "fund"
    assert carries("It is paid by the Beyond 5G Promotion Fund of NICT.", "name", fund)
    assert not carries("Prime Minister Kishida announced the Global Digital Connectivity Partnership.", "name", fund)
    rover = analyse("What is the name of the pressurized lunar rover that Japan will provide?")
    assert rover.named == "rover"
    assert carries("Japan will provide a rover called Lunar Cruiser.", "name", rover)
    assert not carries("We welcome the Lunar Surface Exploration Implementing Arrangement.", "name", rover)
    # A law's name ends in "Act"; a Japanese sentence's words cannot be compared with English ones.
    law = analyse("Which law did Japan revise?")
    assert carries("Tokyo revised the Foreign Exchange and Foreign Trade Act.", "name", law)
    computer = analyse("What is the name of the supercomputer that began operating in 2024?")
    assert carries("令和6年4月、スーパーコンピュータ「TSUBAME4.0」の運用を開始しました。", "name", computer)
    # Projects, offices and labs are named things too: a sentence about them that names none
    # does not answer "which".
    projects = analyse("Which projects have been selected for financing under the framework?")
    assert projects.wants == ("name",) and projects.named == "projects"
    assert not carries("Investment in mining: The Participants intend to mobilize support.", "name", projects)
    assert carries("The Participants selected the Lobito Corridor project for financing.", "name", projects)
    missiles = analyse("Under the DICAS forum, which specific missiles will they co-produce?")
    assert missiles.wants == ("name",) and missiles.named == "missiles"
    assert not carries("We will convene a Forum on Defense Industrial Cooperation (DICAS).", "name", missiles)
    assert carries("They will co-produce Advanced Medium-Range Air-to-Air Missiles.", "name", missiles)
    directorate = analyse("Which NSC directorate does Nora Todd lead?")
    assert directorate.wants == ("name",)
    assert carries("Nora Todd leads the Directorate for International Economics.", "name", directorate)


def test_when_and_where_ask_only_where_they_open_a_question_or_a_part():
    assert analyse("Which products does the framework mention when picking projects?").wants == ()
    assert analyse("And when did it first meet?").wants == ("date",)
    assert analyse("What does it cover, and when does it take effect?").wants == ("date",)
    assert analyse("Where is the laboratory?").wants == ("place",)
    assert analyse("Which company runs the site where the lab sits?").wants == ("name",)
    # A contraction asks as the words it stands for.
    assert analyse("What's the budget for the Trilateral Secretariat?").wants == ("amount",)
    assert analyse("Who\u2019s in charge of JPAC?").wants == ("person",)
    # After a dash that closes a lead-in, as after a comma.
    assert analyse("The statement mentions a dialogue planned for October - where was it held?").wants == ("place",)
    assert analyse("Japan chaired the Council in January 2023 \u2013 when did it next?").wants == ("date",)
    assert analyse("What is the long-term plan when prices fall?").wants == ()


def test_why_and_what_for_ask_for_a_reason_or_purpose():
    why = analyse("Why is the Second Foreign Affairs Division being split up?")
    assert why.wants == ("reason",)
    assert carries("This change is reportedly prompted by the need to strengthen responses.", "reason", why)
    assert not carries("The division used to focus on both China and North Korea.", "reason", why)
    assert analyse("What is the Technology Prosperity Deal for?").wants == ("reason",)
    assert analyse("なぜ分割されたのですか").wants == ("reason",)
    # "What penalty ..." (issue 11's own near miss) needs a penalty, not the law's other provisions.
    penalty = analyse(
        "What penalty does the Economic Security Promotion Act set for disclosing a secret patent application?"
    )
    assert penalty.wants == ("penalty",)
    assert not carries(
        "The Diet approved the Bill, with its focus on the protection of patent applications.", "penalty", penalty
    )
    assert carries("Violators face imprisonment of up to two years or a fine.", "penalty", penalty)
    assert not carries("The model was fine-tuned on Japanese text.", "penalty", penalty)
    # What a thing contributes to is what it is for.
    cranes = analyse("Why is bringing port crane assembly back to the US a big deal?")
    assert carries("It is expected to contribute to securing the safety of U.S. port infrastructure.", "reason", cranes)
    assert not carries("The assembly will take place in the United States.", "reason", cranes)


def test_more_answers_and_how_many_kinds_of():
    more = analyse("How much more bioethanol does Japan want to use by 2030?")
    assert carries("Japan will take all available measures to double demand for bioethanol.", "amount", more)
    kinds = analyse("For how many kinds of imports does Japan lean on China?")
    assert kinds.counted == "imports"
    assert carries("Japan depends on China for over 700 imported goods.", "count", kinds)
    assert not carries("Japan imports from 700 ports.", "count", kinds)


def test_which_country_is_answered_by_a_country_wherever_it_stands():
    q = analyse("Which country competes with China to send Japan the most tourists?")
    assert q.wants == ("place",)
    assert carries("China is vital to tourism, vying with South Korea for the most annual visitors.", "place", q)
    assert not carries("China is vital to the Japanese tourism sector.", "place", q)
    assert not carries("The division at MOFA was set up in 2021.", "place", q)  # a place, not a country
    named = analyse("Name the countries outside the G7 whose leaders joined the statement.")
    assert named.wants == ("place",)
    assert carries("G7 leaders, along with the leaders of Argentina and Senegal, released it.", "place", named)


def test_a_rank_or_the_questions_own_subject_is_not_the_answer():
    vice = analyse("Who is the Japanese Vice Minister for Foreign Affairs leading the new dialogue?")
    assert not carries("a dialogue held at the Deputy Secretary of State and Vice Minister level", "person", vice)
    assert carries("The dialogue is led by Vice Minister Masataka Okano.", "person", vice)
    command = analyse("Who will command the new Joint Operations Command?")
    assert not carries("More effective U.S.-Japan Alliance command and control provides deterrence.", "person", command)
    assert carries("It will be led by General Yoshihide Yoshida.", "person", command)
    assert not carries("to usher in the next Golden Age of Innovation", "person", command)
    assert not carries("using advancements such as Open RAN and AI-RAN", "person", command)
    assert carries("The talks were led by Nora Todd.", "person", command)
    vendors = analyse("Which foreign telecom equipment vendors did Japan ban?")
    assert vendors.wants == ("name",)
    assert not carries("It has banned the use of high-risk vendors in government networks.", "name", vendors)
    minerals = analyse("Which minerals has the U.S.-Japan Critical Minerals Rapid Response Group identified?")
    assert not carries(
        "The Participants are establishing a U.S.-Japan Critical Minerals Supply Security Rapid Response Group.",
        "name",
        minerals,
    )


def test_the_countries_and_spelled_out_acronyms_of_a_question():
    q = analyse("How much did South Korea invest in ASEAN between 2013 and 2018?")
    assert q.countries == {"Korea"} and "south" not in q.key_terms
    assert countries_in("the ROK and the U.S.") == {"Korea", "the United States"}
    assert countries_in("focus on us and them") == frozenset()
    espa = analyse("What does Japan's economic security promotion legislation (ESPA) cover?")
    assert espa.spelled == (("espa", frozenset({"economic", "security", "promotion", "legislation"})),)
    # A lead-in that states a fact sets the scene: the country asked about is the asking part's.
    lead = analyse("The fact sheet says the U.S. has mobilized $30 billion for PGII; how much has Japan mobilized?")
    assert lead.countries == {"Japan"}
    both = analyse("Japan has $800 billion invested in the U.S. \u2013 how much does the U.S. have in Japan?")
    assert both.countries == {"Japan", "the United States"}
    assert analyse("When did Japan join, and how much did the U.S. pledge?").countries == {"Japan", "the United States"}


def test_an_acronym_is_found_where_its_words_are_written_out():
    assert spelled_in("MOFA", "the Ministry of Foreign Affairs objected")
    assert spelled_in("JBIC", "with the Japan Bank for International Cooperation (a lender)")
    assert spelled_in("METI", "the Ministry of Economy, Trade and Industry")
    assert not spelled_in("MOFA", "the Ministry of Finance")
    # The question's own acronym, written out, is its subject and not who answers it.
    ostp = analyse("Who signed the deal for the U.S. OSTP?")
    assert not carries(
        "The U.S., represented by the Office of Science and Technology Policy, signed it.", "person", ostp
    )
    assert analyse("What did the US and Japan agree in Nov 2024?").key_terms == ("2024",)


@pytest.mark.parametrize(
    "question, yes_no",
    [
        ("Did the Camp David statement put conditions on talks with North Korea?", True),
        ("Is Tokyo backing a homegrown 5G alliance?", True),
        ("日本は半導体に投資していますか？", True),
        ("When did the Economic 2+2 first meet?", False),
        ("Is it true that the Act took effect, and when?", False),  # asks for a date
        ("日本は何に投資していますか？", False),
        ("What does the Economic 2+2 discuss?", False),
    ],
)
def test_a_yes_no_question(question, yes_no):
    assert analyse(question).yes_no is yes_no


def test_a_body_opening_a_sentence_is_its_name():
    who = analyse("Who renewed the cancer research memo?")
    assert carries("The National Cancer Institute renewed the memo.", "person", who)
    assert not carries("The Institute renewed the memo.", "person", who)


def test_a_direct_answer_that_is_a_name_alone_gives_the_person_place_or_name_asked_for():
    from assistant.answering.question import answer_kinds

    where = analyse("Where did Trump and Ishiba hold their first official meeting?")
    assert answer_kinds("Washington, D.C. [1]", where) == {"place"}
    assert not answer_kinds("The Economic Policy Consultative Committee [1]", where)  # no place
    assert not answer_kinds("Trump and Ishiba.", where)  # the question's own names
    assert not answer_kinds("July 2022 [1].", where)
    assert answer_kinds("Yunjong Wang.", analyse("Who represented South Korea?")) == {"person"}
    how_many = analyse("For how many kinds of imports does Japan rely on China?")
    assert answer_kinds("700 [1]", how_many) == {"count"} and not answer_kinds("In 2022 [1].", how_many)


@pytest.mark.parametrize(
    "sentence, person",
    [
        ("Secretary to the President for Economic Security Yunjong Wang of the ROK attended.", True),
        ("Senior Directors Tarun Chhabra and Nora Todd convened the meeting.", True),
        ("Secretary of Energy Chris Wright will lead it.", True),
        ("The Minister for Foreign Affairs met them.", False),  # the title's own end, no name
        ("It is led by the Secretary of Energy.", False),
    ],
)
def test_a_name_after_a_long_title_is_a_person(sentence, person):
    assert carries(sentence, "person", analyse("Who represented South Korea at the dialogue?")) is person
