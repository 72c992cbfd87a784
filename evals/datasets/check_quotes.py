#!/usr/bin/env python3
"""Check the evaluation datasets in this folder against the source texts.

Standalone: needs only pypdf (+ cryptography for the AES-encrypted MEXT PDF) and
evals/textmatch.py (imported via sys.path).  Run from anywhere:

    /work/main/.venv/bin/python /work/main/evals/datasets/check_quotes.py

What it asserts (exit status 1 on any error):
  * ids are unique within each file; ids follow the q-/u-/conv-/ja- scheme;
  * every evidence quote is covered (textmatch.fold substring) by the text of its doc,
    and by the text of the given page when a page is given;
  * every must_include group has at least one alternative that appears in the text of
    at least one of the item's (turn's) evidence pages/docs;
  * quote hygiene: English quotes 6-20 words; markdown quotes contain none of
    \\ * # [ ] ( ) _ ; seed quotes do not span a hyphenated line break; Japanese quotes
    are NFKC, space-free, 6-25 characters and lie inside ONE extracted PDF line;
  * answerable items have evidence, must_include and a reference answer; unanswerable
    items have empty must_include/evidence and none of their "absence probes" occur in
    any source text;
  * gate.jsonl items are verbatim copies of items in dev.jsonl / japanese.jsonl.
It also warns (without failing) when an individual alternative of a must_include group
appears in none of the evidence texts.
"""
from __future__ import annotations

import glob
import json
import os
import re
import sys
import unicodedata

sys.dont_write_bytecode = True  # leave no __pycache__ outside this folder
sys.path.insert(0, "/work/main")
from evals.textmatch import fold  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = "/work/shared/seed/japans-burgeoning-economic-security-strategy.txt"
SEED_ID = "igata-glosserman-2021"
MD_DIR = "/work/shared/corpus-candidates/us-whitehouse-statements"
MEXT_PDF = "/work/shared/corpus-candidates/MEXT_2024_STI-WhitePaper_ch2_AI-R-and-D_JA_messy-2col.pdf"
MEXT_ID = "mext-2024-sti-whitepaper-ch2"

# Letters/punctuation that count as "Japanese" when joining PDF line breaks
# (kana, CJK ideographs, CJK punctuation, full-width forms).
_JA = r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_JA_BREAK = re.compile(rf"(?<=[{_JA}])[ \t]*\n[ \t]*(?=[{_JA}])")
_SEED_HYPHEN = re.compile(r"(\w)-[ \t]*\n[ \t]*(\w)")
_MD_FORBIDDEN = set("\\*#[]()_")

# Terms that must NOT occur anywhere in the corpus for each unanswerable item
# (a cheap guard that the corpus really does not answer it; see README).
ABSENCE_PROBES = {
    "u-001": ["第7条", "第2条", "article 7 of", "article 2 of the economic security"],
    "u-002": ["第65条", "article 65", "non-disclosure of patent", "patent non-disclosure"],
    "u-003": ["2013 national security strategy", "national security strategy of 2013", "2013 nss"],
    "u-004": ["億円", "k program", "key technology development program"],
    "u-005": ["億円", "予算", "円"],
    "u-006": ["tariff", "duty rate", "15%", "15 percent"],
    "u-007": ["550", "$550"],
    "u-008": ["minister in charge of economic security", "minister for economic security",
              "kobayashi"],
    "u-009": ["rapidus", "2nm", "2-nanometer"],
    "u-010": ["tsmc", "kumamoto", "taiwan semiconductor"],
    "u-011": ["honebuto", "骨太", "basic policy on economic and fiscal"],
    "u-012": ["hydrogen fluoride", "photoresist", "polyimide", "white list", "whitelist"],
    "u-013": ["apulia", "g7 2024", "2024 g7", "borgo egnazia"],
    "u-014": ["penalt", "prior notification", "imprisonment"],
    "u-015": ["supply chain diversification support project\" budget", "billion yen for supply",
              "70 billion yen", "240 billion yen", "243.5"],
    "u-016": ["aisi staff", "employees of the ai safety institute", "職員", "人員"],
    "u-017": ["gallium", "germanium"],
    "u-018": ["arrest"],
    "u-019": ["chips and science", "chips act", "$52 billion", "52.7"],
    "u-020": ["embargo", "rare earth imports", "2010 rare"],
}


