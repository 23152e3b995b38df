"""Measure `jixiao audit` on the public corpus and write docs/accuracy.md.

    .venv/bin/python tools/gen_accuracy_doc.py        # rewrite docs/accuracy.md
    .venv/bin/python tools/gen_accuracy_doc.py --check  # exit 1 if docs/accuracy.md is stale

Facts are compared with ../shared/corpus/public/expected.json (JIXIAO_SHARED names another shared folder);
inconsistencies are matched to findings by tools/corpus_findings.yaml. Nothing here is hand-written into the document: every figure is measured.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from jixiao.core.audit.document import AuditedDocument
from jixiao.io.audit.audit_file import AuditSettings, audit_file
from jixiao.reading.normalise import clean

ROOT = Path(__file__).resolve().parents[1]
#: ../shared beside the repository, or where JIXIAO_SHARED says (as for the tests and bench/)
SHARED = Path(os.environ.get("JIXIAO_SHARED") or ROOT.parent / "shared")
CORPUS = SHARED / "corpus" / "public"
DOC = ROOT / "docs" / "accuracy.md"
MAPPING = ROOT / "tools" / "corpus_findings.yaml"
FACTS = (
    "kind",
    "year",
    "project",
    "unit",
    "budget_wan",
    "arrived_wan",
    "spent_wan",
    "execution_rate_pct",
    "self_score",
    "grade",
)
ROW_FIELDS = ("level1", "level2", "level3", "target", "actual", "points", "score")


def same(got: object, want: object) -> bool:
    if isinstance(want, (int, float)) and not isinstance(want, bool) and isinstance(got, (int, float)):
        return Decimal(str(got)) == Decimal(str(want))
    return got == want


def _annotated(have: object, want: object) -> bool:
    """Whether the expected value is the value read with a note in brackets added: “X(主管:Y)” for “X”."""
    return isinstance(have, str) and isinstance(want, str) and want.startswith(have + "(") and want.endswith(")")


@dataclass
class FileResult:
    name: str
    doc: AuditedDocument
    facts: dict[str, str] = field(default_factory=dict)  # fact -> right / wrong / missed / spurious / absent
    #: the facts whose expected value the document writes as it is (a name verbatim, a figure as printed, an amount
    #: in 万元 or in 元); the others were put together by whoever wrote expected.json (a note in brackets, parts of
    #: several places, a sum of amounts)
    written: set[str] = field(default_factory=set)
    wrong_values: dict[str, tuple[object, object]] = field(default_factory=dict)  # fact -> (read, expected)
    rows_expected: int = 0
    rows_exact: int = 0
    rows_found: int = 0
    row_fields_right: int = 0
    found: list[bool] = field(default_factory=list)  # per listed inconsistency
    errors: int = 0
    errors_explained: int = 0
    warnings: int = 0
    warnings_explained: int = 0


def load_mapping() -> dict[str, list[list[str]]]:
    """File -> one list of check ids per inconsistency it lists (tools/corpus_findings.yaml)."""
    return yaml.safe_load(MAPPING.read_text(encoding="utf-8"))["inconsistencies"]


def load_developed() -> list[str]:
    """The corpus files the readers were developed on (tools/corpus_findings.yaml); the rest are held out."""
    return yaml.safe_load(MAPPING.read_text(encoding="utf-8"))["developed_on"]


def _span(names: list[str]) -> str:
    """「01–14」 from the files' number prefixes, or the names themselves when they carry none."""
    numbers = [name.split("-", 1)[0] for name in names]
    if all(n.isdigit() for n in numbers) and numbers:
        return numbers[0] if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
    return "、".join(names)


def _written_in(text: str, want: object) -> bool:
    """Whether ``want`` stands in ``text`` (cleaned) as it is: a name without regard to blanks; a figure's digits (an
    amount's in 万元 or in 元) anywhere, glued runs of OCR'd cells included, without thousands separators."""
    if isinstance(want, str):
        return clean(want).replace(" ", "") in text.replace(" ", "")
    number = Decimal(str(want))
    digits = text.replace(",", "")
    return any(format(n.normalize(), "f") in digits for n in (number, number * 10000))


