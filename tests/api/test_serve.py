"""The HTTP API for real: `briefing serve` in a subprocess on a free loopback port, over a
small corpus made here (a public and a restricted document), with tokens made by
`briefing token add`. One server for the whole module (it ingests and loads the embedder once).

Checked through HTTP as a client sees it: answers and their record, server-sent events, the
OpenAI-compatible endpoint with the `openai` client (plain and streaming), the library with
role limits, briefing notes, quizzes, the audit log for administrators only, 401/403/413/422/429
with clear bodies, /metrics counting, and that a public token never sees the restricted
document through any endpoint."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.core.offline import OFFLINE_ENV
from benchmarks import free_port
from tests.api.documents import SECRET_DOC

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
BRIEFING = [sys.executable, "-m", "assistant.cli"]

PUBLIC_DOC = """---
title: Public note on semiconductor subsidies
access: public
type: analysis
date: '2024-05-01'
---

# Subsidies

The Ministry of Economy, Trade and Industry allocated 3.9 trillion yen to semiconductor manufacturing between 2021 and 2023.
The subsidies support factories built by TSMC in Kumamoto and by Rapidus in Hokkaido, which aims to mass-produce 2-nanometre chips in 2027.
"""

# Words only the restricted document contains: none may reach a public token.
SECRETS = ("tomakomai", "sandpiper", "4.2 billion", "restricted-note", "critical-mineral", "gallium")
SECRET_QUESTIONS = [
    "What is the codename of the gallium stockpile at Tomakomai?",
    "How much money goes to the germanium stockpile reserve?",
    "Who manages Project Sandpiper?",
]
PUBLIC_QUESTION = "When will Rapidus mass-produce 2-nanometre chips?"


def _leaks(text: str, sent: tuple[str, ...] = ()) -> list[str]:
    """Secret words in a response, apart from the caller's own words echoed back (a record
    repeats its question, a note its topic, a 404 the path asked for)."""
    low = text.lower()
    for words in sent:
        low = low.replace(words.lower(), "")
    return [s for s in SECRETS if s in low]


def _env(root: Path) -> dict:
    return {
        **os.environ,
        **OFFLINE_ENV,
        "PYTHONPATH": str(REPO),
        "BRIEFING_CONFIG": str(root / "none.toml"),  # no briefing.toml of the working directory
        "BRIEFING_CORPUS_DIR": str(root / "corpus"),
        "BRIEFING_INDEX_DIR": str(root / "index"),
        "BRIEFING_USERS_FILE": str(root / "users.toml"),
        # The cross-language index loads a second embedder; not what these tests are about.
        "BRIEFING_CROSSLINGUAL_EMBEDDER": "none",
        "BRIEFING_API_MAX_REQUEST_MB": "1",
        "BRIEFING_API_RATE_PER_MINUTE": "120",
        "BRIEFING_API_BURST": "60",
    }


class Server:
    def __init__(self, url: str, tokens: dict[str, str], env: dict, proc: subprocess.Popen) -> None:
        self.url, self.tokens, self.env, self.proc = url, tokens, env, proc

    def client(self, user: str | None = None, **kw) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120, **kw)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from assistant.core.settings import Settings
    from assistant.features.tokens import add_token
    from assistant.features.users import add_user

    root = tmp_path_factory.mktemp("api")
    (root / "corpus").mkdir()
    (root / "corpus" / "public-note.md").write_text(PUBLIC_DOC, encoding="utf-8")
    (root / "corpus" / "restricted-note.md").write_text(SECRET_DOC, encoding="utf-8")
    env = _env(root)
    settings = Settings(
        corpus_dir=root / "corpus",
        index_dir=root / "index",
        users_file=root / "users.toml",
        crosslingual_embedder="none",
    )
    add_user(settings, "pub", "password-pub", "public")
    add_user(settings, "boss", "password-boss", "restricted", admin=True)
    add_user(settings, "flood", "password-flood", "public")
    # One token through the CLI, as an administrator would make it: printed once, on the first line.
    made = subprocess.run(
        [*BRIEFING, "token", "add", "pub"], env=env, cwd=root, capture_output=True, text=True, timeout=120
    )
    assert made.returncode == 0, made.stderr
    tokens = {"pub": made.stdout.splitlines()[0].strip()}
    assert tokens["pub"].startswith("brf_") and "shown once" in made.stdout
    tokens["boss"] = add_token(settings, "boss")[0]
    tokens["flood"] = add_token(settings, "flood")[0]
    # Only the hash is kept.
    stored = (root / "index" / "tokens.sqlite").read_bytes()
    assert tokens["pub"].encode() not in stored

    port = free_port()
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen(
        [*BRIEFING, "serve", "--port", str(port), "--no-access-log"],
        env=env,
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("briefing serve did not become ready:\n" + (root / "serve.log").read_text()[-3000:])
        time.sleep(0.5)
    yield Server(url, tokens, env, proc)
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _sse_events(response: httpx.Response) -> list[tuple[str, dict | str]]:
    events, name, data = [], "message", []
    for line in response.iter_lines():
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
        elif line == "" and data:
            raw = "\n".join(data)
            events.append((name, raw if raw == "[DONE]" else json.loads(raw)))
            name, data = "message", []
    return events


# --- operations ---------------------------------------------------------------------------------


def test_health_readiness_and_the_openapi_page(server):
    with server.client() as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        ready = c.get("/readyz").json()
        assert ready["status"] == "ready" and ready["documents"] == 2
        assert "text/html" in c.get("/docs").headers["content-type"]
        paths = c.get("/openapi.json").json()["paths"]
        for p in ("/v1/ask", "/v1/chat/completions", "/v1/documents", "/v1/briefing-notes", "/v1/quizzes", "/v1/audit"):
            assert p in paths


def _counter(text: str, name: str, **labels) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{{want}}} ") or (not labels and line.startswith(f"{name} ")):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_latencies_and_declines(server):
    with server.client("pub") as c:
        before = c.get("/metrics").text
        assert c.get("/healthz").status_code == 200
        declined = c.post("/v1/ask", json={"question": "What did the 1648 Peace of Westphalia decide?"}).json()
        assert declined["declined"] is True
        after = c.get("/metrics").text
    assert "# TYPE briefing_api_requests_total counter" in after
    key = dict(method="GET", route="/healthz", status="200")
    assert (
        _counter(after, "briefing_api_requests_total", **key)
        == _counter(before, "briefing_api_requests_total", **key) + 1
    )
    assert _counter(after, "briefing_api_declines_total") == _counter(before, "briefing_api_declines_total") + 1
    count = 'briefing_api_request_duration_seconds_count{route="/v1/ask"}'
    assert any(line.startswith(count) for line in after.splitlines())


# --- authentication, limits, bad input ------------------------------------------------------------


def test_401_without_a_token_with_a_bad_one_and_with_a_revoked_one(server):
    from assistant.core.settings import Settings
    from assistant.features.tokens import add_token, list_tokens, revoke_token

    with server.client() as c:
        r = c.get("/v1/documents")
        assert r.status_code == 401 and "Bearer" in r.json()["error"]["message"]
        assert r.headers["www-authenticate"].startswith("Bearer")
        r = c.get("/v1/documents", headers={"Authorization": "Bearer brf_not-a-token"})
        assert r.status_code == 401 and r.json()["error"]["type"] == "unauthorized"
        r = c.get("/v1/documents", headers={"Authorization": f"Basic {server.tokens['pub']}"})
        assert r.status_code == 401 and "must be 'Bearer" in r.json()["error"]["message"]
        settings = Settings(
            index_dir=Path(server.env["BRIEFING_INDEX_DIR"]), users_file=Path(server.env["BRIEFING_USERS_FILE"])
        )
        token, info = add_token(settings, "pub", note="to revoke")
        assert c.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["role"] == "public"
        assert revoke_token(settings, info.id)
        assert [t.revoked is not None for t in list_tokens(settings, "pub") if t.id == info.id] == [True]
        assert c.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_role_comes_from_the_user_record_not_the_request(server):
    with server.client("pub") as c:
        me = c.get("/v1/me", headers={"X-Role": "restricted"}).json()
        assert me == {"user": "pub", "role": "public", "admin": False, "readable_levels": ["public"]}
        # A filter on access is not part of the API: refused, not obeyed.
        r = c.post("/v1/ask", json={"question": SECRET_QUESTIONS[0], "filters": {"access": ["restricted"]}})
        assert r.status_code == 422 and "access" in r.json()["error"]["message"]


def test_audit_is_for_administrators_only(server):
    with server.client("pub") as c:
        c.post("/v1/ask", json={"question": PUBLIC_QUESTION})
        r = c.get("/v1/audit")
        assert r.status_code == 403 and "administrators" in r.json()["error"]["message"]
    with server.client("boss") as c:
        entries = c.get("/v1/audit", params={"user": "pub", "limit": 5}).json()["entries"]
        assert entries and entries[0]["user"] == "pub" and entries[0]["role"] == "public"
        assert any(e["question"] == PUBLIC_QUESTION for e in entries)


def test_413_for_an_oversized_body_with_or_without_its_length(server):
    big = b"x" * (2 * 2**20)  # the test server's limit is 1 MB
    with server.client("pub") as c:
        r = c.post("/v1/documents", files={"file": ("big.txt", big, "text/plain")})
        assert r.status_code == 413 and "larger than the limit of 1 MB" in r.json()["error"]["message"]

        def chunked():  # no Content-Length: counted while it is read
            for i in range(0, len(big), 65536):
                yield big[i : i + 65536]

        r = c.post("/v1/ask", content=chunked(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and r.json()["error"]["type"] == "request_too_large"


def test_bad_input_gets_a_clear_error(server):
    with server.client("pub") as c:
        r = c.post("/v1/ask", json={"questio": "typo"})
        assert r.status_code == 422
        err = r.json()["error"]
        assert err["type"] == "invalid_request" and "question" in err["message"]
        r = c.post("/v1/ask", json={"question": PUBLIC_QUESTION, "backend": "nonsense"})
        assert r.status_code == 400 and "unknown backend 'nonsense'" in r.json()["error"]["message"]
        r = c.post("/v1/ask", content=b"{not json", headers={"Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["error"]["type"] == "invalid_request"
        r = c.post(
            "/v1/chat/completions",
            json={"model": "briefing", "messages": [{"role": "assistant", "content": "hello"}]},
        )
        assert r.status_code == 400 and "last message must be the user's" in r.json()["error"]["message"]
        r = c.post("/v1/quizzes", json={"n": 500})
        assert r.status_code == 422 and "n" in r.json()["error"]["message"]
        r = c.get("/v1/nowhere")
        assert r.status_code == 404 and r.json()["error"]["type"] == "not_found"


def test_cors_is_off_unless_configured(server):
    with server.client("pub") as c:
        r = c.get("/v1/me", headers={"Origin": "https://evil.example"})
        assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
        pre = c.options("/v1/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in pre.headers


def test_429_when_a_token_floods(server):
    codes = []
    with server.client("flood") as c:
        for _ in range(100):  # a burst of 60, refilled at 2 a second: the last ones are refused
            codes.append(c.get("/v1/me"))
        limited = [r for r in codes if r.status_code == 429]
        assert limited and codes[0].status_code == 200
        assert int(limited[0].headers["retry-after"]) >= 1
        assert "too many requests" in limited[0].json()["error"]["message"]
    # Another token is not affected.
    with server.client("pub") as c:
        assert c.get("/v1/me").status_code == 200


# --- questions ------------------------------------------------------------------------------------


def test_ask_returns_the_answer_record_with_citations(server):
    with server.client("pub") as c:
        rec = c.post("/v1/ask", json={"question": PUBLIC_QUESTION}).json()
    assert rec["declined"] is False and "2027" in rec["answer"] and "[1]" in rec["answer"]
    assert rec["citations"][0]["doc_id"] == "public-note"
    assert rec["backend"] == "extractive" and rec["retrieved"] and "total" in rec["latency_ms"]


def test_ask_streams_server_sent_events_ending_with_the_verified_answer(server):
    with server.client("pub") as c:
        plain = c.post("/v1/ask", json={"question": PUBLIC_QUESTION}).json()
        with c.stream("POST", "/v1/ask", json={"question": PUBLIC_QUESTION, "stream": True}) as r:
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
            events = _sse_events(r)
    names = [n for n, _ in events]
    assert names[-2:] == ["answer", "done"]
    # The extractive backend has no provisional text; a model's tokens would come first as "token".
    assert set(names[:-2]) <= {"token"}
    answer = events[-2][1]
    assert answer["answer"] == plain["answer"] and answer["citations"] == plain["citations"]


def test_follow_up_with_history(server):
    with server.client("pub") as c:
        rec = c.post(
            "/v1/ask",
            json={
                "question": "And where are its factories?",
                "history": [{"question": "What does Rapidus make?", "answer": "2-nanometre chips"}],
            },
        ).json()
    assert "rewritten_question" in rec and "Rapidus" in rec["rewritten_question"]


def test_openai_client_chat_completions_plain_and_streaming(server):
    from openai import OpenAI

    client = OpenAI(base_url=f"{server.url}/v1", api_key=server.tokens["pub"], max_retries=0)
    assert "briefing" in [m.id for m in client.models.list()]
    messages = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "What do the subsidies support?"},
        {"role": "assistant", "content": "Factories of TSMC and Rapidus."},
        {"role": "user", "content": PUBLIC_QUESTION},
    ]
    done = client.chat.completions.create(model="briefing", messages=messages)
    text = done.choices[0].message.content
    assert "2027" in text and "[1]" in text and "\n\nSources:\n[1] Public note on semiconductor subsidies" in text
    assert done.choices[0].finish_reason == "stop"
    citations = done.model_extra["citations"]
    assert citations[0]["marker"] == 1 and citations[0]["doc_id"] == "public-note"

    stream = client.chat.completions.create(model="briefing", messages=messages, stream=True)
    parts, last = [], None
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            parts.append(chunk.choices[0].delta.content)
        last = chunk
    assert "".join(parts) == text
    assert last.choices[0].finish_reason == "stop" and last.model_extra["citations"] == citations

    from openai import NotFoundError

    with pytest.raises(NotFoundError):
        client.chat.completions.create(model="gpt-4o", messages=messages)


# --- the library, notes and quizzes ---------------------------------------------------------------


def test_documents_upload_and_remove_within_the_callers_role(server):
    upload = b"Export controls on lithography equipment were tightened in July 2023 to cover 23 items of chip-making equipment.\n"
    with server.client("pub") as pub, server.client("boss") as boss:
        r = pub.post("/v1/documents", files={"file": ("controls.txt", upload)}, data={"access": "restricted"})
        assert r.status_code == 403 and "cannot upload" in r.json()["error"]["message"]
        r = pub.post("/v1/documents", files={"file": ("controls.txt", upload)}, data={"access": "public"})
        assert r.status_code == 201, r.text
        source = r.json()["source"]
        assert source.startswith("uploads/") and r.json()["passages"] >= 1
        listed = {d["source"]: d for d in pub.get("/v1/documents").json()["documents"]}
        assert listed[source]["removable"] is True and listed["public-note.md"]["removable"] is False
        rec = pub.post(
            "/v1/ask", json={"question": "How many items of equipment did the export controls cover?"}
        ).json()
        assert not rec["declined"] and "23 items" in rec["answer"]

        r = pub.post("/v1/documents", files={"file": ("nothing.exe", b"MZ\x90\x00binary")})
        assert r.status_code == 400 and r.json()["error"]["type"] == "upload_refused"
        r = pub.delete("/v1/documents/public-note")
        assert r.status_code == 403 and "only uploaded documents" in r.json()["error"]["message"]
        assert pub.delete(f"/v1/documents/{source}").status_code == 200
        assert source not in {d["source"] for d in pub.get("/v1/documents").json()["documents"]}

        # A restricted upload: invisible to the public token, which cannot remove it either.
        r = boss.post("/v1/documents", files={"file": ("secret-plan.txt", upload)}, data={"access": "restricted"})
        assert r.status_code == 201, r.text
        secret = r.json()["source"]
        assert secret in {d["source"] for d in boss.get("/v1/documents").json()["documents"]}
        assert secret not in {d["source"] for d in pub.get("/v1/documents").json()["documents"]}
        r = pub.delete(f"/v1/documents/{secret}")
        assert r.status_code == 404 and "you may read" in r.json()["error"]["message"]
        assert boss.delete(f"/v1/documents/{secret}").status_code == 200


def test_briefing_notes_as_json_markdown_and_docx(server):
    with server.client("pub") as c:
        note = c.post("/v1/briefing-notes", json={"topic": "semiconductor subsidies"}).json()
        assert note["topic"] == "semiconductor subsidies" and note["sources"]
        md = c.post("/v1/briefing-notes", json={"topic": "semiconductor subsidies", "format": "markdown"})
        assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("# ")
        docx = c.post("/v1/briefing-notes", json={"topic": "semiconductor subsidies", "format": "docx"})
        assert docx.status_code == 200 and docx.content[:2] == b"PK"  # a zip: the DOCX container
        assert "attachment" in docx.headers["content-disposition"]


def test_quizzes_and_grading(server):
    with server.client("boss") as c:
        quiz = c.post("/v1/quizzes", json={"n": 2, "kinds": ["short"], "seed": 3}).json()
        questions = quiz["questions"]
        assert questions and all(q["answer"] and "_____" in q["prompt"] for q in questions)
        responses = {str(questions[0]["id"]): questions[0]["answer"]}
        graded = c.post("/v1/quizzes/grade", json={"questions": questions, "responses": responses}).json()
    assert graded["of"] == len(questions) and graded["results"][0]["correct"] is True
    if len(questions) > 1:
        assert graded["results"][1]["correct"] is False  # not answered


# --- the access line --------------------------------------------------------------------------------


def test_a_public_token_never_sees_the_restricted_document_through_any_endpoint(server):
    from openai import OpenAI

    seen: list[tuple[str, tuple[str, ...]]] = []  # (response, what the request said)
    with server.client("pub") as c:
        for q in SECRET_QUESTIONS:
            seen.append((c.post("/v1/ask", json={"question": q}).text, (q,)))
            seen.append((c.post("/v1/ask", json={"question": q, "mode": "lexical"}).text, (q,)))
            with c.stream("POST", "/v1/ask", json={"question": q, "stream": True}) as r:
                seen.append((r.read().decode(), (q,)))
            body = {"question": q, "filters": {"doc_id": ["restricted-note"]}}
            seen.append((c.post("/v1/ask", json=body).text, (q,)))
        seen.append((c.get("/v1/documents").text, ()))
        seen.append((c.delete("/v1/documents/restricted-note.md").text, ("restricted-note.md",)))
        topic = "gallium stockpile at Tomakomai"
        for fmt in ("json", "markdown"):
            seen.append((c.post("/v1/briefing-notes", json={"topic": topic, "format": fmt}).text, (topic,)))
        for body in ({"n": 5, "seed": 1}, {"n": 5, "topic": "gallium germanium stockpile", "seed": 2}):
            seen.append((c.post("/v1/quizzes", json=body).text, (body.get("topic") or "",)))
        seen.append((c.get("/v1/audit").text, ()))
    client = OpenAI(base_url=f"{server.url}/v1", api_key=server.tokens["pub"], max_retries=0)
    for q in SECRET_QUESTIONS:
        done = client.chat.completions.create(model="briefing", messages=[{"role": "user", "content": q}])
        seen.append((done.model_dump_json(), (q,)))
        for chunk in client.chat.completions.create(
            model="briefing", messages=[{"role": "user", "content": q}], stream=True
        ):
            seen.append((chunk.model_dump_json(), (q,)))
    assert len(seen) > 25
    leaks = {text[:200]: _leaks(text, sent) for text, sent in seen if _leaks(text, sent)}
    assert not leaks, leaks

    # The control: the same requests with the restricted token do reach the document, so the
    # absence above is the access rule at work, not a question that finds nothing.
    with server.client("boss") as c:
        rec = c.post("/v1/ask", json={"question": SECRET_QUESTIONS[0]}).json()
        assert "Sandpiper" in rec["answer"]
        assert "restricted-note.md" in c.get("/v1/documents").text
        quiz = c.post("/v1/quizzes", json={"n": 5, "topic": "gallium germanium stockpile", "seed": 2}).text
        assert _leaks(quiz, ("gallium germanium stockpile",))
    boss = OpenAI(base_url=f"{server.url}/v1", api_key=server.tokens["boss"], max_retries=0)
    done = boss.chat.completions.create(model="briefing", messages=[{"role": "user", "content": SECRET_QUESTIONS[0]}])
    assert re.search(r"Sandpiper", done.choices[0].message.content)
