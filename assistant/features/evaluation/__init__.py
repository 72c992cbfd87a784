"""Scoring answers against a dataset (EVAL_FORMAT.md): `briefing eval` and the harness in
evals/ both use it. Deterministic evaluators only: text matching, no judge model."""
