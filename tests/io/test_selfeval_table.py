"""附1 项目支出绩效自评表: the official layout written, read back, and hand-filled tables imported."""

import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from jixiao.core.model import Evaluation, FundSource
from jixiao.io.archive import office_expansion_problem
from jixiao.io.audit.read import EMPTY
from jixiao.io.audit.readers.base import ENCRYPTED, OLE_MAGIC
from jixiao.io.errors import InputError
from jixiao.io.evaluation_file import load_evaluation
from jixiao.io.xlsx.selfeval_layout import SHEET
from jixiao.io.xlsx.selfeval_read import read_selfeval_table
from jixiao.io.xlsx.selfeval_write import write_selfeval_table
from tests import hostile
from tests.conftest import EXAMPLE, make, run

FUNDS_153 = [
    {
        "source": "current",
        "initial_budget_wan": 153,
        "annual_budget_wan": 153,
        "arrivals": [{"amount_wan": 100, "date": "2022-06-30"}],
        "executed_wan": 100,
    }
]


def merged(ws):
    return {str(r) for r in ws.merged_cells.ranges}


def find(ws, text):
    """Coordinates of the first cell holding exactly ``text``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text} not found")


def assert_same_tree(original: Evaluation, back: Evaluation) -> None:
    """Node by node: path, points, target, actual, claimed score and reason."""
    nodes, back_nodes = original.nodes(), back.nodes()
    assert [p for p, _ in back_nodes] == [p for p, _ in nodes]
    for (path, a), (_, b) in zip(nodes, back_nodes, strict=True):
        for field in ("points", "target", "actual", "claimed_score", "deviation_reason"):
            assert getattr(b, field) == getattr(a, field), (path, field)
        assert b.is_leaf == a.is_leaf, path


def assert_same_table_content(original: Evaluation, back: Evaluation) -> None:
    assert back.project.name == original.project.name
    assert back.project.year == original.project.year
    assert back.project.department == original.project.department
    assert back.project.unit == original.project.unit
    assert len(back.funds) == len(original.funds)
    for a, b in zip(original.funds, back.funds, strict=True):
        assert (b.source, b.initial_budget_wan, b.annual_budget_wan, b.executed_wan) == (
            a.source,
            a.initial_budget_wan,
            a.annual_budget_wan,
            a.executed_wan,
        )
        assert b.arrivals == []  # 附1 has no 实际到位 column
    assert [(g.expected, g.actual) for g in back.goals] == [(g.expected, g.actual) for g in original.goals]
    assert_same_tree(original, back)
    assert back.claims.total_score == original.claims.total_score
    assert back.framework == original.framework
    assert back.rules == original.rules


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def test_it_writes_the_official_layout(tmp_path):
    path = write_selfeval_table(run(make()), tmp_path / "自评表.xlsx")
    ws = openpyxl.load_workbook(path)[SHEET]
    assert ws["A1"].value == "项目支出绩效自评表"
    assert ws["A2"].value == "（2022年度）"
    assert (ws["A3"].value, ws["C3"].value) == ("项目名称", "科普专项经费")
    assert (ws["A4"].value, ws["F4"].value, ws["H4"].value) == ("主管部门", "实施单位", "湛江市科学技术协会")
    assert [ws.cell(5, c).value for c in range(5, 11)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    assert [ws.cell(r, 3).value for r in range(6, 10)] == [
        "年度资金总额",
        "其中：当年财政拨款",
        "上年结转资金",
        "其他资金",
    ]
    assert ws["H6"].value == 10  # 分值 of 年度资金总额 under mof-selfeval
    assert (ws["B10"].value, ws["G10"].value) == ("预期目标", "实际完成情况")
    header = [ws.cell(12, c).value for c in range(1, 11)]
    assert header == [
        "绩效指标", "一级指标", "二级指标", "三级指标", None, "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
    ]  # fmt: skip
    assert ws["B13"].value == "产出指标（50分）"
    assert ws["C13"].value == "数量指标（50分）"
    assert (ws["D14"].value, ws["H14"].value, ws["I14"].value) == ("答题人数", 20, 20)
    assert (ws["A17"].value, ws["H17"].value, ws["I17"].value) == ("总分", 100, 99.8)
    assert {
        "A1:J1", "A2:J2", "A3:B3", "C3:J3", "A4:B4", "C4:E4", "F4:G4", "H4:J4", "A5:B9", "C6:D6", "C9:D9",
        "A10:A11", "B10:F10", "G10:J10", "A12:A16", "D12:E12", "B13:B14", "C13:C14", "D13:E13", "A17:G17",
    } <= merged(ws)  # fmt: skip
    assert ws["D13"].font.name == "宋体"
    assert ws["H14"].border.left.style == "thin"
    assert ws.page_setup.paperSize == 9  # A4


def test_the_153_100_case_gives_65_36_percent_and_6_54_points_in_the_fund_block(tmp_path):
    result = run(make(funds=FUNDS_153, claims={"total_score": 100, "grade": "优秀"}))
    ws = openpyxl.load_workbook(write_selfeval_table(result, tmp_path / "t.xlsx"))[SHEET]
    assert (ws["E6"].value, ws["F6"].value, ws["G6"].value) == (153, 153, 100)
    assert ws["I6"].value == 0.6536 and ws["I6"].number_format == "0.00%"  # 执行率 = 100 / 153, computed
    # the unit gave no 预算执行率 score: the computed one, 6.5359… rounded, and a note saying so
    assert ws["J6"].value == 6.54 and ws["J6"].number_format == "0.00"
    assert ws["I7"].value == 0.6536
    # 总分 is the sum of the printed 得分 cells (90 + 6.54), not the unit's stated 100, which the note names
    assert ws["I17"].value == 96.54
    assert ws["J17"].value == (
        "注：单位未填写预算执行率自评得分，表中预算执行率得分为计算得分 6.54 分。"
        "单位所述自评总分为 100.00 分，与各项自评得分之和不一致；表中总分为各项得分之和。"
    )
    assert ws.max_row == 17  # 总分 stays the last row


def printed_scores(ws) -> tuple[list[Decimal], Decimal | None]:
    """The numbers in the 得分 column (J6 and the leaves' 得分 cells) and the 总分 得分 cell."""
    total_row, _ = find(ws, "总分")
    header, _ = find(ws, "一级指标")
    cells = [ws["J6"].value] + [ws.cell(r, 9).value for r in range(header + 1, total_row)]
    total = ws.cell(total_row, 9).value
    return [Decimal(str(v)) for v in cells if isinstance(v, int | float)], None if total is None else Decimal(
        str(total)
    )


@pytest.mark.parametrize(
    "build",
    [
        make,
        lambda: make(claims={"total_score": 100, "execution_score": 9}),
        lambda: guangdong_evaluation(),
        lambda: load_evaluation(EXAMPLE),
    ],
    ids=["附1 小例", "单位自评预算执行率", "四级指标", "湛江"],
)
def test_the_total_is_the_sum_of_the_printed_scores(tmp_path, build):
    ws = openpyxl.load_workbook(write_selfeval_table(run(build()), tmp_path / "t.xlsx"))[SHEET]
    scores, total = printed_scores(ws)
    assert scores and total == sum(scores, Decimal(0))


def test_the_unit_s_own_execution_score_is_printed_and_read_back(tmp_path):
    e = make(claims={"total_score": 99, "execution_score": 9, "grade": "优"})
    path = write_selfeval_table(run(e), tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)[SHEET]
    assert (ws["J6"].value, ws["I17"].value) == (9, 99)  # 30 + 20 + 30 + 10 + 9
    assert ws["J17"].value is None  # every figure is the unit's own and adds up: nothing to note
    back = read_selfeval_table(path)
    assert (back.claims.execution_score, back.claims.total_score) == (9, 99)


def test_when_the_unit_did_not_score_every_leaf_the_column_is_the_computed_one(tmp_path):
    e = make()
    e.indicators[0].children[0].children[1].claimed_score = None  # 答题人数: computed 20
    e.indicators[1].children[0].children[0].target = "明显提升"  # 公民科学素质: cannot be computed, carries 30
    e.indicators[0].children[0].children[0].claimed_score = Decimal(25)  # 科普活动场次 110 of ≥100: computed 30
    result = run(e)
    ws = openpyxl.load_workbook(write_selfeval_table(result, tmp_path / "t.xlsx"))[SHEET]
    assert [ws.cell(r, 9).value for r in range(13, 17)] == [30, 20, 30, 10]  # computed or carried, never the 25
    assert ws["J6"].value == 9.8
    assert ws["I17"].value == float(result.total.value) == 99.8
    assert ws["J17"].value.startswith("注：单位未对全部指标自评打分（1 项未打分），表中得分均为计算得分")


def test_a_not_applicable_leaf_shows_a_dash_and_the_rescaled_total_is_noted(tmp_path):
    e = make()
    e.indicators[0].children[0].children[1].claimed_score = None
    e.indicators[1].children[0].children[0].not_applicable = True
    result = run(e)
    ws = openpyxl.load_workbook(write_selfeval_table(result, tmp_path / "t.xlsx"))[SHEET]
    row, _ = find(ws, "公民科学素质")
    assert ws.cell(row, 9).value == "—"
    scores, total = printed_scores(ws)
    assert total == sum(scores, Decimal(0)) == Decimal("69.8")  # 30 + 20 + 10 + 9.8
    assert f"剔除不适用指标后按 100 分折算为 {result.total.value:.2f} 分" in ws["J17"].value


def test_a_framework_without_a_separate_execution_score_shows_dashes(tmp_path):
    e = guangdong_evaluation()
    ws = openpyxl.load_workbook(write_selfeval_table(run(e), tmp_path / "t.xlsx"))[SHEET]
    assert (ws["H6"].value, ws["J6"].value) == ("—", "—")
    assert (ws["D12"].value, ws["E12"].value) == ("三级指标", "四级指标")
    assert "D12:E12" not in merged(ws)
    row, _ = find(ws, "总分")
    assert ws.cell(row, 8).value == 100  # all 100 points are in the tree


# --------------------------------------------------------------------------------------------
# Round trip
# --------------------------------------------------------------------------------------------


def test_a_three_level_evaluation_round_trips(tmp_path):
    e = make(
        funds=[
            {"source": "current", "initial_budget_wan": 120, "annual_budget_wan": 153.5, "executed_wan": 100.25,
             "arrivals": [{"amount_wan": 100}]},
            {"source": "carryover", "annual_budget_wan": "387664.62元", "executed_wan": 0},
            {"source": "other", "annual_budget_wan": 5},
        ],
        goals=[
            {"kind": "overall", "expected": "开展科普活动", "actual": "开展 120 场"},
            {"kind": "overall", "expected": "提升科学素质", "actual": None},
        ],
        indicators=[
            {"name": "产出指标", "points": 50, "children": [
                {"name": "数量指标", "points": 30, "children": [
                    {"name": "科普活动场次", "points": 20, "target": "≥100场", "actual": "90场",
                     "claimed_score": 18, "deviation_reason": "受天气影响\n下半年补办"},
                    {"name": "安全事故", "points": 10, "target": "=0起", "actual": "0起", "claimed_score": 10},
                ]},
                {"name": "时效指标", "children": [
                    {"name": "按期完成率", "points": 20, "target": "100%", "actual": "100%", "claimed_score": 20},
                ]},
            ]},
            {"name": "效益指标", "points": 30, "children": [
                {"name": "社会效益指标", "points": 30, "target": "明显", "actual": "达成年度指标",
                 "claimed_score": 27.5},
            ]},
            {"name": "满意度指标", "children": [
                {"name": "服务对象满意度指标", "children": [
                    {"name": "参与群众满意度", "points": 10, "target": "≥90%", "actual": "95%", "claimed_score": 6.54},
                ]},
            ]},
        ],
        claims={"total_score": 87.54, "execution_score": 5.5, "grade": "优"},
    )  # fmt: skip
    path = write_selfeval_table(run(e), tmp_path / "t.xlsx")
    back = read_selfeval_table(path)
    assert_same_table_content(e, back)
    assert back.claims.execution_score == Decimal("5.5")
    assert back.funds[1].annual_budget_wan == Decimal("38.766462")  # 元-precise amounts are not rounded away
    assert back.indicators[0].children[1].points is None  # an unset parent's points stay unset
    assert back.claims.budget_wan is None  # our own fund block is computation, not a claim


def guangdong_evaluation() -> Evaluation:
    def leaf(name, points, target="达成", actual="达成年度指标", claimed=None, **extra):
        return {"name": name, "points": points, "target": target, "actual": actual,
                "claimed_score": points if claimed is None else claimed, **extra}  # fmt: skip

    tree = [
        {"name": "决策", "points": 15, "children": [
            {"name": "项目立项", "children": [{"name": "论证决策", "children": [leaf("论证充分性", 5)]}]},
            {"name": "目标设置", "points": 5, "children": [
                {"name": "目标完整性", "children": [leaf("目标申报", 2.5), leaf("完整性", 2.5)]},
            ]},
            {"name": "资金投入", "children": [{"name": "预算编制", "children": [leaf("预算编制科学性", 5)]}]},
        ]},
        {"name": "过程", "points": 25, "children": [
            {"name": "资金管理", "children": [
                {"name": "资金到位", "points": 10, "children": [
                    leaf("资金到位率", 5, "100%", "65.36%", 5, fund_measure="arrival_rate",
                         deviation_reason="省级资金未到位"),
                    leaf("资金到位及时性", 5),
                ]},
                {"name": "资金支付", "children": [leaf("预算执行率", 5, "100%", "65.36%", 5,
                                                      fund_measure="execution_rate")]},
                {"name": "资金使用规范性", "children": [leaf("支出规范性", 5)]},
            ]},
            {"name": "组织实施", "children": [{"name": "实施程序", "children": [leaf("程序规范性", 5)]}]},
        ]},
        {"name": "产出", "points": 30, "children": [
            {"name": "效率性", "children": [leaf("完成进度", 15, "≥100场", "120场"), leaf("完成质量", 15)]},
        ]},
        {"name": "效益", "points": 30, "children": [
            {"name": "效果性", "children": [{"name": "社会效益", "children": [leaf("科普受众人数", 20, "≥5000人", "6115人")]}]},
            {"name": "公平性", "children": [{"name": "满意度", "children": [leaf("群众满意度", 10, "≥90%", "95%")]}]},
        ]},
    ]  # fmt: skip
    return make(framework="guangdong-4level", funds=FUNDS_153, indicators=tree, claims={"total_score": 100})


def test_a_four_level_evaluation_round_trips(tmp_path):
    e = guangdong_evaluation()
    assert sum(leaf.points for _, leaf in e.leaves()) == 100
    path = write_selfeval_table(run(e), tmp_path / "t.xlsx")
    back = read_selfeval_table(path)
    assert_same_table_content(e, back)
    assert back.framework == "guangdong-4level"
    # 完成进度 is a third-level leaf in a four-level table: its name spans the 三级 and 四级 columns
    ws = openpyxl.load_workbook(path)[SHEET]
    row, col = find(ws, "完成进度")
    assert f"D{row}:E{row}" in merged(ws) and col == 4
    # what 附1 does not hold is not invented on the way back
    rate = back.indicators[1].children[0].children[0].children[0]
    assert rate.name == "资金到位率" and rate.fund_measure is None


def test_load_evaluation_reads_a_written_table(tmp_path):
    path = write_selfeval_table(run(make()), tmp_path / "自评表.xlsx")
    back = load_evaluation(path)
    assert back.project.name == "科普专项经费"
    assert run(back).total.value == run(make()).total.value


def test_a_score_above_its_points_is_read_not_refused(tmp_path):
    e = make()
    e.indicators[0].children[0].children[0].claimed_score = Decimal(35)
    back = read_selfeval_table(write_selfeval_table(run(e), tmp_path / "t.xlsx"))
    assert back.indicators[0].children[0].children[0].claimed_score == 35
    assert any(f.id == "S004" for f in run(back).findings)


# --------------------------------------------------------------------------------------------
# A hand-filled official table
# --------------------------------------------------------------------------------------------


def official_like(path, **changes):
    """The official 附1 filled by hand: other column positions, no merges under parents, 本年财政拨款, units in cells."""
    cells = {
        "A1": "项目支出绩效自评表", "A2": "（ 2023 年度）",
        "A3": "项目名称", "B3": "乡村道路养护",
        "A4": "主管部门", "B4": "县交通运输局", "F4": "实施单位", "G4": "县公路事务中心",
        "A5": "项目资金\n（万元）", "C5": "年初预算数", "D5": "全年预算数", "E5": "全年执行数", "F5": "分值",
        "G5": "执行率", "H5": "得分",
        "B6": "年度资金总额：", "C6": "50.00万元", "D6": "50万元", "E6": 40, "F6": 10, "G6": "80%", "H6": 8,
        "B7": "其中：本年财政拨款", "C7": "50.00万元", "D7": "50.00万元", "E7": "40.00万元", "F7": "—", "H7": "—",
        "B8": "上年结转资金", "C8": "—", "D8": "—", "E8": "—",
        "B9": "其他资金", "C9": "-", "D9": "-", "E9": "-",
        "A10": "年度总体目标", "B10": "预期目标", "G10": "实际完成情况",
        "B11": "养护农村公路 20 公里", "G11": "养护 22 公里",
        "A12": "绩效指标", "B12": "一级\n指标", "C12": "二级指标", "D12": "三级指标", "E12": "分值",
        "F12": "年度指标值", "G12": "全年实际值", "H12": "得分", "I12": "未完成原因及拟采取的改进措施",
        "B13": "产 出 指 标\n(50分)", "C13": "数量指标", "D13": "指标1：养护里程", "E13": 30, "F13": "≥20公里",
        "G13": "22公里", "H13": 30,
        "C14": "质量指标", "D14": "路面合格率", "E14": "20分", "F14": "≥95%", "G14": 0.9, "H14": 18,
        "I14": "部分路段返修",
        "B15": "效益指标（30分）", "C15": "社会效益\n指标", "D15": "群众出行便利度", "E15": 30, "F15": "明显改善",
        "G15": "达成年度指标", "H15": 30,
        "C16": "生态效益指标", "D16": "……",
        "B17": "满意度指标", "C17": "服务对象满意度指标", "D17": "群众满意度", "E17": 10, "F17": "≥90%",
        "G17": "96%", "H17": 10,
        "B18": "总分", "E18": 100, "H18": 96, "I18": "优",
    }  # fmt: skip
    cells.update(changes)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for ref, value in cells.items():
        if value is not None:
            ws[ref] = value
    ws["G14"].number_format = "0%"
    for block in ("A1:K1", "A2:K2", "B3:K3", "B4:E4", "G4:K4", "A5:A9", "A10:A11", "B10:F10", "G10:K10",
                  "B11:F11", "G11:K11", "A12:A17", "I12:K12", "B15:B16", "B18:D18"):  # fmt: skip
        ws.merge_cells(block)
    wb.save(path)
    return path


def test_a_hand_filled_official_table_imports(tmp_path):
    e = read_selfeval_table(official_like(tmp_path / "手填自评表.xlsx"))
    assert (e.project.name, e.project.year) == ("乡村道路养护", 2023)
    assert (e.project.department, e.project.unit) == ("县交通运输局", "县公路事务中心")
    assert len(e.funds) == 1
    fund = e.funds[0]
    assert fund.source is FundSource.CURRENT
    assert (fund.initial_budget_wan, fund.annual_budget_wan, fund.executed_wan) == (50, 50, 40)
    assert [(g.expected, g.actual) for g in e.goals] == [("养护农村公路 20 公里", "养护 22 公里")]
    assert [p for p, _ in e.nodes()] == [
        ("产出指标",),
        ("产出指标", "数量指标"),
        ("产出指标", "数量指标", "养护里程"),
        ("产出指标", "质量指标"),
        ("产出指标", "质量指标", "路面合格率"),
        ("效益指标",),
        ("效益指标", "社会效益指标"),
        ("效益指标", "社会效益指标", "群众出行便利度"),
        ("满意度指标",),
        ("满意度指标", "服务对象满意度指标"),
        ("满意度指标", "服务对象满意度指标", "群众满意度"),
    ]  # the unfilled 生态效益指标 row is dropped
    output, benefit = e.indicators[0], e.indicators[1]
    assert output.points == 50 and benefit.points == 30
    quality = output.children[1].children[0]
    assert (quality.points, quality.target, quality.actual, quality.claimed_score) == (20, "≥95%", "90%", 18)
    assert quality.deviation_reason == "部分路段返修"
    assert e.claims.total_score == 96 and e.claims.grade == "优"
    assert e.claims.execution_score == 8  # the unit's 得分 of 年度资金总额
    # the unit's own fund figures become claims, with the cell they came from
    assert (e.claims.budget_wan, e.claims.spent_wan, e.claims.execution_rate_pct) == (50, 40, 80)
    assert e.claims.quotes["execution_rate_pct"] == "Sheet1!G6：80%"
    assert e.framework == "mof-selfeval"
    result = run(e)
    assert result.execution_score.value == 8
    # the stated totals agree with the rows, so the fund checks are quiet; the table's scores are checked as usual
    ids = {f.id for f in result.findings}
    assert not ids & {"F001", "F002"} and "S006" in ids


def test_amounts_in_yuan_and_rates_as_fractions_are_understood(tmp_path):
    path = official_like(
        tmp_path / "元.xlsx", A5="项目资金（元）", C6=500000, D6=500000, E6=400000, G6=0.8, C7=500000, D7=500000,
        E7="400000元",
    )  # fmt: skip
    e = read_selfeval_table(path)
    assert (e.funds[0].annual_budget_wan, e.funds[0].executed_wan) == (50, 40)
    assert e.claims.execution_rate_pct == 80


def test_a_table_without_an_execution_score_reads_as_before(tmp_path):
    e = read_selfeval_table(official_like(tmp_path / "t.xlsx", H6=None))
    assert e.claims.execution_score is None and e.claims.total_score == 96
    e = read_selfeval_table(official_like(tmp_path / "t.xlsx", H6="—"))
    assert e.claims.execution_score is None


def test_only_a_total_row_becomes_one_fund_row_that_says_so(tmp_path):
    e = read_selfeval_table(official_like(tmp_path / "t.xlsx", C7=None, D7=None, E7=None))
    assert len(e.funds) == 1 and e.funds[0].annual_budget_wan == 50 and "未分资金来源" in e.funds[0].detail


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


#: a damaged workbook, in the words of every path (readers.base.corrupt)
DAMAGED = "文件已损坏或不是有效的 .xlsx 文件"


def raises(path) -> InputError:
    with pytest.raises(InputError) as info:
        read_selfeval_table(path)
    assert path.name in str(info.value)
    return info.value


def test_a_file_that_is_not_xlsx_is_refused(tmp_path):
    path = tmp_path / "不是表格.xlsx"
    path.write_text("项目名称,科普", encoding="utf-8")
    assert raises(path).reason == DAMAGED  # the words of every path (readers.base.corrupt)


def test_a_truncated_xlsx_is_refused(tmp_path):
    good = write_selfeval_table(run(make()), tmp_path / "good.xlsx")
    path = tmp_path / "损坏.xlsx"
    path.write_bytes(good.read_bytes()[:2000])
    assert raises(path).reason == DAMAGED


def test_a_zip_that_is_not_a_workbook_is_refused_as_damaged(tmp_path):
    path = tmp_path / "不是表格.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("readme.txt", "not a workbook")
    assert raises(path).reason == DAMAGED


def test_an_empty_file_is_refused_in_the_words_of_every_path(tmp_path):
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    assert raises(path).reason == EMPTY


def test_a_password_protected_table_is_refused_in_the_words_of_every_path(tmp_path):
    path = tmp_path / "加密.xlsx"
    # the shape Office gives a password-protected .xlsx: an OLE container holding an EncryptedPackage stream
    path.write_bytes(OLE_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(512))
    assert raises(path).reason == ENCRYPTED


def test_an_old_xls_under_an_xlsx_name_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "旧表.xlsx"
    path.write_bytes(OLE_MAGIC + bytes(504))
    assert raises(path).reason == "是旧版 .xls 格式，请用 Excel 或 WPS 打开后另存为 .xlsx 再上传"


def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path):
    """A table with a part that declares more than an Office file may expand to: refused from the zip's directory,
    in io.archive's words, in a moment (openpyxl would expand every part first)."""
    good = write_selfeval_table(run(make()), tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as package:
        parts = [hostile.bomb_entry(info.filename, package.read(info), b"", 0, b"") for info in package.infolist()]
    parts.append(hostile.bomb_entry("xl/media/x.bin", b"", b" " * hostile.MiB, 300, b""))
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(hostile.zip_bytes(parts))

    start = time.perf_counter()
    reason = raises(path).reason
    assert time.perf_counter() - start < 1
    assert reason == "文件解压后过大（300 MB，上限 200 MB），可能是“压缩炸弹”，未读取"
    assert reason == office_expansion_problem(path)


def test_a_missing_project_name_names_the_cell(tmp_path):
    err = raises(official_like(tmp_path / "t.xlsx", B3=None))
    assert "缺少项目名称" in str(err) and "Sheet1!B3" in str(err)


def test_a_missing_project_name_label_names_the_sheet(tmp_path):
    err = raises(official_like(tmp_path / "t.xlsx", A3=None, B3=None))
    assert "项目名称" in str(err) and "Sheet1!A1:K11" in str(err)


def test_a_missing_fund_block_is_refused(tmp_path):
    err = raises(official_like(tmp_path / "t.xlsx", B6=None))
    assert "缺少项目资金部分" in str(err) and "Sheet1!A1:" in str(err)


@pytest.mark.parametrize("bad", ["-5", "五十万", -5])
def test_a_bad_amount_names_its_cell(tmp_path, bad):
    err = raises(official_like(tmp_path / "t.xlsx", D7=bad))
    assert "Sheet1!D7" in str(err) and "全年预算数" in str(err)


def test_a_bad_amount_in_our_own_table_names_its_cell(tmp_path):
    path = write_selfeval_table(run(make()), tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[SHEET]["G7"] = "九十八"
    wb.save(path)
    err = raises(path)
    assert f"{SHEET}!G7" in str(err) and "九十八" in str(err)


def test_a_non_numeric_score_names_its_cell(tmp_path):
    err = raises(official_like(tmp_path / "t.xlsx", H13="满分"))
    assert "Sheet1!H13" in str(err) and "得分" in str(err)


def test_a_negative_points_value_names_its_cell(tmp_path):
    err = raises(official_like(tmp_path / "t.xlsx", E13=-30))
    assert "Sheet1!E13" in str(err) and "不能为负数" in str(err)


def test_a_table_without_the_indicator_header_is_the_wrong_layout(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "名单"
    wb.active["A1"] = "姓名"
    wb.active["B2"] = "张三"
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    err = raises(path)
    assert "找不到“一级指标”表头，不是项目支出绩效自评表" in str(err) and "名单!A1:B2" in str(err)


def test_a_missing_year_names_the_title_cell(tmp_path):
    err = raises(official_like(tmp_path / "t.xlsx", A2="（年度）"))
    assert "评价年度" in str(err) and "Sheet1!A2" in str(err)


def test_a_stated_rate_the_amounts_contradict_becomes_a_finding_not_an_error(tmp_path):
    e = read_selfeval_table(official_like(tmp_path / "t.xlsx", G6="100%", H6=10))
    assert e.claims.execution_rate_pct == 100
    finding = next(f for f in run(e).findings if f.id == "F001")
    assert "100.00%" in finding.message and "80.00%" in finding.message
