"""What every `briefing` subcommand shares: settings, the index on first use, errors, filters."""

from __future__ import annotations

import argparse
import sys

from assistant.core.offline import go_offline

go_offline()


def _settings():
    from assistant.core.settings import get_settings

    return get_settings()


def ensure_index(settings, quiet: bool = False) -> None:
    from ingest.bootstrap import ensure_index as build

    build(settings, quiet)


def _error(message) -> int:
    """A clear message on stderr and the exit status of a refused command."""
    print(f"error: {message}", file=sys.stderr)
    return 2


def _audit(settings):
    from assistant.features.audit import AuditLog

    return AuditLog(settings)


def _filters(args) -> dict:
    from assistant.core.types import Filters

    return Filters.make(
        type=args.type, issuer=args.issuer, language=args.language, date_from=args.date_from, date_to=args.date_to
    )


def _add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", action="append", help="document type (repeatable): strategy, law, statement, ...")
    p.add_argument(
        "--issuer",
        action="append",
        help="issuing body, by its name in the manifest or any of its issuer_aliases (repeatable)",
    )
    p.add_argument("--language", action="append", help="language code, e.g. en or ja (repeatable)")
    p.add_argument("--date-from", help="earliest document date, YYYY[-MM[-DD]]")
    p.add_argument("--date-to", help="latest document date, YYYY[-MM[-DD]]")
    p.add_argument("--k", type=int, default=None, help="passages to retrieve (default from settings)")
    p.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "lexical"])
    p.add_argument("--backend", default=None, help="answer generator (default from settings: extractive)")
