"""Rule sets and frameworks: shipped YAML under ``jixiao/data``, or a user's file loaded the same way."""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..core.audit.risk import RiskWeights
from ..core.frameworks import Framework
from ..core.results import Policy
from ..core.rules import RuleSet
from ..core.sampling import SamplingWeights
from ..reading.vocabulary import Vocabulary, install
from .errors import InputError, from_validation

T = TypeVar("T", bound=BaseModel)

#: PyYAML's safe loader, in C when PyYAML was built with libyaml (about ten times faster on the rule sets)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _data_dir(kind: str) -> Path:
    return Path(str(resources.files("jixiao") / "data" / kind))


def shipped_ids(kind: str) -> list[str]:
    """Ids of the shipped ``rules`` or ``frameworks``."""
    return sorted(p.stem for p in _data_dir(kind).glob("*.yaml"))


def read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("文件不存在", path) from None
    except UnicodeDecodeError:
        raise InputError("文件不是 UTF-8 编码的文本", path) from None
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        raise InputError(f"YAML 格式错误，位于{where}", path) from None


def _load(kind: str, id_or_path: str, model: type[T], what: str) -> T:
    candidate = Path(id_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        path = candidate
    else:
        path = _data_dir(kind) / f"{id_or_path}.yaml"
        if not path.exists():
            known = "、".join(shipped_ids(kind))
            raise InputError(f"未知的{what}“{id_or_path}”，可用的有：{known}")
    return read_model(path, model, what)


def read_model(path: Path, model: type[T], what: str) -> T:
    """The YAML data file at ``path`` as ``model``; a file that is not a mapping, or does not fit the model, raises
    :class:`InputError` naming the file and the field (``what`` is its Chinese name: 评分规则, 预警规则 …)."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(f"{what}文件的内容应为字段表", path)
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise from_validation(err, model, path) from None


@cache
def load_rules(id_or_path: str) -> RuleSet:
    """A rule set by id (``mof-2020``) or from a YAML file path."""
    return _load("rules", id_or_path, RuleSet, "评分规则")


@cache
def load_framework(id_or_path: str) -> Framework:
    """A framework by id (``mof-selfeval``) or from a YAML file path."""
    return _load("frameworks", id_or_path, Framework, "指标体系")


@cache
def load_sampling_weights(id_or_path: str = "risk") -> SamplingWeights:
    """The weights of the 抽查复核 risk score (``jixiao/data/sampling/risk.yaml``) or a YAML file path."""
    return _load("sampling", id_or_path, SamplingWeights, "抽查风险分权重")


#: the shipped default 结果应用 policy
DEFAULT_RESULT_POLICY = _data_dir("results") / "policy.yaml"


@lru_cache(maxsize=64)
def load_result_policy(text_or_path: str | Path = DEFAULT_RESULT_POLICY) -> Policy:
    """A 结果应用 policy from YAML text (what a 财政局 saved) or a file (by default the shipped one,
    ``jixiao/data/results/policy.yaml``); :class:`InputError` with a Chinese message on a YAML syntax error or a rule
    the policy does not allow. A text names no file in its messages; a file does."""
    if isinstance(text_or_path, Path):
        data, where = read_yaml(text_or_path), str(text_or_path)
    else:
        where = ""
        try:
            data = yaml.load(text_or_path, Loader=_SAFE_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
            raise InputError(f"YAML 格式错误，位于{at}") from None
    if not isinstance(data, dict):
        raise InputError("结果应用政策的内容应为字段表（name、rules 等）", where or None)
    try:
        return Policy.model_validate(data)
    except ValidationError as err:
        raise from_validation(err, Policy, where) from None


@cache
def load_risk_weights(id_or_path: str = "risk") -> RiskWeights:
    """The weights of the audit risk score (``jixiao/data/audit/risk.yaml``) or a YAML file path."""
    return _load("audit", id_or_path, RiskWeights, "风险分权重")


@cache
def load_reading_vocabulary() -> Vocabulary:
    """Every file under ``jixiao/data/reading``: lists of words and maps of written forms (see its README)."""
    return read_vocabulary(_data_dir("reading"))


def read_vocabulary(folder: Path) -> Vocabulary:
    lists: dict[str, dict[str, tuple[str, ...]]] = {}
    maps: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path)
        if not isinstance(data, dict):
            raise InputError("读取词汇表的内容应为“名称: 列表或映射”", path)
        for name, value in data.items():
            if isinstance(value, list) and all(isinstance(w, str) and w for w in value):
                lists.setdefault(path.stem, {})[str(name)] = tuple(value)
            elif isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                maps.setdefault(path.stem, {})[str(name)] = dict(value)
            else:
                raise InputError(f"“{name}”应为非空文字的列表，或“写法: 含义”的映射", path)
    return Vocabulary(lists, maps)


def install_reading_vocabulary() -> Vocabulary:
    """Load the reading vocabulary and make it the default of :mod:`jixiao.reading` in this process."""
    vocabulary = load_reading_vocabulary()
    install(vocabulary)
    return vocabulary
