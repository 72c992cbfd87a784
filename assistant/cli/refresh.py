"""`briefing refresh`: ask every document's address again and re-ingest what changed."""

from __future__ import annotations


def cmd_refresh(args) -> int:
    from assistant.cli.common import _settings
    from assistant.features.sources import refresh_sources

    settings = _settings()
    results = refresh_sources(settings, settings.role)
    if not results:
        print("no document with a source address (add one with `briefing add URL`)")
        return 0
    for r in results:
        if r.status != "unchanged" or not args.changed_only:
            print(r.line())
    counts = {s: sum(r.status == s for r in results) for s in ("updated", "unchanged", "failed")}
    print(
        f"{len(results)} documents: {counts['updated']} updated, {counts['unchanged']} unchanged, {counts['failed']} failed"
    )
    return 1 if counts["failed"] else 0


def register(sub) -> None:
    p = sub.add_parser(
        "refresh",
        help="re-check every document added by address; re-ingest those that changed",
        description="Asks each address again with its ETag / Last-Modified; a document whose bytes changed is "
        "replaced and re-ingested, the rest is left as it is. A failed address is reported and the others go on.",
    )
    p.add_argument("--changed-only", action="store_true", help="print only documents that changed or failed")
    p.set_defaults(func=cmd_refresh)
