"""Laws are chunked at article boundaries and cited by article and paragraph, in English
translation and in Japanese, from HTML and from PDF; a question naming an article finds it."""

import time

import pytest

from assistant.core.articles import ArticleRef, article_refs, int_to_kanji, kanji_to_int
from assistant.core.types import DocMeta, location
from ingest import law, loaders
from ingest.chunk import chunk_pages
from ingest.clean import clean_markup, clean_pdf_pages
from tests.lawtexts import law_html, law_pdf


def words(text):  # a stand-in tokenizer: one token per word, one per character for Japanese
    return sum(len(w) if not w.isascii() else 1 for w in text.split())


def _chunks(path, meta_type="law", max_tokens=200):
    loaded = loaders.load(path)
    if loaded.kind == "pdf":
        texts = clean_pdf_pages([p.text for p in loaded.pages])
    else:
        texts = [clean_markup(p.text) for p in loaded.pages]
    meta = DocMeta(doc_id="t", title=loaded.metadata.get("title", "T"), source=path.name, type=meta_type)
    return chunk_pages(meta, [(p.number, t) for p, t in zip(loaded.pages, texts)], words, max_tokens)


def test_article_numbers_and_labels_in_both_languages():
    assert [kanji_to_int(s) for s in ("一", "十", "十二", "二十五", "百十", "千", "二〇", "12")] == [
        1,
        10,
        12,
        25,
        110,
        1000,
        20,
        12,
    ]
    assert [int_to_kanji(n) for n in (1, 10, 12, 25, 110, 1000)] == ["一", "十", "十二", "二十五", "百十", "千"]
    five_two = ArticleRef(5, paragraph=2)
    assert (five_two.label(), five_two.label(japanese=True)) == ("Art. 5(2)", "第五条第二項")
    assert ArticleRef(2, branch=2).label(japanese=True) == "第二条の二"
    assert ArticleRef(1, supplementary=True).label() == "Suppl. Art. 1"
    # A question and a label name the same place whichever language and spelling they use.
    for text in (
        "Article 5(2)",
        "Art. 5, paragraph 2",
        "article 5 (2)",
        "第五条第二項",
        "第5条第2項",
        "Art. 5(2), p. 3",
    ):
        assert article_refs(text) == [five_two], text
    assert article_refs("What does Article 2 define?") == [ArticleRef(2)]
    assert article_refs("第二条は何を定義していますか") == [ArticleRef(2)]
    assert article_refs("附則第一条") == [ArticleRef(1, supplementary=True)]
    assert article_refs("artificial intelligence in 2023, part 5") == []


@pytest.mark.parametrize("maker", [law_html, law_pdf], ids=["html", "pdf"])
def test_english_law_is_cited_by_article_and_paragraph(tmp_path, maker):
    path = maker(tmp_path / ("law.html" if maker is law_html else "law.pdf"))
    chunks = _chunks(path)
    by_label = {c.article: c for c in chunks}
    assert {"Art. 1", "Art. 2(1)", "Art. 2(2)", "Art. 3(1)", "Art. 3(2)", "Art. 4", "Suppl. Art. 1"} <= set(by_label)
    three_two = by_label["Art. 3(2)"]
    assert "keep the records of those reports for five years" in three_two.text
    assert "report its stock" not in three_two.text  # paragraph (1) is a chunk of its own
    assert "(i) the quantity held" in three_two.text  # items stay with their paragraph
    assert three_two.section == "Article 3 (Obligations of Operators)"
    assert "Article 3 (Obligations of Operators)" in three_two.embed_text()  # what BM25 and the embedder read
    assert "promulgation" in by_label["Suppl. Art. 1"].text
    if maker is law_pdf:
        assert (by_label["Art. 2(2)"].page, three_two.page) == (1, 2)
        assert location(three_two.page, three_two.article) == "Art. 3(2), p. 2"
    else:
        assert three_two.page is None and location(None, three_two.article) == "Art. 3(2)"
    # Nothing is lost: every paragraph's words are in some chunk.
    everything = " ".join(c.text for c in chunks)
    assert "secure the stable supply" in everything and "advice needed to stabilise supply" in everything


@pytest.mark.parametrize("maker", [law_html, law_pdf], ids=["html", "pdf"])
def test_japanese_law_is_cited_by_article_and_paragraph(tmp_path, maker):
    path = maker(tmp_path / ("law.html" if maker is law_html else "law.pdf"), japanese=True)
    chunks = _chunks(path)
    by_label = {c.article: c for c in chunks}
    assert {"第一条", "第二条第一項", "第二条第二項", "第三条第一項", "第三条第二項", "第四条", "附則第一条"} <= set(
        by_label
    )
    assert "記録を五年間保存" in by_label["第三条第二項"].text
    assert "在庫を主務大臣に報告" in by_label["第三条第一項"].text
    assert by_label["第三条第二項"].section == "第三条 (事業者の義務)"
    assert "公布の日から施行" in by_label["附則第一条"].text
    if maker is law_pdf:
        assert by_label["第三条第二項"].page == 2
        assert location(2, by_label["第三条第二項"].article) == "第三条第二項, p. 2"


def test_a_law_is_recognised_by_its_articles_without_a_manifest_type(tmp_path):
    chunks = _chunks(law_html(tmp_path / "law.html"), meta_type="")
    assert any(c.article == "Art. 3(2)" for c in chunks)


