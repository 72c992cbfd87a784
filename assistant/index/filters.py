"""Metadata filters, applied the same way on every retrieval path (dense and lexical)."""

from __future__ import annotations

from assistant.core.types import FILTER_LIST_KEYS as _LIST_KEYS
from assistant.core.types import date_int


def to_chroma_where(filters: dict | None) -> dict | None:
    clauses: list[dict] = []
    for key in _LIST_KEYS:
        if filters and filters.get(key):
            clauses.append({key: {"$in": list(filters[key])}})
    if filters and filters.get("date_from"):
        clauses.append({"date_int": {"$gte": date_int(filters["date_from"])}})
    if filters and filters.get("date_to"):
        clauses.append({"date_int": {"$lte": _end_of(filters["date_to"])}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def matches(md: dict, filters: dict | None) -> bool:
    if not filters:
        return True
    for key in _LIST_KEYS:
        if filters.get(key) and md.get(key) not in filters[key]:
            return False
    d = int(md.get("date_int", 0) or 0)
    if filters.get("date_from") and d < date_int(filters["date_from"]):
        return False
    if filters.get("date_to") and d > _end_of(filters["date_to"]):
        return False
    return True


def _end_of(iso: str) -> int:
    """A bare year or month as an upper bound means its last day."""
    digits = "".join(ch for ch in str(iso) if ch.isdigit())
    if len(digits) == 4:
        return int(digits + "1231")
    if len(digits) == 6:
        return int(digits + "31")
    return date_int(iso)
