"""The bilingual glossary as trainers and diplomats read it: the same list that lets a question
in one language find passages in the other (retrieval/glossary.py)."""

from __future__ import annotations

import unicodedata

from assistant.retrieval.glossary import Entry, entries


def lookup(text: str = "") -> list[Entry]:
    """Entries whose Japanese, English or note contains the text (all for an empty text)."""
    needle = unicodedata.normalize("NFKC", text).strip().lower()
    if not needle:
        return list(entries())
    return [
        e
        for e in entries()
        if needle in e.ja.lower() or any(needle in v.lower() for v in e.en) or needle in e.note.lower()
    ]
