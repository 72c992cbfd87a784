"""Briefing notes and quizzes over a small real index: grounded, exported, graded."""

from __future__ import annotations

import csv
import io

import pytest

from assistant.features.quiz import BLANK, QuizQuestion, grade, make_quiz, results_csv
from tests.frontends.test_app import SECRET, build_corpus


@pytest.fixture
def assistant(settings, embedder):
    from assistant.answering.engine import Assistant
    from assistant.retrieval.search import Retriever
    from ingest.pipeline import ingest

    build_corpus(settings.corpus_dir)
    ingest(settings, progress=False)

    def make(role="public"):
        return Assistant(settings, retriever=Retriever(settings, embedder=embedder, role=role), role=role, user="t")

    return make


def test_a_note_quotes_its_sources_and_exports_them(assistant):
    from docx import Document

    from assistant.features.briefing import draft_note
    from assistant.features.export import note_docx, note_markdown

    note = draft_note(assistant(), "the Economic Security Promotion Act")
    assert not note.declined
    quoted = {s.n: s for s in note.sources}
    for p in note.key_points + note.talking_points + note.background:
        assert p.refs and all(n in quoted for n in p.refs)
    for p in note.key_points:
        assert p.text.startswith("\u201c")  # a quotation, not a paraphrase
    md = note_markdown(note)
    assert "## Sources" in md and "[1] Economic security paper, Analysts, 2021-05-01, p. 2." in md
    # An edit that drops a point drops its source from the exported list, numbers unchanged.
    note.background, note.talking_points, note.bottom_line, note.open_questions = [], [], "", []
    paras = [p.text for p in Document(io.BytesIO(note_docx(note))).paragraphs]
    sources = paras[paras.index("Sources") + 1 :]
    assert sources and all(s.startswith("[") for s in sources)
    assert {int(s[1 : s.index("]")]) for s in sources} == {n for p in note.key_points for n in p.refs}


def test_a_note_on_a_topic_the_library_does_not_cover_says_so(assistant):
    from assistant.features.briefing import draft_note

    note = draft_note(assistant(), "the 2018 FIFA World Cup final in Moscow")
    assert note.declined and not note.key_points and not note.sources
    assert "do not answer" in note.purpose and "do not answer" in note.open_questions[0]


def test_a_public_note_never_quotes_a_restricted_document(assistant):
    from assistant.features.briefing import draft_note
    from assistant.features.export import note_markdown

    topic = "Project Kestrel gallium stockpile"
    assert "until 2031" not in note_markdown(draft_note(assistant("public"), topic))
    assert "until 2031" in note_markdown(draft_note(assistant("restricted"), topic))


def test_quiz_questions_blank_a_fact_of_their_cited_passage(assistant):
    retriever = assistant().retriever
    qs = make_quiz(retriever, 3, seed=1)
    assert len(qs) == 3 and {q.kind for q in qs} == {"mc", "short"}
    for q in qs:
        assert q.prompt.count(BLANK) == 1
        assert q.prompt.replace(BLANK, q.answer) in " ".join(q.passage.split())
        assert q.page in (1, 2, None) and q.title
        if q.kind == "mc":
            assert q.answer in q.options and len(set(q.options)) == 4


def test_quiz_by_topic_and_by_document(assistant):
    retriever = assistant().retriever
    by_doc = make_quiz(retriever, 2, filters={"doc_id": ["quad"]}, kinds=("short",))
    assert by_doc and all(q.doc_id == "quad" for q in by_doc)
    by_topic = make_quiz(retriever, 1, topic="Economic Security Promotion Act", kinds=("short",))
    assert by_topic and "Promotion Act" in by_topic[0].prompt


def test_quiz_never_uses_a_restricted_document_even_for_distractors(assistant):
    for seed in range(5):
        for q in make_quiz(assistant("public").retriever, 5, seed=seed, kinds=("mc",)):
            assert "2031" not in q.options and "Kestrel" not in q.prompt and SECRET not in q.passage
    seen = [q for seed in range(5) for q in make_quiz(assistant("restricted").retriever, 5, seed=seed)]
    assert any(q.doc_id == "secret" for q in seen)


@pytest.mark.parametrize(
    "kind, key, response, ok",
    [
        ("short", "April 2020", "april 2020", True),
        ("short", "April 2020", "It was in April, 2020.", True),
        ("short", "10 percent", "10%", True),
        ("short", "10 percent", "100 percent", False),
        ("short", "2022", "2021", False),
        ("short", "Economic Security Promotion Act", "the economic security promotion act", True),
        ("short", "Act on the Promotion of Economic Security", "Promotion of Economic Security Act", True),
        ("short", "Economic Security Promotion Act", "Security Act", False),
        ("short", "2022", "", False),
        ("mc", "2020", "2020", True),
        ("mc", "2020", "2021", False),
    ],
)
def test_grading(kind, key, response, ok):
    q = QuizQuestion(1, kind, f"It happened in {BLANK}.", key, ["2020", "2021"], title="Doc", page=3)
    g = grade(q, response)
    assert g.correct is ok and "Doc, p. 3" in g.feedback


def test_results_export_as_csv():
    qs = [
        QuizQuestion(1, "mc", f"In {BLANK}.", "2020", ["2019", "2020"], title="Doc", page=2),
        QuizQuestion(2, "short", f"The {BLANK} Act.", "Promotion", title="Doc", page=3),
    ]
    rows = list(csv.DictReader(io.StringIO(results_csv(qs, {1: "2020", 2: "wrong"}, "trainee-1"))))
    assert [(r["question"], r["correct"], r["page"]) for r in rows] == [("1", "1", "2"), ("2", "0", "3")]
    assert rows[0]["trainee"] == "trainee-1" and rows[1]["answer_key"] == "Promotion"
