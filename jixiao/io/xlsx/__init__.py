"""The xlsx workbooks: the 自评基础数据表 (``basic_data``), the 自评指标评分表 (``scoring_sheet``) and the 附1
项目支出绩效自评表, written (``selfeval_write``) and read back (``selfeval_read``, with ``selfeval_grid`` for the
merged cells of a hand-filled table) in the layout of ``selfeval_layout``. ``cells`` holds the house style and
the cell, merge and page-setup helpers they all use.
"""
