"""Quiz quality: scores a batch of generated quizzes against the fairness rules of issue 16.

    flock /tmp/briefing-heavy.lock .venv/bin/python -m evals.quiz_quality [--out reports/quiz_quality.json]

Makes QUIZZES_PER_TOPIC multiple-choice quizzes of QUESTIONS questions on each of TOPICS (what a
trainer would set on this corpus, one of them Japanese) over the configured index, checks every
question with the rules below, and prints per-rule failure counts and the share of questions that
pass every rule. Each rule is a named function `(question, topic) -> reason or ""`, written from
the issue's wording and independent of the generator's own filters (only the list of parties is
shared, so that both agree on who the two parties are): a rule the generator gets wrong shows
up here instead of being checked against itself. Deterministic: fixed topics and seeds."""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import unicodedata
from pathlib import Path

from assistant.core.text import fold, mostly_japanese, terms
from assistant.features.quiz import BLANK, PARTIES

TOPICS = [
    "export controls",
    "semiconductors",
    "critical minerals",
    "supply chains",
    "economic coercion",
    "clean energy",
    "artificial intelligence",
    "quantum technology",
    "infrastructure investment",
    "AI研究開発",
]
QUIZZES_PER_TOPIC = 2
QUESTIONS = 5

_GENERIC = {"u.s", "us", "united", "state", "japan", "japanese", "american", "america", "cooperation", "bilateral"}
_CONNECTORS = {"of", "for", "on", "and", "&", "de", "to", "in"}
_DETERMINERS = {"The", "A", "An", "This", "These", "Our", "Its", "Their"}
_INSTITUTION = re.compile(
    r"\b(Ministry|Agency|Council|Committee|Commission|Organi[sz]ation|Bank|Institute|University|Secretariat|"
    r"Corporation|Office|Department|Cell|Association|Board|Authority|Bureau|Cent(?:re|er)|Administration|"
    r"Division|Group|Taskforce|Force|Foundation|Laborator(?:y|ies)|Society|Union|Assembly|Parliament|Diet|"
    r"Court|Cabinet|Headquarters|Service|Fund|Forum)\b"
)
_PROGRAMME = re.compile(
    r"\b(Partnerships?|Initiatives?|Programmes?|Programs?|Project|Framework|Dialogue|Strategy|Corridor|Facility|"
    r"Mechanism|Network|Plan|Agenda|Deal|Compact|Vision|Platform|Principles|Roadmap|Mission|Scheme|Coalition|"
    r"Arrangement|Accelerator|Hub|Consortium|Campaign|Policy|Package|Exchange|Fellowships?|Challenge|Alliance)\b"
)
_LAW = re.compile(r"\b(Act|Law|Bill|Treaty|Convention|Agreement|Accord|Regulations?|Code|Charter|Protocol)\b")
_JA_KIND = {
    "institution": (
        "研究所",
        "機構",
        "大学",
        "省",
        "庁",
        "本部",
        "会議",
        "センター",
        "委員会",
        "協議会",
        "法人",
        "機関",
        "研究院",
    ),
    "programme": (
        "事業",
        "プログラム",
        "制度",
        "プロジェクト",
        "戦略",
        "計画",
        "イニシアティブ",
        "イニシアチブ",
        "構想",
        "基金",
    ),
    "law": ("法", "法律"),
}
_JA_NAME_CHAR = re.compile(r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fffA-Za-z]")


# -- what a key is ----------------------------------------------------------------------------
def kind_of(text: str) -> str:
    """year | amount | figure | institution | programme | law | other, judged from the text alone."""
    t = unicodedata.normalize("NFKC", text).strip()
    if re.fullmatch(r"(19|20)\d\d|(令和|平成)(\d{1,2}|元)年", t):
        return "year"
    if re.match(r"(US\$|USD|JPY|[$¥\d])", t):
        if re.search(r"[$¥円]|\byen\b|\bdollars?\b|\bUSD\b|\bJPY\b", t):
            return "amount"
        return "figure" if re.fullmatch(r"[\d,.]+\s?\S*( \S+)?", t) else "other"
    if mostly_japanese(t):
        for kind, ends in _JA_KIND.items():
            if t.endswith(ends) and len(t) >= 4:
                return kind
        return "other"
    if len(t.split()) < 2:
        return "other"
    # The head: the word before "of/for/on", else the last word.
    words = t.split()
    head = next((words[i - 1] for i, w in enumerate(words) if i and w in ("of", "for", "on")), words[-1])
    for kind, pattern in (("institution", _INSTITUTION), ("programme", _PROGRAMME), ("law", _LAW)):
        if pattern.fullmatch(head.strip(".,")):
            return kind
    return "other"


