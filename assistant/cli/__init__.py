"""`briefing` subcommands: ingest, upload, remove, ask, chat, app, eval, status, user, audit,
and those registered in COMMANDS (one module each in this package).

Each command parses its arguments and calls a feature; imports are inside the commands so
that `briefing --help` starts fast."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

from assistant.core.access import ROLES
from assistant.core.offline import go_offline

go_offline()


from assistant.cli.common import _add_filter_args, _audit, _error, _filters, _settings, ensure_index  # noqa: E402,F401


def cmd_ingest(args) -> int:
    from ingest.pipeline import IngestBusy, ingest

    try:
        report = ingest(_settings(), [Path(p) for p in args.paths] or None, progress=not args.quiet)
    except IngestBusy as exc:
        return _error(exc)
    print(report.summary())
    return 1 if report.errors and report.files_ingested == 0 and report.files_unchanged == 0 else 0


def cmd_upload(args) -> int:
    """Adds files to the library as the app's Library page does: checked, stored under
    uploads/ with their access level, ingested; a refused file is named and not kept."""
    from assistant.features.library import UploadError, add_upload

    settings = _settings()
    failed = 0
    for name in args.paths:
        path = Path(name)
        try:
            added = add_upload(
                settings,
                path.name,
                path.read_bytes(),
                args.access,
                settings.role,
                uploader=settings.user,
                title=args.title or "",
            )
        except (OSError, UploadError) as exc:
            print(f"error: {path}: {getattr(exc, 'reason', None) or exc}", file=sys.stderr)
            failed += 1
            continue
        print(
            f"added {added.path.relative_to(settings.corpus_dir).as_posix()}: {added.report.pages} pages, "
            f"{added.report.chunks_written} passages ({args.access})"
        )
    return 1 if failed else 0


def cmd_remove(args) -> int:
    from assistant.features.library import UploadError, remove_document, visible_documents

    settings = _settings()
    docs = {d["doc_id"]: d["source"] for d in visible_documents(settings, settings.role)}
    source = docs.get(args.doc, args.doc)
    try:
        report = remove_document(settings, source)
    except UploadError as exc:
        return _error(exc)
    print(f"removed {source} ({report.chunks_deleted} passages left the index)")
    return 0


def _print_answer(answer) -> None:
    """The answer as every front end shows it (features/answer_view.py): a model's direct answer,
    the quotations it was written from under their label, then the sources."""
    from assistant.core.types import location
    from assistant.features.answer_view import QUOTES_LABEL, answer_view

    view = answer_view(answer)
    if view.note:
        print(f"({view.note})")
    print(view.text)
    if view.quotes:
        print(f"\n{QUOTES_LABEL}")
        for q in view.quotes:
            print(f"  {q}")
    if answer.not_covered:
        print(f"\n(Partly answered: the documents do not state {answer.not_covered}.)")
    if answer.declined and answer.related:
        print("\nRelated material (it does not answer the question):")
        for h in answer.related:
            c = h.chunk
            where = location(c.page, c.article)
            print(f"- {c.meta.title} ({c.meta.source}{f', {where}' if where else ''})")
    if answer.citations:
        print()
        for c in answer.citations:
            # "Art. 3(2), p. 2" for a law, "p. 4" for a PDF; OCR text may carry misreadings.
            where = c.location or "no pages"
            print(f"[{c.marker}] {c.title} ({c.source}, {where}){' [OCR]' if c.ocr else ''}")


class ProvisionalPrinter:
    """Streams a model's tokens to stderr, marked provisional: only the verified answer that
    follows on stdout is the assistant's answer."""

    def __init__(self) -> None:
        self.started = False

    def __call__(self, token: str) -> None:
        if not self.started:
            print("(provisional) ", end="", file=sys.stderr)
            self.started = True
        print(token, end="", file=sys.stderr, flush=True)


