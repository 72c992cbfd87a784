"""Offline metrics (no LLM judge) over results records, as EVAL_FORMAT.md defines them."""

from __future__ import annotations

import math

from assistant.features.evaluation.dataset import is_answerable, scored_units
from assistant.features.evaluation.textmatch import covers, matches_group


def _relevant(passage: dict, evidence: list[dict]) -> bool:
    return any(covers(passage.get("text", ""), e["quote"]) for e in evidence)


def retrieval_scores(retrieved: list[dict], evidence: list[dict], k: int = 10) -> dict:
    rel = [_relevant(p, evidence) for p in retrieved[:k]]
    first = next((i for i, r in enumerate(rel) if r), None)
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(rel) if r)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(evidence), k)))
    return {
        "hit@1": float(first is not None and first < 1),
        "hit@5": float(first is not None and first < 5),
        "hit@10": float(first is not None and first < 10),
        "mrr@10": 0.0 if first is None else 1 / (first + 1),
        "ndcg@10": dcg / ideal if ideal else 0.0,
    }


def citation_scores(citations: list[dict], evidence: list[dict]) -> dict:
    covered = [e for e in evidence if any(covers(c.get("text", ""), e["quote"]) for c in citations)]
    paged = [
        (c, e)
        for c in citations
        for e in evidence
        if e.get("page") is not None and covers(c.get("text", ""), e["quote"])
    ]
    out = {"citation_hit": float(bool(covered)), "citation_recall": len(covered) / len(evidence) if evidence else 0.0}
    if paged:
        out["page_accuracy"] = sum(c.get("page") == e["page"] for c, e in paged) / len(paged)
    return out


def faithfulness(rec: dict) -> float | None:
    """Share of answer sentences supported by the passages they cite, by the lexical support
    check of assistant/answering/verify.py (no entailment model ships on PyPI: see docs/MODELS.md)."""
    from assistant.answering.verify import verify, with_document

    if rec.get("declined") or not rec.get("answer", "").strip():
        return None
    cited = rec.get("citations", [])
    # As the answer was checked: the question's own names and dates may come from the cited
    # passage or from what the citation shows of its document (title, issuer, date).
    about = {
        c["marker"]: with_document(c["text"], c.get("title", ""), c.get("issuer", ""), c.get("date", "")) for c in cited
    }
    v = verify(rec["answer"], {c["marker"]: c["text"] for c in cited}, rec.get("question", ""), about)
    total = len(v.kept) + len(v.removed)
    return len(v.kept) / total if total else None


def score_unit(spec: dict, rec: dict, k: int = 10) -> dict:
    declined = bool(rec.get("declined"))
    if not is_answerable(spec):
        # CRAG truthfulness: declining what the corpus does not answer earns 0, any answer -1.
        return {"answerable": False, "correct_decline": float(declined), "truthfulness": 0.0 if declined else -1.0}
    s = {"answerable": True, "false_decline": float(declined)}
    s["correct"] = float(
        not declined and all(matches_group(rec.get("answer", ""), g) for g in spec.get("must_include", []))
    )
    # +1 right, 0 declined, -1 answered without the asked-for facts: a confident wrong answer
    # costs what a right one earns.
    s["truthfulness"] = 0.0 if declined else (1.0 if s["correct"] else -1.0)
    evidence = spec.get("evidence") or []
    if evidence:
        s.update(retrieval_scores(rec.get("retrieved", []), evidence, k))
        if not declined:
            s.update(citation_scores(rec.get("citations", []), evidence))
    f = faithfulness(rec)
    if f is not None:
        s["faithfulness"] = f
    return s


# Scored per answerable question; correct_decline and truthfulness are added over the rest.
RETRIEVAL_METRICS = ("hit@1", "hit@5", "hit@10", "mrr@10", "ndcg@10")
ANSWER_METRICS = ("citation_hit", "citation_recall", "page_accuracy", "faithfulness", "correct", "false_decline")


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    idx = max(0, min(len(v) - 1, math.ceil(q / 100 * len(v)) - 1))
    return v[idx]


def aggregate(items: list[dict], results: list[dict], k: int = 10) -> dict:
    by_id = {r["id"]: r for r in results}
    units, lat_r, lat_t = [], [], []
    for item in items:
        rec = by_id.get(item["id"])
        if rec is None:
            continue
        for spec, turn in scored_units(item, rec):
            units.append(score_unit(spec, turn, k))
            lat = turn.get("latency_ms") or {}
            if "retrieve" in lat:
                lat_r.append(lat["retrieve"])
            if "total" in lat:
                lat_t.append(lat["total"])

    def mean(key, rows):
        vals = [u[key] for u in rows if key in u]
        return round(sum(vals) / len(vals), 3) if vals else None

    ans = [u for u in units if u["answerable"]]
    una = [u for u in units if not u["answerable"]]
    out = {"questions": len(units), "answerable": len(ans), "unanswerable": len(una)}
    for key in (*RETRIEVAL_METRICS, *ANSWER_METRICS):
        out[key] = mean(key, ans)
    out["correct_decline"] = mean("correct_decline", una)
    out["truthfulness"] = mean("truthfulness", units)
    out["retrieve_p50_ms"] = percentile(lat_r, 50)
    out["retrieve_p95_ms"] = percentile(lat_r, 95)
    out["answer_p50_ms"] = percentile(lat_t, 50)
    out["answer_p95_ms"] = percentile(lat_t, 95)
    return out