def _head(word: str) -> bool:
    return any(p.fullmatch(word.strip(".,")) for p in (_INSTITUTION, _PROGRAMME, _LAW))


def _unit(text: str) -> str:
    """The unit of a number: percent, yen, dollar, an era year, the counted noun."""
    t = fold(text).replace("per cent", "percent").replace("%", "percent").replace("％", "percent")
    if re.search(r"[¥円]|yen|jpy", t):
        return "yen"
    if re.search(r"\$|dollar|usd", t):
        return "dollar"
    if re.search(r"令和|平成", t):
        return "era"
    return re.sub(r"[\d,.\s]|trillion|billion|million|thousand", "", t)


def _norm(text: str) -> str:
    t = fold(text).replace("per cent", "percent").replace("%", " percent")
    return " ".join(w for w in re.findall(r"[a-z0-9]+|[^\W\d_a-z]+", t) if w not in ("the", "a", "an"))


def _initials(name: str) -> set[str]:
    words = re.findall(r"[A-Za-z][\w-]*", name)
    caps = [w for w in words if w[0].isupper()]
    return {x for x in ("".join(w[0] for w in caps).upper(), "".join(w[0] for w in words).upper()) if len(x) >= 2}


def _same(a: str, b: str) -> bool:
    """The same fact in other words: case, punctuation, articles, an abbreviation, containment."""
    na, nb = _norm(a), _norm(b)
    if na == nb or (len(na) > 3 and na in nb) or (len(nb) > 3 and nb in na):
        return True
    ca, cb = a.replace(".", ""), b.replace(".", "")
    if (ca.isupper() and ca in _initials(b)) or (cb.isupper() and cb in _initials(a)):
        return True
    if any(t.isupper() and len(t) >= 2 for t in (ca + " " + cb).split()):
        # "PGI Lobito Corridor" / "Partnership for Global Infrastructure and Investment Lobito Corridor":
        # the same words once the abbreviation is set aside.
        wa = {w for w in na.split() if w not in _CONNECTORS}
        wb = {w for w in nb.split() if w not in _CONNECTORS}
        short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
        rest = {w for w in short if w not in long_}
        if (
            rest
            and all(w.upper() in _initials(" ".join(long_)) or len(w) <= 4 for w in rest)
            and len(short - rest) >= 2
        ):
            return True
    return False


def _party(text: str) -> bool:
    t = re.sub(r"^the ", "", fold(text).strip(" .,")).removesuffix("'s").removesuffix("\u2019s")
    return t in PARTIES or t.rstrip(".") in PARTIES


def _sentence(q: dict) -> str:
    return q["prompt"].replace(BLANK, q["answer"], 1)


def _topic_terms(topic: str) -> list[str]:
    return sorted({t for t in terms(topic) if t not in _GENERIC and not _party(t)})


# -- the rules ----------------------------------------------------------------------------------
def on_topic(q: dict, topic: str) -> str:
    """The stem a trainee reads is about the topic: it carries at least half of the topic's terms."""
    wanted = _topic_terms(topic)
    if not wanted:
        return ""
    have = set(terms(q["prompt"].replace(BLANK, " ")))
    hits = sum(t in have for t in wanted)
    return "" if hits >= math.ceil(len(wanted) / 2) else f"stem has {hits}/{len(wanted)} of the topic's terms"


def worth_knowing(q: dict, topic: str) -> str:
    """The key is a year, an amount, a figure, or an institution, programme or law."""
    kind = kind_of(q["answer"])
    return "" if kind != "other" else f"key {q['answer']!r} is none of year/amount/figure/institution/programme/law"


