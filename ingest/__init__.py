"""Documents in, chunks out. Knows nothing of questions: it writes the index."""
