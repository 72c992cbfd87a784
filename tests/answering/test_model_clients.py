"""Wire-format tests of the HTTP model clients against a scripted loopback server.

The OpenAI-compatible client is also tested against a real server (test_model_real.py). No Ollama
server can be installed on these machines (no PyPI or Debian package ships one), so its client
is checked here against Ollama's documented /api/chat stream format only."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.answering.evidence import Evidence
from assistant.answering.extractive import quote
from assistant.answering.model_answer import LLMGenerator
from assistant.answering.models import ModelError
from assistant.answering.models.ollama import OllamaModel
from assistant.answering.models.openai_compat import OpenAICompatModel


@pytest.fixture
def server():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.path, body, self.headers.get("Authorization")))
            if self.path == "/api/chat":
                lines = [
                    {"message": {"content": "It met "}, "done": False},
                    {"message": {"content": "in 2022 [1]."}, "done": False},
                    {"done": True},
                ]
                payload = "".join(json.dumps(l) + "\n" for l in lines).encode()
                self.send_response(200)
            elif self.path == "/v1/chat/completions":
                chunks = [
                    {"choices": [{"delta": {"content": "It met"}}]},
                    {"choices": [{"delta": {"content": " in 2022 [1]."}}]},
                ]
                payload = ("".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n").encode()
                self.send_response(200)
            else:
                payload = b'{"error": "model not found"}'
                self.send_response(404)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *a):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()


def test_ollama_stream_is_parsed_and_options_sent(server, allow_model_requests):
    base, seen = server
    out = list(OllamaModel(base, "qwen2.5:1.5b").stream([{"role": "user", "content": "q"}], max_tokens=50))
    assert out == ["It met ", "in 2022 [1]."]
    assert seen[0][1]["options"]["num_predict"] == 50 and seen[0][1]["model"] == "qwen2.5:1.5b"


def test_openai_stream_and_key_from_environment(server, allow_model_requests):
    base, seen = server
    out = list(OpenAICompatModel(f"{base}/v1", "m", api_key="sk-test").stream([{"role": "user", "content": "q"}]))
    assert out == ["It met", " in 2022 [1]."] and seen[0][2] == "Bearer sk-test"


def test_http_errors_become_model_errors(server, allow_model_requests):
    base, _ = server
    with pytest.raises(ModelError, match="404"):
        list(OpenAICompatModel(f"{base}/wrong", "m").stream([]))
    with pytest.raises(ModelError, match="cannot reach"):
        list(OllamaModel("http://127.0.0.1:9", "m").stream([]))


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_server_backends_get_the_same_prompt_and_verification(server, settings, allow_model_requests, kind):
    """A larger model behind a server takes the embedded model's steps: the same messages (the
    question and the chosen sentences), the same verification, the quotes kept beneath."""
    from assistant.core.types import Chunk, DocMeta, Hit

    base, seen = server
    model = OpenAICompatModel(f"{base}/v1", "m") if kind == "openai" else OllamaModel(base, "m")
    gen = LLMGenerator(settings, kind, model=model)
    sentence = "The Economic 2+2 first met in July 2022 in Washington."
    hit = Hit(Chunk("d", f"{sentence} It is a committee.", 2, "", 0, DocMeta("d", "Joint statement", "d.md")), 1.0)
    evidence = [Evidence(hit, 0, sentence, 1.0, frozenset())]
    draft = gen.answer("When did the Economic 2+2 first meet?", [hit], evidence)
    assert draft.text == "It met in 2022 [1]." and not draft.declined
    assert draft.quotes == f"\u201c{sentence}\u201d [1]" and draft.citations[0].location == "p. 2"
    sent = seen[-1][1]["messages"]
    assert sent == gen.messages("When did the Economic 2+2 first meet?", quote(evidence).citations)
    assert "It is a committee" not in sent[-1]["content"]  # the sentence, not the whole passage
