"""The 自评报告 and its PDF, in two versions (``variant``): the unit's official report and the internal review
version with the check findings and the 录入说明.

``docx`` writes the report (:func:`~jixiao.io.report.docx.write_report_docx`) from the sections in
``sections_narrative`` (一、二、三、五、六、七、 and the appendix) and ``sections_funds_indicators`` (四、: funds,
indicator scores, outputs, surveys), collected by ``body`` and written with the WordprocessingML, typography,
styles and template of ``ooxml``. ``chart`` draws the score chart; ``pdf`` turns the .docx into a PDF through
LibreOffice with the font mapping in ``fonts.conf``.
"""
