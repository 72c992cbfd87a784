"""The configurable model paths against real components: the embedded llama.cpp model and a
real OpenAI-compatible server (llama-cpp-python's own, started here on loopback), both with
streaming. SmolLM2-135M is used because the point is the plumbing: it invents freely, which
also exercises the verifier."""

import json
import os
import subprocess
import sys
import time

import httpx
import pytest

from assistant.answering.models.openai_compat import OpenAICompatModel
from assistant.answering.models.weights import resolve
from benchmarks import free_port
from ingest.pipeline import ingest
from tests.conftest import make_pdf

pytestmark = pytest.mark.e2e
llama_cpp = pytest.importorskip("llama_cpp")


@pytest.fixture(scope="module")
def smollm():
    return resolve("smollm2-135m")


@pytest.fixture
def corpus(settings, embedder):
    make_pdf(
        settings.corpus_dir / "note.pdf",
        [
            [
                "The Economic 2+2 first met in July 2022 in Washington.",
                "It is the U.S.-Japan Economic Policy Consultative Committee.",
            ]
        ],
    )
    ingest(settings, progress=False)
    return settings


@pytest.fixture(scope="module")
def openai_server(smollm, tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("server") / "server.log", "w+")  # a pipe would fill and stall it
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(smollm),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
            "--n_threads",
            "2",
            "--model_alias",
            "smollm2",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"server exited: {log.read()[-2000:]}")
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not start within 120 s")
    yield base
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def _check_record(rec, backend_prefix):
    assert rec["backend"].startswith(backend_prefix)
    assert rec["retrieved"] and "first_token" in rec["latency_ms"]
    assert rec["verification"]["model_text"]  # the model really answered
    if not rec["declined"]:
        # Whatever the small model wrote, what reaches the user is cited and verified: its direct
        # answer above the quotes it was written from, or the quotes alone, labelled as such.
        shown = rec["answer"] + rec.get("quotes", "")
        assert rec["citations"] and all(f"[{c['marker']}]" in shown for c in rec["citations"])
        assert bool(rec.get("quotes")) != bool(rec["verification"]["fallback"])


def test_embedded_model_streams_and_is_verified(corpus, smollm, allow_model_requests):
    from assistant.answering.engine import Assistant

    s = corpus.model_copy(update={"llm_model": str(smollm), "llm_context_tokens": 2048, "llm_max_tokens": 60})
    tokens = []
    rec = (
        Assistant(s, backend="llamacpp")
        .ask("When did the Economic 2+2 first meet?", on_token=tokens.append)
        .to_record()
    )
    assert len(tokens) > 1
    _check_record(rec, "llamacpp:")


def test_system_text_is_read_once_and_restored_after_another_prompt(smollm, settings, allow_model_requests):
    """The fixed system text is evaluated once per process: every answer's prompt starts with
    its kept state, a different prompt (a follow-up's rewrite) does not cost it, and the answer
    after a restore is the answer before it (greedy decoding)."""
    from assistant.answering.model_answer import LLMGenerator
    from assistant.answering.models.llamacpp import LlamaCppModel
    from assistant.core.types import Chunk, Citation, DocMeta, Hit

    model = LlamaCppModel(str(smollm), 2048)
    gen = LLMGenerator(settings, "llamacpp", model=model)  # prepare() reads the system text here
    assert len(model._prefix) > 50 and model.prefix_cached()
    sentence = "The Economic 2+2 first met in July 2022 in Washington."
    hit = Hit(Chunk("d", sentence, 2, "", 0, DocMeta("d", "Joint statement", "d.md")), 1.0)
    messages = gen.messages("When did the Economic 2+2 first meet?", [Citation.of(1, hit, sentence)])
    first = model.complete(messages, max_tokens=20)
    assert model.prefix_cached()  # the real prompt (the chat template's) starts with the kept prefix
    model.complete([{"role": "user", "content": "Say hello."}], max_tokens=4)
    assert not model.prefix_cached()
    assert model.complete(messages, max_tokens=20) == first and model.prefix_cached()


def test_openai_compatible_server_streams(openai_server, allow_model_requests):
    model = OpenAICompatModel(openai_server, "smollm2")
    tokens = list(model.stream([{"role": "user", "content": "Say hello."}], max_tokens=12))
    assert len(tokens) > 1 and "".join(tokens).strip()


def test_cli_ask_json_through_the_openai_backend(corpus, openai_server):
    env = {
        **os.environ,
        "BRIEFING_CORPUS_DIR": str(corpus.corpus_dir),
        "BRIEFING_INDEX_DIR": str(corpus.index_dir),
        "BRIEFING_OPENAI_BASE_URL": openai_server,
        "BRIEFING_OPENAI_MODEL": "smollm2",
        "BRIEFING_LLM_MAX_TOKENS": "60",
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "ask",
            "When did the Economic 2+2 first meet?",
            "--json",
            "--backend",
            "openai",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    _check_record(json.loads(proc.stdout), "openai:smollm2")


def test_app_answers_through_the_openai_backend_chosen_in_the_sidebar(
    corpus, openai_server, monkeypatch, allow_model_requests
):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from assistant.core.settings import get_settings

    for k, v in {
        "BRIEFING_CORPUS_DIR": str(corpus.corpus_dir),
        "BRIEFING_INDEX_DIR": str(corpus.index_dir),
        "BRIEFING_OPENAI_BASE_URL": openai_server,
        "BRIEFING_OPENAI_MODEL": "smollm2",
        "BRIEFING_LLM_MAX_TOKENS": "60",
    }.items():
        monkeypatch.setenv(k, v)
    get_settings.cache_clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file("../../assistant/app/main.py", default_timeout=300).run()
        at.sidebar.selectbox(key="backend").set_value("openai").run()
        assert any(openai_server in c.value for c in at.sidebar.caption)  # the endpoint in use is shown
        at.chat_input[0].set_value("When did the Economic 2+2 first meet?").run()
        assert not at.exception
        answer = at.session_state["chat"].answers[-1]
        _check_record(answer.to_record(), "openai:smollm2")
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()
