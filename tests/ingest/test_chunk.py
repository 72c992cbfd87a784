from assistant.core.types import DocMeta
from ingest.chunk import chunk_pages

META = DocMeta(doc_id="d", title="T", source="d.md")


def words(text):  # a stand-in tokenizer: one token per word
    return len(text.split())


def test_chunks_never_exceed_the_limit_and_keep_pages():
    long_para = " ".join(f"Sentence number {i} has six words." for i in range(60))
    chunks = chunk_pages(META, [(1, long_para), (2, "Short page two.")], words, 50)
    assert all(words(c.text) <= 50 for c in chunks)
    assert {c.page for c in chunks} == {1, 2}
    assert not any("page two" in c.text for c in chunks if c.page == 1)


def test_headings_start_sections():
    text = "# Intro\n\nFirst part.\n\n## Article 2 Purpose\n\nSecond part."
    chunks = chunk_pages(META, [(None, text)], words, 100)
    assert [(c.section, c.text) for c in chunks] == [("Intro", "First part."), ("Article 2 Purpose", "Second part.")]


def test_japanese_sentences_split_at_maru():
    text = "経済安全保障を強化する。" * 30
    chunks = chunk_pages(META, [(1, text)], len, 40)
    assert len(chunks) > 1 and all(len(c.text) <= 40 for c in chunks)
    assert all(c.text.endswith("。") for c in chunks)


def test_ids_are_deterministic_and_depend_on_content_and_page():
    a = chunk_pages(META, [(1, "Same text.")], words, 50)[0]
    b = chunk_pages(META, [(1, "Same text.")], words, 50)[0]
    c = chunk_pages(META, [(2, "Same text.")], words, 50)[0]
    assert a.id == b.id != c.id


def test_a_japanese_document_is_chunked_by_its_own_budget(settings, embedder):
    # Twelve short sentences: the English budget cut the white paper's passages at one or two
    # sentences each (the embedder reads every Japanese character as a word piece).
    from assistant.retrieval.search import Retriever
    from ingest.pipeline import ingest

    text = "".join(f"第{i}の取組として、研究機関は大規模言語モデルの開発を進めています。" for i in range(1, 13))
    (settings.corpus_dir / "ja.md").write_text(f"---\ntitle: 白書\nlanguage: ja\n---\n\n{text}\n", encoding="utf-8")

    def passages(s):
        ingest(s, progress=False)
        return Retriever(s, embedder=embedder).passages()

    small = passages(settings.model_copy(update={"chunk_max_tokens": 60, "chunk_max_tokens_cjk": 60}))
    large = passages(settings.model_copy(update={"chunk_max_tokens": 60, "chunk_max_tokens_cjk": 400}))
    assert len(small) >= 3 and len(large) < len(small)
    assert "".join(c.text for c in large).count("取組") == 12  # nothing lost