def cmd_ask(args) -> int:
    from assistant.answering.engine import Assistant
    from assistant.features.chat import ChatSession

    settings = _settings()
    ensure_index(settings, quiet=args.json)
    stream = None if args.json else ProvisionalPrinter()
    session = ChatSession(Assistant(settings, backend=args.backend), audit=_audit(settings))
    answer = session.ask(args.question, filters=_filters(args), k=args.k, mode=args.mode, on_token=stream)
    if stream is not None and stream.started:
        print("\n(provisional text above; the checked answer follows)\n", file=sys.stderr)
    if args.json:
        print(json.dumps(answer.to_record(), ensure_ascii=False, indent=2))
    else:
        _print_answer(answer)
    return 0


def cmd_chat(args) -> int:
    from assistant.answering.engine import Assistant
    from assistant.features.chat import ChatSession

    settings = _settings()
    ensure_index(settings)
    session = ChatSession(Assistant(settings, backend=args.backend), audit=_audit(settings))
    print("Ask about Japan's economic security. Empty line or Ctrl-D quits; /reset forgets the conversation.")
    while True:
        try:
            question = input("\nyou> ").strip()
        except EOFError:
            print()
            return 0
        if not question:
            return 0
        if question == "/reset":
            session.reset()
            print("(conversation cleared)")
            continue
        stream = ProvisionalPrinter()
        answer = session.ask(question, filters=_filters(args), k=args.k, mode=args.mode, on_token=stream)
        if stream.started:
            print("\n(provisional text above; the checked answer follows)", file=sys.stderr)
        if answer.rewritten_question and answer.rewritten_question != question:
            print(f"(searched for: {answer.rewritten_question})")
        _print_answer(answer)


def _launcher(settings, main: Path) -> Path:
    """<index>/app/main.py, which runs the app's main script from the package: the folder
    Streamlit serves static files from is then <index>/app/static, outside the package."""
    settings.app_dir.mkdir(parents=True, exist_ok=True)
    script = settings.app_dir / "main.py"
    script.write_text(
        "# Written by `briefing app`: runs the app from the installed package.\n"
        f"import runpy\nrunpy.run_path({str(main.resolve())!r}, run_name='__main__')\n",
        encoding="utf-8",
    )
    return script


def cmd_app(args) -> int:
    settings = _settings()
    if not args.no_ingest:
        ensure_index(settings)
    # Static serving carries the "open the PDF at this page" links (unguessable per-session
    # copies of documents the user may read; assistant/app/pdf_links.py). Streamlit serves them
    # from beside its main script, so the script is a launcher in the index folder.
    page = _launcher(settings, Path(__file__).parent.parent / "app" / "main.py")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(page),
        "--server.headless",
        "true",
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
        "--browser.gatherUsageStats",
        "false",
        "--server.enableStaticServing",
        "true",
        "--client.toolbarMode",
        "minimal",
        "--server.maxUploadSize",
        str(max(1, int(settings.max_file_mb))),
    ]
    print(f"Starting the app on http://{args.address}:{args.port}", file=sys.stderr)
    sys.stderr.flush()
    # Become the server, so that a signal to this process (Ctrl-C, a supervisor) reaches it.
    os.execv(sys.executable, cmd)
    return 0


def cmd_user(args) -> int:
    import getpass

    from assistant.features.users import add_user, has_users

    settings = _settings()
    if not has_users(settings):
        return _error("set users_file or database_url (BRIEFING_USERS_FILE, BRIEFING_DATABASE_URL) first")
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    if len(password) < 8:
        return _error("a password has at least 8 characters")
    try:
        add_user(settings, args.name, password, args.role, args.admin)
    except ValueError as exc:
        return _error(exc)
    where = "the shared database" if settings.database_url else settings.users_file
    print(f"user {args.name} ({args.role}{', admin' if args.admin else ''}) written to {where}")
    return 0


