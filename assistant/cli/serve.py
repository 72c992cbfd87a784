"""`briefing serve [--host 127.0.0.1] [--port 8000] [--workers N]`: the HTTP API (docs/api.md).

Like `briefing app`, this command prepares the index and then becomes the server process
(uvicorn running `assistant.api.app:create_app` in each worker), so that a signal from a
supervisor reaches the server itself. The CLI does not import the API: they are sibling front
ends in the layer contract."""

from __future__ import annotations

import os
import sys


def cmd_serve(args) -> int:
    from assistant.cli.common import _error, _settings, ensure_index
    from assistant.features.users import has_users

    settings = _settings()
    if not has_users(settings):
        return _error(
            "the API needs users and tokens: set users_file or database_url (BRIEFING_USERS_FILE, "
            "BRIEFING_DATABASE_URL), add users with `briefing user add`, then tokens with `briefing token add USER`"
        )
    if args.workers < 1:
        return _error("--workers is at least 1")
    if not args.no_ingest:
        ensure_index(settings, quiet=True)
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "assistant.api.app:create_app",
        "--factory",
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        # Clients behind a keep-alive pool (load balancers, the openai client) reuse connections.
        "--timeout-keep-alive",
        "30",
        "--log-level",
        args.log_level,
    ]
    if not args.access_log:
        cmd.append("--no-access-log")
    print(
        f"Serving the API on http://{args.host}:{args.port} ({args.workers} worker{'s' * (args.workers > 1)}); "
        f"OpenAPI page at /docs",
        file=sys.stderr,
    )
    sys.stderr.flush()
    os.execv(sys.executable, cmd)
    return 0


def register(sub) -> None:
    p = sub.add_parser("serve", help="start the HTTP API (bearer tokens: `briefing token add USER`)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="API worker processes (each loads the models once)")
    p.add_argument("--no-ingest", action="store_true", help="do not build the index first if it is empty")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.add_argument(
        "--no-access-log", dest="access_log", action="store_false", help="no line per request (saves CPU under load)"
    )
    p.set_defaults(func=cmd_serve)
