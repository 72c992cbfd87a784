#!/usr/bin/env bash
# Every generator of MODELS.md and the extractive answerer, on the same dataset, one after the
# other (never two model runs at once on 2 cores). Writes reports/generators/*.metrics.json and
# prints the table for the README.  Usage: bash scripts/eval_generators.sh [DATASET]
set -euo pipefail
cd "$(dirname "$0")/.."
DATASET=${1:-evals/datasets/gate.jsonl}
OUT=reports/generators
mkdir -p "$OUT"
name=$(basename "$DATASET" .jsonl)
.venv/bin/briefing eval --dataset "$DATASET" --results "$OUT/$name.extractive.results.jsonl" \
    --backend extractive --metrics "$OUT/$name.extractive.metrics.json"
for model in smollm2-135m qwen2.5-0.5b qwen2.5-1.5b; do
    BRIEFING_LLM_MODEL=$model .venv/bin/briefing eval --dataset "$DATASET" \
        --results "$OUT/$name.$model.results.jsonl" --backend llamacpp --metrics "$OUT/$name.$model.metrics.json"
done
.venv/bin/python -m evals.generators_table "$OUT" "$name"
