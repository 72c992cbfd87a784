"""The app: how long a rerun of the page takes once the first answer is in, and the server's
peak memory.

    python -m benchmarks.app [--quick] [--index DIR]

Two measurements over the shipped corpus (indexed into a temporary folder, or DIR):
- in process, with Streamlit's AppTest: the first answer (which loads the embedding model),
  then reruns of the page with that answer on it;
- the real server (`briefing app`) in headless Chromium: time to the first cited answer, then
  clicks on the citation (each a rerun that opens the source panel), and the server's peak RSS.
Goal: a rerun after the first answer under 1 s (no model is loaded again)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from assistant.core.offline import OFFLINE_ENV
from benchmarks import REPO, arguments, command_line, free_port, percentile, process_peak_rss_mb, report, table

QUESTION = "How did the revised Foreign Exchange and Foreign Trade Act change the investment screening threshold?"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def build_index(corpus: Path, index: Path) -> None:
    from assistant.core.settings import Settings
    from ingest.pipeline import ingest

    ingest(Settings(corpus_dir=corpus, index_dir=index), progress=False)


def in_process(reruns: int) -> dict:
    from streamlit.testing.v1 import AppTest

    from assistant.app import common

    at = AppTest.from_file(str(REPO / "assistant" / "app" / "main.py"), default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    first_page = time.perf_counter() - t0
    t0 = time.perf_counter()
    at.chat_input[0].set_value(QUESTION).run()
    first_answer = time.perf_counter() - t0
    loads = dict(common.LOADS)
    times = []
    for _ in range(reruns):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    assert not at.exception, at.exception
    return {
        "first_page_s": first_page,
        "first_answer_s": first_answer,
        "rerun_s": times,
        "models_loaded_again": common.LOADS != loads,
    }


def in_browser(env: dict, clicks: int) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "app", "--no-ingest", "--port", str(port), "--address", "127.0.0.1"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", headless=True, args=FLAGS
            )
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.set_default_timeout(300_000)
            page.goto(url)
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for()
            t0 = time.perf_counter()
            box.fill(QUESTION)
            box.press("Enter")
            chip = page.get_by_role("button").filter(has_text="p. 4").first
            chip.wait_for()
            first_answer = time.perf_counter() - t0
            times = []
            for _i in range(clicks):
                # Alternate between opening the panel and a "New"-free rerun (clicking again
                # keeps it open): each click is one full rerun of the page script.
                page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')")
                t0 = time.perf_counter()
                chip.click()
                page.get_by_text("Page 4", exact=True).wait_for()
                page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')")
                times.append(time.perf_counter() - t0)
            browser.close()
        rss = process_peak_rss_mb(proc.pid)  # `briefing app` execs the server: same process
        return {"first_answer_s": first_answer, "click_rerun_s": times, "server_peak_rss_mb": rss}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    p = arguments(__doc__.splitlines()[0])
    p.add_argument("--index", type=Path, help="an index of the shipped corpus to reuse (default: build one)")
    args = p.parse_args()
    reruns, clicks = (3, 2) if args.quick else (20, 10)
    tmp = Path(tempfile.mkdtemp(prefix="bench-app-"))
    index = args.index or tmp / "index"
    corpus = REPO / "corpus"
    if args.index is None:
        build_index(corpus, index)
    os.environ.update(
        BRIEFING_CORPUS_DIR=str(corpus),
        BRIEFING_INDEX_DIR=str(index),
        BRIEFING_USER="bench",
        BRIEFING_ROLE="public",
        **OFFLINE_ENV,
    )
    os.environ.pop("BRIEFING_USERS_FILE", None)
    from assistant.core.settings import get_settings

    get_settings.cache_clear()
    local = in_process(reruns)
    real = in_browser(dict(os.environ), clicks)
    shutil.rmtree(tmp, ignore_errors=True)
    rows = [
        [
            "AppTest (in process)",
            local["first_answer_s"],
            percentile(local["rerun_s"], 50) * 1000,
            percentile(local["rerun_s"], 95) * 1000,
            len(local["rerun_s"]),
            None,
        ],
        [
            "real server + Chromium (click a citation)",
            real["first_answer_s"],
            percentile(real["click_rerun_s"], 50) * 1000,
            percentile(real["click_rerun_s"], 95) * 1000,
            len(real["click_rerun_s"]),
            real["server_peak_rss_mb"],
        ],
    ]
    worst = max(percentile(local["rerun_s"], 95), percentile(real["click_rerun_s"], 95))
    verdict = (
        f"Goal (rerun after the first answer < 1 s): {'met' if worst < 1 else 'missed'}, p95 {worst * 1000:.0f} ms; "
        f"models loaded again on rerun: {'yes' if local['models_loaded_again'] else 'no'}."
    )
    md = (
        "### App reruns\n\n"
        + table(["how", "first answer (s)", "rerun p50 (ms)", "rerun p95 (ms)", "reruns", "server peak RSS (MB)"], rows)
        + "\n\n"
        + verdict
    )
    report("app", args.out, command_line("benchmarks.app"), md, {"in_process": local, "browser": real})


if __name__ == "__main__":
    main()
