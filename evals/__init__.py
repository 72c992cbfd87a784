"""Evaluation harness on top of the product: dev sets, the CI gate, the comparison with a
tutorial baseline. Offline like every entry point."""

from assistant.core.offline import go_offline

go_offline()
