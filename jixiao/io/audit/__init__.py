"""Readers for the files a unit submits for audit: each becomes a :class:`~jixiao.core.audit.source.SourceText`."""

from ..catalogue import install_reading_vocabulary
from .read import SUPPORTED_SUFFIXES, UnreadableDocument, read_source

# Every path into reading (CLI, web import, intake, the bounded worker processes) comes through this package.
install_reading_vocabulary()

__all__ = ["SUPPORTED_SUFFIXES", "UnreadableDocument", "read_source"]
