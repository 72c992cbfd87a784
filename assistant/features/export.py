"""Documents a user can hand on: a briefing note as Markdown or DOCX, a conversation as Markdown
(a model's direct answer with the quotations it was written from beneath it, as the chat shows it).

Citations stay numbered [n] in the text with a numbered source list at the end (document,
issuer, date, pages, web address), in both formats; in DOCX each source's title is a link to its
address. No markup character of a document's text (`*`, `**`, bullets, HTML comments) reaches
an export: every text goes through `core.text.strip_markup`, the one rule for it, and the
Markdown export itself uses headings and numbered lines only (no emphasis)."""

from __future__ import annotations

import io
import re

from assistant.core.text import strip_markup
from assistant.features.answer_view import QUOTES_LABEL, answer_view
from assistant.features.briefing import BriefingNote, Source, cited_numbers

# A "#" run or an escaped "\###" (the end mark of a press release) is markup too, and a leading
# one would become a heading in Markdown.
_HASHES = re.compile(r"\\?#{2,}|^#+\s*")


def plain(text: str) -> str:
    """One line of an export: markup removed (core.text.strip_markup), whitespace collapsed."""
    return " ".join(_HASHES.sub(" ", strip_markup(text or "")).split())


def _sources_in_use(note: BriefingNote) -> list[Source]:
    """Sources the edited text still cites, in their original numbering (a staffer who deletes
    a point also drops its source; numbers are never reassigned, so [n] stays correct)."""
    used = set(cited_numbers(note))
    return [s for s in note.sources if s.n in used]


def _prepared(note: BriefingNote) -> str:
    by = f" by {note.prepared_by}" if note.prepared_by else ""
    return (
        f"Prepared {note.prepared_on}{by}. Every point quotes an official document; numbers in brackets "
        "refer to the sources below."
    )


def _sections(note: BriefingNote) -> list[tuple[str, list[str], str]]:
    """(heading, lines, list style) in the order of a briefing memo: the bottom line, then the
    key points, the background that explains them, what to say, and what is still open."""
    return [
        ("Bottom line", [note.bottom_line] if note.bottom_line else [], "plain"),
        ("Purpose", [note.purpose], "plain"),
        ("Key points", [p.text for p in note.key_points], "number"),
        ("Background", [p.text for p in note.background], "bullet"),
        ("Talking points", [p.text for p in note.talking_points], "bullet"),
        ("Open questions", list(note.open_questions), "bullet"),
    ]


def note_markdown(note: BriefingNote) -> str:
    lines = []
    if note.header is not None and note.header.line():
        lines += [plain(note.header.line()), ""]
    lines += [f"# Briefing note: {plain(note.topic)}", "", _prepared(note), ""]
    for heading, items, style in _sections(note):
        if heading == "Bottom line" and not items:
            continue
        lines += [f"## {heading}", ""]
        if style == "number":
            lines += [f"{i}. {plain(t)}" for i, t in enumerate(items, 1)] or ["(none)"]
        elif style == "bullet":
            lines += [f"- {plain(t)}" for t in items] or ["(none)"]
        else:
            lines += [plain(t) for t in items]
        lines.append("")
    lines += ["## Sources", ""]
    lines += [f"[{s.n}] {plain(s.reference())}" for s in _sources_in_use(note)] or ["(none)"]
    return "\n".join(lines) + "\n"


def _hyperlink(paragraph, url: str, text: str) -> None:
    """A clickable link in a DOCX paragraph: python-docx 1.2 reads hyperlinks but cannot write
    them, so the relationship and the w:hyperlink element are made as Word writes them."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")  # Word's link blue, in case the style is not in the template
    props.append(color)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def note_docx(note: BriefingNote) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = plain(f"Briefing note: {note.topic}")
    doc.core_properties.author = note.prepared_by or "briefing assistant"
    if note.header is not None and note.header.line():
        head = doc.add_paragraph(plain(note.header.line()))
        head.runs[0].bold = True
    doc.add_heading(plain(f"Briefing note: {note.topic}"), level=1)
    intro = doc.add_paragraph(_prepared(note))
    intro.runs[0].italic = True
    for heading, items, style in _sections(note):
        if heading == "Bottom line" and not items:
            continue
        doc.add_heading(heading, level=2)
        list_style = {"number": "List Number", "bullet": "List Bullet"}.get(style)
        for t in items:
            para = doc.add_paragraph(plain(t), style=list_style) if list_style else doc.add_paragraph(plain(t))
            if heading == "Bottom line":
                para.runs[0].bold = True
    doc.add_heading("Sources", level=2)
    for s in _sources_in_use(note):
        para = doc.add_paragraph(f"[{s.n}] ")
        if s.url:
            _hyperlink(para, s.url, plain(s.title))
        else:
            para.add_run(plain(s.title))
        rest = ", ".join(p for p in (s.issuer, s.date, s.where()) if p)
        para.add_run(plain(f", {rest}.") if rest else ".")
        if s.url:
            # The address in full too: a printed note keeps it.
            para.add_run(" ")
            _hyperlink(para, s.url, s.url)
        for run in para.runs:
            run.font.size = Pt(9)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _meta_for(answer, doc_id: str):
    """The cited document's metadata, from the passages the answer retrieved."""
    for h in list(answer.retrieved) + list(answer.related):
        if h.chunk.doc_id == doc_id:
            return h.chunk.meta
    return None


def citation_line(answer, c) -> str:
    """A cited source as an export lists it: title, location, issuer, date and web address."""
    meta = _meta_for(answer, c.doc_id)
    parts = [plain(c.title), c.location]
    if meta is not None:
        parts += [meta.issuer, meta.date]
    text = ", ".join(p for p in parts if p)
    url = meta.url if meta is not None else ""
    # A document without a web address (an upload) is named by its library id, never its path.
    return f"[{c.marker}] {text}. " + (url if url else f"(library document {c.doc_id})")


def conversation_markdown(answers: list) -> str:
    """`answers`: the conversation's answers, oldest first, each as the chat shows it
    (features/answer_view.py): a model's direct answer with the quotations beneath it."""
    lines = ["# Conversation", ""]
    for i, a in enumerate(answers, 1):
        view = answer_view(a)
        lines += [f"## Question {i}", "", plain(a.question), "", "Answer:", ""]
        if view.note:
            lines += [plain(view.note), ""]
        lines += [plain(line) for line in view.text.splitlines() if line.strip()]
        lines.append("")
        if view.quotes:
            lines += [QUOTES_LABEL, ""]
            lines += [f"- {plain(q)}" for q in view.quotes]
            lines.append("")
        if a.citations:
            lines += ["Sources:", ""]
            lines += [f"- {citation_line(a, c)}" for c in a.citations]
            lines.append("")
    return "\n".join(lines)
