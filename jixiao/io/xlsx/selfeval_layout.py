"""附1 项目支出绩效自评表 (财预〔2020〕10号): write it in the official layout and read it back.

Layout written (columns A–J, amounts in 万元)::

    1  项目支出绩效自评表                                   (A:J merged)
    2  （2022年度）                                        (A:J merged)
    3  项目名称 (A:B) | name (C:J)
    4  主管部门 (A:B) | department (C:E) | 实施单位 (F:G) | unit (H:J)
    5  项目资金（万元）(A5:B9) | (C:D) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
    6    年度资金总额 / 7 其中：当年财政拨款 / 8 上年结转资金 / 9 其他资金
    10 年度总体目标 (A, down the goal rows) | 预期目标 (B:F) | 实际完成情况 (G:J), one row per goal
    .. 绩效指标 (A, down the indicator rows) | 一级指标 | 二级指标 | 三级指标 (D:E) | 年度指标值 |
       实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施; one row per leaf; a parent's name is merged down
       over its leaves and carries its points as "产出指标（50分）"; a four-level tree uses D for 三级 and
       E for 四级, otherwise a leaf's name is merged rightwards to E
    .. 总分 (A:G) | total points | the sum of the 得分 column | 注：… when the 得分 column needs saying
       where it comes from

This is the unit's own table, so the 得分 column holds the unit's scores when it scored every applicable
leaf: its leaf scores, its 预算执行率 score (J6; the computed one, with a note, when it gave none), and 总分
their sum. When some leaf has no score of the unit's, the whole column holds the scores of jixiao's total
instead (computed, or the unit's carried where it cannot be computed), with a note. Either way 总分 is
the sum of the printed 得分 cells. The fund block's 执行率 (全年执行数 ÷ 全年预算数, the 附1 definition)
is computed.
"""

from __future__ import annotations

from ...core.model import FundSource

SHEET = "项目支出绩效自评表"
TITLE = "项目支出绩效自评表"
META_FRAMEWORK = "jixiao.framework"
META_RULES = "jixiao.rules"

NCOLS = 10
LEVEL_COLS = (2, 3, 4, 5)  # B..E: 一级, 二级, 三级 (D:E), 四级 (E when the tree has four levels)
COL_TARGET, COL_ACTUAL, COL_POINTS, COL_SCORE, COL_REASON = 6, 7, 8, 9, 10
FUND_INITIAL, FUND_BUDGET, FUND_EXECUTED, FUND_POINTS, FUND_RATE, FUND_SCORE = 5, 6, 7, 8, 9, 10
#: column widths A–J: the official form is portrait A4, and these fill its width in Excel and WPS at 10.5 pt
#: (LibreOffice counts a width unit a little wider and prints at about 85%)
WIDTHS = (4.5, 8, 9, 10, 11, 12, 14, 6, 9, 16)
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标")
FUND_ROW_LABELS = {
    FundSource.CURRENT: "其中：当年财政拨款",
    FundSource.CARRYOVER: "上年结转资金",
    FundSource.OTHER: "其他资金",
}
