"""部门整体支出绩效自评: the department as a whole, scored on a framework kept as data.

``framework`` holds the schema of the frameworks and account formulas (``jixiao/data/department``), ``accounts``
computes the ratios from the stated amounts, ``rollup`` sums up the department's project self-evaluations,
``engine`` scores the items and ``checks`` holds the catalogue ``B001``….
"""
