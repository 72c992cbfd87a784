"""The access policy: which document access levels a role may read. Applied inside retrieval
(before fusion), in the library listing and at upload; nowhere else decides it."""

from __future__ import annotations

ROLES = ("public", "internal", "restricted")
ROLE_LEVELS = {
    "public": ("public",),
    "internal": ("public", "internal"),
    "restricted": ("public", "internal", "restricted"),
}


def readable_levels(role: str) -> list[str]:
    """Access levels a role may read; an unknown role reads only public documents."""
    return list(ROLE_LEVELS.get(role, ("public",)))
