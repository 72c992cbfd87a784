"""The one place that talks to stores: vector store, lexical index, catalogue, embedder."""
