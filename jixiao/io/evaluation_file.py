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


#: what ``jixiao evaluate`` reads: our own evaluation data (YAML is a superset of JSON) and the 附1 table
EVALUATION_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


def load_evaluation(path: Path | str) -> Evaluation:
    """Read and validate an evaluation; bad input raises :class:`InputError` naming file and field."""
    file = resolve(Path(path))
    suffix = file.suffix.lower()
    if suffix == ".xlsx":
        from .xlsx.selfeval_read import read_selfeval_table

        return read_selfeval_table(file)
    if suffix not in EVALUATION_SUFFIXES:
        raise InputError(
            f"不能从“{suffix or '（无扩展名）'}”文件建立评价：这里接受本系统的评价数据（.yaml/.yml/.json）或附1 自评表（.xlsx）；"
            "已有的自评报告（.docx、.pdf、.txt 等）请用 jixiao audit 审核，或在网页上“导入已有材料”",
            file,
        )
    data = read_yaml(file)
    if not isinstance(data, dict):
        raise InputError("内容应为字段表（YAML 映射）", file)
    return evaluation_from_dict(data, file)


def evaluation_from_dict(data: dict[str, object], source: Path | str) -> Evaluation:
    try:
        return Evaluation.model_validate(data)
    except ValidationError as err:
        raise from_validation(err, Evaluation, source) from None
