"""Questions in, cited answers out. Knows nothing of file formats: it reads the index."""
