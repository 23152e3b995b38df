"""部门整体支出绩效自评: its frameworks and formulas read from YAML, its report (docx/pdf) and its 自评表 (xlsx)."""