def measure() -> list[FileResult]:
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    mapping = load_mapping()
    settings = AuditSettings.load()
    results = []
    for entry in expected:
        doc = audit_file(CORPUS / entry["file"], settings, name=entry["file"])
        got = doc.to_dict()
        r = FileResult(entry["file"], doc)
        text = clean((CORPUS / entry["file"]).read_text(encoding="utf-8"))
        for name in FACTS:
            want = entry[name]
            if want is not None and name != "kind" and _written_in(text, want):
                r.written.add(name)
            have = got["kind"] if name == "kind" else got["facts"][name]
            if want is None:
                r.facts[name] = "absent" if have is None else "spurious"
            elif have is None:
                r.facts[name] = "missed"
            else:
                r.facts[name] = "right" if same(have, want) else "wrong"
                if r.facts[name] == "wrong":
                    r.wrong_values[name] = (have, want)
        rows = [{k: row[k] for k in ROW_FIELDS} for row in got["indicators"]]
        wants = [{k: row[k] for k in ROW_FIELDS} for row in entry["indicators"]]
        r.rows_expected, r.rows_found = len(wants), len(rows)
        for want in wants:
            if any(all(same(row[k], want[k]) for k in ROW_FIELDS) for row in rows):
                r.rows_exact += 1
            match = next((row for row in rows if row["level3"] == want["level3"]), None)
            if match is not None:
                r.row_fields_right += sum(same(match[k], want[k]) for k in ROW_FIELDS)
        listed: list[list[str]] = mapping.get(entry["file"], [])
        ids = {f["id"] for f in got["findings"]}
        explained = {i for ids_ in listed for i in ids_}
        r.found = [bool(set(ids_) & ids) for ids_ in listed]
        for f in got["findings"]:
            if f["severity"] == "error":
                r.errors += 1
                r.errors_explained += f["id"] in explained
            elif f["severity"] == "warning":
                r.warnings += 1
                r.warnings_explained += f["id"] in explained
        results.append(r)
    return results


def _pct(num: int, den: int) -> str:
    return f"{num * 100 / den:.1f}%" if den else "—"


def _fields_table(results: list[FileResult]) -> list[str]:
    lines = [
        "| 字段 | 有期望值 | 正确 | 读错 | 漏读 | 多读 | 准确率 |",
        "|---|---|---|---|---|---|---|",
    ]
    total_right = total_expected = total_wrong = 0
    for name in FACTS:
        states = [r.facts[name] for r in results]
        expected = sum(s in ("right", "wrong", "missed") for s in states)
        right = states.count("right")
        total_right += right + states.count("absent")
        total_expected += len(states)
        total_wrong += states.count("wrong")
        lines.append(
            f"| {name} | {expected} | {right} | {states.count('wrong')} | {states.count('missed')} | "
            f"{states.count('spurious')} | {_pct(right + states.count('absent'), len(states))} |"
        )
    stated = [s for r in results for s in r.facts.values() if s in ("right", "wrong", "missed")]
    written = [s for r in results for n, s in r.facts.items() if n in r.written]
    pieced = [s for r in results for n, s in r.facts.items() if n not in r.written and n != "kind"]
    pieced = [s for s in pieced if s in ("right", "wrong", "missed")]
    lines += [
        "",
        f"有期望值的字段 {len(stated)} 个，正确 {stated.count('right')} 个（{_pct(stated.count('right'), len(stated))}），"
        f"读错 {total_wrong} 个；全部字段（含期望为空且未读出的）：{_pct(total_right, total_expected)}。",
        "",
        f"其中期望值在文中写出的（名称一字不差；数字见于文中，OCR 粘连的数串也算，金额以万元或元计；不计 kind）{len(written)} 个，"
        f"正确 {written.count('right')} 个（{_pct(written.count('right'), len(written))}），读错 {written.count('wrong')} 个；"
        f"期望值在文中没有原样写出的 {len(pieced)} 个（名称后加了括注、由几处拼合，或由几笔金额推算），"
        f"正确 {pieced.count('right')} 个，读错 {pieced.count('wrong')} 个。",
    ]
    return lines


