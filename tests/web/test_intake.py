"""批量接收: a finance bureau (or a 主管部门) sends a task's files at once, as a zip or many files. Each file is read,
audited, matched to a project (by 项目编码, then unit and name) and imported into its evaluation with the original
kept; uncertain ones wait for a person; bad files say why, in Chinese, and never stop the batch or half-write."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings

from jixiao.core.model import Evaluation
from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord, ImportedSource
from jixiao.web.intake.models import IntakeBatch, IntakeFile, Outcome
from jixiao.web.organisations.models import Role
from jixiao.web.tasks.models import Notice, Task
from tests.web.conftest import World, client_for
from tests.web.test_tasks import open_task


def report(name: str, *, code: str = "", budget: str = "153", score: str = "95") -> bytes:
    """A plain-text 自评报告 as a unit writes one (the reader finds the project, the funds and the score)."""
    lines = [
        f"2022年度{name}项目支出绩效自评报告",
        "一、项目基本情况",
        f"项目名称：{name}",
        *([f"项目编码：{code}"] if code else []),
        "二、资金情况",
        f"项目年度预算资金{budget}万元，全年到位资金100万元，执行数100万元，预算执行率65.36%。",
        "三、自评结论",
        f"自评得分{score}分，等级为优。",
    ]
    return "\n".join(lines).encode("utf-8")


SCIENCE = report("科普活动经费", code="440800-001")  # found by its code
CONTEST = report("青少年科技创新大赛", budget="20")  # found by unit (in the file name) and name
SOCIETY = report("学会能力提升工程", budget="45.5")  # close to “学会能力提升”: for a person to confirm


def zipped(*members: tuple[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def send(client: Client, task: Task, *files: tuple[str, bytes]) -> Any:
    """Upload the files; the background jobs it queues on commit run in this process (ImmediateBackend) before this
    returns, as a worker would run them after the upload."""
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/intake/task/{task.pk}/", {"files": uploads})


def outcomes(batch: IntakeBatch) -> dict[str, tuple[str, str]]:
    return {f.name: (f.outcome, f.reason) for f in batch.files.order_by("position")}


@pytest.fixture
def task(world: World) -> Task:
    assert open_task(world).status_code == 302
    return Task.objects.get()


def project(code: str) -> EvaluationRecord:
    return EvaluationRecord.objects.get(project_code=code)


def test_a_zip_is_read_matched_and_imported_file_by_file_with_each_outcome_said(world: World, task: Task) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    bundle = zipped(
        ("甲一单位/科普活动经费自评报告.txt", SCIENCE),
        ("甲二单位/甲二单位-青少年科技创新大赛自评报告.txt", CONTEST),
        ("学会能力提升工程.txt", SOCIETY),
        ("甲一单位/副本/科普活动经费自评报告.txt", SCIENCE),
        ("坏表.xlsx", b"this is not a workbook"),
        ("../越界.txt", SCIENCE),
    )
    response = send(finance, task, ("2022年报送材料.zip", bundle))
    batch = IntakeBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/intake/{batch.pk}/"
    assert (batch.name, batch.uploaded_by_name) == ("2022年报送材料.zip", "财政绩效管理员（测试市财政局）")
    assert outcomes(batch) == {
        "甲一单位/科普活动经费自评报告.txt": (Outcome.IMPORTED, ""),
        "甲二单位/甲二单位-青少年科技创新大赛自评报告.txt": (Outcome.IMPORTED, ""),
        "学会能力提升工程.txt": (
            Outcome.CONFIRM,
            "文件中没有读到本任务的预算单位，按项目名称找到相近的项目，请确认",
        ),
        "甲一单位/副本/科普活动经费自评报告.txt": (
            Outcome.DUPLICATE,
            "与本批第 1 个文件内容相同（SHA-256 一致），未重复导入",
        ),
        "坏表.xlsx": (Outcome.UNREADABLE, "文件 坏表.xlsx：文件已损坏或不是有效的 .xlsx 文件"),
        "../越界.txt": (
            Outcome.UNREADABLE,
            "压缩包“2022年报送材料.zip”中的“../越界.txt”路径指向压缩包之外（含“..”或绝对路径），不安全，未读取",
        ),
    }
    files = {f.name: f for f in batch.files.all()}
    assert files["甲一单位/科普活动经费自评报告.txt"].how == "按项目编码“440800-001”匹配"
    assert files["甲二单位/甲二单位-青少年科技创新大赛自评报告.txt"].how == "按预算单位和项目名称匹配"

    # the evaluation now holds what the file states, under the task's project, and keeps the file byte for byte
    science = project("440800-001")
    assert (science.status, science.project_name, science.revision) == (Status.DRAFT, "科普活动经费", 2)
    evaluation = Evaluation.model_validate(science.document)
    assert evaluation.claims.total_score == 95 and evaluation.funds[0].annual_budget_wan == 153
    assert evaluation.claims.execution_rate_pct == Decimal("65.36")
    assert evaluation.funds[0].initial_budget_wan == 100  # the 项目清单's 年初预算数, which the file leaves out
    (source,) = ImportedSource.objects.filter(record=science)
    assert (source.file_name, bytes(source.content)) == ("科普活动经费自评报告.txt", SCIENCE)
    assert files["甲一单位/科普活动经费自评报告.txt"].content is None  # kept once, by the evaluation
    assert list(science.transitions.values_list("action", "comment")) == [
        (Action.CREATE, "由自评任务“2022年度项目支出绩效自评”建立"),
        (Action.START, "从文件“科普活动经费自评报告.txt”导入（按项目编码“440800-001”匹配）"),
    ]
    assert project("440800-003").status == Status.PENDING  # waits for the person's choice
    # the unit learns of it in its notices
    (notice,) = Notice.objects.filter(user=world.user(Role.FILLER, "A1"))
    assert notice.text == (
        "【2022年度项目支出绩效自评】财政绩效管理员（测试市财政局）已把报送的文件“科普活动经费自评报告.txt”"
        "导入“科普活动经费”的自评，请核对读取的内容"
    )
    assert notice.url == f"/evaluations/{science.pk}/"

    page = finance.get(f"/intake/{batch.pk}/").content.decode()
    assert '<progress id="progress-bar" max="6" value="6">' in page and "已处理 6 / 6 个文件（100%）" in page
    assert 'http-equiv="refresh"' not in page  # nothing is waiting any more
    assert '<option value="{}" selected>学会能力提升（乙一单位，440800-003）'.format(project("440800-003").pk) in page


def test_a_person_confirms_the_uncertain_ones_by_choice_or_by_code(world: World, task: Task) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    send(finance, task, ("学会能力提升工程.txt", SOCIETY), ("说明.txt", "各项目材料已齐。".encode()))
    batch = IntakeBatch.objects.get()
    society, note = batch.files.order_by("position")
    assert (society.outcome, note.outcome) == (Outcome.CONFIRM, Outcome.CONFIRM)
    assert note.reason == "未能匹配：任务中没有名称相近的项目，请选择对应的项目" and note.candidates == []
    response = finance.post(
        f"/intake/{batch.pk}/confirm/",
        {f"choice-{society.pk}": "", f"code-{society.pk}": "440800-003", f"choice-{note.pk}": "skip"},
    )
    assert response.status_code == 302
    society.refresh_from_db()
    note.refresh_from_db()
    assert (society.outcome, society.how, society.record) == (Outcome.IMPORTED, "人工确认", project("440800-003"))
    assert (note.outcome, note.reason) == (Outcome.SKIPPED, "财政绩效管理员（测试市财政局）确认不导入")
    assert Evaluation.model_validate(project("440800-003").document).funds[0].annual_budget_wan == 45.5


def test_the_same_file_is_never_imported_twice(world: World, task: Task) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    send(finance, task, ("科普活动经费自评报告.txt", SCIENCE))
    send(finance, task, ("再次报送.txt", SCIENCE))
    again = IntakeBatch.objects.order_by("pk").last()
    assert outcomes(again) == {
        "再次报送.txt": (
            Outcome.DUPLICATE,
            "同一文件已导入为“科普活动经费”（2022 年度，甲一单位），未重复导入",
        )
    }
    assert ImportedSource.objects.count() == 1 and project("440800-001").revision == 2


def test_a_submitted_project_refuses_the_file_and_a_hand_edited_one_asks_first(world: World, task: Task) -> None:
    science, contest = project("440800-001"), project("440800-002")
    filler = world.user(Role.FILLER, "A1")
    evaluation_services.move(science.pk, Action.START, filler)
    evaluation_services.move(science.pk, Action.SUBMIT, filler, gate=False)
    evaluation_services.move(contest.pk, Action.START, world.user(Role.FILLER, "A2"))
    edited = Evaluation.model_validate(contest.document)
    edited.claims.total_score = Decimal(88)
    evaluation_services.save(contest.pk, edited, world.user(Role.FILLER, "A2"), contest.revision, "单位填写")

    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    send(finance, task, ("a.txt", SCIENCE), ("甲二单位-青少年科技创新大赛.txt", CONTEST))
    batch = IntakeBatch.objects.get()
    assert outcomes(batch) == {
        "a.txt": (Outcome.REFUSED, "该项目的评价已已提交，不能再导入文件；如需更正，须先退回单位"),
        "甲二单位-青少年科技创新大赛.txt": (
            Outcome.CONFIRM,
            "按预算单位和项目名称匹配；但单位已在系统中修改过这份评价（第 2 版），导入会以文件内容生成新的版本"
            "（原有内容保留在版本记录中），请确认",
        ),
    }
    assert project("440800-002").revision == 2  # nothing imported until a person says so


def test_a_report_and_its_table_for_one_project_both_go_in(world: World, task: Task) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    table = report("科普活动经费", code="440800-001", score="90")
    send(finance, task, ("报告.txt", SCIENCE), ("附1.txt", table))
    batch = IntakeBatch.objects.get()
    assert [o for o, _ in outcomes(batch).values()] == [Outcome.IMPORTED, Outcome.IMPORTED]
    science = project("440800-001")
    assert ImportedSource.objects.filter(record=science).count() == 2 and science.revision == 3
    assert Evaluation.model_validate(science.document).claims.total_score == 90  # the later file is laid over


def test_the_file_budget_differing_from_the_list_is_pointed_out(world: World, task: Task) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    send(finance, task, ("a.txt", report("科普活动经费", code="440800-001", budget="160")))
    (file,) = IntakeBatch.objects.get().files.all()
    assert file.outcome == Outcome.IMPORTED
    assert file.reason == "文件所述全年预算数 160.00 万元，与此前的 153.00 万元（项目清单或先导入的文件）不一致，请核对"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            (("科普活动经费.txt", SCIENCE), ("材料.zip", b"not a zip")),
            "“材料.zip”不是有效的 zip 压缩包（或已损坏），无法读取",
        ),
        ((("空.zip", zipped()),), "“空.zip”中没有文件"),
    ],
    ids=["a-corrupt-zip-among-files", "an-empty-zip"],
)
def test_an_unreadable_archive_keeps_nothing_and_says_why(
    world: World, task: Task, files: tuple[tuple[str, bytes], ...], message: str
) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    response = send(finance, task, *files)
    assert response.status_code == 200
    assert f"{message}。本次上传的文件均未保存，请处理后重新上传。" in response.content.decode()
    assert (IntakeBatch.objects.count(), IntakeFile.objects.count(), ImportedSource.objects.count()) == (0, 0, 0)


@override_settings(JIXIAO_INTAKE_MAX_FILE_BYTES=100_000, JIXIAO_INTAKE_MAX_TOTAL_BYTES=1_000_000)
def test_a_zip_bomb_is_refused_by_its_declared_sizes(world: World, task: Task) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    member_bomb = zipped(("炸弹.txt", b"0" * 500_000), ("科普.txt", SCIENCE))
    send(finance, task, ("一个过大的文件.zip", member_bomb))
    assert outcomes(IntakeBatch.objects.get()) == {
        "炸弹.txt": (
            Outcome.UNREADABLE,
            "压缩包“一个过大的文件.zip”中的“炸弹.txt”解压后 0.5 MB，超过单个文件的上限 0.1 MB，未读取",
        ),
        "科普.txt": (Outcome.IMPORTED, ""),
    }
    whole_bomb = zipped(*((f"{i}.txt", b"0" * 90_000) for i in range(15)))
    response = send(finance, task, ("整体过大.zip", whole_bomb))
    assert "“整体过大.zip”解压后共 1.3 MB，超过上限 1 MB（可能是“压缩炸弹”），未读取" in response.content.decode()
    assert IntakeBatch.objects.count() == 1


def test_drafts_of_a_batch_are_registered_as_submitted_by_the_task_owner(world: World, task: Task) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    send(finance, task, ("a.txt", SCIENCE), ("甲二单位-青少年科技创新大赛.txt", CONTEST))
    batch = IntakeBatch.objects.get()
    assert "本批已导入 2 份草稿" in finance.get(f"/intake/{batch.pk}/").content.decode()
    finance.post(f"/intake/{batch.pk}/submit/")
    assert {project(c).status for c in ("440800-001", "440800-002")} == {Status.SUBMITTED}
    assert project("440800-001").transitions.last().comment == (
        "单位以文件报送，经批量接收“a.txt 等 2 个文件”后登记为已提交"
    )


def test_a_department_matches_only_its_own_units_projects(world: World, task: Task) -> None:
    department = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    other_branch = report("学会能力提升", code="440800-003")  # 乙一单位's project, not 甲主管部门's
    send(department, task, ("a.txt", SCIENCE), ("b.txt", other_branch))
    batch = IntakeBatch.objects.get()
    assert [o for o, _ in outcomes(batch).values()] == [Outcome.IMPORTED, Outcome.CONFIRM]
    assert project("440800-003").status == Status.PENDING
    # and cannot import it by typing its code
    b = batch.files.get(name="b.txt")
    department.post(f"/intake/{batch.pk}/confirm/", {f"choice-{b.pk}": "", f"code-{b.pk}": "440800-003"})
    b.refresh_from_db()
    assert b.outcome == Outcome.CONFIRM and project("440800-003").status == Status.PENDING


@pytest.mark.parametrize(
    ("role", "place", "upload", "sees_finance_batch"),
    [
        (Role.FINANCE_ADMIN, "F1", 200, True),
        (Role.DEPARTMENT_REVIEWER, "DA", 200, False),  # a department sees only the batches it sent
        (Role.DEPARTMENT_REVIEWER, "DC", 404, False),  # another bureau's task
        (Role.FINANCE_ADMIN, "F2", 404, False),
        (Role.FILLER, "A1", 404, False),  # units do not see tasks' boards nor send for others
        (Role.UNIT_HEAD, "A1", 404, False),
    ],
)
def test_who_may_send_files_and_see_a_batch(
    world: World, task: Task, role: str, place: str, upload: int, sees_finance_batch: bool
) -> None:
    send(client_for(world.user(Role.FINANCE_ADMIN, "F1")), task, ("a.txt", SCIENCE))
    batch = IntakeBatch.objects.get()
    file = batch.files.get()
    client = client_for(world.user(role, place))
    assert client.get(f"/intake/task/{task.pk}/").status_code == upload
    for url in (f"/intake/{batch.pk}/", f"/intake/file/{file.pk}/"):
        assert client.get(url).status_code == (200 if sees_finance_batch else 404), url
    for url in (f"/intake/{batch.pk}/confirm/", f"/intake/{batch.pk}/submit/", f"/intake/{batch.pk}/retry/"):
        assert client.post(url).status_code == (302 if sees_finance_batch else 404), url
    # only the task's owner may register the batch's drafts as submitted
    assert project("440800-001").status == (Status.SUBMITTED if sees_finance_batch else Status.DRAFT)


def test_the_original_downloads_byte_for_byte_before_and_after_import(world: World, task: Task) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    send(finance, task, ("a.txt", SCIENCE), ("坏表.xlsx", b"broken"))
    imported, broken = IntakeBatch.objects.get().files.order_by("position")
    assert b"".join(finance.get(f"/intake/file/{imported.pk}/").streaming_content) == SCIENCE
    assert b"".join(finance.get(f"/intake/file/{broken.pk}/").streaming_content) == b"broken"


def test_an_unexpected_failure_on_one_file_does_not_stop_the_others(
    world: World, task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao.web.intake import services

    real = services.import_file

    def breaks_on_the_first(file: IntakeFile, *args: Any) -> None:
        if file.position == 1:
            raise RuntimeError("磁盘已满")
        real(file, *args)

    monkeypatch.setattr(services, "import_file", breaks_on_the_first)
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    send(finance, task, ("a.txt", SCIENCE), ("甲二单位-青少年科技创新大赛.txt", CONTEST))
    assert outcomes(IntakeBatch.objects.get()) == {
        "a.txt": (Outcome.REFUSED, "处理这个文件时系统出错，未导入；请稍后单独导入，或联系系统管理员查看日志"),
        "甲二单位-青少年科技创新大赛.txt": (Outcome.IMPORTED, ""),
    }
    assert project("440800-001").status == Status.PENDING  # nothing half-written


def test_an_over_long_project_name_is_refused_with_the_same_words_on_every_database(world: World) -> None:
    """A name longer than the records' column: one Chinese message, at the import's confirmation (issue 10 §4)."""
    client = client_for(world.user(Role.FILLER, "A1"))
    name = "科普" * 180  # 360 characters
    page = client.post(
        "/evaluations/import/", {"file": SimpleUploadedFile("长.txt", report(name).decode().encode())}, follow=True
    )
    form = page.context["form"]
    data = {
        "staged": page.context["source"].pk,
        "mode": form.initial["mode"],
        "unit": form.initial["unit"].pk,
        "name": form.initial["name"],
        "year": 2022,
    }
    response = client.post("/evaluations/import/confirm/", data)
    assert response.status_code == 200 and not EvaluationRecord.objects.exists()
    assert "不能超过 300 个字（现为 360 个字）" in response.content.decode()