def not_given_away(q: dict, topic: str) -> str:
    """The stem does not reveal the key: no parenthesis next to or around the blank, no repeat,
    no abbreviation or expansion of the key."""
    stem, key = q["prompt"], q["answer"]
    i = stem.find(BLANK)
    before, after = stem[:i], stem[i + len(BLANK) :]
    if re.search(r"[(（]\s*$", before) or re.match(r"\s*[()（）]", after):
        return "a parenthesis next to the blank"
    if before.count("(") > before.count(")"):
        return "the blank is inside a parenthesis"
    rest = stem.replace(BLANK, " ")
    if _norm(key) and f" {_norm(key)} " in f" {_norm(rest)} ":
        return "the key is repeated in the stem"
    era = re.fullmatch(r"(令和|平成)(\d{1,2}|元)年?", key.strip())
    if era:
        n = 1 if era.group(2) == "元" else int(era.group(2))
        if str((2018 if era.group(1) == "令和" else 1988) + n) in rest:
            return "the same year stands in the stem in the western calendar"
    if re.fullmatch(r"(19|20)\d\d", key.strip()):
        for m in re.finditer(r"(令和|平成)(\d{1,2}|元)年", rest):
            n = 1 if m.group(2) == "元" else int(m.group(2))
            if (2018 if m.group(1) == "令和" else 1988) + n == int(key):
                return "the same year stands in the stem in the Japanese calendar"
    caps = set(re.findall(r"\b[A-Z][A-Za-z&-]*[A-Z]\b", rest))
    if caps & _initials(key):
        return f"the stem carries the key's abbreviation {sorted(caps & _initials(key))[0]}"
    if key.replace(".", "").isupper() and len(key) >= 2:
        runs = re.findall(r"(?:[A-Z][\w-]*(?: (?:of|for|and|on|the) )?\s?)+", rest)
        if any(key.replace(".", "") in _initials(r) for r in runs):
            return "the stem carries the key's expansion"
    return ""


def not_a_party(q: dict, topic: str) -> str:
    """Neither the key nor an option is one of the corpus's two parties (the U.S., Japan)."""
    bad = [x for x in [q["answer"], *q.get("options", [])] if _party(x)]
    return f"{bad[0]!r} is a party of the corpus" if bad else ""


def whole_key(q: dict, topic: str) -> str:
    """The key is a whole name or number, not a piece of a longer one."""
    stem, key = q["prompt"], q["answer"]
    i = stem.find(BLANK)
    before, after = stem[:i], stem[i + len(BLANK) :]
    if re.search(r"\d", key) and (re.search(r"[\d.,]$", before) or re.match(r"[\d]|[.,]\d", after)):
        return "the number continues outside the blank"
    if mostly_japanese(key):
        if kind_of(key) in ("institution", "programme", "law") and (
            (before and _JA_NAME_CHAR.match(before[-1])) or (after and _JA_NAME_CHAR.match(after[0]))
        ):
            return "the name continues outside the blank"
        return ""
    if re.search(r"\d", key) or not key[:1].isupper():
        return ""
    for name in [key, *q.get("options", [])]:
        parts = name.split(" and ")
        for i in range(1, len(parts)):
            left, right = " and ".join(parts[:i]), " and ".join(parts[i:])
            # Two names when each names something and the left ends, or the right starts, with a
            # head word ("University of Washington and University of Tsukuba"), not when the "and"
            # joins words inside one name ("Office of Science and Technology Policy").
            heads = _head(parts[i - 1].split()[-1]) or _head(parts[i].split()[0])
            if heads and kind_of(left) != "other" and kind_of(right) != "other":
                return f"{name!r} is two names"
    if re.match(r", [A-Z][\w-]*(?:, [A-Z][\w-]*)*,? and [A-Z]", after):
        return "the name goes on after the blank (a list of its words)"
    prev, nxt = before.split()[-2:], after.split()[:2]
    if prev:
        last = prev[-1]
        possessive = last.endswith(("'s", "\u2019s"))
        sentence_start = len(before.split()) == 1 and last in _DETERMINERS
        if last[:1].isupper() and not possessive and not sentence_start and not last.endswith((",", ":", ";", ".")):
            return f"a capitalised word ({last}) runs into the blank"
        if last in _CONNECTORS and len(prev) == 2 and prev[0][:1].isupper() and not prev[0].endswith((",", ".")):
            return f"the name begins before the blank ({' '.join(prev)})"
    if nxt and not after.startswith((",", ".", ";", ":", ")", "\u201d", '"')):
        first = nxt[0]
        if first[:1].isupper() and not _party(first.strip(",.;:")):
            return f"a capitalised word ({first}) follows the blank"
        if first in _CONNECTORS and len(nxt) == 2 and nxt[1][:1].isupper() and not _party(nxt[1].strip(",.;:")):
            return f"the name continues after the blank ({' '.join(nxt)})"
    return ""


def same_kind_options(q: dict, topic: str) -> str:
    """Every distractor is of the key's kind (and unit: a percentage for a percentage)."""
    if q.get("kind") != "mc":
        return ""
    kind, unit = kind_of(q["answer"]), _unit(q["answer"])
    for o in q["options"]:
        if o == q["answer"]:
            continue
        if kind_of(o) != kind:
            return f"{o!r} is a {kind_of(o)}, the key a {kind}"
        if kind in ("year", "amount", "figure") and _unit(o) != unit:
            return f"{o!r} is in {_unit(o) or 'no unit'}, the key in {unit or 'no unit'}"
    return ""