def _rows_summary(results: list[FileResult]) -> str:
    expected = sum(r.rows_expected for r in results)
    exact = sum(r.rows_exact for r in results)
    fields = sum(r.row_fields_right for r in results)
    return (
        f"期望 {expected} 行，七个字段全部一致的 {exact} 行（{_pct(exact, expected)}）；"
        f"按三级指标名称对上的行中，字段正确率 {_pct(fields, expected * len(ROW_FIELDS))}"
    )


def _findings_summary(results: list[FileResult]) -> list[str]:
    listed = sum(len(r.found) for r in results)
    found = sum(sum(r.found) for r in results)
    errors = sum(r.errors for r in results)
    errors_explained = sum(r.errors_explained for r in results)
    warnings = sum(r.warnings for r in results)
    warnings_explained = sum(r.warnings_explained for r in results)
    flagged = [r for r in results if r.found]
    noticed = sum(1 for r in flagged if r.errors or r.warnings)
    clean_with_errors = [r.name for r in results if not r.found and r.errors]
    return [
        f"- 查出率（recall）：期望列出的 {listed} 处不一致中查出 {found} 处，{_pct(found, listed)}；"
        f"有不一致的 {len(flagged)} 份材料中，{noticed} 份至少有一条错误或警告。",
        f"- 错误级精确率（precision）：共 {errors} 条错误级发现，其中 {errors_explained} 条对应期望列出的不一致，"
        f"{_pct(errors_explained, errors)}。",
        f"- 警告级：共 {warnings} 条，其中 {warnings_explained} 条对应期望列出的不一致。",
        f"- 没有不一致的材料中出现错误级发现的：{'、'.join(clean_with_errors) if clean_with_errors else '无'}。",
    ]


