"""Briefing notes worth sending, over the small real library of dated statements of
test_timeline.py (one ingest per module): several sources, short key points, no recitals, no
markup, a bottom line, talking points, background in date order, linked sources; the
conversation export with dates and addresses; `briefing note` on the command line."""

from __future__ import annotations

import io
import re

import pytest

from tests.features.test_timeline import DATED, assistant, library  # noqa: F401  (module fixtures)

MARKUP = re.compile(r"\*|\u2022|<!--|-->|#")


@pytest.fixture(scope="module")
def note(assistant):  # noqa: F811
    from assistant.features.briefing import Header, draft_note

    return draft_note(
        assistant(), "semiconductors", header=Header("unclassified", "Economic 2+2", "2026-12-01", "J. Doe")
    )


def test_a_note_cites_every_document_that_addresses_the_topic(note):
    assert not note.declined
    assert len(note.documents) >= 6 and "fisheries" not in {d for d in note.documents}
    assert len({s.doc_id for s in note.sources}) == len(note.sources)  # one source per document
    assert len({p.refs[0] for p in note.key_points}) == len(note.key_points)  # one key point per document
    assert re.match(r"To brief on semiconductors: 7 official documents in the library address it", note.purpose)
    assert "1 passages" not in note.purpose and "1 documents" not in note.purpose


def test_key_points_are_short_quotations_never_recitals(note):
    from assistant.features.timeline import word_count

    assert len(note.key_points) == 5
    for p in note.key_points:
        quote = p.text[p.text.index("\u201c") + 1 : p.text.index("\u201d")]
        assert word_count(quote) <= 45 and not quote.startswith("Whereas")
        assert p.refs and f"[{p.refs[0]}]" in p.text


def test_bottom_line_talking_points_background_and_open_questions(note):
    assert note.bottom_line.startswith(
        "7 official documents in the library address semiconductors (from 2021-04-16 to 2025-10-28)"
    )
    assert "Technology Prosperity Deal" in note.bottom_line and re.search(r"\[\d+\]", note.bottom_line)
    # Talking points: from the newest documents first, each dated, attributed and cited, none
    # repeating a key point.
    said = [p.text[:10] for p in note.talking_points]
    assert said and said == sorted(said, reverse=True)
    assert all(re.match(r"\d{4}-\d\d-\d\d, .+: \u201c.+\u201d \[\d+\]$", p.text) for p in note.talking_points)
    keys = {p.text[p.text.index("\u201c") :] for p in note.key_points}
    assert not any(p.text[p.text.index("\u201c") :] in keys for p in note.talking_points)
    dates = [p.text[:10] for p in note.background]
    assert dates == DATED  # the timeline, oldest first
    # A document already quoted points to where: the key point it is, with the same source.
    assert any(": see key point " in p.text for p in note.background)
    for p in note.background:
        m = re.search(r": see key point (\d+) \[(\d+)\]$", p.text)
        if m:
            assert note.key_points[int(m.group(1)) - 1].refs == [int(m.group(2))] == p.refs
    # Drawn from the documents: the newest one's commitment, and the amount none of them states.
    assert any(
        q.startswith("What has been delivered since 2025-10-28?") and "working group" in q for q in note.open_questions
    )
    assert any("states an amount" in q for q in note.open_questions)
    assert not any("deadline" in q for q in note.open_questions)  # "by 2026" is one


def test_exports_carry_the_header_no_markup_and_linked_sources(note):
    from docx import Document

    from assistant.features.export import note_docx, note_markdown

    md = note_markdown(note)
    assert md.startswith("UNCLASSIFIED | Meeting: Economic 2+2 | Date: 2026-12-01 | Drafted by: J. Doe\n")
    for heading in ("Bottom line", "Key points", "Talking points", "Background", "Open questions", "Sources"):
        assert f"\n## {heading}\n" in md
    body = "\n".join(line for line in md.splitlines() if not line.startswith("#"))  # headings are the format
    assert not MARKUP.search(body), MARKUP.search(body)
    assert "[1] " in md and "https://example.gov/" in md
    doc = Document(io.BytesIO(note_docx(note)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert not MARKUP.search(text)
    assert doc.paragraphs[0].text.startswith("UNCLASSIFIED | Meeting: Economic 2+2")
    links = {(h.address, h.text) for p in doc.paragraphs for h in p.hyperlinks}
    used = {s.n: s for s in note.sources}
    linked = [s for s in used.values() if s.url]
    # The title links to the address, and the address is shown in full for a printed copy.
    assert linked and all({(s.url, s.title), (s.url, s.url)} <= links for s in linked)


def test_an_edited_note_drops_the_sources_it_no_longer_cites(note):
    from dataclasses import replace

    from assistant.features.briefing import cited_numbers
    from assistant.features.export import note_markdown

    kept = note.key_points[:1]
    edited = replace(note, key_points=kept, talking_points=[], background=[], bottom_line="", open_questions=[])
    assert cited_numbers(edited) == kept[0].refs
    sources = note_markdown(edited).split("## Sources", 1)[1]
    assert re.findall(r"^\[(\d+)\]", sources, re.M) == [str(n) for n in kept[0].refs]


def test_a_note_on_a_topic_the_library_never_mentions_says_so(assistant):  # noqa: F811
    from assistant.features.briefing import draft_note

    note = draft_note(assistant(), "the 2018 FIFA World Cup final in Moscow")
    assert note.declined and not note.key_points and not note.sources and not note.bottom_line
    assert "do not answer" in note.purpose and "do not answer" in note.open_questions[0]


def test_the_conversation_export_lists_dates_issuers_and_addresses(assistant):  # noqa: F811
    from assistant.features.chat import ChatSession
    from assistant.features.export import conversation_markdown

    chat = ChatSession(assistant())
    chat.ask("What task force did the two governments establish?")
    md = conversation_markdown(chat.answers)
    assert "Joint leaders statement 2022" in md and "Governments of Japan and the U.S., 2022-05-23" in md
    assert "https://example.gov/2022/joint" in md
    assert ".md" not in md and "corpus" not in md  # no file paths
    assert not MARKUP.search("\n".join(line for line in md.splitlines() if not line.startswith("#")))


def test_briefing_note_cli_writes_markdown_and_docx(library, tmp_path, monkeypatch, capsys):  # noqa: F811
    from docx import Document

    from assistant.cli import main
    from assistant.core.settings import get_settings

    monkeypatch.setenv("BRIEFING_CORPUS_DIR", str(library.corpus_dir))
    monkeypatch.setenv("BRIEFING_INDEX_DIR", str(library.index_dir))
    monkeypatch.setenv("BRIEFING_ROLE", "public")
    get_settings.cache_clear()
    try:
        assert main(["note", "semiconductors", "--classification", "internal"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("INTERNAL\n") and "## Bottom line" in out and "## Talking points" in out
        assert main(["note", "semiconductors", "--format", "docx"]) == 2
        assert "give --out FILE" in capsys.readouterr().err
        target = tmp_path / "out" / "note.docx"
        assert main(["note", "semiconductors", "--format", "docx", "--out", str(target)]) == 0
        paras = [p.text for p in Document(str(target)).paragraphs]
        assert "Bottom line" in paras and "Sources" in paras
        assert main(["note", "the 2018 FIFA World Cup final in Moscow"]) == 1  # declined: said so, non-zero
    finally:
        get_settings.cache_clear()
