"""The briefing-note check (issue 16): for topics that at least 4 documents of the shipped library
address, draft a note and check that it cites at least 4 distinct documents, that no key point is
over 45 words, and that no markup character (`*`, `•`, `<!--`, `-->`, `#`) survives into the
Markdown or DOCX export. Prints one row per topic; exits 1 when any check fails.

    .venv/bin/python -m evals.notes_check [--topics "a" "b" ...] [--backend extractive]

Builds the index over the shipped corpus the first time (run it under the shared lock on a
shared machine)."""

from __future__ import annotations

import argparse
import io
import re
import sys
import time

from assistant.core.offline import go_offline

go_offline()

TOPICS = [
    "semiconductors",
    "critical minerals",
    "export controls",
    "supply chain resilience",
    "quantum technology",
]
MIN_DOCUMENTS = 4
MAX_WORDS = 45
MARKUP = re.compile(r"\*|\u2022|<!--|-->|#")


def key_point_words(text: str) -> int:
    """Words of the quotation a key point carries (the marker and location are not the point)."""
    from assistant.features.timeline import word_count

    m = re.search("\u201c(.+?)\u201d", text)
    return word_count(m.group(1) if m else text)


def check(note) -> dict:
    from docx import Document

    from assistant.features.export import note_docx, note_markdown

    md = note_markdown(note)
    # Markdown headings are the export's own format; everything else is the note's text.
    body = "\n".join(line for line in md.splitlines() if not line.startswith("#"))
    docx = "\n".join(p.text for p in Document(io.BytesIO(note_docx(note))).paragraphs)
    markup = sorted({m.group(0) for m in MARKUP.finditer(body + "\n" + docx)})
    longest = max((key_point_words(p.text) for p in note.key_points), default=0)
    docs = len(note.documents)
    return {
        "documents": docs,
        "key_points": len(note.key_points),
        "longest_key_point": longest,
        "markup": markup,
        "bottom_line": bool(note.bottom_line),
        "talking_points": len(note.talking_points),
        "ok": docs >= MIN_DOCUMENTS and 0 < longest <= MAX_WORDS and not markup and bool(note.bottom_line),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", nargs="+", default=TOPICS)
    parser.add_argument("--backend", default="extractive")
    args = parser.parse_args(argv)

    from assistant.answering.engine import Assistant
    from assistant.core.settings import get_settings
    from assistant.features.briefing import draft_note
    from ingest.bootstrap import ensure_index

    settings = get_settings()
    ensure_index(settings, True)
    assistant = Assistant(settings, backend=args.backend)
    rows = []
    for topic in args.topics:
        t0 = time.perf_counter()
        note = draft_note(assistant, topic)
        rows.append((topic, check(note), time.perf_counter() - t0))
    print(
        f"| topic | documents cited (>= {MIN_DOCUMENTS}) | key points | longest key point, words (<= {MAX_WORDS}) "
        "| markup left | bottom line | talking points | seconds | pass |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for topic, r, secs in rows:
        print(
            f"| {topic} | {r['documents']} | {r['key_points']} | {r['longest_key_point']} | "
            f"{' '.join(r['markup']) or 'none'} | {'yes' if r['bottom_line'] else 'no'} | {r['talking_points']} | "
            f"{secs:.1f} | {'PASS' if r['ok'] else 'FAIL'} |"
        )
    passed = sum(r["ok"] for _, r, _ in rows)
    print(f"\n{passed}/{len(rows)} notes pass every check")
    return 0 if passed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
