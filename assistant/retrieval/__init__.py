"""Retrieval: dense and lexical search, fusion, rerank, cache -> ranked Hits."""
