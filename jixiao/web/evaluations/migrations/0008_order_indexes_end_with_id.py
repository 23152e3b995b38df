"""The list-order indexes end with the id, the lists' last sort key: a page under a text filter (project or unit name) is
found as ids from the index alone, then its fifty rows are read (filters.DeferredRows), instead of reading and sorting
every row of a 主管部门's or 财政局's scope (models.EvaluationRecord.Meta)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0007_list_filter_indexes"),
        ("organisations", "0002_membership_user_label"),
        ("tasks", "0003_opening_in_background"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="evaluationrecord",
            name="record_order",
        ),
        migrations.RemoveIndex(
            model_name="evaluationrecord",
            name="record_unit_order",
        ),
        migrations.RemoveIndex(
            model_name="evaluationrecord",
            name="record_department_order",
        ),
        migrations.RemoveIndex(
            model_name="evaluationrecord",
            name="record_finance_order",
        ),
        migrations.AddIndex(
            model_name="evaluationrecord",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["-year", "project_name", "id"],
                name="record_order",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluationrecord",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["unit", "-year", "project_name", "id"],
                name="record_unit_order",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluationrecord",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["department", "-year", "project_name", "id", "unit"],
                name="record_department_order",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluationrecord",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["finance", "-year", "project_name", "id", "unit"],
                name="record_finance_order",
            ),
        ),
    ]
