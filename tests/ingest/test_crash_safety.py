"""kill -9 an ingest at several moments: the index keeps answering as before, and the next
ingest completes the work with the catalogue and the vector store in step."""

import os
import signal
import subprocess
import sys
import time

import pytest

from assistant.answering.engine import Assistant
from assistant.index.catalog import Catalog
from assistant.index.stores import open_store
from ingest.pipeline import ingest

pytestmark = pytest.mark.slow

TOPICS = [
    "semiconductors",
    "rare earths",
    "undersea cables",
    "quantum computing",
    "port security",
    "export controls",
    "investment screening",
    "pharmaceuticals",
]
QUESTIONS = [f"What does the note say about {t}?" for t in TOPICS[:4]]


def _doc(topic: str, n: int, paragraphs: int = 6) -> str:
    body = "\n\n".join(
        f"Paragraph {p} of note {n} on {topic}: the allies agreed measure {n}-{p} to strengthen "
        f"{topic} cooperation, with a review in year {2020 + p} and a budget line number {n * 100 + p}."
        for p in range(paragraphs)
    )
    return f"---\ntitle: Note {n} on {topic}\n---\n\n{body}\n"


def _answers(settings):
    a = Assistant(settings)
    return [(r.text, [h.chunk.id for h in r.retrieved[:5]]) for r in (a.ask(q) for q in QUESTIONS)]


def _files(settings) -> int:
    cat = Catalog(settings.index_dir)
    try:
        return cat.stats()["documents"]
    finally:
        cat.close()


def test_kill_minus_9_at_several_moments_leaves_a_working_index(settings, embedder):
    for n, topic in enumerate(TOPICS[:4]):
        (settings.corpus_dir / f"base{n}.md").write_text(_doc(topic, n), encoding="utf-8")
    ingest(settings, progress=False)
    before = _answers(settings)
    # Work for the interrupted ingests: new notes on other topics, enough that the new vectors, added
    # a full embedding batch at a time (several files together), pass each moment well before the end.
    for n in range(24):
        (settings.corpus_dir / f"new{n:02d}.md").write_text(_doc(TOPICS[4 + n % 4], 100 + n, 40), encoding="utf-8")
    env = {**os.environ, "BRIEFING_CORPUS_DIR": str(settings.corpus_dir), "BRIEFING_INDEX_DIR": str(settings.index_dir)}

    moments = []
    store = open_store(settings)
    for vectors_added in (0, 20, 60):  # while loading, after the first files, well into the work
        start = store.count()
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "ingest", "--quiet"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 120
        time.sleep(1.0)
        while store.reopen().count() < start + vectors_added and proc.poll() is None and time.time() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        moments.append(store.reopen().count() - start)
        assert _files(settings) == 4
        assert _answers(settings) == before  # the index answers the same questions as before
    print(f"killed with {moments} vectors added but not committed")

    report = ingest(settings, progress=False)
    assert not report.errors and _files(settings) == 28
    cat = Catalog(settings.index_dir)
    assert cat.all_chunk_ids() == open_store(settings).reopen().all_ids()
    cat.close()
    hits = Assistant(settings).retriever.search("pharmaceuticals cooperation measure")
    assert hits[0].chunk.meta.title.endswith("on pharmaceuticals")
