"""Auditing existing self-evaluations: what a document states, read with provenance, then checked."""
