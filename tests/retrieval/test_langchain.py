"""`BriefingRetriever`, the LangChain retriever over the assistant's own hybrid search, on a small
real index (Markdown notes at three access levels and a law printed as a PDF, real embedder, real
Chroma): the role decides what comes back, filters narrow it, every Document says where it comes
from, and the retriever works inside an LCEL chain."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.documents import Document
from langchain_core.language_models.fake import FakeListLLM
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import PromptTemplate
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from assistant.core.settings import Settings
from assistant.core.types import Citation, Filters
from assistant.retrieval.langchain import BriefingRetriever, check_filters
from assistant.retrieval.search import Retriever
from ingest.pipeline import ingest
from tests.api.documents import SECRET_DOC
from tests.lawtexts import TITLE_EN, law_pdf

REPO = Path(__file__).resolve().parents[2]
SECRET_QUESTION = "What is the codename of the stockpile reserve managed by METI and JOGMEC?"
CHIPS = "The allies agreed export controls on advanced semiconductors in October 2023."


def _note(folder, name: str, title: str, body: str, access: str, type: str, issuer: str, date: str) -> None:
    (folder / name).write_text(
        f"---\ntitle: {title}\naccess: {access}\ntype: {type}\nissuer: {issuer}\ndate: '{date}'\n---\n\n{body}\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def library(tmp_path_factory, embedder) -> Settings:
    """Indexed once for the module; the tests only read it."""
    root = tmp_path_factory.mktemp("langchain")
    corpus = root / "corpus"
    corpus.mkdir()
    _note(corpus, "chips.md", "Chips note", CHIPS, "public", "analysis", "METI", "2024-03-01")
    _note(
        corpus,
        "cables.md",
        "Cables statement",
        "Undersea cables carry most of the region's data traffic, and their repair ships are few.",
        "public",
        "statement",
        "MOFA",
        "2021-06-15",
    )
    _note(
        corpus,
        "ports.md",
        "Ports memo",
        "The port security programme installs 62 cargo scanners at Nagoya and Hakata by March 2026.",
        "internal",
        "analysis",
        "MLIT",
        "2025-02-01",
    )
    (corpus / "reserves.md").write_text(SECRET_DOC, encoding="utf-8")
    law_pdf(corpus / "test-act.pdf")
    (corpus / "test-act.pdf.meta.yaml").write_text(
        f"title: {TITLE_EN}\ntype: law\nissuer: National Diet\ndate: '2022-05-18'\n", encoding="utf-8"
    )
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    report = ingest(settings, progress=False)
    assert not report.errors, report.summary()
    return settings


def _retriever(settings, embedder, role="public", **kw) -> BriefingRetriever:
    return BriefingRetriever.from_settings(settings, role=role, embedder=embedder, **kw)


def _sources(docs: list[Document]) -> set[str]:
    return {d.metadata["source"] for d in docs}


# -- the role ---------------------------------------------------------------------------------


def test_a_public_caller_never_gets_a_restricted_or_internal_passage(library, embedder):
    public = _retriever(library, embedder, k=10)
    assert public.role == "public"
    docs = public.invoke(SECRET_QUESTION)
    assert docs, "the public documents are still searchable"
    assert {d.metadata["access"] for d in docs} == {"public"}
    text = " ".join(d.page_content for d in docs).lower()
    assert "sandpiper" not in text and "tomakomai" not in text and "scanners" not in text
    # Naming the document finds nothing; there is no access filter to ask with (as in the API).
    assert public.invoke(SECRET_QUESTION, filters={"doc_id": ["reserves"]}) == []
    assert public.invoke("cargo scanners", filters={"doc_id": ["ports"]}) == []
    with pytest.raises(ValueError, match="no access filter"):
        public.invoke(SECRET_QUESTION, filters={"access": ["restricted"]})
    with pytest.raises(ValueError, match="no access filter"):
        _retriever(library, embedder, filters={"access": ["public", "restricted"]})


def test_each_role_reads_its_own_levels(library, embedder):
    # The control: the restricted passage is there, and first, for a restricted caller.
    restricted = _retriever(library, embedder, role="restricted", k=3).invoke(SECRET_QUESTION)
    assert restricted[0].metadata["source"] == "reserves.md" and "Sandpiper" in restricted[0].page_content
    internal = _retriever(library, embedder, role="internal", k=10).invoke("cargo scanners at Nagoya")
    assert internal[0].metadata["source"] == "ports.md"
    assert {d.metadata["access"] for d in internal} <= {"public", "internal"}
    assert "reserves.md" not in _sources(_retriever(library, embedder, role="internal", k=10).invoke(SECRET_QUESTION))


def test_the_role_is_fixed_when_the_retriever_is_made(library, embedder):
    public = _retriever(library, embedder)
    with pytest.raises(TypeError):
        public.invoke(SECRET_QUESTION, role="restricted")
    with pytest.raises(ValueError, match="unknown role"):
        _retriever(library, embedder, role="admin")
    # Made from a search object, the retriever reads as that object's role.
    wrapped = BriefingRetriever(retriever=Retriever(library, embedder=embedder, role="restricted"), k=3)
    assert wrapped.role == "restricted" and wrapped.invoke(SECRET_QUESTION)[0].metadata["source"] == "reserves.md"


# -- filters ----------------------------------------------------------------------------------


def test_filters_are_those_of_the_cli_and_narrow_the_search(library, embedder):
    everything = _retriever(library, embedder, k=10).invoke("export controls, cables and the supply of materials")
    assert {"chips.md", "cables.md", "test-act.pdf"} <= _sources(everything)

    laws = _retriever(library, embedder, k=10, filters=Filters.make(type=["law"])).invoke("export controls")
    assert laws and _sources(laws) == {"test-act.pdf"}
    by_issuer = _retriever(library, embedder, k=10, filters={"issuer": "MOFA"}).invoke("export controls")
    assert _sources(by_issuer) == {"cables.md"}
    recent = _retriever(library, embedder, k=10, filters=Filters.make(date_from="2024")).invoke("supply")
    assert _sources(recent) == {"chips.md"}
    older = _retriever(library, embedder, k=10, filters=Filters.make(date_to="2022-05")).invoke("supply")
    assert _sources(older) == {"cables.md", "test-act.pdf"}

    # Per call, a call's filters replace the retriever's own.
    retriever = _retriever(library, embedder, k=10, filters={"type": ["law"]})
    assert _sources(retriever.invoke("export controls", filters={"type": ["analysis"]})) == {"chips.md"}
    assert _sources(retriever.invoke("export controls")) == {"test-act.pdf"}


def test_an_unknown_filter_is_refused_rather_than_ignored(library, embedder):
    with pytest.raises(ValueError, match="unknown filter 'kind'"):
        check_filters({"kind": ["law"]})
    with pytest.raises(ValueError, match="unknown filter"):
        _retriever(library, embedder, filters={"issuers": ["METI"]})
    with pytest.raises(ValueError, match="unknown filter"):
        _retriever(library, embedder).invoke("supply", filters={"datefrom": "2024"})
    with pytest.raises(ValueError, match="unknown retrieval mode"):
        _retriever(library, embedder, mode="semantic")
    assert check_filters({"type": "law", "issuer": [], "date_to": None}) == {"type": ["law"]}


# -- what each Document carries ---------------------------------------------------------------


def test_a_law_passage_carries_page_article_and_the_citation(library, embedder):
    docs = _retriever(library, embedder, k=2).invoke(f"What does Article 3 of the {TITLE_EN} require?")
    top = docs[0]
    md = top.metadata
    assert md["source"] == "test-act.pdf" and md["doc_id"] == "test-act" and md["title"] == TITLE_EN
    assert md["page"] == 2 and md["article"].startswith("Art. 3(")
    assert md["issuer"] == "National Diet" and md["date"] == "2022-05-18" and md["type"] == "law"
    assert md["location"] == f"{md['article']}, p. 2"
    assert md["citation"] == f"{TITLE_EN} (test-act.pdf, {md['article']}, p. 2)"
    # The passage as stored and quoted, without the title header the embedder reads.
    assert "report its stock" in top.page_content or "keep the records" in top.page_content
    assert not top.page_content.startswith(TITLE_EN)
    assert top.id == md["id"] and md["rank"] == 1 and docs[1].metadata["rank"] == 2
    # The same citation fields as the answers' Citation: one definition of where a passage is.
    hit = Retriever(library, embedder=embedder).search(f"What does Article 3 of the {TITLE_EN} require?", k=2)[0]
    citation = Citation.of(1, hit)
    assert (md["doc_id"], md["page"], md["article"], md["location"]) == (
        citation.doc_id,
        citation.page,
        citation.article,
        citation.location,
    )
    assert top.page_content == citation.text


def test_a_page_less_note_is_cited_by_title_and_source(library, embedder):
    top = _retriever(library, embedder, k=1).invoke("export controls on advanced semiconductors")[0]
    md = top.metadata
    assert top.page_content == CHIPS
    assert (md["doc_id"], md["title"], md["source"], md["page"], md["article"]) == (
        "chips",
        "Chips note",
        "chips.md",
        None,
        "",
    )
    assert (md["issuer"], md["date"], md["access"], md["location"]) == ("METI", "2024-03-01", "public", "")
    assert md["citation"] == "Chips note (chips.md)"
    assert isinstance(md["score"], float) and md["score"] > 0


def test_k_bounds_the_documents_and_scores_descend(library, embedder):
    retriever = _retriever(library, embedder, k=1)
    assert len(retriever.invoke("supply")) == 1
    three = retriever.invoke("supply", k=3)
    assert len(three) == 3
    scores = [d.metadata["score"] for d in three]
    assert scores == sorted(scores, reverse=True)
    # Past the library's size, k gives every passage the role may read, and only those: the
    # internal and the restricted note are one passage each.
    public = _retriever(library, embedder, k=50).invoke("supply")
    everything = _retriever(library, embedder, role="restricted", k=50).invoke("supply")
    assert len(public) < 50 and len(everything) - len(public) == 2
    assert {d.metadata["access"] for d in public} == {"public"}
    with pytest.raises(ValueError):
        _retriever(library, embedder, k=0)
    with pytest.raises(ValueError, match="k is from 1 to 100"):
        retriever.invoke("supply", k=-1)


def test_the_async_interface_gives_the_same_documents(library, embedder):
    retriever = _retriever(library, embedder, k=3)
    assert asyncio.run(retriever.ainvoke("undersea cables")) == retriever.invoke("undersea cables")


# -- inside an LCEL chain ---------------------------------------------------------------------


def format_docs(docs: list[Document]) -> str:
    """The passages as a chain would put them in a prompt, each under its citation."""
    return "\n\n".join(f"[{d.metadata['rank']}] {d.metadata['citation']}\n{d.page_content}" for d in docs)


PROMPT = PromptTemplate.from_template(
    "Answer from these passages only, citing them by number.\n\n{context}\n\nQuestion: {question}\nAnswer:"
)


class Prompts(BaseCallbackHandler):
    """Records the prompts the model was sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def on_llm_start(self, serialized, prompts, **kwargs) -> None:
        self.sent.extend(prompts)


