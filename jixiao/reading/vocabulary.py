"""The words recognition looks for, as data: label synonyms, level names, comparators, units, organisation
suffixes, OCR confusions. Each kind is one YAML file under ``jixiao/data/reading/``; :mod:`jixiao.io.catalogue`
loads them into a :class:`Vocabulary` and installs it, since this layer reads no files.

Code asks for words by file and list (``words("organisations", "suffixes")``) and builds its patterns with
:func:`pattern`, which compiles once per vocabulary. The vocabulary in use is a context variable, as
:mod:`decimal` keeps its context: :func:`using` sets one for a block (a test with an extra synonym), and
:func:`install` sets the process-wide default.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


class VocabularyError(LookupError):
    """A list the code asks for is not in the data (a programming error, or a damaged data file)."""


@dataclass(frozen=True, eq=False)  # compared by identity: patterns are cached per instance
class Vocabulary:
    """``lists[file][name]`` is a tuple of words (or of regular-expression fragments, where the file says so);
    ``maps[file][name]`` maps a written form to what it stands for (OCR slips, synonyms)."""

    lists: Mapping[str, Mapping[str, tuple[str, ...]]]
    maps: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)
    _built: dict[Callable[..., object], object] = field(default_factory=dict, repr=False)

    def words(self, file: str, name: str) -> tuple[str, ...]:
        try:
            return self.lists[file][name]
        except KeyError:
            raise VocabularyError(f"读取词汇表 {file}.yaml 中没有“{name}”") from None

    def mapping(self, file: str, name: str) -> Mapping[str, str]:
        try:
            return self.maps[file][name]
        except KeyError:
            raise VocabularyError(f"读取词汇表 {file}.yaml 中没有“{name}”") from None

    def alternation(self, file: str, name: str, *, escape: bool = True) -> str:
        """The words as one regular-expression alternation, longest first (so 社会效益指标 wins over 效益指标)."""
        items = sorted(self.words(file, name), key=len, reverse=True)
        return "|".join(re.escape(w) for w in items) if escape else "|".join(items)

    def built(self, build: Callable[[Vocabulary], T]) -> T:
        if build not in self._built:
            self._built[build] = build(self)
        return self._built[build]  # type: ignore[return-value]


_DEFAULT: list[Vocabulary] = []
_CURRENT: ContextVar[Vocabulary | None] = ContextVar("jixiao_reading_vocabulary", default=None)


def install(vocabulary: Vocabulary) -> None:
    """Make ``vocabulary`` the default for this process (done by :mod:`jixiao.io` when it loads the data)."""
    _DEFAULT[:] = [vocabulary]


def current() -> Vocabulary:
    vocabulary = _CURRENT.get()
    if vocabulary is not None:
        return vocabulary
    if not _DEFAULT:
        raise VocabularyError("读取词汇表尚未加载（由 jixiao.io.catalogue.install_reading_vocabulary 加载）")
    return _DEFAULT[0]


@contextmanager
def using(vocabulary: Vocabulary) -> Iterator[Vocabulary]:
    token = _CURRENT.set(vocabulary)
    try:
        yield vocabulary
    finally:
        _CURRENT.reset(token)


def words(file: str, name: str) -> tuple[str, ...]:
    return current().words(file, name)


def mapping(file: str, name: str) -> Mapping[str, str]:
    return current().mapping(file, name)


def alternation(file: str, name: str, *, escape: bool = True) -> str:
    return current().alternation(file, name, escape=escape)


def pattern(build: Callable[[Vocabulary], T]) -> Callable[[], T]:
    """Decorate a function that builds something (usually a compiled regex) from a vocabulary; calling the
    result gives what was built from the vocabulary in use, built once per vocabulary::

        @pattern
        def _organisation(v: Vocabulary) -> re.Pattern[str]:
            return re.compile(rf"[\\u4e00-\\u9fff]{{2,16}}?(?:{v.alternation('organisations', 'suffixes')})")

        _organisation().search(text)
    """

    def get() -> T:
        return current().built(build)

    get.__name__ = build.__name__
    get.__doc__ = build.__doc__
    return get
