"""The timeline of positions over a small real library of dated statements: one real ingest
(real Chroma, the real embedder) per module, shared by the tests that only read it."""

from __future__ import annotations

import json
import re

import pytest

from assistant.core.text import strip_markup
from assistant.features.timeline import clip, evolution_question, is_recital, word_count

LONG = (
    "Building on our long history of semiconductor cooperation, we intend to establish a joint technology "
    "agenda for cooperation on research and development, design, and workforce development, and we welcome "
    "the memorandum signed between the two national laboratories, which will connect engineers, students, "
    "universities and companies in both countries over the coming years, while also improving the resilience "
    "of supply chains for legacy chips."
)
# path -> (front matter, body). "Japan" and "cooperation" are in nearly every document, as in the
# shipped corpus: a topic's focus is what pins it down, not what every document says.
STATEMENTS = {
    "2021-04-16-core.md": (
        "title: CoRe Partnership fact sheet\nissuer: The White House\ndate: '2021-04-16'\n"
        "url: https://example.gov/2021/core",
        "Japan and the United States launched the Competitiveness and Resilience Partnership.\n\n"
        "The partners agreed to cooperate on semiconductor supply chains and joint research.\n",
    ),
    "2022-05-23-joint.md": (
        "title: Joint leaders statement 2022\nissuer: Governments of Japan and the U.S.\ndate: '2022-05-23'\n"
        "url: https://example.gov/2022/joint",
        "Whereas, semiconductors are essential for the production of advanced technologies and the Participants "
        "intend to support the supply of semiconductors crucial to the domestic industries of Japan;\n\n"
        "The two governments established a joint task force on next-generation semiconductors in May 2022.\n\n"
        "Japan and the United States reaffirmed their cooperation on fisheries management.\n",
    ),
    "2023-05-20-g7.md": (
        "title: G7 leaders communique\nissuer: G7 Leaders\ndate: '2023-05-20'",
        "**Economic security**\n\n<!-- -->\n\n"
        "**We will** enhance resilient supply chains for critical goods such as semiconductors and batteries.\n\n"
        "The leaders discussed cooperation with Japan on clean energy.\n",
    ),
    "2024-04-10-joint.md": (
        "title: Joint leaders statement 2024\nissuer: Governments of the U.S. and Japan\ndate: '2024-04-10'\n"
        "url: https://example.gov/2024/joint",
        f"{LONG}\n\nJapan and the United States will deepen cooperation on space exploration.\n",
    ),
    "2025-10-28-tpd.md": (
        "title: Technology Prosperity Deal\nissuer: Governments of the U.S. and Japan\ndate: '2025-10-28'",
        "The Technology Prosperity Deal deepens cooperation with Japan on leading-edge semiconductor technologies.\n\n"
        "The participants will convene a semiconductor working group by 2026 to report on progress.\n",
    ),
    "fisheries.md": (
        "title: Fisheries readout\nissuer: Fisheries Agency\ndate: '2023-09-01'",
        "Japan and the United States discussed cooperation on sustainable fisheries and ocean science.\n",
    ),
    "undated-memo.md": (
        "title: Semiconductor memo\nissuer: Analysts",
        "Japan subsidises semiconductor fabrication plants to secure domestic supply.\n",
    ),
    "restricted.md": (
        "title: Kestrel chip memo\naccess: restricted\ndate: '2024-01-01'",
        "Project Kestrel will stockpile semiconductor wafers for Japan until 2031.\n",
    ),
    "2024-06-06-mext.md": (
        "title: MEXT white paper\nissuer: MEXT\ndate: '2024-06-06'\nlanguage: ja",
        "政府は次世代半導体の研究開発を推進する。\n\n日本の大学は人工知能の研究を進めている。\n",
    ),
}
DATED = ["2021-04-16", "2022-05-23", "2023-05-20", "2024-04-10", "2024-06-06", "2025-10-28"]


def build_statements(corpus) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for name, (front, body) in STATEMENTS.items():
        (corpus / name).write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")


@pytest.fixture(scope="module")
def library(tmp_path_factory, embedder):
    from assistant.core.settings import Settings
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("statements")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    build_statements(settings.corpus_dir)
    report = ingest(settings, progress=False)
    assert not report.errors, report.summary()
    return settings


@pytest.fixture(scope="module")
def assistant(library, embedder):
    from assistant.answering.engine import Assistant
    from assistant.retrieval.search import Retriever

    def make(role="public"):
        return Assistant(library, retriever=Retriever(library, embedder=embedder, role=role), role=role, user="t")

    return make


def verbatim(quote: str, chunk_text: str) -> bool:
    """Every piece of a (possibly trimmed) quote is in the passage, markup removed."""
    source = " ".join(strip_markup(chunk_text).split())
    pieces = [p.strip() for p in quote.split("\u2026")]
    return all(p in source for p in pieces if p)


