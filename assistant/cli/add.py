"""`briefing add URL...`: download documents by their address, keep them with it, ingest them."""

from __future__ import annotations

import sys

from assistant.core.access import ROLES


def cmd_add(args) -> int:
    from assistant.cli.common import _settings
    from assistant.features.sources import FetchError, add_from_address

    settings = _settings()
    if args.title and len(args.urls) > 1:
        print("error: --title names one document: give one address with it", file=sys.stderr)
        return 2
    failed = 0
    for url in args.urls:
        try:
            result = add_from_address(
                settings,
                url,
                settings.role,
                user=settings.user,
                title=args.title,
                issuer=args.issuer,
                date=args.date,
                type=args.type,
                access=args.access,
            )
        except FetchError as exc:
            print(f"error: {exc.name}: {exc.reason}", file=sys.stderr)
            failed += 1
            continue
        print(result.line())
    return 1 if failed else 0


def register(sub) -> None:
    p = sub.add_parser(
        "add",
        help="add documents by their address (PDF or HTML; kept under added/ with the address, ingested)",
        description="Downloads each address (http/https, size and time limits), takes title, issuer, date and "
        "language from the document, stores it under <corpus>/added/ with its address and ingests it. The same "
        "address again changes nothing unless the document changed. Loopback and private addresses are refused "
        "unless allow_private_addresses is set (BRIEFING_ALLOW_PRIVATE_ADDRESSES=1).",
    )
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--title", default=None, help="instead of the document's own title (one address only)")
    p.add_argument("--issuer", default=None, help="instead of the issuer found from the site or the document")
    p.add_argument("--date", default=None, help="YYYY[-MM[-DD]], instead of the document's date")
    p.add_argument("--type", default=None, help="document type: law, strategy, statement, white paper, ...")
    p.add_argument(
        "--access", default=None, choices=ROLES, help="who may read it (default public; never above BRIEFING_ROLE)"
    )
    p.set_defaults(func=cmd_add)