def cmd_status(args) -> int:
    """The library as the configured role may see it (BRIEFING_ROLE)."""
    from assistant.features.library import visible_documents

    settings = _settings()
    docs = visible_documents(settings, settings.role)
    stats = {"documents": len(docs), "chunks": sum(int(d.get("chunks") or 0) for d in docs)}
    if args.json:
        print(json.dumps({**stats, "documents_list": docs}, ensure_ascii=False, indent=2))
    else:
        print(f"index {settings.index_dir}: {stats['documents']} documents, {stats['chunks']} chunks")
        for d in docs:
            print(f"  {d['doc_id']}  [{d['type'] or '-'}, {d['language']}, {d['date'] or '-'}]  {d['chunks']} chunks")
    return 0


def cmd_audit(args) -> int:
    """For administrators: the audit log lives in the index folder, readable by its owner (or in
    the shared database with database_url)."""
    from assistant.features.audit import AuditLog

    for e in AuditLog(_settings()).entries(args.limit, args.user):
        cited = ", ".join(f"{c['doc_id']}" + (f" p.{c['page']}" if c["page"] else "") for c in e["cited"]) or "-"
        print(
            f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(e['at']))}  {e['user']} ({e['role']})  "
            f"{'DECLINED' if e['declined'] else 'answered'} by {e['backend']}: {e['question']!r}  cited: {cited}"
        )
    return 0


def cmd_eval(args) -> int:
    import json as _json

    from assistant.answering.engine import Assistant
    from assistant.features.evaluation.run import evaluate, format_metrics

    settings = _settings()
    ensure_index(settings)
    metrics = evaluate(Assistant(settings, backend=args.backend), args.dataset, args.results, k=args.k, mode=args.mode)
    print(format_metrics(f"{args.dataset} [{args.backend}, {args.mode}]", metrics))
    if args.metrics:
        args.metrics.parent.mkdir(parents=True, exist_ok=True)
        args.metrics.write_text(_json.dumps(metrics, indent=2), encoding="utf-8")
    return 0


# A new subcommand is a module in this package with `register(subparsers)` and one line here.
COMMANDS: list[str] = ["add", "refresh", "serve", "token", "timeline", "note", "quiz"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing", description="Cited answers from official documents on Japan's economic security."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest the corpus folder (or the given files and folders)")
    p.add_argument("paths", nargs="*")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("upload", help="add files to the library (checked, stored under uploads/, ingested)")
    p.add_argument("paths", nargs="+")
    p.add_argument(
        "--access", default="public", choices=ROLES, help="who may read it (never above your own role, BRIEFING_ROLE)"
    )
    p.add_argument("--title", default=None)
    p.set_defaults(func=cmd_upload)

    p = sub.add_parser("remove", help="remove an uploaded document (by doc id or uploads/ path)")
    p.add_argument("doc")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("ask", help="answer one question with citations")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print one EVAL_FORMAT results record")
    _add_filter_args(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="a terminal conversation with history")
    _add_filter_args(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("app", help="start the Streamlit app (builds the index first if missing)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="localhost")
    p.add_argument("--no-ingest", action="store_true")
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("user", help="add or update an app login (needs users_file or database_url)")
    p.add_argument("action", choices=["add"])
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--admin", action="store_true", help="may read the audit log in the app")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=cmd_user)

    p = sub.add_parser("status", help="documents and chunks in the index")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("audit", help="(administrators) the audit log of questions asked")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--user", default=None)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("eval", help="run the eval harness over a dataset (EVAL_FORMAT.md)")
    p.add_argument("--dataset", required=True, type=Path)
    p.add_argument("--results", required=True, type=Path)
    p.add_argument("--backend", default="extractive")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "lexical"])
    p.add_argument("--metrics", type=Path, default=None, help="also write the metrics as JSON here")
    p.set_defaults(func=cmd_eval)

    for name in COMMANDS:
        importlib.import_module(f"assistant.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
