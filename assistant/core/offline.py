"""Offline by default: no model hub, no telemetry. Every entry point (CLI, app, tests,
benchmarks) applies this one block before anything imports transformers or chromadb."""

from __future__ import annotations

import os
from collections.abc import MutableMapping

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def go_offline(env: MutableMapping[str, str] | None = None) -> MutableMapping[str, str]:
    """Sets the defaults in `env` (os.environ when None) without overriding what the user set;
    returns the mapping, so a child process's environment can be built with it."""
    target = os.environ if env is None else env
    for key, value in OFFLINE_ENV.items():
        target.setdefault(key, value)
    return target
