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
    .. 总分 (A:G) | total points | the unit's claimed total

The 得分 column and 总分 hold the unit's *claimed* scores: this is the unit's own table. The fund
block's 执行率 (全年执行数 ÷ 全年预算数, the 附1 definition) and its 得分 are jixiao's computed values.
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
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标")
FUND_ROW_LABELS = {
    FundSource.CURRENT: "其中：当年财政拨款",
    FundSource.CARRYOVER: "上年结转资金",
    FundSource.OTHER: "其他资金",
}