# ----------------------------------------------------------------------------------
# Source loading
# ----------------------------------------------------------------------------------
def load_seed():
    raw = open(SEED, encoding="utf-8").read()
    pages, cur = [], []
    for line in raw.split("\n"):
        if line.startswith(" ") and cur:
            pages.append("\n".join(cur))
            cur = []
        cur.append(line)
    if cur:
        pages.append("\n".join(cur))
    pages = [p for p in pages if p.strip()]  # a trailing blank " " line is not a page
    joined = [_SEED_HYPHEN.sub(r"\1\2", p) for p in pages]
    # "strict" text: a hyphenated break becomes an unmatchable marker, so a quote that
    # spans one fails the hygiene check
    strict = [_SEED_HYPHEN.sub(lambda m: m.group(1) + "-\u2063" + m.group(2), p) for p in pages]
    return joined, strict


def md_body(path):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        lines = lines[end + 1:]
    return "\n".join(lines).replace("\\", "")


def load_mext():
    import pypdf
    r = pypdf.PdfReader(MEXT_PDF)
    if r.is_encrypted:
        r.decrypt("")
    pages, line_sets = [], []
    for p in r.pages:
        t = p.extract_text() or ""
        pages.append(unicodedata.normalize("NFKC", _JA_BREAK.sub("", t)))
        line_sets.append([re.sub(r"\s+", "", unicodedata.normalize("NFKC", ln))
                          for ln in t.split("\n")])
    return pages, line_sets


def load_sources():
    src = {}
    seed_pages, seed_strict = load_seed()
    src[SEED_ID] = {"pages": seed_pages, "strict": seed_strict, "kind": "seed",
                    "doc": "\n".join(seed_pages)}
    for path in sorted(glob.glob(os.path.join(MD_DIR, "*.md"))):
        did = os.path.basename(path)[:-3]
        src[did] = {"pages": None, "kind": "md", "doc": md_body(path)}
    mext_pages, mext_lines = load_mext()
    src[MEXT_ID] = {"pages": mext_pages, "lines": mext_lines, "kind": "mext",
                    "doc": "\n".join(mext_pages)}
    return src


# ----------------------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------------------
class Report:
    def __init__(self):
        self.errors, self.warnings = [], []

    def err(self, where, msg):
        self.errors.append(f"ERROR {where}: {msg}")

    def warn(self, where, msg):
        self.warnings.append(f"warn  {where}: {msg}")


_HAS_JA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def evidence_text(src, ev):
    s = src[ev["doc"]]
    if ev.get("page") is not None and s["pages"] is not None:
        return s["pages"][ev["page"] - 1]
    return s["doc"]


