"""Readers and writers around the core: YAML, xlsx, docx, pdf, JSON."""
