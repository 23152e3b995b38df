"""What `make run` does: the Zhanjiang example evaluated into a folder, every output written."""

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jixiao.cli.main import app
from jixiao.io.outputs import OUTPUT_FILES
from tests.cli.test_evaluate import needs_contracts, validator
from tests.conftest import EXAMPLE

runner = CliRunner()


@pytest.mark.office
@needs_contracts
def test_the_example_writes_every_output_and_prints_the_arrival_rate_and_the_error(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["evaluate", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    assert "65.36%" in result.stdout
    assert "S010" in result.stdout and "自评 100.00 分、“优秀”不能成立" in result.stdout
    assert (out / "自评报告.pdf").read_bytes().startswith(b"%PDF")
    data = json.loads((out / "评价结果.json").read_text(encoding="utf-8"))
    validator("evaluation-result.schema.json").validate(data)
    assert data["computed"]["score"] == 89.7 and data["claimed"]["score"] == 100.0
    table = load_workbook(out / "项目支出绩效自评表.xlsx").active
    assert table["A1"].value == "项目支出绩效自评表"


@needs_contracts
def test_the_example_json_validates_against_the_contract():
    result = runner.invoke(app, ["evaluate", str(EXAMPLE), "--format", "json", "--no-write"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    validator("evaluation-result.schema.json").validate(data)
    assert data["funds"]["arrival_rate_pct"] == 65.36
    assert data["funds"]["spend_rate_pct"] == 100.0
    assert data["funds"]["execution_rate_pct"] == 65.36
    assert {(a["rules"], a["score"], a["grade"]) for a in data["alternatives"]} == {
        ("mof-2020", 89.7, "良"),
        ("mof-2021", 85.87, "良"),
    }
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert any(f["id"] == "S010" and "65.36%" in f["message"] for f in errors)
