"""Generate docs/checks.md, the catalogue of consistency checks as a Chinese table.

Each row comes from a registered check: id, dotted name, severity, title, and the 反例/正例 of its docstring.
A test compares docs/checks.md with :func:`render`, so the document never goes stale.

    .venv/bin/python tools/gen_checks_doc.py           # rewrite docs/checks.md
    .venv/bin/python tools/gen_checks_doc.py --check   # exit 1 if docs/checks.md is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from jixiao.core.audit.checks import AUDIT_CATALOGUE, STEP1_CHECKS
from jixiao.core.checks import CATALOGUE, Check
from jixiao.core.department.checks import DEPARTMENT_CATALOGUE
from jixiao.core.targets.checks import TARGET_CATALOGUE

DOC = Path(__file__).resolve().parent.parent / "docs" / "checks.md"
GROUPS = {"F": "资金", "S": "得分与等级", "I": "指标", "T": "文字与占位符", "D": "日期", "M": "运行监控"}


def split_docstring(doc: str | None) -> tuple[str, str, str]:
    """(说明, 反例, 正例) from a check's docstring; Chinese lines are joined without spaces."""
    text = "".join(line.strip() for line in (doc or "").splitlines())
    intro, _, rest = text.partition("反例：")
    bad, _, good = rest.partition("正例：")
    return intro.strip(), bad.strip(), good.strip()


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or "—"


def _row(c: Check) -> str:
    intro, bad, good = split_docstring(c.func.__doc__)
    title = f"{c.title}<br>{intro}" if intro else c.title
    cells = [c.id, f"`{c.name}`", c.severity.label, title, bad, good]
    return "| " + " | ".join(_cell(x) for x in cells) + " |"


def _order(c: Check) -> tuple[int, str]:
    return list(GROUPS).index(c.id[0]), c.id


def render() -> str:
    checks = sorted(CATALOGUE.values(), key=_order)
    counts = "、".join(f"{p} {name} {sum(1 for c in checks if c.id[0] == p)} 项" for p, name in GROUPS.items())
    lines = [
        "# 一致性检查目录",
        "",
        "<!-- 本文件由 tools/gen_checks_doc.py 根据检查目录生成，请勿手工修改；"
        "改动检查后运行 `.venv/bin/python tools/gen_checks_doc.py`。 -->",
        "",
        f"共 {len(checks)} 项检查：{counts}。编号一经发布永不重新编号；停用的编号不再复用。",
        "",
        "严重程度：**错误**为数字或事实不能成立，须更正；**警告**须复核或补充说明；**提示**供参考。",
        "每项检查的测试用例见 `tests/checks/cases/<编号>.yaml`（fail 为应报告的情形，pass 为不应报告的情形）。",
        "",
        "| 编号 | 名称 | 严重程度 | 标题 | 反例 | 正例 |",
        "|---|---|---|---|---|---|",
        *(_row(c) for c in checks),
        "",
        "## 审核已提交材料时的检查（A）",
        "",
        "`jixiao audit` 读取已提交的报告和表格时，除下列只对文件本身有意义的检查外，还运行上表中的 "
        + "、".join(STEP1_CHECKS)
        + "（其余检查需要文件中没有的数据，如调查样本、产出日期、本系统模板的占位符）。"
        "测试见 `tests/audit/test_audit_checks.py`。",
        "",
        "| 编号 | 名称 | 严重程度 | 标题 | 反例 | 正例 |",
        "|---|---|---|---|---|---|",
        *(_row(c) for c in AUDIT_CATALOGUE.values()),
        "",
        "## 绩效目标申报的目标质量检查（G）",
        "",
        "单位申报、主管部门和财政审核《项目支出绩效目标申报表》时运行，依据财预〔2021〕101号；"
        "权重方案和判断用词在 `jixiao/data/targets/quality.yaml`。测试用例见 `tests/core/cases_targets/<编号>.yaml`。",
        "",
        "| 编号 | 名称 | 严重程度 | 标题 | 反例 | 正例 |",
        "|---|---|---|---|---|---|",
        *(_row(c) for c in sorted(TARGET_CATALOGUE.values(), key=lambda c: c.id)),
        "",
        "## 部门整体支出自评的检查（B）",
        "",
        "主管部门填报部门整体支出自评时运行；指标框架和比率公式在 `jixiao/data/department/`。"
        "测试用例见 `tests/core/department_cases/<编号>.yaml`。",
        "",
        "| 编号 | 名称 | 严重程度 | 标题 | 反例 | 正例 |",
        "|---|---|---|---|---|---|",
        *(_row(c) for c in sorted(DEPARTMENT_CATALOGUE.values(), key=lambda c: c.id)),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC} 已过期，请运行 tools/gen_checks_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"已写出 {DOC}（{len(CATALOGUE)} 项检查）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
