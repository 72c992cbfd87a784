"""Dates, kinds and issuers a question names lift the documents whose metadata match (a soft
boost, shown as `boosted_by`): in English by a month and year the question names, and for a
Japanese question about English documents through the glossary's words and 年/月 dates."""

from __future__ import annotations

from assistant.retrieval.boosts import DocumentMetadata
from assistant.retrieval.glossary import translations
from assistant.retrieval.search import Retriever
from ingest.pipeline import ingest

METAS = [
    {
        "doc_id": "sheet-2024-04",
        "title": "Fact Sheet: Official Visit",
        "issuer": "The White House",
        "date": "2024-04-10",
    },
    {
        "doc_id": "sheet-2021-04",
        "title": "Fact Sheet: CoRe Partnership",
        "issuer": "The White House",
        "date": "2021-04-16",
    },
    {
        "doc_id": "joint-2024-11",
        "title": "Joint Statement",
        "issuer": "Governments of the U.S., Japan and the ROK",
        "date": "2024-11-15",
    },
    {"doc_id": "communique", "title": "Leaders' Communique", "issuer": "G7 Leaders", "date": "2023-05-20"},
    {"doc_id": "paper", "title": "An analysis", "issuer": "Analysts", "date": "2021-05-01"},
]
ALIASES = {"Governments of the U.S., Japan and the ROK": ["Camp David", "日米韓"], "G7 Leaders": ["Group of Seven"]}


def test_a_japanese_question_names_a_document_by_its_month_and_kind():
    docs = DocumentMetadata(METAS, ALIASES)
    question = "2024年4月のファクトシートによると、投資額はいくらですか。"
    asked = docs.descriptors(question, tuple(translations(question)))
    assert asked.years == {"2024"} and asked.months == {4}
    share, matched = docs.match("sheet-2024-04", asked)
    assert share == 1.0 and "2024-04" in matched
    assert docs.match("sheet-2021-04", asked)[0] < share  # the same kind, another date
    assert docs.match("paper", asked) == (0.0, ())


def test_a_japanese_question_names_which_document_of_a_kind_by_its_title_and_an_english_one_does_not():
    docs = DocumentMetadata(METAS, ALIASES)
    question = "CoReファクトシートによると、日米は何に投資しますか。"
    asked = docs.descriptors(question, tuple(translations(question)), japanese=True)
    core, other = docs.match("sheet-2021-04", asked), docs.match("sheet-2024-04", asked)
    assert core[0] > other[0] and "core" in core[1]  # both fact sheets: the CoRe one, by its title
    english = docs.descriptors("What does the CoRe fact sheet say?")
    assert docs.match("sheet-2021-04", english)[0] == docs.match("sheet-2024-04", english)[0]


def test_an_issuer_by_another_of_its_names_matches_its_documents():
    docs = DocumentMetadata(METAS, ALIASES)
    assert docs.match("joint-2024-11", docs.descriptors("What did the Camp David partners say?"))[0] > 0
    assert docs.match("communique", docs.descriptors("What did the Group of Seven pledge?"))[0] > 0
    question = "日米韓の声明は何を述べていますか"
    japanese = docs.descriptors(question, tuple(translations(question)))
    assert docs.match("joint-2024-11", japanese)[0] > 0 and docs.match("communique", japanese)[0] == 0
    # Without the aliases the names tell nothing.
    bare = DocumentMetadata(METAS)
    assert bare.match("joint-2024-11", bare.descriptors("What did the Camp David partners say?"))[0] == 0


def _note(title: str, date: str, text: str) -> str:
    return f"---\ntitle: '{title}'\nissuer: The White House\ndate: {date}\ntype: statement\n---\n\n{text}\n"


def test_a_japanese_question_lifts_the_english_document_it_names_by_default(settings, embedder):
    same = "The two countries will cooperate on critical minerals, semiconductors and clean energy supply chains."
    # Enough documents that "fact sheet" tells two of them apart from the rest (a kind or an
    # issuer that most documents share describes none).
    notes = {
        "a": ("Fact Sheet: Summit", "2021-04-16"),
        "b": ("Fact Sheet: Visit", "2024-04-10"),
        **{f"r{i}": (f"Readout of call {i}", f"2024-0{i}-02") for i in range(1, 7)},
    }
    for name, (title, date) in notes.items():
        (settings.corpus_dir / f"{name}.md").write_text(_note(title, date, same), encoding="utf-8")
    ingest(settings, progress=False)
    question = "2024年4月のファクトシートでは、重要鉱物についてどう述べていますか。"
    top = Retriever(settings, embedder=embedder).search(question, k=3)[0]
    assert top.chunk.doc_id == "b" and "2024-04" in top.boosted_by
    # The control: without the boost nothing is lifted by its metadata.
    off = Retriever(settings.model_copy(update={"metadata_weight_cjk": 0.0}), embedder=embedder).search(question, k=3)
    assert all(not h.boosted_by for h in off)


def test_a_japanese_question_about_the_paper_names_the_document_of_that_type():
    metas = [
        *METAS[:4],
        {"doc_id": "seed", "title": "Japan's strategy", "issuer": "Two authors", "date": "2021", "type": "analysis"},
    ]
    docs = DocumentMetadata(metas, ALIASES)
    question = "論文によると、日本はどの国々とイニシアティブを立ち上げましたか。"
    asked = docs.descriptors(question, tuple(translations(question)))
    assert docs.match("seed", asked)[1] == ("analysis",)
    assert not docs.match("communique", asked)[1]


def test_an_english_question_lifts_the_document_of_the_month_it_names_and_not_of_a_year_alone(settings, embedder):
    same = "The two leaders instructed their ministers to deepen cooperation on critical minerals."
    notes = {
        f"s{i}": (f"Joint Statement {i}", date) for i, date in enumerate(["2022-05-23", "2023-01-13", "2024-04-10"])
    }
    for name, (title, date) in notes.items():
        (settings.corpus_dir / f"{name}.md").write_text(_note(title, date, same), encoding="utf-8")
    ingest(settings, progress=False)
    retriever = Retriever(settings, embedder=embedder)
    top = retriever.search("What did the leaders tell their ministers to do in January 2023?", k=3)[0]
    assert top.chunk.doc_id == "s1" and "2023-01" in top.boosted_by
    # A year alone is as often the date of a fact: it lifts nothing.
    assert all(not h.boosted_by for h in retriever.search("What did the leaders plan for 2023?", k=3))
