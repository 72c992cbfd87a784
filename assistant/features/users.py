"""Who is using the app: users with roles and salted password hashes, in a users file or,
with `database_url` set, in the shared database's `users` table (every host sees the same
users; the database wins over a users file when both are set).

Without either the app runs for one person, as the configured user and role (the same as the
CLI). With one, the app asks for a login and the role comes from the record, never from the
browser. Administrators may read the audit log.

The file is TOML, written by `briefing user add NAME --role R [--admin]`:

    [users.alice]
    role = "restricted"
    admin = true
    password = "pbkdf2_sha256$600000$<salt hex>$<hash hex>"
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Boolean, Column, MetaData, Table, Text, select

from assistant.core.access import ROLE_LEVELS
from assistant.index.database import database, ensure_schema, is_shared, upsert

_ITERATIONS = 600_000


@dataclass(frozen=True)
class User:
    name: str
    role: str
    admin: bool = False


def hash_password(password: str, iterations: int = _ITERATIONS) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def _check(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    got = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations))
    return hmac.compare_digest(got.hex(), digest)


_META = MetaData()
users_t = Table(
    "users",
    _META,
    Column("name", Text, primary_key=True),
    Column("role", Text, nullable=False),
    Column("admin", Boolean, nullable=False),
    Column("password", Text, nullable=False),
)


def load(path: Path) -> dict[str, dict]:
    if not path.is_file():
        return {}
    return dict(tomllib.loads(path.read_text(encoding="utf-8")).get("users") or {})


def _engine(settings):
    engine = database(settings, "users.sqlite")  # only ever the shared database: see _entry
    ensure_schema(engine, _META)
    return engine


def _entry(where, name: str) -> dict | None:
    """The stored record of one user, from the shared database (settings with `database_url`),
    the settings' users file, or a users file given by path."""
    if isinstance(where, (str, Path)):
        return load(Path(where)).get(name)
    if is_shared(where):
        with _engine(where).connect() as c:
            row = c.execute(select(users_t).where(users_t.c.name == name)).mappings().first()
        return dict(row) if row else None
    if where.users_file:
        return load(Path(where.users_file)).get(name)
    return None


def _user(name: str, entry: dict) -> User:
    role = entry.get("role", "public")
    return User(name, role if role in ROLE_LEVELS else "public", bool(entry.get("admin", False)))


def authenticate(where, name: str, password: str) -> User | None:
    """`where`: the settings, or a users file's path."""
    entry = _entry(where, name)
    if not entry or not _check(password, str(entry.get("password", ""))):
        return None
    return _user(name, entry)


def add_user(where, name: str, password: str, role: str, admin: bool = False) -> None:
    """Add or update a user. `where`: the settings (the shared database when `database_url` is
    set, else the users file), or a users file's path."""
    if role not in ROLE_LEVELS:
        raise ValueError(f"unknown role '{role}' (known: {', '.join(ROLE_LEVELS)})")
    if not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError("a user name is letters, digits, '.', '-' and '_'")
    if not isinstance(where, (str, Path)):
        if is_shared(where):
            with _engine(where).begin() as c:
                row = {"name": name, "role": role, "admin": admin, "password": hash_password(password)}
                upsert(c, users_t, [row], ["name"])
            return
        if not where.users_file:
            raise ValueError("set users_file or database_url (BRIEFING_USERS_FILE, BRIEFING_DATABASE_URL) first")
        where = where.users_file
    path = Path(where)
    users = load(path)
    users[name] = {"role": role, "admin": admin, "password": hash_password(password)}
    lines = []
    for n, e in sorted(users.items()):
        lines += [
            f"[users.{n}]",
            f'role = "{e.get("role", "public")}"',
            f'admin = {"true" if e.get("admin") else "false"}',
            f'password = "{e.get("password", "")}"',
            "",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    path.chmod(0o600)


def get_user(settings, name: str) -> User | None:
    """The user record behind a name (for API tokens): the role always comes from here, never
    from a request. None when there is no such user."""
    entry = _entry(settings, name)
    return _user(name, entry) if entry else None


def has_users(settings) -> bool:
    """Whether logins are configured: a shared database (its users table) or a users file."""
    return is_shared(settings) or bool(settings.users_file)
