"""The API's own counters, in the Prometheus text exposition format (version 0.0.4), written
here rather than through prometheus-client: five metric families do not need a dependency.

Counts are per process: with `--workers N` each worker keeps its own, and a scrape through the
load balancer reads one of them. Scrape each worker (or each instance) directly, or sum in
Prometheus; `process_id` in the output says which worker answered."""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict

# Seconds. An extractive answer takes tens to hundreds of milliseconds; a model answer on CPU
# takes tens of seconds, hence the long tail.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


def _labels(**labels: str) -> str:
    def esc(v: str) -> str:
        return str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

    return "{" + ",".join(f'{k}="{esc(v)}"' for k, v in labels.items()) + "}"


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.started = time.time()
        self.requests: dict[tuple[str, str, str], int] = defaultdict(int)  # (method, route, status)
        self.errors: dict[tuple[str, str], int] = defaultdict(int)  # (route, kind)
        self.answers: dict[tuple[str, str], int] = defaultdict(int)  # (endpoint, outcome)
        self.rate_limited: int = 0
        # route -> (bucket counts, sum, count)
        self.latency: dict[str, list] = {}

    def request(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(method, route, str(status))] += 1
            if status >= 500:
                self.errors[(route, "server")] += 1
            h = self.latency.setdefault(route, [[0] * len(BUCKETS), 0.0, 0])
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    h[0][i] += 1
            h[1] += seconds
            h[2] += 1

    def error(self, route: str, kind: str) -> None:
        """An error that a status code does not show (a failure inside a stream already sent as 200)."""
        with self._lock:
            self.errors[(route, kind)] += 1

    def answer(self, endpoint: str, declined: bool) -> None:
        with self._lock:
            self.answers[(endpoint, "declined" if declined else "answered")] += 1

    def limited(self) -> None:
        with self._lock:
            self.rate_limited += 1

    def render(self) -> str:
        out: list[str] = []
        with self._lock:
            out += [
                "# HELP briefing_api_requests_total HTTP requests handled, by method, route and status.",
                "# TYPE briefing_api_requests_total counter",
            ]
            for (method, route, status), n in sorted(self.requests.items()):
                out.append(f"briefing_api_requests_total{_labels(method=method, route=route, status=status)} {n}")
            out += [
                "# HELP briefing_api_request_duration_seconds Time from request to the end of the response.",
                "# TYPE briefing_api_request_duration_seconds histogram",
            ]
            for route, (counts, total, n) in sorted(self.latency.items()):
                for bound, c in zip(BUCKETS, counts):
                    out.append(
                        f"briefing_api_request_duration_seconds_bucket{_labels(route=route, le=f'{bound:g}')} {c}"
                    )
                out.append(f"briefing_api_request_duration_seconds_bucket{_labels(route=route, le='+Inf')} {n}")
                out.append(f"briefing_api_request_duration_seconds_sum{_labels(route=route)} {total:.6f}")
                out.append(f"briefing_api_request_duration_seconds_count{_labels(route=route)} {n}")
            out += [
                "# HELP briefing_api_answers_total Questions answered or declined (not in the documents).",
                "# TYPE briefing_api_answers_total counter",
            ]
            for (endpoint, outcome), n in sorted(self.answers.items()):
                out.append(f"briefing_api_answers_total{_labels(endpoint=endpoint, outcome=outcome)} {n}")
            declined = sum(n for (_, outcome), n in self.answers.items() if outcome == "declined")
            out += [
                "# HELP briefing_api_declines_total Questions declined because the documents do not answer them.",
                "# TYPE briefing_api_declines_total counter",
                f"briefing_api_declines_total {declined}",
                "# HELP briefing_api_errors_total Server errors (5xx) and failures inside streamed responses.",
                "# TYPE briefing_api_errors_total counter",
            ]
            for (route, kind), n in sorted(self.errors.items()):
                out.append(f"briefing_api_errors_total{_labels(route=route, kind=kind)} {n}")
            out += [
                "# HELP briefing_api_rate_limited_total Requests refused (429) by the per-token rate limit.",
                "# TYPE briefing_api_rate_limited_total counter",
                f"briefing_api_rate_limited_total {self.rate_limited}",
                "# HELP briefing_api_process_start_time_seconds Start of this API process (Unix time).",
                "# TYPE briefing_api_process_start_time_seconds gauge",
                f"briefing_api_process_start_time_seconds{_labels(process_id=str(os.getpid()))} {self.started:.3f}",
            ]
        return "\n".join(out) + "\n"
