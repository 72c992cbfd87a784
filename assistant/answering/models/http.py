"""What the HTTP model servers share: endpoint, model, timeout, and a streamed POST whose
lines the API format's own class reads. The key, where there is one, comes from the environment."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from assistant.answering.models import ChatModel, ModelError


class HTTPChatModel(ChatModel):
    prefix = "http"

    def __init__(
        self, base_url: str, model: str, timeout: float = 120.0, context_tokens: int = 4096, api_key: str | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.context_tokens = context_tokens
        self.api_key = api_key
        self.name = f"{self.prefix}:{model}"

    def _lines(self, path: str, body: dict) -> Iterator[str]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            with httpx.stream(
                "POST", f"{self.base_url}{path}", json=body, headers=headers, timeout=self.timeout
            ) as resp:
                if resp.status_code != 200:
                    resp.read()
                    raise ModelError(f"{self.base_url} answered {resp.status_code}: {resp.text[:200]}")
                yield from resp.iter_lines()
        except httpx.HTTPError as exc:
            raise ModelError(f"cannot reach {self.base_url}: {exc}") from exc