def test_documents_that_mention_articles_are_not_laws():
    meta = DocMeta(doc_id="r", title="Report", source="r.md", type="analysis")
    text = (
        "Article 9 of the Constitution renounces war.\n\n"
        "Article 3 of the Act applies to operators.\n\n"
        "Article 21 protects freedom of expression.\n\n"
        "第九条は戦争の放棄を定める。"
    )
    chunks = chunk_pages(meta, [(1, text)], words, 200)
    assert not law.looks_like_law(meta, [(1, text)])
    assert all(c.article == "" for c in chunks)


def test_a_reference_at_the_start_of_a_paragraph_does_not_start_an_article():
    text = (
        "Article 1 The purpose of this Act is stated here.\n\n"
        "Article 2 (1) Terms are defined here.\n\n"
        "(2) More terms.\n\n"
        "Article 1 of the Act applies to everyone.\n\n"
        "Article 3 Operators must report."
    )
    segs = law.segments([(None, text)])
    assert [(law.label(s), s.text[:12]) for s in segs] == [
        ("Art. 1", "Article 1 Th"),
        ("Art. 2(1)", "Article 2 (1"),
        ("Art. 2(2)", "(2) More ter"),
        ("Art. 2(2)", "Article 1 of"),
        ("Art. 3", "Article 3 Op"),
    ]
    ja = "第一条この法律は目的を定める。\n\n第二条この法律の定義。\n\n第一条の規定は全てに適用する。\n\n2前項の例外。\n\n第三条報告する。"
    assert [law.label(s) for s in law.segments([(None, ja)])] == [
        "第一条",
        "第二条第一項",
        "第二条第一項",
        "第二条第二項",
        "第三条",
    ]


def test_supplementary_provisions_without_articles_are_cited_by_paragraph():
    base = "第一条目的を定める。\n\n第二条定義する。\n\n第三条報告する。\n\n附則\n\n"
    one = law.segments([(None, base + "この法律は、公布の日から施行する。")])
    assert law.label(one[-1]) == "附則"
    two = law.segments([(None, base + "この法律は、公布の日から施行する。\n\n2経過措置は政令で定める。")])
    assert [law.label(s) for s in two[-2:]] == ["附則第一項", "附則第二項"]
    en = "Article 1 A.\n\nArticle 2 B.\n\nSupplementary Provisions\n\nThis Act comes into effect.\n\n(2) Interim."
    assert [law.label(s) for s in law.segments([(None, en)])[-2:]] == ["Suppl. Prov.(1)", "Suppl. Prov.(2)"]


def test_a_long_paragraph_is_cut_and_every_piece_keeps_its_label():
    long = "Article 1 " + " ".join(f"Operators must file report number {i}." for i in range(80))
    meta = DocMeta(doc_id="l", title="Long Act", source="l.md", type="law")
    chunks = chunk_pages(meta, [(None, long + "\n\nArticle 2 The end.")], words, 60)
    firsts = [c for c in chunks if c.article == "Art. 1"]
    assert len(firsts) > 3 and all(words(c.embed_text()) <= 60 for c in chunks)
    assert chunks[-1].article == "Art. 2"


def test_law_parsing_stays_linear_on_hostile_text():
    """A law's structure is looked for in every document: hostile text must not make it slow."""
    n = 200_000
    started = time.perf_counter()
    for text in (
        "(" * n,
        "附則(" + "法" * n,
        "Article 1. " * (n // 10),
        "第一条" * (n // 3),
        ". (" * (n // 3),
        ". Article 1" * (n // 10),
        "Chapter I " * (n // 10),
        "(Caption)\n\n" * (n // 10),
    ):
        law.segments([(1, text)])
    assert time.perf_counter() - started < 10


def test_a_question_naming_an_article_finds_it_in_either_language(settings):
    """Real index (embedder, Chroma, BM25): the English law as HTML, the Japanese one as PDF,
    and a note that mentions the articles without being them."""
    from assistant.retrieval.search import Retriever
    from ingest.pipeline import ingest

    law_html(settings.corpus_dir / "test-act.html")
    law_pdf(settings.corpus_dir / "test-act-ja.pdf", japanese=True)
    (settings.corpus_dir / "test-act-ja.pdf.meta.yaml").write_text(
        "title: 試験物資の供給の確保に関する法律\ntype: law\nlanguage: ja\n", encoding="utf-8"
    )
    (settings.corpus_dir / "note.md").write_text(
        "# Commentary\n\nArticle 2 and Article 3 of the test materials act are discussed by many operators; "
        "第二条と第三条は事業者の関心が高い。\n",
        encoding="utf-8",
    )
    report = ingest(settings, progress=False)
    assert not report.errors, report.summary()
    retriever = Retriever(settings)

    hits = retriever.search("What does Article 2 define?", k=3, filters={"language": ["en"]})
    assert [h.chunk.article for h in hits[:2]] == ["Art. 2(1)", "Art. 2(2)"]
    assert hits[0].boosted_by == ("Art. 2(1)",)
    top = retriever.search("第二条は何を定義していますか", k=3, filters={"language": ["ja"]})[0]
    assert top.chunk.article.startswith("第二条") and top.chunk.page == 1
    top = retriever.search("What does Article 3(2) of the Act on Securing the Supply of Test Materials require?", k=3)[
        0
    ]
    assert top.chunk.article in ("Art. 3(2)", "第三条第二項")
    # Off, the commentary that names the article outranks its second paragraph: the boost is
    # what puts the article itself first.
    plain = Retriever(settings.model_copy(update={"article_weight": 0.0}))
    hits = plain.search("What does Article 2 define?", k=3, filters={"language": ["en"]})
    assert [h.chunk.article for h in hits[:2]] != ["Art. 2(1)", "Art. 2(2)"] and not any(h.boosted_by for h in hits)
