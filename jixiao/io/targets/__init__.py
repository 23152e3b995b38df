"""绩效目标: the quality-check data and review grades from ``jixiao/data/targets``, and the 申报表 xlsx."""
