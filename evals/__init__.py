"""Evaluation harness: datasets, runner, metrics, baselines, report."""
