"""Indexes for the lists of a 主管部门 or a 财政局 (thousands of evaluations): the order carries the unit, and status and
grade each have an index in the list's order, so a filtered page or count does not read the rows themselves
(models.EvaluationRecord.Meta)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0006_tallies"),
        ("organisations", "0002_membership_user_label"),
        ("tasks", "0003_opening_in_background"),
    ]

    operations = [
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
                fields=["department", "-year", "project_name", "unit"],
                name="record_department_order",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluationrecord",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["department", "status", "-year", "project_name"],
                name="record_department_status",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluationrecord",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["department", "computed_grade", "-year", "project_name"],
                name="record_department_grade",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluationrecord",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["finance", "-year", "project_name", "unit"],
                name="record_finance_order",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluationrecord",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["finance", "status", "-year", "project_name"],
                name="record_finance_status",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluationrecord",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["finance", "computed_grade", "-year", "project_name"],
                name="record_finance_grade",
            ),
        ),
    ]