def check_evidence(src, ev, where, rep):
    doc = ev.get("doc")
    quote = ev.get("quote", "")
    if doc not in src:
        rep.err(where, f"unknown doc {doc!r}")
        return False
    s = src[doc]
    page = ev.get("page")
    if s["kind"] == "md" and page is not None:
        rep.err(where, f"markdown doc {doc} must not have a page")
    if s["kind"] in ("seed", "mext") and page is None:
        rep.err(where, f"{doc} evidence needs a page")
    if page is not None and s["pages"] is not None and not (1 <= page <= len(s["pages"])):
        rep.err(where, f"page {page} out of range for {doc}")
        return False
    fq = fold(quote)
    if not fq:
        rep.err(where, "empty quote")
        return False
    if fq not in fold(s["doc"]):
        rep.err(where, f"quote not in doc {doc}: {quote!r}")
        return False
    if page is not None and s["pages"] is not None and fq not in fold(s["pages"][page - 1]):
        found = [i + 1 for i, p in enumerate(s["pages"]) if fq in fold(p)]
        rep.err(where, f"quote not on page {page} of {doc} (found on {found}): {quote!r}")
        return False
    # hygiene
    if _HAS_JA.search(quote):
        if quote != unicodedata.normalize("NFKC", quote):
            rep.err(where, f"Japanese quote is not NFKC: {quote!r}")
        if re.search(r"\s", quote):
            rep.err(where, f"Japanese quote contains spaces: {quote!r}")
        if not 6 <= len(quote) <= 25:
            rep.err(where, f"Japanese quote length {len(quote)} not in 6..25: {quote!r}")
        if s["kind"] == "mext" and page is not None:
            if not any(quote in ln for ln in s["lines"][page - 1]):
                rep.err(where, f"Japanese quote not inside one extracted line: {quote!r}")
    else:
        n = len(quote.split())
        if not 6 <= n <= 20:
            rep.err(where, f"English quote has {n} words (want 6..20): {quote!r}")
    if s["kind"] == "md" and set(quote) & _MD_FORBIDDEN:
        rep.err(where, f"markdown quote has forbidden characters: {quote!r}")
    if s["kind"] == "seed" and fq not in fold(s["strict"][page - 1]):
        rep.err(where, f"seed quote spans a hyphenated line break: {quote!r}")
    return True


def check_unit(src, unit, where, rep, answerable=True):
    """unit = a single item or a conversation turn."""
    if not str(unit.get("question", "")).strip():
        rep.err(where, "empty question")
    mi, evs = unit.get("must_include"), unit.get("evidence")
    if not isinstance(mi, list) or not isinstance(evs, list):
        rep.err(where, "must_include and evidence must be lists")
        return
    if not answerable:
        if mi or evs:
            rep.err(where, "unanswerable item must have empty must_include and evidence")
        return
    if not evs:
        rep.err(where, "no evidence")
    if not 1 <= len(mi) <= 2:
        rep.err(where, f"{len(mi)} must_include groups (want 1-2)")
    ok_texts = []
    for j, ev in enumerate(evs):
        if check_evidence(src, ev, f"{where} evidence[{j}]", rep):
            ok_texts.append(fold(evidence_text(src, ev)))
    for g, group in enumerate(mi):
        if not isinstance(group, list) or not group or not all(isinstance(a, str) and a.strip() for a in group):
            rep.err(where, f"must_include[{g}] must be a non-empty list of strings")
            continue
        hits = [a for a in group if any(fold(a) in t for t in ok_texts)]
        if not hits:
            rep.err(where, f"must_include[{g}] {group} not found in any evidence text")
        for a in group:
            if a not in hits:
                rep.warn(where, f"alternative {a!r} of must_include[{g}] not in evidence texts")


def load_jsonl(path, rep):
    items = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as e:
                rep.err(f"{os.path.basename(path)}:{n}", f"bad JSON: {e}")
    return items


def check_ids(items, fname, rep, pattern):
    seen = set()
    for it in items:
        i = it.get("id")
        if i in seen:
            rep.err(fname, f"duplicate id {i}")
        seen.add(i)
        if not re.fullmatch(pattern, str(i)):
            rep.err(fname, f"id {i!r} does not match {pattern}")


def check_single_file(src, fname, rep, pattern):
    path = os.path.join(HERE, fname)
    items = load_jsonl(path, rep)
    check_ids(items, fname, rep, pattern)
    for it in items:
        where = f"{fname}:{it.get('id')}"
        ans = it.get("answerable")
        if ans not in (True, False):
            rep.err(where, "answerable must be true/false")
            continue
        if ans and not str(it.get("reference_answer", "")).strip():
            rep.err(where, "answerable item needs a reference_answer")
        if ans is False:
            probes = ABSENCE_PROBES.get(it["id"])
            if probes is None:
                rep.warn(where, "no absence probes defined")
            else:
                for p in probes:
                    for did, s in src.items():
                        if fold(p) in fold(s["doc"]):
                            rep.err(where, f"absence probe {p!r} occurs in {did}")
        check_unit(src, it, where, rep, answerable=bool(ans))
    return items


