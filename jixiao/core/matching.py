"""Which project of a 自评任务 a received file belongs to: by 项目编码 first, then by 预算单位 and 项目名称.

Units send their 附1 tables and reports under names of their own choosing, and the documents call the project a
little differently from the budget system's 项目清单 ("2022年度科普经费项目绩效自评报告" for "科普经费"). Names
are compared after :meth:`MatchVocabulary.normalise` takes off the year and the document's own title words
(vocabulary in ``jixiao/data/intake/matching.yaml``). Only two cases are certain: a 项目编码 of the task found in
the file, and the unit read from the file together with a project name equal to one of that unit's projects.
Everything else is a proposal for a person to confirm, with the closest projects as candidates.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

_YEAR = re.compile(r"(?:19|20)\d{2}\s*(?:年度|年)?")
_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)
_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-_]*[0-9A-Za-z]")


@dataclass(frozen=True)
class MatchVocabulary:
    """Words a file adds around a project's name, and how long a 项目编码 must be to be looked for in free text."""

    document_words: tuple[str, ...] = ()
    min_code_length: int = 6
    #: how alike two names must be (0–1, difflib's ratio) for the project to be proposed at all
    min_similarity: float = 0.5

    def normalise(self, name: str) -> str:
        """The name without year, punctuation, spaces and the document's title words (longest first)."""
        text = unicodedata.normalize("NFKC", name)
        text = _YEAR.sub("", text)
        text = _PUNCTUATION.sub("", text)
        for word in sorted(self.document_words, key=len, reverse=True):
            text = text.replace(word, "")
        return text

    @staticmethod
    def normalise_unit(name: str) -> str:
        return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", name))

    @staticmethod
    def normalise_code(code: str) -> str:
        return unicodedata.normalize("NFKC", code).strip().upper()


@dataclass(frozen=True, slots=True)
class Project:
    """One project of the task, as the matcher needs it; ``key`` is the caller's (the evaluation's id)."""

    key: int
    code: str
    name: str
    unit: str


@dataclass(frozen=True, slots=True)
class Candidate:
    key: int
    similarity: float  # 0–1
    reason: str  # Chinese: why this project is proposed


@dataclass(frozen=True, slots=True)
class Match:
    """``key`` is set when the match is certain; otherwise ``candidates`` (best first) are for a person to choose."""

    key: int | None
    how: str  # Chinese: how the file was matched, or why not
    candidates: tuple[Candidate, ...] = ()

    @property
    def certain(self) -> bool:
        return self.key is not None


