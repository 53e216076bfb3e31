"""Contributed data against the shapes: safe reading in a confined child, SHACL, reports, the contribution import."""
