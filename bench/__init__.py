"""Benchmarks (`make bench`); figures go to docs/performance.md, never into timed tests."""
