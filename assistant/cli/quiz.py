"""`briefing quiz TOPIC [-n N] [--json]`: the Quiz page's questions from the command line, so a
trainer can script them and check them (evals/quiz_quality.py scores the same output)."""

from __future__ import annotations

import json

from assistant.cli.common import _error, _settings, ensure_index

KINDS = {"mixed": ("mc", "short"), "mc": ("mc",), "short": ("short",)}


def register(sub) -> None:
    p = sub.add_parser("quiz", help="fill-the-blank questions on a topic, with the answer key and sources")
    p.add_argument("topic", help='what the quiz is about, e.g. "critical minerals" or "AI研究開発"')
    p.add_argument("-n", type=int, default=5, help="number of questions (default 5)")
    p.add_argument("--kind", default="mixed", choices=list(KINDS), help="multiple choice, short answer or both")
    p.add_argument("--seed", type=int, default=0, help="another seed gives another quiz on the same topic")
    p.add_argument("--doc", action="append", help="only from this document id (repeatable)")
    p.add_argument("--json", action="store_true", help="print the questions as JSON (with key and source)")
    p.set_defaults(func=cmd_quiz)


def cmd_quiz(args) -> int:
    from assistant.core.types import Filters
    from assistant.features.quiz import make_quiz
    from assistant.retrieval.search import Retriever

    topic = args.topic.strip()
    if not topic:
        return _error("give a topic, e.g. briefing quiz \"critical minerals\"")
    if not 1 <= args.n <= 50:
        return _error("-n takes 1 to 50 questions")
    settings = _settings()
    ensure_index(settings, quiet=args.json)
    filters = Filters()
    if args.doc:
        filters["doc_id"] = list(args.doc)
    questions = make_quiz(
        Retriever(settings), args.n, topic=topic, filters=filters, kinds=KINDS[args.kind], seed=args.seed
    )
    if args.json:
        print(json.dumps([q.to_dict() for q in questions], ensure_ascii=False, indent=2))
    else:
        print(render(topic, questions, args.n))
    # No question at all is a result a script must notice; fewer than asked is said on stderr.
    return 0 if questions else 1


def render(topic: str, questions, asked: int) -> str:
    lines = [f"Quiz: {topic} ({len(questions)} questions)", ""]
    if not questions:
        lines.append("The documents you may read hold no fair question on this topic; try a broader one.")
        return "\n".join(lines)
    for q in questions:
        lines.append(f"{q.id}. {q.prompt}")
        for letter, option in zip("ABCD", q.options):
            lines.append(f"   {letter}) {option}")
        lines.append("")
    lines.append("Answer key")
    for q in questions:
        letter = next((f"{x}) " for x, o in zip("ABCD", q.options) if o == q.answer), "")
        lines.append(f"{q.id}. {letter}{q.answer} \u2014 {q.source}")
    if len(questions) < asked:
        lines.append(
            f"\n(Only {len(questions)} of {asked} questions: the documents hold no more fair ones on this topic.)"
        )
    return "\n".join(lines)
