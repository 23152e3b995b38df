"""运行监控's files: the warning presets (``presets``), the 监控表 workbook (``table_xlsx``) and the 监控报告
(``report_docx``: .docx, and .pdf through LibreOffice)."""