def main():
    rep = Report()
    src = load_sources()
    print(f"sources: {len(src)} docs; seed pages={len(src[SEED_ID]['pages'])}, "
          f"MEXT pages={len(src[MEXT_ID]['pages'])}")

    dev = check_single_file(src, "dev.jsonl", rep, r"(q|u)-\d{3}")
    ja = check_single_file(src, "japanese.jsonl", rep, r"ja-\d{3}")
    gate = check_single_file(src, "gate.jsonl", rep, r"(q|u|ja)-\d{3}")

    convs = load_jsonl(os.path.join(HERE, "conversations.jsonl"), rep)
    check_ids(convs, "conversations.jsonl", rep, r"conv-\d{3}")
    for c in convs:
        turns = c.get("turns") or []
        if len(turns) < 2:
            rep.err(f"conversations.jsonl:{c.get('id')}", "needs at least 2 turns")
        for t, turn in enumerate(turns):
            check_unit(src, turn, f"conversations.jsonl:{c.get('id')} turn {t + 1}", rep)

    # dev/japanese are Japanese-only where they should be
    for it in ja:
        if not _HAS_JA.search(it.get("question", "")):
            rep.err(f"japanese.jsonl:{it.get('id')}", "question is not in Japanese")
    # gate = verbatim copies
    pool = {it["id"]: it for it in dev + ja}
    for it in gate:
        if pool.get(it.get("id")) != it:
            rep.err(f"gate.jsonl:{it.get('id')}", "not a verbatim copy of a dev/japanese item")
    g_ans = [it for it in gate if it.get("answerable")]
    g_un = [it for it in gate if it.get("answerable") is False]
    g_ja = [it for it in g_ans if str(it.get("id")).startswith("ja-")]
    if (len(g_ans), len(g_un), len(g_ja)) != (30, 5, 3):
        rep.err("gate.jsonl", f"want 30 answerable (3 ja) + 5 unanswerable, got "
                              f"{len(g_ans)} ({len(g_ja)} ja) + {len(g_un)}")

    # summary
    def per_doc(items):
        counts = {}
        for it in items:
            units = it.get("turns") or [it]
            docs = {ev["doc"] for u in units for ev in u.get("evidence", [])}
            for d in docs:
                counts[d] = counts.get(d, 0) + 1
        return counts

    dev_ans = [it for it in dev if it.get("answerable")]
    multi = [it for it in dev_ans if len({e["doc"] for e in it["evidence"]}) >= 2]
    print(f"dev.jsonl: {len(dev_ans)} answerable ({len(multi)} two-doc), "
          f"{len(dev) - len(dev_ans)} unanswerable")
    print(f"conversations.jsonl: {len(convs)}; japanese.jsonl: {len(ja)}; "
          f"gate.jsonl: {len(g_ans)} answerable ({len(g_ja)} ja) + {len(g_un)} unanswerable")
    counts = per_doc(dev_ans)
    print("dev questions per doc:")
    for d in sorted(src):
        print(f"  {counts.get(d, 0):3d}  {d}")
        if counts.get(d, 0) < 2:
            rep.err("dev.jsonl", f"doc {d} has fewer than 2 questions")
    if len(dev_ans) != 70 or len(dev) - len(dev_ans) != 20 or len(multi) < 6:
        rep.err("dev.jsonl", "want 70 answerable (>=6 two-doc) + 20 unanswerable")

    for w in rep.warnings:
        print(w)
    for e in rep.errors:
        print(e)
    print(f"{len(rep.errors)} errors, {len(rep.warnings)} warnings")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
