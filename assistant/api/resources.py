"""What one API process shares between requests: the embedder, one retriever per role, one
generator per backend (as the app shares them between sessions), and whether it is ready."""

from __future__ import annotations

import logging
import os
import threading

from assistant.answering.engine import Assistant
from assistant.answering.generators import REGISTRY, get_generator
from assistant.api.auth import ApiError
from assistant.core.settings import Settings
from assistant.features.users import User
from assistant.index.embedders import Embedder, get_embedder
from assistant.retrieval.search import Retriever

log = logging.getLogger("briefing.api")


def audit_log(settings: Settings):
    """The audit log the CLI and the app write to, in the shared database when `database_url`
    is set."""
    from assistant.features.audit import AuditLog

    return AuditLog(settings)


class Resources:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._retrievers: dict[str, Retriever] = {}
        self._generators: dict = {}
        self.audit = audit_log(settings)
        # Answering is CPU-bound (embedders): past one per core, concurrent answers only slow
        # each other down; the others wait here, in order of arrival.
        self.answer_slots = threading.BoundedSemaphore(settings.api_answer_slots or os.cpu_count() or 1)
        self.ready = False
        self.problem = "starting: loading the embedder and the index"

    def embedder(self):
        with self._lock:
            if self._embedder is None:
                self._embedder = get_embedder(self.settings.embedder, self.settings.embed_batch_size)
            return self._embedder

    def retriever(self, role: str) -> Retriever:
        embedder = self.embedder()
        with self._lock:
            if role not in self._retrievers:
                self._retrievers[role] = Retriever(self.settings, embedder=embedder, role=role)
            return self._retrievers[role]

    def generator(self, backend: str | None):
        name = backend or self.settings.backend
        if name not in REGISTRY:
            raise ApiError(400, "invalid_request", f"unknown backend '{name}' (known: {', '.join(REGISTRY)})")
        with self._lock:
            if name not in self._generators:
                self._generators[name] = get_generator(name, self.settings)
            return self._generators[name]

    def assistant(self, user: User, backend: str | None = None) -> Assistant:
        """Cheap per request: the heavy parts are shared; the user and role are the caller's."""
        return Assistant(
            self.settings,
            retriever=self.retriever(user.role),
            role=user.role,
            user=user.name,
            generator=self.generator(backend),
        )

    def warm_up(self) -> None:
        """Loads the embedder, the public retriever (BM25 over the committed chunks) and the
        default generator before the process reports ready, so the first user does not wait."""
        try:
            retriever = self.retriever("public")
            self.generator(None)
            retriever.search("economic security", k=1)
        except Exception as exc:  # reported by /readyz; the process stays up to say why
            log.exception("warm-up failed")
            self.problem = f"warm-up failed: {exc}"
            return
        self.ready = True
        self.problem = ""