@dataclass
class ProjectIndex:
    """The task's projects, indexed once for many files."""

    projects: Sequence[Project]
    vocabulary: MatchVocabulary
    _by_code: dict[str, list[Project]] = field(init=False, default_factory=dict)
    _by_unit: dict[str, list[Project]] = field(init=False, default_factory=dict)
    _names: dict[int, str] = field(init=False, default_factory=dict)
    _bigrams: dict[str, list[int]] = field(init=False, default_factory=dict)
    _by_key: dict[int, Project] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        by_code: dict[str, list[Project]] = defaultdict(list)
        by_unit: dict[str, list[Project]] = defaultdict(list)
        bigrams: dict[str, list[int]] = defaultdict(list)
        for project in self.projects:
            self._by_key[project.key] = project
            if project.code:
                by_code[self.vocabulary.normalise_code(project.code)].append(project)
            by_unit[self.vocabulary.normalise_unit(project.unit)].append(project)
            name = self.vocabulary.normalise(project.name) or self.vocabulary.normalise_unit(project.name)
            self._names[project.key] = name
            for gram in set(_grams(name)):
                bigrams[gram].append(project.key)
        self._by_code, self._by_unit, self._bigrams = dict(by_code), dict(by_unit), dict(bigrams)

    # ------------------------------------------------------------------------------------------ matching

    def match(self, *, text: Iterable[str], project: str | None, unit: str | None, file_name: str) -> Match:
        """The project of a file whose text is ``text`` (lines and cells), from which the audit read ``project``
        and ``unit`` (either may be None), sent as ``file_name``."""
        by_code = self._by_codes([file_name, *text])
        if len(by_code) == 1:
            found = by_code[0]
            return Match(found.key, f"按项目编码“{found.code}”匹配")
        if len(by_code) > 1:
            listed = "、".join(p.code for p in by_code[:5])
            return Match(
                None,
                f"文件中出现多个本任务的项目编码（{listed}），请确认",
                tuple(Candidate(p.key, 1.0, f"文件中出现项目编码“{p.code}”") for p in by_code[:5]),
            )
        stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        path = file_name.rsplit(".", 1)[0]  # folders too: a zip is often sorted into one folder per unit
        names = [n for n in (project, stem) if n and self.vocabulary.normalise(n)]
        if not names:
            return Match(None, "文件中没有读到项目编码和项目名称，请选择对应的项目")
        unit_key, unit_projects = self._unit_projects(unit, path)
        if unit_projects is not None:
            # a file name often puts the unit before the project: “某某局-某某项目自评表”
            names += [n.replace(unit_key, "") for n in names if unit_key and unit_key in self.vocabulary.normalise(n)]
            wanted = {self.vocabulary.normalise(n) for n in names}
            exact = [p for p in unit_projects if self._names[p.key] in wanted]
            if len(exact) == 1:
                return Match(exact[0].key, "按预算单位和项目名称匹配")
            pool: Sequence[Project] = unit_projects
        else:
            pool = self._shortlist(names)
        candidates = self._rank(names, pool, unit_known=unit_projects is not None)
        if not candidates:
            why = "本单位的项目中没有名称相近的" if unit_projects is not None else "任务中没有名称相近的项目"
            return Match(None, f"未能匹配：{why}，请选择对应的项目")
        if unit_projects is None:
            how = "文件中没有读到本任务的预算单位，按项目名称找到相近的项目，请确认"
        else:
            how = "预算单位一致，项目名称不完全相同，请确认"
        return Match(None, how, tuple(candidates))

    def _by_codes(self, texts: Iterable[str]) -> list[Project]:
        found: dict[int, Project] = {}
        shortest = self.vocabulary.min_code_length
        for text in texts:
            for token in _TOKEN.findall(unicodedata.normalize("NFKC", text)):
                if len(token) < shortest:
                    continue
                for project in self._by_code.get(token.upper(), ()):
                    found.setdefault(project.key, project)
        return list(found.values())

    def _unit_projects(self, unit: str | None, path: str) -> tuple[str, list[Project] | None]:
        """The unit the file names (read from it, or else in its path: folders and file name) and its projects;
        ("", None) if none or if the path names two units. A unit whose name is part of a longer one named there
        (“科协” in “市科协机关”) does not count."""
        if unit:
            key = self.vocabulary.normalise_unit(unit)
            if key in self._by_unit:
                return key, self._by_unit[key]
        plain = self.vocabulary.normalise_unit(path)
        named = [key for key in self._by_unit if key and key in plain]
        named = [key for key in named if not any(key != other and key in other for other in named)]
        if len(named) == 1:
            return named[0], self._by_unit[named[0]]
        return "", None

    def _shortlist(self, names: list[str], size: int = 50) -> list[Project]:
        """Projects sharing the most two-character pieces with the names (pieces common to a twentieth of the task
        or more, such as “项目”, tell nothing and are skipped)."""
        common = max(20, len(self.projects) // 20)
        hits: Counter[int] = Counter()
        for name in names:
            for gram in set(_grams(self.vocabulary.normalise(name))):
                keys = self._bigrams.get(gram, ())
                if len(keys) <= common:
                    hits.update(keys)
        return [self._by_key[key] for key, _ in hits.most_common(size)]

    def _rank(self, names: list[str], pool: Iterable[Project], *, unit_known: bool, best: int = 5) -> list[Candidate]:
        wanted = [self.vocabulary.normalise(n) for n in names]
        scored: list[Candidate] = []
        for project in pool:
            name = self._names[project.key]
            similarity = max(_similarity(w, name) for w in wanted)
            if similarity < self.vocabulary.min_similarity:
                continue
            if similarity == 1.0:
                reason = "项目名称一致" + ("" if unit_known else "（文件未载明本任务的预算单位）")
            else:
                reason = f"项目名称相似（{similarity:.0%}）"
            scored.append(Candidate(project.key, similarity, reason))
        scored.sort(key=lambda c: (-c.similarity, c.key))
        return scored[:best]


def _grams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)] or ([text] if text else [])


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a in b or b in a:  # one name is the other with a prefix or suffix: close, but not the same
        return max(0.8, SequenceMatcher(None, a, b).ratio())
    return SequenceMatcher(None, a, b).ratio()
