"""绩效目标: the 绩效目标申报表 as data, its quality checks (财预〔2021〕101号) and its review grades (财预〔2015〕88号)."""