def test_each_dated_document_that_addresses_the_topic_once_in_date_order(assistant):
    from assistant.features.timeline import build_timeline

    tl = build_timeline(assistant(), "semiconductors")
    assert [e.date for e in tl.entries] == DATED
    assert "Fisheries readout" not in {e.title for e in tl.entries}  # names Japan and cooperation, not the topic
    assert [e.title for e in tl.undated] == ["Semiconductor memo"]
    for e in tl.entries:
        assert verbatim(e.quote, e.hit.chunk.text), e.quote
        assert "semiconductor" in e.quote.lower() or "半導体" in e.quote
        assert not e.quote.startswith("Whereas")  # the recital is never the position
        assert "*" not in e.quote and "<!--" not in e.quote
    joint = next(e for e in tl.entries if e.date == "2022-05-23")
    assert "task force" in joint.quote and joint.issuer == "Governments of Japan and the U.S."
    assert joint.url == "https://example.gov/2022/joint"
    long = next(e for e in tl.entries if e.date == "2024-04-10")
    assert "\u2026" in long.quote and word_count(long.quote) <= 45


def test_a_topic_in_either_language_reaches_both(assistant):
    from assistant.features.timeline import build_timeline

    english = {e.date for e in build_timeline(assistant(), "semiconductors").entries}
    japanese = {e.date for e in build_timeline(assistant(), "半導体").entries}
    assert "2024-06-06" in english and "2021-04-16" in japanese


def test_a_public_user_never_sees_a_restricted_position(assistant):
    from assistant.features.timeline import build_timeline

    public = build_timeline(assistant("public"), "semiconductor wafers stockpile")
    assert "Kestrel chip memo" not in {e.title for e in public.entries}
    restricted = build_timeline(assistant("restricted"), "semiconductor wafers stockpile")
    assert "Kestrel chip memo" in {e.title for e in restricted.entries}


def test_a_topic_the_library_never_mentions_has_no_timeline(assistant):
    from assistant.features.timeline import TimelineError, build_timeline

    assert not build_timeline(assistant(), "the 2018 FIFA World Cup final in Moscow").entries
    with pytest.raises(TimelineError):
        build_timeline(assistant(), "   ")


@pytest.mark.parametrize(
    "question, topic, since",
    [
        (
            "How has U.S.-Japan cooperation on semiconductors evolved since 2021?",
            "U.S.-Japan cooperation on semiconductors",
            "2021",
        ),
        ("How have export controls changed?", "export controls", ""),
        ("What is the evolution of critical minerals policy since 2022?", "critical minerals policy", "2022"),
        ("半導体に関する日米協力はどのように変化してきたか", "半導体に関する日米協力", ""),
        ("2021年以降、輸出管理はどう変わったか", "輸出管理", "2021"),
        ("What is the Economic Security Promotion Act?", None, None),
        ("When was the task force established?", None, None),
        # "change" with an object asks what a change was, not how a topic evolved.
        ("How did the revised Foreign Exchange and Foreign Trade Act change the screening threshold?", None, None),
        ("How did the Quad change its agenda in 2023?", None, None),
    ],
)
def test_evolution_questions_are_recognised_in_english_and_japanese(question, topic, since):
    asked = evolution_question(question)
    if topic is None:
        assert asked is None
    else:
        assert asked is not None and asked.topic == topic and asked.date_from == since


def test_clip_keeps_the_clause_that_names_the_topic_verbatim():
    short = "The task force was launched in 2022."
    assert clip(short, ["task"]) == short
    out = clip(LONG, ["semiconductor"], max_words=20)
    assert word_count(out) <= 20 and "semiconductor" in out and out.endswith("\u2026")
    assert all(p.strip() in LONG for p in out.split("\u2026") if p.strip())
    tail = clip(LONG, ["chip"], max_words=20)
    assert tail.startswith("\u2026") and "legacy chips" in tail


@pytest.mark.parametrize(
    "sentence, recital",
    [
        ("Whereas, critical minerals are essential for advanced technologies;", True),
        ("Recognizing the importance of supply chains, the Participants agree as follows.", True),
        ("Therefore, the Participants have reached the following recognition on a common framework.", True),
        ("For more information, visit https://example.gov.", True),
        ("The Participants are establishing a Rapid Response Group.", False),
    ],
)
def test_recitals_and_boilerplate_are_recognised(sentence, recital):
    assert is_recital(sentence) is recital


def test_the_chat_answers_an_evolution_question_with_the_dated_list(assistant):
    from assistant.features.chat import ChatSession

    chat = ChatSession(assistant())
    answer = chat.ask("How has cooperation on semiconductors evolved since 2022?")
    assert not answer.declined and answer.rewritten_question == "cooperation on semiconductors"
    dates = re.findall(r"^- (\d{4}-\d\d-\d\d)", answer.text, re.M)
    assert dates == sorted(dates) and dates[0] >= "2022" and "2021-04-16" not in answer.text
    assert [c.marker for c in answer.citations] == list(range(1, len(dates) + 1))
    for c in answer.citations:
        assert f"[{c.marker}]" in answer.text and verbatim(c.quote, c.text)
    assert answer.to_record()["citations"]  # the usual record: every front end renders it
    # The same question in Japanese gets the same shape.
    ja = chat.ask("半導体の協力はどのように変化してきたか")
    assert not ja.declined and re.search(r"^- 2021-04-16", ja.text, re.M)


