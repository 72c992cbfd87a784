"""End to end, as a user: the `briefing` CLI over a real index (the shipped corpus, and a small
corpus made by the test), the CI gate, and the re-ingest guarantees on the shipped corpus."""

import json
import os
import random
import shutil
import subprocess
import sys
import time

import pytest

from assistant.answering.engine import Assistant
from evals import gate
from ingest.pipeline import ingest
from tests.conftest import CORPUS, make_pdf

pytestmark = pytest.mark.e2e


def briefing(settings, *args, timeout=300):
    env = {**os.environ, "BRIEFING_CORPUS_DIR": str(settings.corpus_dir), "BRIEFING_INDEX_DIR": str(settings.index_dir)}
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def test_small_corpus_from_a_pdf_made_here_answers_through_the_cli(settings):
    make_pdf(
        settings.corpus_dir / "note.pdf",
        [["Introduction to the note."], ["The Economic 2+2 first met in July 2022 in Washington."]],
        header="Briefing Note Series",
    )
    proc = briefing(settings, "ask", "When did the Economic 2+2 first meet?", "--json")
    rec = json.loads(proc.stdout)
    assert "July 2022" in rec["answer"] and not rec["declined"]
    assert rec["citations"][0]["page"] == 2 and rec["citations"][0]["source"] == "note.pdf"
    assert len(rec["retrieved"]) >= 1 and all("text" in r and "page" in r for r in rec["retrieved"])


@pytest.mark.slow
def test_fefta_question_cites_the_seed_paper_page_4(shipped_index):
    settings, _ = shipped_index
    proc = briefing(
        settings,
        "ask",
        "How did the revised Foreign Exchange and Foreign Trade Act change the investment screening threshold?",
        "--json",
    )
    rec = json.loads(proc.stdout)
    answer = rec["answer"].lower()
    assert not rec["declined"]
    assert "one percent" in answer or "1 percent" in answer
    assert "ten percent" in answer or "10 percent" in answer
    assert any(c["doc_id"] == "igata-glosserman-2021" and c["page"] == 4 for c in rec["citations"])
    assert set(rec) >= {"question", "answer", "declined", "citations", "retrieved", "backend", "latency_ms"}


@pytest.mark.slow
def test_japanese_query_retrieves_the_mext_white_paper(shipped_index):
    settings, _ = shipped_index
    hits = Assistant(settings).retriever.search("経済安全保障", k=10)
    # Since the cross-language index, English passages on economic security rank beside it; since
    # Japanese passages hold a paragraph (chunk_max_tokens_cjk), the bare term's one passage sits
    # among them rather than first (seventh on 2026-11-30), while the Japanese dev questions'
    # passages are found (hit@5 1.0 on both halves).
    mext = [h for h in hits if h.chunk.doc_id == "mext-2024-sti-whitepaper-ch2"]
    assert mext and "経済安全保障" in mext[0].chunk.text
    assert any(h.chunk.meta.language == "en" for h in hits)


@pytest.mark.slow
def test_reingest_is_a_no_op_and_removal_and_bad_files_are_handled(shipped_index, tmp_path):
    settings, first = shipped_index
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "index"
    shutil.copytree(settings.index_dir, index)
    s = settings.model_copy(update={"corpus_dir": corpus, "index_dir": index})

    started = time.perf_counter()
    again = ingest(s, progress=False)
    took = time.perf_counter() - started
    assert (again.chunks_written, again.chunks_deleted, again.files_unchanged) == (0, 0, first.files_ingested)
    assert took < 0.1 * first.seconds, (took, first.seconds)

    from assistant.index.catalog import Catalog

    cat = Catalog(index)
    victim = "statements/2023-02-28-readout-of-the-trilateral-united-states-japan-republic-of-korea-economic-security-dialogue.md"
    victim_ids, before = cat.chunk_ids(victim), cat.all_chunk_ids()
    cat.close()
    (corpus / victim).unlink()
    (corpus / "zero.pdf").write_bytes(b"")
    seed = (corpus / "igata-glosserman-2021.pdf").read_bytes()
    (corpus / "truncated.pdf").write_bytes(seed[: len(seed) // 2])
    report = ingest(s, progress=False)
    assert report.files_removed == 1 and report.chunks_deleted == len(victim_ids)
    assert {e.path for e in report.errors} == {"zero.pdf", "truncated.pdf"}
    assert "SKIPPED zero.pdf: empty file" in report.summary()
    cat = Catalog(index)
    assert cat.all_chunk_ids() == before - victim_ids
    cat.close()


@pytest.mark.slow
def test_ci_gate_passes_and_fails_when_retrieval_is_broken(shipped_index):
    settings, _ = shipped_index
    assistant = Assistant(settings)
    metrics, failures = gate.check(assistant)
    print(f"gate metrics: {metrics}")
    assert not failures, failures

    chunks = [c for c in assistant.retriever.snapshot().chunks if c is not None]
    rng = random.Random(0)

    def random_search(query, filters=None, k=None, mode="hybrid"):
        from assistant.core.types import Hit

        return [Hit(c, 0.0, dense=0.9) for c in rng.sample(chunks, k or 10)]

    assistant.retriever.search = random_search
    _, failures = gate.check(assistant)
    assert any(f.startswith("hit@5") for f in failures) and any(f.startswith("mrr@10") for f in failures)


@pytest.mark.slow
def test_japanese_question_cites_the_english_technology_prosperity_deal(shipped_index):
    settings, _ = shipped_index
    proc = briefing(settings, "ask", "日米の技術繁栄ディールはどの分野での協力を掲げていますか", "--json")
    rec = json.loads(proc.stdout)
    assert not rec["declined"], rec.get("decline_reason")
    assert any(c["doc_id"] == "2025-10-28-u-s-japan-technology-prosperity-deal" for c in rec["citations"])


@pytest.mark.slow
def test_a_near_miss_is_declined_with_its_reason_and_related_passages_apart(shipped_index):
    settings, _ = shipped_index
    # The corpus says Japan funded an Open RAN lab in Texas, never how much.
    proc = briefing(
        settings, "ask", "How much money did Japan put into the Open RAN test lab it funded in Texas?", "--json"
    )
    rec = json.loads(proc.stdout)
    assert rec["declined"] and rec["citations"] == []
    assert rec["decline_reason"] == "no quoted sentence states an amount"
    assert "do not state an amount" in rec["answer"]
    assert rec["related"] and all({"doc_id", "title", "text"} <= set(r) for r in rec["related"])