def distinct_options(q: dict, topic: str) -> str:
    """Four options, the key among them, none of them the key (or another option) in other words."""
    if q.get("kind") != "mc":
        return ""
    opts = q["options"]
    if len(opts) != 4 or q["answer"] not in opts:
        return f"{len(opts)} options, key {'in' if q['answer'] in opts else 'missing'}"
    for i, a in enumerate(opts):
        for b in opts[i + 1 :]:
            if _same(a, b):
                return f"{a!r} and {b!r} are one answer"
    return ""


def language_matches(q: dict, topic: str) -> str:
    """A Japanese topic gives Japanese questions, an English topic English ones."""
    ja_topic, ja_stem = mostly_japanese(topic), mostly_japanese(q["prompt"])
    return "" if ja_topic == ja_stem else f"{'Japanese' if ja_stem else 'English'} question for this topic"


def grounded(q: dict, topic: str) -> str:
    """The stem with its key is the cited passage's own sentence, and the passage is named."""
    squash = (lambda s: re.sub(r"\s+", "", s)) if mostly_japanese(q["passage"]) else (lambda s: " ".join(s.split()))
    passage = squash(q["passage"])
    # A long sentence may be quizzed by its clause, the cut marked with an ellipsis.
    if not all(squash(part) in passage for part in _sentence(q).split("\u2026") if part.strip()):
        return "the sentence is not in the cited passage"
    if not q.get("title") or not q.get("doc_id"):
        return "no document cited"
    return ""


RULES = (
    on_topic,
    worth_knowing,
    not_given_away,
    not_a_party,
    whole_key,
    same_kind_options,
    distinct_options,
    language_matches,
    grounded,
)


def check(q: dict, topic: str) -> dict[str, str]:
    """{rule name: reason} for every rule the question breaks."""
    return {r.__name__: why for r in RULES if (why := r(q, topic))}


def score(batch: list[tuple[str, list[dict]]]) -> dict:
    """For quizzes [(topic, questions)]: failures per rule, the share passing every rule, examples."""
    failures = {r.__name__: 0 for r in RULES}
    examples = []
    total = passed = 0
    for topic, questions in batch:
        for q in questions:
            total += 1
            broken = check(q, topic)
            for name in broken:
                failures[name] += 1
            if broken:
                examples.append({"topic": topic, "prompt": q["prompt"], "answer": q["answer"], "broken": broken})
            else:
                passed += 1
    return {
        "questions": total,
        "passed": passed,
        "share_passing_all": round(passed / total, 4) if total else 0.0,
        "failures": failures,
        "examples": examples,
    }


def run(retriever, topics=TOPICS, quizzes_per_topic=QUIZZES_PER_TOPIC, questions=QUESTIONS) -> tuple[dict, list]:
    from assistant.features.quiz import make_quiz

    batch, made = [], []
    for topic in topics:
        for seed in range(quizzes_per_topic):
            quiz = [q.to_dict() for q in make_quiz(retriever, questions, topic=topic, kinds=("mc",), seed=seed)]
            batch.append((topic, quiz))
            made.append({"topic": topic, "seed": seed, "questions": len(quiz)})
    return score(batch), made


def main(argv: list[str] | None = None) -> int:
    from assistant.core.offline import go_offline

    go_offline()
    from assistant.core.settings import get_settings
    from assistant.retrieval.search import Retriever
    from ingest.bootstrap import ensure_index

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=None, help="also write the report as JSON here")
    ap.add_argument("--examples", type=int, default=10, help="failing questions to print")
    args = ap.parse_args(argv)
    settings = get_settings()
    ensure_index(settings, True)
    retriever = Retriever(settings)
    t0 = time.perf_counter()
    report, made = run(retriever)
    seconds = time.perf_counter() - t0
    asked = len(made) * QUESTIONS
    print(f"quiz quality: {len(made)} quizzes x {QUESTIONS} questions over {len(TOPICS)} topics ({seconds:.1f} s)")
    print(f"questions made: {report['questions']} of {asked} asked for")
    for m in made:
        if m["questions"] < QUESTIONS:
            print(f"  short quiz: {m['topic']!r} seed {m['seed']}: {m['questions']} questions")
    print("failures per rule:")
    for name, count in report["failures"].items():
        print(f"  {name:<18} {count}")
    print(f"passing every rule: {report['passed']}/{report['questions']} = {report['share_passing_all']:.3f}")
    for ex in report["examples"][: args.examples]:
        print(f"- [{ex['topic']}] {ex['prompt']}  KEY={ex['answer']!r}  {ex['broken']}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({**report, "quizzes": made}, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