def test_the_retriever_feeds_an_lcel_chain(library, embedder):
    retriever = _retriever(library, embedder, k=2)
    llm = FakeListLLM(responses=["The Act requires operators to report their stock once a year [1]."])
    chain = {"context": retriever | format_docs, "question": RunnablePassthrough()} | PROMPT | llm | StrOutputParser()
    seen = Prompts()
    question = f"What does Article 3 of the {TITLE_EN} require?"
    out = chain.invoke(question, config={"callbacks": [seen]})
    assert out == "The Act requires operators to report their stock once a year [1]."
    [prompt] = seen.sent
    top = retriever.invoke(question)[0]
    assert top.page_content in prompt
    assert f"[1] {TITLE_EN} (test-act.pdf, {top.metadata['article']}, p. 2)" in prompt
    assert prompt.rstrip().endswith(f"Question: {question}\nAnswer:")


def test_a_public_chain_never_puts_a_restricted_passage_in_the_prompt(library, embedder):
    # A "model" that echoes its prompt: whatever the chain gathered is in the output.
    echo = RunnableLambda(lambda prompt: prompt.to_string())
    for role, expected in (("public", False), ("restricted", True)):
        chain = (
            {"context": _retriever(library, embedder, role=role, k=5) | format_docs, "question": RunnablePassthrough()}
            | PROMPT
            | echo
            | StrOutputParser()
        )
        prompt = chain.invoke(SECRET_QUESTION)
        assert ("Project Sandpiper" in prompt) is expected, prompt
        assert ("Internal note on critical-mineral reserves (reserves.md)" in prompt) is expected


