"""`jixiao audit`: the seed's numbers and what does not hold, a mixed folder that always completes, bad input refused."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import referencing
from openpyxl import load_workbook
from PIL import Image, ImageDraw, ImageFont
from typer.testing import CliRunner

from jixiao.cli.main import app
from tests.conftest import SHARED, requires_shared

runner = CliRunner()
CONTRACTS = SHARED / "contracts"
SEED = SHARED / "seed" / "zhanjiang-2022-kepu-self-evaluation.txt"
CORPUS = SHARED / "corpus" / "public"
needs_shared = requires_shared(SEED, CONTRACTS, CORPUS)
# two corpus documents whose audit finds less than the seed's (risk 4 and 8 against 86)
CORPUS_FILES = ("03-xiaoxian-hexi-2023-farming-table.txt", "11-hunan-cast-2016-kepu-report.txt")
NEEDS_OCR = "无文本层，需 OCR"


def validator() -> jsonschema.Draft202012Validator:
    registry = referencing.Registry()
    for file in CONTRACTS.glob("*.json"):
        schema = json.loads(file.read_text(encoding="utf-8"))
        registry = registry.with_resource(file.name, referencing.Resource.from_contents(schema))
    schema = json.loads((CONTRACTS / "audit-result.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, registry=registry)


def cjk_font() -> str:
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True, timeout=30
        ).stdout
    except OSError:
        found = ""
    if not found or not Path(found).exists():
        pytest.skip("no CJK font to draw the scanned page")
    return found


def make_scanned_pdf(path: Path) -> Path:
    """A page of Chinese text and digits drawn into an image, saved as a PDF without a text layer."""
    font = ImageFont.truetype(cjk_font(), 60)
    image = Image.new("L", (1654, 1169), 255)
    draw = ImageDraw.Draw(image)
    lines = ("项目支出绩效自评表", "项目名称：乡村道路养护经费", "全年预算数 50 万元，全年执行数 48 万元")
    for i, text in enumerate(lines):
        draw.text((100, 150 + 150 * i), text, font=font, fill=0)
    image.save(path, "PDF", resolution=150)
    return path


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("submitted")
    shutil.copy(SEED, folder / SEED.name)
    nested = folder / "各单位"
    nested.mkdir()
    for name in CORPUS_FILES:
        shutil.copy(CORPUS / name, nested / name)
    (folder / "broken.xlsx").write_bytes(random.Random(20220).randbytes(4096))
    make_scanned_pdf(folder / "扫描件.pdf")
    return folder


@pytest.fixture(scope="module")
def batch_run(batch_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    out_dir = tmp_path_factory.mktemp("result") / "审核结果"
    result = runner.invoke(app, ["audit", str(batch_dir), "--format", "json", "--out", str(out_dir)])
    return result, out_dir


def documents_by_name(data: dict) -> dict[str, dict]:
    return {Path(doc["file"]).name: doc for doc in data["documents"]}


# --- one file -------------------------------------------------------------------------------------------


@needs_shared
def test_text_report_of_the_seed_names_its_numbers_and_what_does_not_hold():
    result = runner.invoke(app, ["audit", str(SEED)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "全年预算数：153 万元" in text
    assert "到位资金：100 万元" in text
    assert "执行数：100 万元" in text
    assert "所述资金到位率：65.36%" in text
    assert "自评得分：100 分" in text
    assert "自评等级：优秀" in text
    assert "第101行" in text  # where the budget was read
    assert "所述预算执行率：未读出" in text
    assert "错误 S010" in text and "不能成立" in text
    assert "风险分：" in text
    assert "共 " not in text  # one document: no batch summary line


@needs_shared
def test_json_of_the_seed_meets_the_contract():
    result = runner.invoke(app, ["audit", str(SEED), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    validator().validate(data)
    (doc,) = data["documents"]
    facts = doc["facts"]
    assert facts["budget_wan"] == 153
    assert facts["arrived_wan"] == 100
    assert facts["spent_wan"] == 100
    assert facts["arrival_rate_pct"] == 65.36
    assert facts["self_score"] == 100
    assert facts["grade"] == "优秀"
    assert any(f["id"] == "S010" and f["severity"] == "error" for f in doc["findings"])
    budget = doc["provenance"]["budget_wan"]
    assert isinstance(budget["line"], int) and budget["line"] > 0
    assert "153" in budget["text"]
    assert data["summary"] == {"files": 1, "unreadable": 0, "errors": 2, "warnings": 2, "infos": 0}


# --- a folder of mixed files ----------------------------------------------------------------------------


@needs_shared
@pytest.mark.ocr
def test_batch_completes_and_reports_every_file(batch_run):
    result, _ = batch_run
    assert result.exit_code == 1, result.output  # one file could not be read
    data = json.loads(result.stdout)  # nothing but the JSON on stdout
    validator().validate(data)
    names = documents_by_name(data)
    assert set(names) == {SEED.name, *CORPUS_FILES, "broken.xlsx", "扫描件.pdf"}
    assert data["summary"]["files"] == 5 and data["summary"]["unreadable"] == 1


@needs_shared
@pytest.mark.ocr
def test_corrupt_workbook_is_reported_by_name(batch_run):
    data = json.loads(batch_run[0].stdout)
    broken = documents_by_name(data)["broken.xlsx"]
    assert broken["error"] and "broken.xlsx" in broken["error"]
    assert all(value is None for value in broken["facts"].values())
    assert broken["risk"] is None


@needs_shared
@pytest.mark.ocr
def test_scanned_pdf_is_reported_as_needing_ocr(batch_run):
    scan = documents_by_name(json.loads(batch_run[0].stdout))["扫描件.pdf"]
    said = scan["error"] if scan["error"] else "\n".join(scan["notes"])
    assert NEEDS_OCR in said


@needs_shared
@pytest.mark.ocr
def test_out_writes_the_same_json_and_the_summary_workbook(batch_run):
    result, out_dir = batch_run
    written = json.loads((out_dir / "audit.json").read_text(encoding="utf-8"))
    validator().validate(written)
    assert written == json.loads(result.stdout)
    assert sorted(p.name for p in out_dir.iterdir()) == ["audit-summary.xlsx", "audit.json"]  # no temp files left


@needs_shared
@pytest.mark.ocr
def test_summary_workbook_ranks_by_risk(batch_run):
    _, out_dir = batch_run
    wb = load_workbook(out_dir / "audit-summary.xlsx")
    ranking = wb["风险排序"]
    header = [c.value for c in ranking[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ranking.iter_rows(min_row=2)]
    assert [r["序号"] for r in rows] == [1, 2, 3, 4, 5]
    read = [r for r in rows if r["无法读取原因"] is None]
    risks = [r["风险分"] for r in read]
    assert risks == sorted(risks, reverse=True)
    seed = next(r for r in rows if Path(r["文件"]).name == SEED.name)
    assert seed["风险分"] == max(risks) and seed is rows[0]
    assert (seed["预算数(万元)"], seed["到位数(万元)"], seed["执行数(万元)"]) == (153, 100, 100)
    assert seed["错误数"] == 2 and "S010" in seed["主要问题"]
    broken = rows[-1] if Path(rows[-1]["文件"]).name == "broken.xlsx" else rows[-2]
    assert Path(broken["文件"]).name == "broken.xlsx"
    assert "broken.xlsx" in broken["无法读取原因"] and broken["风险分"] is None
    unread_at = [i for i, r in enumerate(rows) if r["无法读取原因"] is not None]
    assert unread_at == list(range(len(read), len(rows)))  # unreadable files come last

    issues = wb["全部问题"]
    found = [(Path(r[0]).name, r[1], r[2]) for r in issues.iter_rows(min_row=2, values_only=True)]
    assert (SEED.name, "S010", "错误") in found


@needs_shared
@pytest.mark.ocr
def test_text_overview_of_many_files(batch_dir):
    result = runner.invoke(app, ["audit", str(batch_dir)])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "风险分  文件  主要问题"
    doc_lines = lines[1:-1]
    assert len(doc_lines) == 5
    assert SEED.name in doc_lines[0] and doc_lines[0].lstrip().startswith("86 ") and "错误 F006" in doc_lines[0]
    assert "broken.xlsx" in doc_lines[-1] and "无法读取" in doc_lines[-1]
    scan = next(line for line in doc_lines if "扫描件.pdf" in line)
    assert "OCR 识别，数字须人工核对" in scan or NEEDS_OCR in scan
    assert lines[-1] == "共 5 个文件，读取失败 1 个，错误 2 条，警告 2 条"


# --- bad arguments and unwritable output ----------------------------------------------------------------


@needs_shared
def test_nonexistent_path_is_refused_by_name(tmp_path):
    missing = tmp_path / "没有这个文件.docx"
    result = runner.invoke(app, ["audit", str(SEED), str(missing)])
    assert result.exit_code == 2
    assert "不存在" in result.stderr and str(missing) in result.stderr
    assert result.stdout == ""


@needs_shared
def test_unknown_rules_are_refused():
    result = runner.invoke(app, ["audit", str(SEED), "--rules", "mof-2099"])
    assert result.exit_code == 2
    assert "未知的评分规则“mof-2099”" in result.stderr


def test_folder_without_supported_files_is_refused(tmp_path):
    (tmp_path / "说明.md").write_text("无", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(tmp_path)])
    assert result.exit_code == 2 and "没有找到可审核的文件" in result.stderr


@needs_shared
def test_out_that_is_a_file_exits_3(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(SEED), "--out", str(blocker)])
    assert result.exit_code == 3
    assert str(blocker) in result.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@needs_shared
def test_out_that_cannot_take_the_json_exits_3_but_still_prints(tmp_path):
    out_dir = tmp_path / "out"
    (out_dir / "audit.json").mkdir(parents=True)  # a folder where the file should go
    result = runner.invoke(app, ["audit", str(SEED), "--format", "json", "--out", str(out_dir)])
    assert result.exit_code == 3
    assert "无法写入输出文件夹" in result.stderr
    assert json.loads(result.stdout)["documents"][0]["facts"]["budget_wan"] == 153
    assert sorted(p.name for p in out_dir.iterdir()) == ["audit.json"]  # no temp file left behind
