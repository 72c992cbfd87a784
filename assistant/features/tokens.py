"""API tokens: a bearer token per user for the HTTP API (`briefing serve`).

`briefing token add USER` makes a random token, prints it once and keeps only its SHA-256: a
token has 256 bits of entropy, so a plain hash is as good as a slow one here (a slow hash
protects guessable passwords) and costs nothing per request. The token names a user, never a
role: the role and the administrator flag are read from the user record on every request
(`features.users.get_user`), so a changed role applies at once and a removed user can no
longer call the API.

The table lives where the other shared state lives (`index.database.database`): the shared
database when `database_url` is set, else `tokens.sqlite` in the index folder."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Column, Float, MetaData, String, Table, insert, select, update

from assistant.features.users import User, get_user, has_users
from assistant.index.database import database, ensure_schema

PREFIX = "brf_"  # recognisable in logs and secret scanners, like other services' key prefixes

_metadata = MetaData()
TOKENS = Table(
    "api_tokens",
    _metadata,
    Column("id", String(16), primary_key=True),  # shown by `token list`, used by `token revoke`
    Column("user_name", String(200), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created", Float, nullable=False),
    Column("revoked", Float, nullable=True),
    Column("note", String(200), nullable=False, default=""),
)


class TokenError(ValueError):
    pass


@dataclass(frozen=True)
class TokenInfo:
    id: str
    user: str
    created: float
    revoked: float | None
    note: str


_prepared: set[str] = set()  # engines whose table exists: checked once per process, not per request


def _engine(settings):
    engine = database(settings, "tokens.sqlite")
    key = str(engine.url)
    if key not in _prepared:
        ensure_schema(engine, _metadata)  # serialised: two API workers may start at once
        _prepared.add(key)
    return engine


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_token(settings, user: str, note: str = "") -> tuple[str, TokenInfo]:
    """A new token for an existing user: (the token, shown only now; its record)."""
    if not has_users(settings):
        raise TokenError(
            "set users_file or database_url (BRIEFING_USERS_FILE, BRIEFING_DATABASE_URL) first: a token belongs to a user"
        )
    if get_user(settings, user) is None:
        raise TokenError(f"no user '{user}' (add one with `briefing user add {user} --role ROLE`)")
    token = PREFIX + secrets.token_urlsafe(32)
    info = TokenInfo(secrets.token_hex(4), user, time.time(), None, note[:200])
    with _engine(settings).begin() as conn:
        conn.execute(
            insert(TOKENS).values(
                id=info.id, user_name=user, token_hash=digest(token), created=info.created, note=info.note
            )
        )
    return token, info


def authenticate(settings, token: str) -> User | None:
    """The user behind a bearer token, with the role of their user record; None for an unknown,
    revoked or malformed token, or a user who no longer exists."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    with _engine(settings).connect() as conn:
        row = conn.execute(
            select(TOKENS.c.user_name).where(TOKENS.c.token_hash == digest(token), TOKENS.c.revoked.is_(None))
        ).first()
    return None if row is None else get_user(settings, row.user_name)


def list_tokens(settings, user: str | None = None) -> list[TokenInfo]:
    query = select(TOKENS).order_by(TOKENS.c.created)
    if user:
        query = query.where(TOKENS.c.user_name == user)
    with _engine(settings).connect() as conn:
        return [TokenInfo(r.id, r.user_name, r.created, r.revoked, r.note) for r in conn.execute(query)]


def revoke_token(settings, token_id: str) -> bool:
    """Revokes a token by its id; False when there is no such active token."""
    with _engine(settings).begin() as conn:
        done = conn.execute(
            update(TOKENS).where(TOKENS.c.id == token_id, TOKENS.c.revoked.is_(None)).values(revoked=time.time())
        )
    return bool(done.rowcount)
