"""Who is using the app: a users file with roles and salted password hashes.

Without a users file the app runs for one person, as the configured user and role (the same
as the CLI). With one (`users_file` in the settings), the app asks for a login and the role
comes from the file, never from the browser. Administrators may read the audit log.

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

from assistant.core.access import ROLE_LEVELS

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


def load(path: Path) -> dict[str, dict]:
    if not path.is_file():
        return {}
    return dict(tomllib.loads(path.read_text(encoding="utf-8")).get("users") or {})


def authenticate(path: Path, name: str, password: str) -> User | None:
    entry = load(path).get(name)
    if not entry or not _check(password, str(entry.get("password", ""))):
        return None
    role = entry.get("role", "public")
    return User(name, role if role in ROLE_LEVELS else "public", bool(entry.get("admin", False)))


def add_user(path: Path, name: str, password: str, role: str, admin: bool = False) -> None:
    if role not in ROLE_LEVELS:
        raise ValueError(f"unknown role '{role}' (known: {', '.join(ROLE_LEVELS)})")
    if not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError("a user name is letters, digits, '.', '-' and '_'")
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
    if not settings.users_file:
        return None
    entry = load(Path(settings.users_file)).get(name)
    if not entry:
        return None
    role = entry.get("role", "public")
    return User(name, role if role in ROLE_LEVELS else "public", bool(entry.get("admin", False)))