def test_a_when_question_shows_the_dates_of_the_cited_documents(assistant):
    from assistant.features.chat import ChatSession, with_dates

    chat = ChatSession(assistant())
    chat.ask("What did the Technology Prosperity Deal deepen?")
    answer = chat.ask("When was that?")
    assert not answer.declined
    assert "dated 2025-10-28" in answer.text
    # A question that does not ask when is left as the pipeline answered it.
    plain = chat.answers[0]
    assert "Dates of the documents cited" not in plain.text and with_dates(plain) is plain


def test_briefing_timeline_cli_prints_the_dated_entries_and_json(library, monkeypatch, capsys):
    from assistant.cli import main
    from assistant.core.settings import get_settings

    monkeypatch.setenv("BRIEFING_CORPUS_DIR", str(library.corpus_dir))
    monkeypatch.setenv("BRIEFING_INDEX_DIR", str(library.index_dir))
    monkeypatch.setenv("BRIEFING_ROLE", "public")
    get_settings.cache_clear()
    try:
        assert main(["timeline", "semiconductors", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert [e["date"] for e in data["entries"]] == DATED
        assert all(e["quote"] and e["title"] and "location" in e for e in data["entries"])
        assert main(["timeline", "semiconductors", "--date-from", "2024"]) == 0
        out = capsys.readouterr().out
        assert "2024-04-10" in out and "2021-04-16" not in out and "https://example.gov/2024/joint" in out
        assert main(["timeline", " "]) == 2 and "error: the topic is empty" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_the_timeline_page_shows_the_dated_positions(library, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from assistant.core.settings import get_settings

    monkeypatch.setenv("BRIEFING_CORPUS_DIR", str(library.corpus_dir))
    monkeypatch.setenv("BRIEFING_INDEX_DIR", str(library.index_dir))
    monkeypatch.setenv("BRIEFING_ROLE", "public")
    get_settings.cache_clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file("../../assistant/app/main.py", default_timeout=120).run()
        at.switch_page("pages/timeline.py").run()
        at.text_input(key="timeline_topic").set_value("semiconductors").run()
        next(b for b in at.button if b.label == "Show the timeline").click().run()
        assert not at.exception
        shown = [m.value for m in at.markdown if m.value.startswith("**20")]
        assert [s[2:12] for s in shown] == DATED
        assert any("6 dated documents on semiconductors, 2021-04-16 to 2025-10-28" in c.value for c in at.caption)
        assert any("Semiconductor memo" in c.value for c in at.caption)  # undated, named apart
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()


def _hit(doc_id: str, text: str, date: str):
    from assistant.core.types import Chunk, DocMeta, Hit

    meta = DocMeta(doc_id, f"Title {doc_id}", f"{doc_id}.md", issuer="Issuer", date=date)
    return Hit(Chunk(doc_id, text, None, "", 0, meta), 1.0)


def test_a_when_follow_up_the_passages_cannot_date_gets_the_documents_dates():
    from assistant.core.types import Answer, Citation
    from assistant.features.chat import with_dates

    quote = "They concurred on establishing a joint task force."
    hit = _hit("joint-2022", quote, "2022-05-23")
    before = Answer(
        "What did they agree?", f"\u201c{quote}\u201d [1]", False, [Citation.of(1, hit, quote)], [hit], "extractive"
    )
    declined = Answer(
        "When was that?",
        "The documents in the library do not state a date.",
        True,
        [],
        [],
        "extractive",
        decline_reason="no quoted sentence states a date",
    )
    answer = with_dates(declined, before)
    assert not answer.declined and answer.citations == before.citations
    assert "dated 2022-05-23" in answer.text and quote in answer.text
    # Another reason to decline, or an undated source, leaves the decline as it was.
    other = Answer(
        "When did the FIFA final take place?", "no", True, [], [], "extractive", decline_reason="no passage is close"
    )
    assert with_dates(other, before) is other
    undated_hit = _hit("memo", quote, "")
    undated = Answer("x", "y", False, [Citation.of(1, undated_hit, quote)], [undated_hit], "extractive")
    assert with_dates(declined, undated) is declined


@pytest.mark.parametrize(
    "sentence, statement",
    [
        ("Enhanced Cooperation on Export Controls:", False),  # a heading
        ("New sanctions and export controls.", False),  # a label
        (
            "The United States and Japan discussed a joint effort on more effective and agile export controls, including:",
            True,
        ),
        ("The two governments established a joint task force in May 2022.", True),
    ],
)
def test_headings_and_labels_are_not_statements(sentence, statement):
    from assistant.features.timeline import is_statement

    assert is_statement(sentence) is statement
