"""The names of indicator levels as tables print them (OCR slips included), shared by both row readers."""

from __future__ import annotations

# "项目" as OCR prints it: 顼目, 项Fl, 项日 …
XM = r"[项顼](?:目|日|Fl|F1|FI|FL)"
#: 一级指标 of the 财预〔2020〕10号 table and of the 决策/过程/产出/效益 frameworks
LEVEL1 = rf"产出指标|效益指标|满意度指标|{XM}决策|{XM}管理|{XM}产出|{XM}效益|{XM}过程"
#: 二级指标; 成本指标 is one too, and a 一级 name only in the frameworks that make it one
LEVEL2 = (
    r"数量指标|质量指标|时效指标|成本指标|经济效益指标|社会效益指标|生态效益指标|可持续影响指标"
    r"|服务对象满意度(?:指标)?|满意度指标"
    rf"|{XM}目标|{XM}立项|{XM}实施|投入管理|财务管理|绩效目标|资金投入|资金管理|组织实施"
)
