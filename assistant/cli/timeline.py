"""`briefing timeline TOPIC`: each dated document's position on a topic, oldest first, cited."""

from __future__ import annotations


def cmd_timeline(args) -> int:
    import json

    from assistant.answering.engine import Assistant
    from assistant.cli.common import _error, _filters, _settings, ensure_index
    from assistant.features.timeline import TimelineError, build_timeline

    settings = _settings()
    ensure_index(settings, quiet=args.json)
    try:
        timeline = build_timeline(Assistant(settings, backend=args.backend), args.topic, _filters(args), args.mode)
    except TimelineError as exc:
        return _error(exc)
    if args.json:
        print(json.dumps(timeline.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if not timeline.entries and not timeline.undated:
        print(f"No document in the library addresses {args.topic}.")
        return 0
    print(f"{args.topic}: {len(timeline.entries)} dated documents, oldest first")
    for e in timeline.entries:
        print(f"\n{e.date}  {e.issuer}")
        print(f"  {e.title}{', ' + e.location if e.location else ''}")
        print(f"  \u201c{e.quote}\u201d")
        if e.url:
            print(f"  {e.url}")
    if timeline.undated:
        print(f"\nUndated documents that also address it: {', '.join(e.title for e in timeline.undated)}")
    return 0


def register(sub) -> None:
    from assistant.cli.common import _add_filter_args

    p = sub.add_parser(
        "timeline",
        help="each dated document's position on a topic, oldest first, with quotes",
        description="For every readable document that addresses the topic, its most relevant sentence (or two), "
        "verbatim, with date, issuer and page, in date order.",
    )
    p.add_argument("topic")
    p.add_argument("--json", action="store_true", help="print the timeline as JSON")
    _add_filter_args(p)
    p.set_defaults(func=cmd_timeline)
