"""`briefing note TOPIC`: a briefing note as Markdown (stdout or a file) or DOCX (a file)."""

from __future__ import annotations

import sys


def cmd_note(args) -> int:
    from pathlib import Path

    from assistant.answering.engine import Assistant
    from assistant.cli.common import _error, _filters, _settings, ensure_index
    from assistant.features.briefing import Header, draft_note
    from assistant.features.export import note_docx, note_markdown

    if args.format == "docx" and not args.out:
        return _error("--format docx writes a file: give --out FILE")
    if not args.topic.strip():
        return _error("the topic is empty")
    settings = _settings()
    ensure_index(settings, quiet=True)
    header = Header(args.classification or "", args.meeting or "", args.date or "", args.drafter or "")
    note = draft_note(
        Assistant(settings, backend=args.backend),
        args.topic.strip(),
        filters=_filters(args),
        header=header if header.line() else None,
        mode=args.mode,
    )
    if args.format == "docx":
        data = note_docx(note)
    else:
        data = note_markdown(note).encode("utf-8")
    if args.out:
        out = Path(args.out)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        except OSError as exc:
            return _error(f"cannot write {out}: {exc.strerror or exc}")
        print(f"wrote {out} ({len(note.documents)} documents cited)", file=sys.stderr)
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 1 if note.declined else 0


def register(sub) -> None:
    from assistant.cli.common import _add_filter_args

    p = sub.add_parser(
        "note",
        help="draft a briefing note on a topic (Markdown or DOCX)",
        description="The same note as the app's Briefing note page: bottom line, key points, talking points, "
        "background in date order, open questions and sources, every point a cited quotation.",
    )
    p.add_argument("topic")
    p.add_argument("--format", default="md", choices=["md", "docx"])
    p.add_argument("--out", default=None, help="write here (required for docx; Markdown goes to stdout otherwise)")
    p.add_argument("--classification", default=None, help="header line: e.g. UNCLASSIFIED")
    p.add_argument("--meeting", default=None, help="header line: the meeting the note is for")
    p.add_argument("--date", default=None, help="header line: the meeting's date")
    p.add_argument("--drafter", default=None, help="header line: who drafted it")
    _add_filter_args(p)
    p.set_defaults(func=cmd_note)
