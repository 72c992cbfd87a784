#!/usr/bin/env bash
# Every packaged generator and the extractive answerer on the same questions, one after the other
# (never two model runs at once on 2 cores), with the current pipeline and verifier. Writes
# reports/generators/<set>.<split>.<generator>.{results.jsonl,metrics.json} and prints, per set,
# the table for the README (model's answer kept, correct, false and correct declines,
# faithfulness, answer p50/p95) and the first-token p50/p95 of each model.
#
#   bash scripts/eval_generators.sh                          # dev + japanese, test halves, all generators
#   bash scripts/eval_generators.sh evals/datasets/gate.jsonl
#   GENERATORS="qwen2.5-1.5b" SPLIT=all bash scripts/eval_generators.sh evals/datasets/dev.jsonl
#
# SPLIT: test (default: the half the README reports, CONTRIBUTING.md), tune, or all.
# A generator is `extractive` or a packaged model name (BRIEFING_LLM_MODEL, backend llamacpp).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then set -- evals/datasets/dev.jsonl evals/datasets/japanese.jsonl; fi
GENERATORS=${GENERATORS:-"extractive smollm2-135m qwen2.5-0.5b qwen2.5-1.5b"}
SPLIT=${SPLIT:-test}
OUT=reports/generators
mkdir -p "$OUT"
for DATASET in "$@"; do
    name=$(basename "$DATASET" .jsonl).$SPLIT
    # The half as a dataset of its own, so that every generator answers exactly the same items.
    .venv/bin/python - "$DATASET" "$SPLIT" > "$OUT/$name.jsonl" <<'EOF'
import json, sys
from assistant.features.evaluation.dataset import half, read_jsonl
for item in half(read_jsonl(sys.argv[1]), None if sys.argv[2] == "all" else sys.argv[2]):
    print(json.dumps(item, ensure_ascii=False))
EOF
    for gen in $GENERATORS; do
        if [ "$gen" = extractive ]; then
            backend=(--backend extractive)
        else
            backend=(--backend llamacpp)
        fi
        BRIEFING_LLM_MODEL=$gen .venv/bin/briefing eval --dataset "$OUT/$name.jsonl" "${backend[@]}" \
            --results "$OUT/$name.$gen.results.jsonl" --metrics "$OUT/$name.$gen.metrics.json"
    done
    echo "### $name ($(grep -c . "$OUT/$name.jsonl") items)"
    .venv/bin/python -m evals.generators_table "$OUT" "$name"
    # First streamed token per model (the table above has the whole answer's latency).
    .venv/bin/python - "$OUT" "$name" <<'EOF'
import json, sys
from pathlib import Path
from assistant.features.evaluation.metrics import percentile
print("\n| generator | first token p50 (s) | first token p95 (s) | model called |\n|---|---|---|---|")
for path in sorted(Path(sys.argv[1]).glob(f"{sys.argv[2]}.*.results.jsonl")):
    recs = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    ft = [r["latency_ms"]["first_token"] / 1000 for r in recs if "first_token" in r.get("latency_ms", {})]
    if ft:
        label = path.name[len(sys.argv[2]) + 1 : -len(".results.jsonl")]
        print(f"| {label} | {percentile(ft, 50):.1f} | {percentile(ft, 95):.1f} | {len(ft)}/{len(recs)} |")
EOF
done
