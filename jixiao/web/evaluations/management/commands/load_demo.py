"""Demo organisations, one account per role (fresh passwords printed), the 2022 deadline and the Zhanjiang example."""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from importlib import import_module
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from .....io.evaluation_file import load_evaluation
from ....changes.context import change_context
from ....changes.models import Source
from ....organisations.models import Membership, Organisation, OrganisationKind, Role
from ... import services
from ...models import EvaluationRecord, ReportingYear

EXAMPLE = Path(__file__).resolve().parents[5] / "examples" / "zhanjiang-2022-kepu"

#: username, full name, organisation, role
ACCOUNTS = [
    ("tianbao", "填报员（科协）", "湛江市科学技术协会机关", Role.FILLER),
    ("fuzeren", "单位负责人（科协）", "湛江市科学技术协会机关", Role.UNIT_HEAD),
    ("shenhe", "审核员（科协主管部门）", "湛江市科学技术协会", Role.DEPARTMENT_REVIEWER),
    ("caizheng", "绩效管理员（财政局）", "湛江市财政局", Role.FINANCE_ADMIN),
    ("xitong", "系统管理员", "湛江市财政局", Role.SYSTEM_ADMIN),
    ("jiaoyu", "填报员（一中）", "湛江市第一中学", Role.FILLER),
]


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


#: the parts of the cycle with demo data of their own, in the order a year runs (targets before monitoring)
DEMO_PARTS = ("jixiao.web.targets.demo", "jixiao.web.monitoring.demo", "jixiao.web.department.demo")


class Command(BaseCommand):
    help = "载入演示数据：组织、各角色账号（每次生成新密码并打印）、2022 年度截止日期和湛江示例。"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--password", help="所有演示账号使用此密码（默认每次随机生成）")

    def handle(self, *args: object, **options: object) -> None:
        with change_context(source=Source.CLI):
            self._load(options)

    @transaction.atomic
    def _load(self, options: dict[str, object]) -> None:
        finance, _ = Organisation.objects.get_or_create(
            name="湛江市财政局", defaults={"kind": OrganisationKind.FINANCE}
        )
        cast, _ = Organisation.objects.get_or_create(
            name="湛江市科学技术协会", defaults={"kind": OrganisationKind.DEPARTMENT, "parent": finance}
        )
        education, _ = Organisation.objects.get_or_create(
            name="湛江市教育局", defaults={"kind": OrganisationKind.DEPARTMENT, "parent": finance}
        )
        cast_unit, _ = Organisation.objects.get_or_create(
            name="湛江市科学技术协会机关", defaults={"kind": OrganisationKind.UNIT, "parent": cast}
        )
        Organisation.objects.get_or_create(
            name="湛江市第一中学", defaults={"kind": OrganisationKind.UNIT, "parent": education}
        )
        ReportingYear.objects.get_or_create(year=2022, defaults={"deadline": dt.date(2023, 4, 20)})

        user_model = get_user_model()
        fixed = options.get("password")
        lines = []
        for username, full_name, org_name, role in ACCOUNTS:
            user, _ = user_model.objects.get_or_create(username=username)
            user.first_name = full_name
            password = str(fixed) if fixed else secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_staff = user.is_superuser = role == Role.SYSTEM_ADMIN
            user.save()
            Membership.objects.get_or_create(user=user, organisation=Organisation.objects.get(name=org_name), role=role)
            user.groups.add(Group.objects.get_or_create(name=Role(role).label)[0])
            lines.append(f"  {_pad(Role(role).label, 14)} {username:<10} 密码 {password:<14} （{org_name}）")

        if not EvaluationRecord.objects.filter(unit=cast_unit, year=2022).exists():
            services.create(cast_unit, load_evaluation(EXAMPLE), None, "载入湛江市科协 2022 年自评示例")
        for module in DEMO_PARTS:
            import_module(module).load_demo(finance)

        self.stdout.write("演示账号（密码每次运行 load_demo 时重新生成）：")
        for line in lines:
            self.stdout.write(line)