def render(results: list[FileResult]) -> str:
    developed = set(load_developed())
    seen = [r for r in results if r.name in developed]
    held_out = [r for r in results if r.name not in developed]
    #: the parts measured apart, then together: the developed files flatter the readers, the held-out ones do not
    parts = [(f"开发用 {_span([r.name for r in seen])}", seen)]
    if held_out:
        parts += [(f"留出 {_span([r.name for r in held_out])}", held_out), (f"合计 {len(results)} 份", results)]
    lines = [
        "# 读取与检查的准确率（公开语料）",
        "",
        "本文件由 `tools/gen_accuracy_doc.py` 生成，请勿手工修改；`make accuracy` 重新生成，测试会检查它是否过期。",
        f"语料为 `../shared/corpus/public/` 的 {len(results)} 份真实公开材料，期望值见其 `expected.json`；",
        "不一致与检查编号的对应见 `tools/corpus_findings.yaml`。",
        "",
        f"**注意：其中 {_span([r.name for r in seen])} 这 {len(seen)} 份材料也是开发时调校读取规则所用的材料**"
        "（各地模板、OCR 粘连、繁体镜像都是照着它们处理的），在它们上面的数字对没见过的模板会偏乐观。",
    ]
    if held_out:
        lines.append(
            f"{_span([r.name for r in held_out])} 这 {len(held_out)} 份是之后加入、未用于调校的留出材料，"
            "反映读取规则对新模板的适应程度，下面每张表都把两部分分开列出，再给出合计；"
            "测试（`tests/audit/test_corpus.py`）只对开发用的材料核对全部期望值。"
        )
    lines += [
        "新的真实材料应先加入语料、写明期望值，再改读取规则。",
        "",
        "## 字段",
        "",
        "“正确”= 与期望值相同；“读错”= 读出的值与期望不同（最坏的情况）；“漏读”= 期望有值而未读出；",
        "“多读”= 期望为空却读出了值。",
    ]
    for title, part in parts:
        lines += ["", f"### {title}", "", *_fields_table(part)]
    lines += [
        "",
        "## 指标行",
        "",
        "“完全一致”= 七个字段（一、二、三级指标，年度指标值，实际完成值，分值，得分）都与期望相同。",
        "",
    ]
    lines += [f"- {title}：{_rows_summary(part)}。" for title, part in parts]
    for title, part in parts[:2]:
        lines += ["", f"### {title}", "", "| 文件 | 期望行数 | 读出行数 | 完全一致 |", "|---|---|---|---|"]
        for r in part:
            if r.rows_expected or r.rows_found:
                lines.append(f"| {r.name} | {r.rows_expected} | {r.rows_found} | {r.rows_exact} |")
        lines.append(
            f"| 小计 | {sum(r.rows_expected for r in part)} | {sum(r.rows_found for r in part)} | "
            f"{sum(r.rows_exact for r in part)} |"
        )
    lines += ["", "## 不一致的查出率与错误级发现的精确率"]
    for title, part in parts:
        lines += ["", f"**{title}**", "", *_findings_summary(part)]
    lines += [
        "",
        "其余警告（如执行率低于 90% 未说明原因、扣分未写原因）是期望值未列为“矛盾”的提醒。",
    ]
    for title, part in parts[:2]:
        lines += [
            "",
            f"### {title}",
            "",
            "| 文件 | 期望不一致 | 查出 | 错误 | 警告 | 风险分 |",
            "|---|---|---|---|---|---|",
        ]
        for r in part:
            lines.append(f"| {r.name} | {len(r.found)} | {sum(r.found)} | {r.errors} | {r.warnings} | {r.doc.risk} |")
        lines.append(
            f"| 小计 | {sum(len(r.found) for r in part)} | {sum(sum(r.found) for r in part)} | "
            f"{sum(r.errors for r in part)} | {sum(r.warnings for r in part)} | — |"
        )
    lines += ["", "## 读错与漏读明细", ""]
    misses = [
        (r.name, name, state)
        for r in results
        for name, state in r.facts.items()
        if state in ("wrong", "missed", "spurious")
    ]
    if not misses:
        lines.append("无。")
    by_name = {r.name: r for r in results}
    wrong = [(have, want) for r in results for have, want in r.wrong_values.values()]
    if wrong:
        noted = sum(_annotated(have, want) for have, want in wrong)
        lines += [f"读错的 {len(wrong)} 个中，{noted} 个是期望值在读出的名称后加了括注（如“某单位(主管:某局)”）。", ""]
    for name, fact, state in misses:
        label = {"wrong": "读错", "missed": "漏读", "spurious": "多读"}[state]
        shown = ""
        if state == "wrong":
            have, want = by_name[name].wrong_values[fact]
            shown = f"：读出“{have}”，期望“{want}”" + (
                "（期望值在读出的名称后加了括注）" if _annotated(have, want) else ""
            )
        lines.append(f"- {name}：`{fact}` {label}{shown}")
    unfound = [(r.name, i + 1) for r in results for i, ok in enumerate(r.found) if not ok]
    for name, index in unfound:
        lines.append(f"- {name}：第 {index} 处不一致未查出")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if not (CORPUS / "expected.json").exists():
        print(f"未找到语料：{CORPUS / 'expected.json'}（可用环境变量 JIXIAO_SHARED 指定 shared 目录）", file=sys.stderr)
        return 1
    text = render(measure())
    if "--check" in argv:
        return 0 if DOC.exists() and DOC.read_text(encoding="utf-8") == text else 1
    DOC.write_text(text, encoding="utf-8")
    print(f"已写出 {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
