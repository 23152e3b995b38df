"""Read an evaluation from a YAML file, a folder holding ``evaluation.yaml``, or a 附1 自评表 ``.xlsx``."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..core.model import Evaluation
from .catalogue import read_yaml
from .errors import InputError, from_validation

EVALUATION_FILE = "evaluation.yaml"


def resolve(path: Path) -> Path:
    """The file an evaluation path names: a folder means its ``evaluation.yaml``."""
    if path.is_dir():
        inner = path / EVALUATION_FILE
        if not inner.exists():
            raise InputError(f"文件夹中没有 {EVALUATION_FILE}", path)
        return inner
    if not path.exists():
        raise InputError("文件不存在", path)
    return path


def load_evaluation(path: Path | str) -> Evaluation:
    """Read and validate an evaluation; bad input raises :class:`InputError` naming file and field."""
    file = resolve(Path(path))
    if file.suffix.lower() == ".xlsx":
        from .xlsx.selfeval_read import read_selfeval_table

        return read_selfeval_table(file)
    data = read_yaml(file)
    if not isinstance(data, dict):
        raise InputError("内容应为字段表（YAML 映射）", file)
    return evaluation_from_dict(data, file)


def evaluation_from_dict(data: dict[str, object], source: Path | str) -> Evaluation:
    try:
        return Evaluation.model_validate(data)
    except ValidationError as err:
        raise from_validation(err, Evaluation, source) from None
