"""抽查复核计划 and the evaluations each one drew (models.SampleDraw, models.SampleItem)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("evaluations", "0008_order_indexes_end_with_id"),
        ("organisations", "0002_membership_user_label"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SampleDraw",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveIntegerField(verbose_name="评价年度")),
                (
                    "size_pct",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=5, null=True, verbose_name="抽取比例（%）"
                    ),
                ),
                ("size_count", models.PositiveIntegerField(blank=True, null=True, verbose_name="抽取数量")),
                ("minimum_per_department", models.PositiveIntegerField(default=1, verbose_name="每个主管部门至少")),
                (
                    "random_share_pct",
                    models.DecimalField(decimal_places=2, max_digits=5, verbose_name="随机抽取部分（%）"),
                ),
                ("seed", models.BigIntegerField(verbose_name="随机种子")),
                ("candidates", models.PositiveIntegerField(verbose_name="可抽取的评价数")),
                ("asked", models.PositiveIntegerField(verbose_name="按比例或数量应抽")),
                ("drawn", models.PositiveIntegerField(verbose_name="实际抽取")),
                ("criteria", models.JSONField(verbose_name="抽取条件")),
                ("per_department", models.JSONField(verbose_name="各主管部门")),
                ("drawn_by_name", models.CharField(max_length=150, verbose_name="抽取人")),
                ("drawn_at", models.DateTimeField(auto_now_add=True, verbose_name="抽取时间")),
                (
                    "drawn_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "finance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                        verbose_name="财政局",
                    ),
                ),
            ],
            options={
                "verbose_name": "抽查复核计划",
                "verbose_name_plural": "抽查复核计划",
                "ordering": ["-drawn_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SampleItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField(verbose_name="序号")),
                ("department_name", models.CharField(max_length=200, verbose_name="主管部门")),
                ("unit_name", models.CharField(max_length=200, verbose_name="预算单位")),
                ("project_name", models.CharField(max_length=300, verbose_name="项目名称")),
                (
                    "budget_wan",
                    models.DecimalField(decimal_places=4, max_digits=15, null=True, verbose_name="全年预算数（万元）"),
                ),
                (
                    "part",
                    models.CharField(
                        choices=[("risk", "按风险排序"), ("random", "随机抽取")], max_length=10, verbose_name="抽取方式"
                    ),
                ),
                ("rank", models.PositiveIntegerField(verbose_name="部门内排名")),
                ("risk_score", models.DecimalField(decimal_places=2, max_digits=6, verbose_name="风险分")),
                ("why", models.TextField(verbose_name="抽取理由")),
                (
                    "draw",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="sampling.sampledraw",
                        verbose_name="抽查复核计划",
                    ),
                ),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="evaluations.evaluationrecord",
                        verbose_name="评价",
                    ),
                ),
            ],
            options={
                "verbose_name": "抽中的评价",
                "verbose_name_plural": "抽中的评价",
                "ordering": ["draw", "position"],
                "constraints": [models.UniqueConstraint(fields=("draw", "record"), name="sample_item_once")],
            },
        ),
    ]
