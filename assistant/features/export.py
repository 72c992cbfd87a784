"""Documents a user can hand on: a briefing note as Markdown or DOCX, a conversation as Markdown.

Citations stay numbered [n] in the text with a numbered source list (document, issuer, date,
page, URL) at the end, in both formats."""

from __future__ import annotations

import io

from assistant.features.briefing import BriefingNote, cited_numbers


def _sources_in_use(note: BriefingNote):
    """Sources the edited text still cites, in their original numbering (a staffer who deletes
    a point also drops its source; numbers are never reassigned, so [n] stays correct)."""
    used = set(cited_numbers(note))
    return [s for s in note.sources if s.n in used]


def note_markdown(note: BriefingNote) -> str:
    lines = [
        f"# Briefing note: {note.topic}",
        "",
        f"*Prepared {note.prepared_on}{' by ' + note.prepared_by if note.prepared_by else ''}. "
        "Every point quotes an official document; numbers in brackets refer to the sources below.*",
        "",
        "## Purpose",
        "",
        note.purpose,
        "",
        "## Key points",
        "",
    ]
    lines += [f"{i}. {p.text}" for i, p in enumerate(note.key_points, 1)] or ["(none)"]
    lines += ["", "## Background", ""]
    lines += [f"- {p.text}" for p in note.background] or ["(none)"]
    lines += ["", "## Open questions", ""]
    lines += [f"- {q}" for q in note.open_questions] or ["(none)"]
    lines += ["", "## Sources", ""]
    lines += [f"[{s.n}] {s.reference()}" for s in _sources_in_use(note)] or ["(none)"]
    return "\n".join(lines) + "\n"


def note_docx(note: BriefingNote) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = f"Briefing note: {note.topic}"
    doc.core_properties.author = note.prepared_by or "briefing assistant"
    doc.add_heading(f"Briefing note: {note.topic}", level=1)
    intro = doc.add_paragraph(
        f"Prepared {note.prepared_on}"
        f"{' by ' + note.prepared_by if note.prepared_by else ''}. Every point quotes "
        "an official document; numbers in brackets refer to the sources below."
    )
    intro.runs[0].italic = True
    doc.add_heading("Purpose", level=2)
    doc.add_paragraph(note.purpose)
    doc.add_heading("Key points", level=2)
    for p in note.key_points:
        doc.add_paragraph(p.text, style="List Number")
    doc.add_heading("Background", level=2)
    for p in note.background:
        doc.add_paragraph(p.text, style="List Bullet")
    doc.add_heading("Open questions", level=2)
    for q in note.open_questions:
        doc.add_paragraph(q, style="List Bullet")
    doc.add_heading("Sources", level=2)
    for s in _sources_in_use(note):
        para = doc.add_paragraph(f"[{s.n}] {s.reference()}")
        para.runs[0].font.size = Pt(9)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def conversation_markdown(answers: list) -> str:
    """`answers`: the conversation's answers, oldest first."""
    lines = ["# Conversation", ""]
    for a in answers:
        lines += [f"**Q:** {a.question}", "", f"**A:** {a.text}", ""]
        for c in a.citations:
            where = f", p. {c.page}" if c.page else ""
            lines.append(f"- [{c.marker}] {c.title}{where} ({c.source})")
        lines.append("")
    return "\n".join(lines)
