"""Answering: answerability, sentence choice, generators, verification, condensation, the engine."""