def test_the_snippet_in_docs_api_runs_as_written(library, monkeypatch, capsys):
    from assistant.core.settings import get_settings

    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    section = text.split("## LangChain\n", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("BRIEFING_CONFIG", str(library.index_dir / "none.toml"))
    monkeypatch.setenv("BRIEFING_CORPUS_DIR", str(library.corpus_dir))
    monkeypatch.setenv("BRIEFING_INDEX_DIR", str(library.index_dir))
    get_settings.cache_clear()
    try:
        exec(compile(snippet, "docs/api.md", "exec"), {})
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    assert f"{TITLE_EN} (test-act.pdf, Art. 3(1), p. 2)" in out
    assert "report its stock" in out and out.rstrip().endswith("(your model's answer)")


def test_the_retriever_itself_returns_nothing_for_an_access_filter_of_only_hidden_levels(library, embedder):
    # Below the LangChain wrapper: a filter naming only levels the role may not read narrows to
    # no level at all, which the stores would read as "no filter" and answer with everything.
    public = Retriever(library, embedder=embedder, role="public")
    assert public.search(SECRET_QUESTION, filters={"access": ["restricted"]}, k=10) == []
    assert public.search(SECRET_QUESTION, filters={"access": ["internal", "restricted"]}, k=10) == []
    # The control: the same filter for a caller who may read it finds the restricted note first.
    restricted = Retriever(library, embedder=embedder, role="restricted")
    hits = restricted.search(SECRET_QUESTION, filters={"access": ["restricted"]}, k=10)
    assert hits and hits[0].chunk.meta.source == "reserves.md"
