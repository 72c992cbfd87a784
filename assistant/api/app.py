"""The HTTP API (`briefing serve`, docs/api.md): FastAPI over the same features as the CLI and
the app. Endpoints parse the request, call a feature and render; the user and their role come
from the bearer token's user record (auth.py), and every search runs under that role.

`create_app(settings)` builds one app; uvicorn calls it once per worker process
(`uvicorn assistant.api.app:create_app --factory`)."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.api import openai_compat as oai
from assistant.api.auth import ApiError, TokenBuckets, current_user, require_admin
from assistant.api.metrics import Metrics
from assistant.api.resources import Resources
from assistant.api.schemas import AskRequest, ChatRequest, GradeRequest, NoteRequest, QuizRequest, filters_of
from assistant.core.access import readable_levels
from assistant.core.offline import go_offline
from assistant.core.settings import Settings, get_settings
from assistant.core.types import Answer, Turn, recent
from assistant.features.chat import respond
from assistant.features.users import User

log = logging.getLogger("briefing.api")
CurrentUser = Annotated[User, Depends(current_user)]


# --- middleware (plain ASGI, so that streamed responses pass through untouched) -------------


class BodyTooLarge(StarletteHTTPException):
    pass


class LimitBody:
    """Refuses a body larger than the limit: at once from its Content-Length, or while reading
    a body sent without one (chunked), before the endpoint sees any of it."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    def message(self) -> str:
        return f"the request body is larger than the limit of {self.max_bytes / 2**20:g} MB (api_max_request_mb)"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            response = _error_response(413, "request_too_large", self.message())
            return await response(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(413, self.message())
            return msg

        await self.app(scope, limited, send)


class CountRequests:
    """Counts every request by its route template (not its path: ids in paths would make a
    label per document) with its status and duration, for /metrics."""

    def __init__(self, app, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        status = 500  # what the client gets if the app fails before responding

        async def record_status(msg):
            nonlocal status
            if msg["type"] == "http.response.start":
                status = msg["status"]
            await send(msg)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = scope.get("route")
            name = getattr(route, "path", None) or "unmatched"
            self.metrics.request(scope.get("method", ""), name, status, time.perf_counter() - t0)


# --- errors: one JSON shape everywhere -----------------------------------------------------


def _error_response(status: int, type: str, message: str, headers: dict | None = None, **extra) -> JSONResponse:
    return JSONResponse({"error": {"type": type, "message": message, **extra}}, status_code=status, headers=headers)


_HTTP_TYPES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    429: "rate_limited",
}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError):
        return _error_response(exc.status, exc.type, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        return _error_response(
            exc.status_code, _HTTP_TYPES.get(exc.status_code, "error"), str(exc.detail), getattr(exc, "headers", None)
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        summary = "; ".join(f"{d['field'] or 'body'}: {d['problem']}" for d in details[:5])
        return _error_response(422, "invalid_request", f"the request does not fit the API: {summary}", details=details)

    @app.exception_handler(Exception)
    async def failed(_request: Request, exc: Exception):
        log.exception("request failed")
        return _error_response(500, "internal_error", "the server failed on this request; its log has the details")


# --- what the endpoints share ------------------------------------------------------------------


def _sse(event: str, data) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _ask(
    res: Resources,
    user: User,
    question: str,
    history: list[Turn],
    backend,
    filters,
    k=None,
    mode="hybrid",
    on_token=None,
) -> Answer:
    """One question, asked as the caller, in the same answer shapes as the CLI and the app
    (features/chat.respond: the timeline for "how has ... evolved", dates for "when"), and
    recorded in the audit log; here the history comes with the request."""
    assistant = res.assistant(user, backend)
    with res.answer_slots:
        answer = respond(assistant, question, recent(history), filters=filters, k=k, mode=mode, on_token=on_token)
    res.audit.record(answer, user.name, user.role)
    return answer


_running: set = set()


def _streamed(work, on_event):
    """Runs `work(on_token)` in a worker thread and yields server-sent events as it goes:
    `on_event(kind, value)` renders ("token", text), ("answer", Answer) and ("error", exc)."""

    async def events():
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()

        def on_token(text: str) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, ("token", text))

        def run() -> None:
            try:
                result = work(on_token)
            except Exception as exc:  # the stream has begun (200): the failure is an event
                log.exception("streamed request failed")
                loop.call_soon_threadsafe(queue.put_nowait, ("error", exc))
            else:
                loop.call_soon_threadsafe(queue.put_nowait, ("answer", result))

        # A client that hangs up does not stop the answer (the audit log still records it);
        # the task is kept referenced until it ends.
        task = asyncio.ensure_future(run_in_threadpool(run))
        _running.add(task)
        task.add_done_callback(_running.discard)
        for first in on_event("open", None):
            yield first
        while True:
            kind, value = await queue.get()
            for text in on_event(kind, value):
                yield text
            if kind != "token":
                break

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


# --- the app ------------------------------------------------------------------------------------


def create_app(settings: Settings | None = None) -> FastAPI:
    go_offline()
    settings = settings or get_settings()
    resources = Resources(settings)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # Load in the background: /healthz answers at once, /readyz once the models are in.
        threading.Thread(target=resources.warm_up, name="warm-up", daemon=True).start()
        yield

    app = FastAPI(
        title="Policy briefing assistant API",
        version="1",
        summary="Cited answers from official documents on Japan's economic security.",
        description=(
            "Every endpoint under /v1 takes `Authorization: Bearer <token>` (`briefing token add USER`). "
            "What a caller may read follows the role of their user record. Errors are "
            '`{"error": {"type", "message"}}`. See docs/api.md.'
        ),
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.resources = resources
    app.state.metrics = metrics
    app.state.buckets = TokenBuckets(settings.api_rate_per_minute, settings.api_burst)

    # The last added is the outermost: counting sees every response, the 413s included.
    if settings.api_cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.api_cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(LimitBody, max_bytes=int(settings.api_max_request_mb * 2**20))
    app.add_middleware(CountRequests, metrics=metrics)
    _install_error_handlers(app)

    # --- operations ---------------------------------------------------------------------------

    @app.get("/healthz", tags=["operations"], summary="The process is up (liveness)")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], summary="Ready to answer: models loaded, index readable and not empty")
    def readyz():
        from assistant.features.library import index_stats

        if not resources.ready:
            return _error_response(503, "not_ready", resources.problem)
        try:
            stats = index_stats(settings)
        except Exception as exc:
            return _error_response(503, "not_ready", f"the index cannot be read: {exc}")
        if not stats.get("chunks"):
            return _error_response(503, "not_ready", "the index is empty: run `briefing ingest`")
        return {
            "status": "ready",
            "documents": stats["documents"],
            "chunks": stats["chunks"],
            "version": stats.get("version"),
        }

    @app.get("/metrics", tags=["operations"], summary="Prometheus text format", response_class=PlainTextResponse)
    def prometheus():
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/v1/me", tags=["operations"], summary="Who the token belongs to, and their role")
    def me(user: CurrentUser):
        return {
            "user": user.name,
            "role": user.role,
            "admin": user.admin,
            "readable_levels": readable_levels(user.role),
        }

    # --- questions ------------------------------------------------------------------------------

    @app.post("/v1/ask", tags=["questions"], summary="One question, answered with citations (or declined)")
    def ask(body: AskRequest, user: CurrentUser):
        """The answer record is the one `briefing ask --json` prints. With `stream: true`, server-sent
        events: `token` (provisional text of a model backend, not yet verified), then `answer` (the
        verified record), then `done`; a failure after the stream began is an `error` event."""
        history = [Turn(t.question, t.answer) for t in body.history]
        filters = filters_of(body.filters)
        resources.generator(body.backend)  # an unknown backend is a 400 before any stream begins

        def work(on_token=None) -> Answer:
            return _ask(resources, user, body.question, history, body.backend, filters, body.k, body.mode, on_token)

        if not body.stream:
            answer = work()
            metrics.answer("ask", answer.declined)
            return answer.to_record()

        def render(kind, value):
            if kind == "token":
                yield _sse("token", {"text": value, "provisional": True})
            elif kind == "answer":
                metrics.answer("ask", value.declined)
                yield _sse("answer", value.to_record())
                yield _sse("done", {})
            elif kind == "error":
                metrics.error("/v1/ask", "stream")
                yield _sse(
                    "error", {"error": {"type": "internal_error", "message": "answering failed; see the server log"}}
                )

        return _streamed(work, render)

    @app.get("/v1/models", tags=["questions"], summary="Model names for OpenAI clients (the answer backends)")
    def models(user: CurrentUser):
        from assistant.answering.generators import REGISTRY

        names = [oai.MODEL, *REGISTRY]
        return {
            "object": "list",
            "data": [{"id": n, "object": "model", "created": 0, "owned_by": "briefing"} for n in names],
        }

    @app.post("/v1/chat/completions", tags=["questions"], summary="OpenAI-compatible chat completions")
    def chat_completions(body: ChatRequest, user: CurrentUser):
        """`model` is `briefing` (the configured backend) or a backend name from /v1/models. The reply
        lists its sources under the text and again as a structured `citations` field."""
        from assistant.answering.generators import REGISTRY

        if body.model != oai.MODEL and body.model not in REGISTRY:
            raise ApiError(
                404, "model_not_found", f"unknown model '{body.model}' (known: {', '.join([oai.MODEL, *REGISTRY])})"
            )
        backend = None if body.model == oai.MODEL else body.model
        try:
            question, history = oai.split_messages([(m.role, m.text()) for m in body.messages])
        except oai.ChatInputError as exc:
            raise ApiError(400, "invalid_request", str(exc)) from None
        filters = filters_of(body.filters)
        resources.generator(backend)

        def work(on_token=None) -> Answer:
            # Tokens are not forwarded: a chat client would show unverified text as the answer.
            return _ask(resources, user, question, history, backend, filters)

        if not body.stream:
            answer = work()
            metrics.answer("chat", answer.declined)
            return oai.completion(answer, body.model)

        cid = oai.new_id()

        def render(kind, value):
            if kind == "open":  # the role first, so that a client shows the reply has begun
                yield f"data: {json.dumps(oai.chunk(cid, body.model, {'role': 'assistant', 'content': ''}))}\n\n"
            elif kind == "answer":
                metrics.answer("chat", value.declined)
                for piece in oai.pieces(oai.content(value)):
                    yield f"data: {json.dumps(oai.chunk(cid, body.model, {'content': piece}), ensure_ascii=False)}\n\n"
                final = oai.chunk(cid, body.model, {}, "stop", **oai.extras(value))
                yield f"data: {json.dumps(final, ensure_ascii=False)}\n\n"
                yield "data: [DONE]\n\n"
            elif kind == "error":
                metrics.error("/v1/chat/completions", "stream")
                yield f"data: {json.dumps({'error': {'type': 'internal_error', 'message': 'answering failed; see the server log'}})}\n\n"

        return _streamed(work, render)

    # --- the library ----------------------------------------------------------------------------

    @app.get("/v1/documents", tags=["library"], summary="The documents the caller may read")
    def documents(user: CurrentUser):
        from assistant.features.library import removable, visible_documents

        docs = visible_documents(settings, user.role)
        return {"documents": [{**d, "removable": removable(settings, d["source"])} for d in docs]}

    @app.post("/v1/documents", tags=["library"], status_code=201, summary="Upload a document (multipart/form-data)")
    def upload(
        user: CurrentUser,
        file: Annotated[UploadFile, File(description="PDF, Markdown, HTML or text")],
        access: Annotated[
            str, Form(description="public, internal or restricted: at most the caller's role")
        ] = "public",
        title: Annotated[str, Form(max_length=300)] = "",
    ):
        from assistant.features.library import UploadError, add_upload

        if access not in readable_levels(user.role):
            raise ApiError(403, "forbidden", f"a {user.role} user cannot upload a document at access level '{access}'")
        data = file.file.read()
        try:
            added = add_upload(
                settings, file.filename or "upload", data, access, user.role, uploader=user.name, title=title
            )
        except UploadError as exc:
            raise ApiError(400, "upload_refused", f"{exc.name}: {exc.reason}") from None
        source = added.path.relative_to(settings.corpus_dir).as_posix()
        return {
            "source": source,
            "access": access,
            "pages": added.report.pages,
            "passages": added.report.chunks_written,
        }

    @app.delete("/v1/documents/{doc:path}", tags=["library"], summary="Remove an uploaded document (doc id or source)")
    def remove(doc: str, user: CurrentUser):
        from assistant.features.library import IngestBusy, UploadError, removable, remove_document, visible_documents

        # Only among what the caller may read: a hidden document is "not found", not "forbidden",
        # so that the answer does not confirm it exists.
        found = next((d for d in visible_documents(settings, user.role) if doc in (d["doc_id"], d["source"])), None)
        if found is None:
            raise ApiError(404, "not_found", f"no document '{doc}' in the library you may read")
        if not removable(settings, found["source"]):
            raise ApiError(
                403,
                "forbidden",
                "only uploaded documents can be removed; the shipped corpus is managed with its manifest",
            )
        try:
            report = remove_document(settings, found["source"])
        except IngestBusy as exc:
            raise ApiError(
                503, "busy", f"the file is removed; its passages leave the index at the next ingest ({exc})"
            ) from None
        except UploadError as exc:
            raise ApiError(400, "invalid_request", f"{exc.name}: {exc.reason}") from None
        return {"removed": found["source"], "doc_id": found["doc_id"], "passages_removed": report.chunks_deleted}

    # --- briefing notes and quizzes -------------------------------------------------------------

    @app.post(
        "/v1/briefing-notes", tags=["documents for staff"], summary="A briefing note on a topic: JSON, Markdown or DOCX"
    )
    def briefing_note(body: NoteRequest, user: CurrentUser):
        from assistant.features.briefing import draft_note
        from assistant.features.export import note_docx, note_markdown

        with resources.answer_slots:
            note = draft_note(resources.assistant(user, body.backend), body.topic, filters=filters_of(body.filters))
        if body.format == "markdown":
            return Response(note_markdown(note), media_type="text/markdown; charset=utf-8")
        if body.format == "docx":
            return Response(
                note_docx(note),
                media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                headers={"Content-Disposition": 'attachment; filename="briefing-note.docx"'},
            )
        return note.to_dict()

    @app.post(
        "/v1/quizzes", tags=["documents for staff"], summary="Quiz questions cut from passages the caller may read"
    )
    def quiz(body: QuizRequest, user: CurrentUser):
        """Each question carries its answer key (`answer`): a training portal shows the prompt and
        options, keeps the key, and sends both back to /v1/quizzes/grade."""
        import random

        from assistant.features.quiz import make_quiz

        seed = body.seed if body.seed is not None else random.randrange(2**31)
        with resources.answer_slots:
            questions = make_quiz(
                resources.retriever(user.role),
                body.n,
                topic=(body.topic or "").strip() or None,
                filters=filters_of(body.filters),
                kinds=tuple(body.kinds),
                seed=seed,
            )
        return {"seed": seed, "questions": [q.to_dict() for q in questions]}

    @app.post("/v1/quizzes/grade", tags=["documents for staff"], summary="Grade a trainee's answers")
    def grade_quiz(body: GradeRequest, user: CurrentUser):
        from dataclasses import fields

        from assistant.features.quiz import QuizQuestion, grade

        known = {f.name for f in fields(QuizQuestion)}
        results = []
        for q in body.questions:
            question = QuizQuestion(**{k: v for k, v in q.model_dump().items() if k in known})
            g = grade(question, body.responses.get(q.id))
            results.append({"id": q.id, "correct": g.correct, "feedback": g.feedback})
        return {"score": sum(r["correct"] for r in results), "of": len(results), "results": results}

    # --- administration ----------------------------------------------------------------------------

    @app.get("/v1/audit", tags=["administration"], summary="The audit log (administrators only)")
    def audit(
        user: CurrentUser,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        of_user: Annotated[str | None, Query(alias="user", max_length=200)] = None,
    ):
        require_admin(user)
        return {"entries": resources.audit.entries(limit, of_user)}

    return app
