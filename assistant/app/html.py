"""HTML for the source panel, as plain functions (no Streamlit): document text is escaped,
because it is data and never markup; quoted sentences are marked."""

from __future__ import annotations

import html


def highlight(text: str, quotes: list[str]) -> str:
    """The page's text, escaped (document text is data, never markup), with the quoted
    sentences marked."""
    out = html.escape(text)
    for q in sorted({" ".join(q.split()) for q in quotes if q and q.strip()}, key=len, reverse=True):
        esc = html.escape(q)
        if esc in out:
            out = out.replace(esc, f"<mark>{esc}</mark>")
    return out


def excerpt(text: str, quotes: list[str], context: int = 350) -> str:
    """The cited sentences with some of the page around them, so the mark is in view."""
    spans = [(i, i + len(q)) for q in (" ".join(q.split()) for q in quotes) if q and (i := text.find(q)) >= 0]
    if not spans:
        return text
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    lo, hi = max(0, start - context), min(len(text), end + context)
    lo = text.rfind(" ", 0, lo) + 1 if lo else 0
    hi = text.find(" ", hi) if hi < len(text) and text.find(" ", hi) > 0 else len(text)
    return ("\u2026 " if lo else "") + text[lo:hi] + (" \u2026" if hi < len(text) else "")
