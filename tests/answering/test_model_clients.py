"""Wire-format tests of the HTTP model clients against a scripted loopback server.

The OpenAI-compatible client is also tested against a real server (test_llm_real.py). No Ollama
server can be installed on these machines (no PyPI or Debian package ships one), so its client
is checked here against Ollama's documented /api/chat stream format only."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

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
                    {"choices": [{"delta": {"content": " in 2022"}}]},
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
    assert out == ["It met", " in 2022"] and seen[0][2] == "Bearer sk-test"


def test_http_errors_become_model_errors(server, allow_model_requests):
    base, _ = server
    with pytest.raises(ModelError, match="404"):
        list(OpenAICompatModel(f"{base}/wrong", "m").stream([]))
    with pytest.raises(ModelError, match="cannot reach"):
        list(OllamaModel("http://127.0.0.1:9", "m").stream([]))
