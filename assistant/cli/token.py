"""`briefing token add USER | list [USER] | revoke ID`: bearer tokens for the HTTP API."""

from __future__ import annotations

import time


def cmd_token(args) -> int:
    from assistant.cli.common import _error, _settings
    from assistant.features.tokens import TokenError, add_token, list_tokens, revoke_token

    settings = _settings()
    if args.action == "add":
        if not args.name:
            return _error("name the user: briefing token add USER")
        try:
            token, info = add_token(settings, args.name, note=args.note or "")
        except TokenError as exc:
            return _error(exc)
        # The only time the token is shown: only its hash is kept.
        print(token)
        print(f"(token {info.id} for {info.user}; shown once, store it now)", flush=True)
        return 0
    if args.action == "list":
        for t in list_tokens(settings, args.name):
            state = "revoked " + time.strftime("%Y-%m-%d %H:%M", time.localtime(t.revoked)) if t.revoked else "active"
            created = time.strftime("%Y-%m-%d %H:%M", time.localtime(t.created))
            print(f"{t.id}  {t.user}  created {created}  {state}{'  ' + t.note if t.note else ''}")
        return 0
    if not args.name:
        return _error("name the token id: briefing token revoke ID (see briefing token list)")
    if not revoke_token(settings, args.name):
        return _error(f"no active token with id '{args.name}'")
    print(f"token {args.name} revoked")
    return 0


def register(sub) -> None:
    p = sub.add_parser("token", help="bearer tokens for the HTTP API: add USER, list [USER], revoke ID")
    p.add_argument("action", choices=["add", "list", "revoke"])
    p.add_argument("name", nargs="?", default=None, help="the user (add, list) or the token id (revoke)")
    p.add_argument("--note", default=None, help="what the token is for (shown by list)")
    p.set_defaults(func=cmd_token)
