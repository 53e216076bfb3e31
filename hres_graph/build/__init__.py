"""The build: sources' files → named graphs of a new store, with provenance, derived statements and links."""
