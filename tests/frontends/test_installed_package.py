"""A non-editable install works from another folder and writes nothing into the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if "__pycache__" not in p.parts}


@pytest.mark.slow
def test_wheel_installed_elsewhere_answers_from_the_configured_folders(tmp_path):
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    # Built from a copy of the sources: an in-tree build leaves build/ behind, whose stale modules
    # a later wheel would carry.
    src = tmp_path / "src"
    for name in ("assistant", "ingest", "prompts", "evals", "benchmarks"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "static"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = wheels.glob("briefing_assistant-*.whl")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    assert not (site / "evals").exists() and not (site / "benchmarks").exists()  # the harness stays out
    corpus = work / "docs"
    corpus.mkdir()
    (corpus / "note.md").write_text(
        "---\ntitle: Stockpile note\nissuer: Test Ministry\ndate: 2024-05-01\n---\n\n"
        "# Reserves\n\nThe gallium reserve was set up in Tomakomai in 2024.\n",
        encoding="utf-8",
    )
    before = _files(site)
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "BRIEFING_CORPUS_DIR": str(corpus),
        "BRIEFING_INDEX_DIR": str(work / "index"),
    }
    env.pop("BRIEFING_CONFIG", None)
    probe = subprocess.run(
        [sys.executable, "-c", "import assistant; print(assistant.__file__)"],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert probe.stdout.startswith(str(site)), probe.stdout + probe.stderr  # the wheel, not the checkout
    ask = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "Where was the gallium reserve set up?", "--json"],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ask.returncode == 0, ask.stderr[-3000:]
    assert "Tomakomai" in ask.stdout
    assert (work / "index" / "catalog.sqlite").is_file()
    assert _files(site) == before  # nothing written into the installed package
