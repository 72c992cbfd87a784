"""Errors that name the file and say what is wrong with it, in words a user can act on."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested. The batch goes on without it."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
