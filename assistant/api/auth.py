"""Who is calling: a bearer token, looked up in features/tokens.py; the user's role comes from
their user record there, never from the request. Also the per-token rate limit."""

from __future__ import annotations

import hashlib
import threading
import time

from fastapi import Request

from assistant.features.users import User


class ApiError(Exception):
    """An error with a status and a clear JSON body: {"error": {"type", "message"}} (the shape
    OpenAI clients expect, used on every endpoint so that one client parser reads them all)."""

    def __init__(self, status: int, type: str, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.type, self.message, self.headers = status, type, message, headers or {}


class TokenBuckets:
    """A bucket of `burst` requests per token, refilled at `per_minute`: short bursts pass, a
    sustained flood gets 429 with the seconds until the next request would pass. In process
    memory: with N workers a token may reach N times the rate (docs/api.md says so)."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate = max(per_minute, 0.0) / 60.0
        self.burst = max(int(burst), 1)
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)

    def take(self, key: str) -> float:
        """0 when the request may pass, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate if self.rate > 0 else 60.0


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if not header:
        raise ApiError(
            401,
            "unauthorized",
            "no API token: send 'Authorization: Bearer <token>' (make one with `briefing token add USER`)",
            {"WWW-Authenticate": "Bearer"},
        )
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiError(
            401, "unauthorized", "the Authorization header must be 'Bearer <token>'", {"WWW-Authenticate": "Bearer"}
        )
    return value.strip()


def current_user(request: Request) -> User:
    """FastAPI dependency: the authenticated user, rate-limited per token."""
    from assistant.features.tokens import authenticate

    state = request.app.state
    token = bearer(request)
    user = authenticate(state.settings, token)
    if user is None:
        raise ApiError(
            401,
            "unauthorized",
            "unknown or revoked API token, or its user no longer exists",
            {"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    wait = state.buckets.take(hashlib.sha256(token.encode()).hexdigest())
    if wait > 0:
        state.metrics.limited()
        raise ApiError(
            429,
            "rate_limited",
            f"too many requests for this token: at most {state.settings.api_rate_per_minute:g} a minute "
            f"(bursts of {state.settings.api_burst}); retry in {wait:.1f} s",
            {"Retry-After": str(max(1, round(wait + 0.5)))},
        )
    request.state.user = user
    return user


def require_admin(user: User) -> None:
    if not user.admin:
        raise ApiError(403, "forbidden", f"the audit log is for administrators; {user.name} is not one")
