"""Readers for the files a unit submits for audit: each becomes a :class:`~jixiao.core.audit.source.SourceText`."""

from .read import SUPPORTED_SUFFIXES, UnreadableDocument, read_source

__all__ = ["SUPPORTED_SUFFIXES", "UnreadableDocument", "read_source"]
