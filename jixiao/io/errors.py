"""Input errors with a Chinese message that names the file and the field (or sheet and cell)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..core.values import ValueProblem

_PYDANTIC_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "不是可识别的字段",
    "string_type": "应为文字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "bool_parsing": "应为“是”或“否”（true/false）",
    "bool_type": "应为“是”或“否”（true/false）",
    "date_from_datetime_parsing": "应为日期，如 2022-06-30",
    "date_parsing": "应为日期，如 2022-06-30",
    "date_type": "应为日期，如 2022-06-30",
    "enum": "取值不在可选范围内",
    "list_type": "应为列表",
    "dict_type": "应为字段表",
    "model_type": "应为字段表",
    "greater_than_equal": "不能小于",
    "less_than_equal": "不能大于",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "too_short": "项数不足",
    "string_pattern_mismatch": "格式不正确",
}


class InputError(Exception):
    """Bad input: the message is Chinese and names where the problem is."""

    def __init__(self, message: str, path: Path | str | None = None, field: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.field = field
        self.reason = message
        where = "，".join(
            x for x in (f"文件 {self.path}" if self.path else None, f"字段 {field}" if field else None) if x
        )
        super().__init__(f"{where}：{message}" if where else message)


def field_label(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """``funds.0.annual_budget_wan`` → ``funds[0].annual_budget_wan（全年预算数（万元））``."""
    dotted = ""
    label = None
    current: object = model
    for part in loc:
        if isinstance(part, int):
            dotted += f"[{part}]"
            continue
        dotted += ("." if dotted else "") + str(part)
        fields = getattr(current, "model_fields", None)
        if isinstance(fields, dict) and part in fields:
            info = fields[part]
            label = info.title or label
            current = _inner_model(info.annotation)
        else:
            current = None
    return f"{dotted}（{label}）" if label else dotted


def _inner_model(annotation: object) -> object:
    """The BaseModel inside ``list[X]``, ``X | None`` or ``X``."""
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
        stack.extend(getattr(item, "__args__", ()) or ())
    return None


def too_long(limit: object, value: object) -> str:
    """“不能超过 300 个字（现为 360 个字）”: the same words wherever a text is longer than its field allows."""
    length = f"（现为 {len(value)} 个字）" if isinstance(value, str) else ""
    return f"不能超过 {limit} 个字{length}"


def from_validation(err: ValidationError, model: type[BaseModel], path: Path | str) -> InputError:
    """The first problem of a pydantic error, in Chinese, with file and field; the rest counted."""
    problems = err.errors(include_url=False)
    first = problems[0]
    field = field_label(model, tuple(first["loc"]))
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, ValueProblem):
        reason = str(cause)
    else:
        reason = _PYDANTIC_ZH.get(first["type"], "取值无效")
        if first["type"] in ("greater_than_equal", "less_than_equal"):
            limit = first.get("ctx", {}).get("ge", first.get("ctx", {}).get("le"))
            reason = f"{reason} {limit}"
        if first["type"] == "string_too_long":
            reason = too_long(first.get("ctx", {}).get("max_length"), first.get("input"))
        elif "input" in first and first["type"] not in ("missing",):
            reason += f"（实际为“{first['input']}”）" if not isinstance(first["input"], dict) else ""
    more = f"（另有 {len(problems) - 1} 处问题）" if len(problems) > 1 else ""
    return InputError(reason + more, path, field)


# Reading an upload in a worker process bounded in time and memory (jixiao.io.audit.bounded): what the user is told,
# after “文件 <name>：”, when the bound is reached or the worker dies. Like UNEXPECTED in io/audit/audit_file.py.

#: the reading took longer than allowed ({seconds}: the limit in seconds)
READ_TOO_SLOW = "读取超过 {seconds} 秒仍未完成，已停止（文件可能过大或已损坏）；请检查文件后重试"
#: the reading needed more memory than allowed ({megabytes}: the limit in MB)
READ_TOO_BIG = "读取所需内存超过上限（{megabytes} MB），已停止；文件可能是压缩炸弹或过大"
#: the worker reading the file ended without an answer ({how}: how it ended, e.g. “读取程序崩溃”)
READ_DIED = "读取时{how}，未能识别其内容（已记入日志）；请检查文件后重试，如仍出错请联系系统管理员"


def damaged_file(kind: str) -> str:
    """“文件已损坏或不是有效的 .xlsx 文件”: the same words on every path that finds a file damaged (``kind``: its
    suffix)."""
    return f"文件已损坏或不是有效的 {kind} 文件"
