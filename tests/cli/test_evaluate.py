"""`jixiao evaluate`: JSON that meets the contract, text that names the numbers, bad input refused in Chinese."""

import json
import os
from pathlib import Path

import jsonschema
import pytest
import referencing
import yaml
from typer.testing import CliRunner

from jixiao.cli.main import app
from tests.conftest import BASE, SHARED, requires_shared

runner = CliRunner()
CONTRACTS = SHARED / "contracts"
needs_contracts = requires_shared(CONTRACTS)


def validator(name: str) -> jsonschema.Draft202012Validator:
    registry = referencing.Registry()
    for file in CONTRACTS.glob("*.json"):
        schema = json.loads(file.read_text(encoding="utf-8"))
        registry = registry.with_resource(file.name, referencing.Resource.from_contents(schema))
    return jsonschema.Draft202012Validator(
        json.loads((CONTRACTS / name).read_text(encoding="utf-8")), registry=registry
    )


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def seed_like(tmp_path: Path, **claims) -> Path:
    data = json.loads(json.dumps(BASE))
    data["funds"] = [
        {
            "source": "current",
            "annual_budget_wan": 153,
            "initial_budget_wan": 153,
            "arrivals": [{"amount_wan": 100}],
            "executed_wan": 100,
        }
    ]
    data["claims"] = {"total_score": 100, "grade": "优秀", **claims}
    return write_yaml(tmp_path / "evaluation.yaml", data)


@needs_contracts
def test_it_prints_json_that_validates_against_the_contract(tmp_path):
    result = runner.invoke(app, ["evaluate", str(seed_like(tmp_path)), "--format", "json", "--no-write"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    validator("evaluation-result.schema.json").validate(data)
    assert data["funds"]["arrival_rate_pct"] == 65.36
    assert data["funds"]["execution_basis"] == "budget"
    assert data["computed"]["execution_score"] == 6.54
    assert data["claimed"] == {
        "score": 100.0,
        "grade": "优秀",
        "arrival_rate_pct": None,
        "spend_rate_pct": None,
        "execution_rate_pct": None,
        "execution_score": None,
    }
    assert {f["id"] for f in data["findings"]} >= {"S010", "S008"}
    assert [a["rules"] for a in data["alternatives"]] == ["mof-2020", "mof-2021"]


def test_it_prints_the_score_sheet_and_findings_as_text(tmp_path):
    result = runner.invoke(app, ["evaluate", str(seed_like(tmp_path)), "--no-write"])
    assert result.exit_code == 0, result.output
    assert "65.36%" in result.stdout
    assert "S010" in result.stdout and "不能成立" in result.stdout
    assert "可得最高分：96.54 分" in result.stdout


def test_rules_option_selects_another_rule_set(tmp_path):
    result = runner.invoke(
        app, ["evaluate", str(seed_like(tmp_path)), "--rules", "mof-2021", "--format", "json", "--no-write"]
    )
    data = json.loads(result.stdout)
    assert data["rules"] == "mof-2021" and data["computed"]["execution_score"] == 5.0


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["funds"][0].update(annual_budget_wan=-5), ["funds[0].annual_budget_wan", "不能为负数"]),
        (lambda d: d["funds"][0].update(executed_wan="一百"), ["funds[0].executed_wan", "不是有效的金额"]),
        (lambda d: d["claims"].update(arrival_rate_pct="65.36"), ["claims.arrival_rate_pct", "缺少百分号"]),
        (lambda d: d["funds"][0].update(annual_budget_wan="153美元"), ["funds[0].annual_budget_wan", "金额"]),
        (lambda d: d["project"].pop("name"), ["project.name", "缺少必填项"]),
        (lambda d: d.update(budgett=1), ["budgett", "不是可识别的字段"]),
        (lambda d: d["funds"][0].update(source="city"), ["funds[0].source", "取值不在可选范围内"]),
    ],
)
def test_bad_input_is_refused_with_file_and_field_named(tmp_path, mutate, expected):
    data = json.loads(json.dumps(BASE))
    mutate(data)
    path = write_yaml(tmp_path / "bad.yaml", data)
    out = tmp_path / "out"
    result = runner.invoke(app, ["evaluate", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert str(path) in result.stderr
    for text in expected:
        assert text in result.stderr
    assert not out.exists()


def test_yuan_amounts_are_read_as_wan(tmp_path):
    data = json.loads(json.dumps(BASE))
    data["funds"][0].update(
        annual_budget_wan="1530000元",
        initial_budget_wan="1530000元",
        arrivals=[{"amount_wan": "1000000元"}],
        executed_wan="1000000元",
    )
    path = write_yaml(tmp_path / "yuan.yaml", data)
    result = runner.invoke(app, ["evaluate", str(path), "--format", "json", "--no-write"])
    funds = json.loads(result.stdout)["funds"]
    assert (funds["budget_wan"], funds["arrived_wan"], funds["arrival_rate_pct"]) == (153.0, 100.0, 65.36)


def test_malformed_yaml_names_the_line(tmp_path):
    path = tmp_path / "evaluation.yaml"
    path.write_text("project:\n  name: [未闭合\n  year: 2022\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2
    assert "YAML 格式错误" in result.stderr and "第 3 行" in result.stderr and str(path) in result.stderr


def test_unknown_rule_set_is_refused_and_the_known_ones_listed(tmp_path):
    result = runner.invoke(app, ["evaluate", str(seed_like(tmp_path)), "--rules", "mof-2099"])
    assert result.exit_code == 2
    assert "未知的评分规则“mof-2099”" in result.stderr and "mof-2020、mof-2021" in result.stderr


def test_an_invalid_rule_file_is_refused_with_the_path_of_the_error(tmp_path):
    from jixiao.io.catalogue import load_rules

    rules = load_rules("mof-2020").model_dump(mode="json")
    rules["execution"]["method"] = "guess"
    rule_file = write_yaml(tmp_path / "my-rules.yaml", rules)
    result = runner.invoke(app, ["evaluate", str(seed_like(tmp_path)), "--rules", str(rule_file)])
    assert result.exit_code == 2
    assert str(rule_file) in result.stderr and "execution.method" in result.stderr


def test_missing_file_is_reported(tmp_path):
    result = runner.invoke(app, ["evaluate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "文件不存在" in result.stderr


def test_catalogue_commands_list_what_exists():
    assert "mof-2021" in runner.invoke(app, ["rules"]).stdout
    assert "guangdong-4level" in runner.invoke(app, ["frameworks"]).stdout
    listing = runner.invoke(app, ["checks"]).stdout
    assert "F001" in listing and "S010" in listing
    assert "审核已提交材料时另加的检查" in listing and "A009" in listing
    assert "绩效目标申报的目标质量检查" in listing and "G004" in listing
    assert "部门整体支出自评的检查" in listing and "B002" in listing


def test_nothing_is_half_written_when_pdf_conversion_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin") + os.pathsep + "/usr/bin/nonexistent")
    out = tmp_path / "out"
    result = runner.invoke(app, ["evaluate", str(seed_like(tmp_path)), "--out", str(out)])
    assert result.exit_code == 3
    assert "LibreOffice" in result.stderr
    assert not out.exists() or list(out.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".jixiao-")] == []


def test_a_report_given_to_evaluate_is_pointed_to_audit(tmp_path) -> None:
    """Issue 10 §10: not 「文件不是 UTF-8 编码的文本」 for a .pdf or .docx, but what to do with it."""
    report = tmp_path / "自评报告.pdf"
    report.write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["evaluate", str(report), "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "不能从“.pdf”文件建立评价" in result.output and "请用 jixiao audit 审核" in result.output
