"""Hostile files (issue 10, “Standing tests”): a fixed collection (``tests/hostile.py``) sent through every path a
file takes into the system, each answer asserted.

The paths: 导入已有材料 (``/evaluations/import/``), the 附1 upload (``/evaluations/upload/``), a 自评任务's 项目清单
(``/tasks/new/``), 批量接收 (``/intake/task/<id>/``, its background jobs run at once), ``jixiao audit FILE`` and
``jixiao evaluate FILE``. For every file on every path:

- the answer is the one in :data:`EXPECTED`, in Chinese, naming the file as the user called it (and the member, for
  a zip's member): one fault, one message, whichever path the file takes (a path that takes only some types says so
  in its own words);
- no page is a 500, and a command ends with a non-zero code when it refuses;
- a refused file writes nothing: no evaluation, no kept source, no task, no batch (批量接收 keeps a batch that names
  each file's outcome: a refused file is one of its rows and nothing else);
- the answer comes in bounded time (the 1.2 GB bomb in seconds) and never shows what an external entity points to.

A path still giving another path's fault other words is a known defect: its case carries the words it should give and
is marked ``xfail(strict=True)``, so that the fix turns it into a failure until the mark is removed.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from typer.testing import CliRunner

from jixiao.cli.main import app
from jixiao.web.evaluations.models import EvaluationRecord, ImportedSource
from jixiao.web.intake.models import IntakeBatch, IntakeFile, Outcome
from jixiao.web.organisations.models import Role
from jixiao.web.tasks.models import Task
from tests import hostile
from tests.web import conftest as web
from tests.web.conftest import World, client_for
from tests.web.test_tasks import open_task

#: the web tests' organisations and people, one person per role per place
world = web.world

WEB = ("import", "upload", "tasks", "intake")
COMMANDS = ("audit", "evaluate")

#: how long any answer may take; the 100,000-row sheet is read whole on some paths and gets longer
CEILING = 10.0
LARGE_CEILING = 90.0

# ------------------------------------------------------------------------------------------- the vocabulary

BOMB = "文件解压后过大（1.2 GB，上限 200 MB），可能是“压缩炸弹”，未读取"
ENCRYPTED = "文件已加密（或为旧版格式），无法读取（文件设有密码，请去除密码后再提交）"
EMPTY = "文件为空"
DAMAGED_XLSX = "文件已损坏或不是有效的 .xlsx 文件"
DAMAGED_DOCX = "文件已损坏或不是有效的 .docx 文件"
DAMAGED_PDF = "文件已损坏或不是有效的 .pdf 文件"
PDF_LOCKED = "PDF 已加密，无法读取"
NOT_TEXT = "不是有效的文本文件（无法按 UTF-8、UTF-16 或 GB18030 解码）"
NOT_A_SELFEVAL = "找不到“一级指标”表头，不是项目支出绩效自评表"
#: a type the path does not take, in its words
ONLY_XLSX = "只能上传 .xlsx 格式的项目支出绩效自评表"
LIST_XLSX = "项目清单须为 .xlsx 文件（可先下载模板）"


def unsupported(suffix: str) -> str:
    return f"不支持的文件类型“{suffix}”，支持的类型：.txt、.docx、.xlsx、.xls、.pdf"


def not_evaluable(suffix: str) -> str:
    return (
        f"不能从“{suffix}”文件建立评价：这里接受本系统的评价数据（.yaml/.yml/.json）或附1 自评表（.xlsx）；"
        "已有的自评报告（.docx、.pdf、.txt 等）请用 jixiao audit 审核，或在网页上“导入已有材料”"
    )


def file_says(reason: str, field: str | None = None) -> str:
    """The message of a file refused as a whole: ``文件 <name>：<reason>`` (``，字段 <cells>`` where it applies)."""
    return f"文件 {{name}}{f'，字段 {field}' if field else ''}：{reason}"


def member_says(member: str, reason: str) -> str:
    return f"压缩包“{{name}}”中的“{member}”{reason}"


# ------------------------------------------------------------------------------------------ what each gets


@dataclass(frozen=True)
class Refused:
    """The path refuses the file with exactly these messages (``{name}``: the file as the user called it)."""

    messages: tuple[str, ...]
    defect: str = ""  # why the path does not say this yet: the case is an expected failure until it is fixed


def refused(*messages: str, defect: str = "") -> Refused:
    return Refused(messages, defect)


@dataclass(frozen=True)
class Accepted:
    """The path takes the file: 导入 stages it for confirmation, 批量接收 gives it ``outcome``, a command ends with 0,
    the 项目清单 opens a task."""

    outcome: str = ""  # 批量接收: the file's outcome


EXPECTED: dict[str, dict[str, Refused | Accepted]] = {
    "bomb-xlsx": {
        "import": refused(file_says(BOMB)),
        "upload": refused(file_says(BOMB)),
        # the 项目清单 has a limit of its own (a list of 100,000 projects is legitimately large)
        "tasks": refused(file_says("文件解压后过大（1.2 GB，上限 1 GB），可能是“压缩炸弹”，未读取")),
        "intake": refused(file_says(BOMB)),
        "audit": refused(file_says(BOMB)),
        "evaluate": refused(file_says(BOMB)),
    },
    "bomb-docx": {
        "import": refused(file_says(BOMB)),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": refused(file_says(BOMB)),
        "audit": refused(file_says(BOMB)),
        "evaluate": refused(file_says(not_evaluable(".docx"))),
    },
    "bomb-zip": {
        "import": refused(file_says(unsupported(".zip"))),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": refused(
            "“{name}”解压后共 4.7 GB，超过上限 4 GB（可能是“压缩炸弹”），未读取。本次上传的文件均未保存，请处理后重新上传。"
        ),
        "audit": refused(file_says(unsupported(".zip"))),
        "evaluate": refused(file_says(not_evaluable(".zip"))),
    },
    "xxe-xlsx": {path: refused(file_says(DAMAGED_XLSX)) for path in (*WEB, *COMMANDS)},
    "xxe-docx": {  # read without the entity: what it points to never appears (checked for every case)
        "import": Accepted(),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": Accepted(Outcome.CONFIRM),
        "audit": Accepted(),
        "evaluate": refused(file_says(not_evaluable(".docx"))),
    },
    "laughs-xlsx": {path: refused(file_says(DAMAGED_XLSX)) for path in (*WEB, *COMMANDS)},
    "laughs-docx": {
        "import": refused(file_says(DAMAGED_DOCX)),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": refused(file_says(DAMAGED_DOCX)),
        "audit": refused(file_says(DAMAGED_DOCX)),
        "evaluate": refused(file_says(not_evaluable(".docx"))),
    },
    "encrypted-xlsx": {path: refused(file_says(ENCRYPTED)) for path in (*WEB, *COMMANDS)},
    "encrypted-docx": {
        "import": refused(file_says(ENCRYPTED)),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": refused(file_says(ENCRYPTED)),
        "audit": refused(file_says(ENCRYPTED)),
        "evaluate": refused(file_says(not_evaluable(".docx"))),
    },
    "encrypted-pdf": {
        "import": refused(file_says(PDF_LOCKED)),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": refused(file_says(PDF_LOCKED)),
        "audit": refused(file_says(PDF_LOCKED)),
        "evaluate": refused(file_says(not_evaluable(".pdf"))),
    },
    "encrypted-zip": {
        "import": refused(file_says(unsupported(".zip"))),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": refused(member_says(hostile.ENCRYPTED_MEMBER, "已加密，无法读取；请去掉密码后重新打包")),
        "audit": refused(file_says(unsupported(".zip"))),
        "evaluate": refused(file_says(not_evaluable(".zip"))),
    },
    "traversal-zip": {
        "import": refused(file_says(unsupported(".zip"))),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": refused(
            member_says("../x.xlsx", "路径指向压缩包之外（含“..”或绝对路径），不安全，未读取"),
            member_says("/etc/x.xlsx", "路径指向压缩包之外（含“..”或绝对路径），不安全，未读取"),
            member_says("链接.xlsx", "是符号链接，未读取"),
        ),
        "audit": refused(file_says(unsupported(".zip"))),
        "evaluate": refused(file_says(not_evaluable(".zip"))),
    },
    "long-name": {  # no file system keeps such a name: the commands cannot be given one
        "import": Accepted(),
        "upload": refused(file_says(NOT_A_SELFEVAL, "项目清单!A1:D2")),
        "tasks": Accepted(),
        "intake": Accepted(Outcome.IMPORTED),  # its row names the task's project 440800-001
    },
    "empty-xlsx": {path: refused(file_says(EMPTY)) for path in (*WEB, *COMMANDS)},
    "empty-zip": {
        "import": refused(file_says(unsupported(".zip"))),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": refused(file_says(EMPTY)),
        "audit": refused(file_says(unsupported(".zip"))),
        "evaluate": refused(file_says(not_evaluable(".zip"))),
    },
    "pdf-as-xlsx": {path: refused(file_says(DAMAGED_XLSX)) for path in (*WEB, *COMMANDS)},
    "docx-as-pdf": {
        "import": refused(file_says(DAMAGED_PDF)),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": refused(file_says(DAMAGED_PDF)),
        "audit": refused(file_says(DAMAGED_PDF)),
        "evaluate": refused(file_says(not_evaluable(".pdf"))),
    },
    "program-as-txt": {
        "import": refused(file_says(NOT_TEXT)),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": refused(file_says(NOT_TEXT)),
        "audit": refused(file_says(NOT_TEXT)),
        "evaluate": refused(file_says(not_evaluable(".txt"))),
    },
    "large-xlsx": {  # 100,000 projects of a unit nobody knows
        "import": Accepted(),
        "upload": refused(file_says(NOT_A_SELFEVAL, f"项目清单!A1:D{hostile.LARGE_ROWS + 1}")),
        "tasks": refused(file_says(f"项目清单有 {hostile.LARGE_ROWS:,} 处问题，未建立任务，也未建立任何评价。")),
        "intake": Accepted(Outcome.CONFIRM),
        "audit": Accepted(),
        "evaluate": refused(file_says(NOT_A_SELFEVAL, f"项目清单!A1:D{hostile.LARGE_ROWS + 1}")),
    },
    "gbk-txt": {  # not hostile: read as written (what it says is checked below)
        "import": Accepted(),
        "upload": refused(file_says(ONLY_XLSX)),
        "tasks": refused(file_says(LIST_XLSX)),
        "intake": Accepted(Outcome.IMPORTED),
        "audit": Accepted(),
        "evaluate": refused(file_says(not_evaluable(".txt"))),
    },
}

#: read whole on the paths that take them: seconds each
SLOW_KINDS = frozenset({"large-xlsx"})


def cases(paths: tuple[str, ...]) -> Iterator[Any]:
    for kind, answers in EXPECTED.items():
        for path in paths:
            if path not in answers:
                continue
            expected = answers[path]
            marks = []
            if isinstance(expected, Refused) and expected.defect:
                marks.append(pytest.mark.xfail(raises=AssertionError, strict=True, reason=f"defect: {expected.defect}"))
            if kind in SLOW_KINDS:
                marks.append(pytest.mark.slow)
            yield pytest.param(kind, path, expected, id=f"{kind}-{path}", marks=marks)


# ---------------------------------------------------------------------------------------------- the files


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile.write_collection(tmp_path_factory.mktemp("hostile"))


def user_name(kind: str, path: Path) -> str:
    """The name the user gives the file."""
    return hostile.LONG_NAME if kind == "long-name" else path.name


# ------------------------------------------------------------------------------------------------ answers


@dataclass
class Answer:
    """What a path made of a file: its status (HTTP, or the command's exit code), the messages shown about the file,
    everything it showed, how long it took, and how many rows of each kind it added."""

    status: int
    said: list[str]
    shown: str
    seconds: float
    added: dict[str, int] = field(default_factory=dict)
    accepted: bool = False


def rows() -> dict[str, int]:
    return {
        "评价": EvaluationRecord.all_objects.count(),
        "来源文件": ImportedSource.objects.count(),
        "自评任务": Task.objects.count(),
        "接收批次": IntakeBatch.objects.count(),
    }


def revisions() -> dict[int, int]:
    return dict(EvaluationRecord.all_objects.values_list("pk", "revision"))


def flash(response: Any, level: int) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level == level] if response.context else []


def send(world: World, where: str, name: str, data: bytes) -> Answer:
    """POST the file to ``where`` as the person whose job that is, and read the answer."""
    upload = SimpleUploadedFile(name, data)
    filler = client_for(world.user(Role.FILLER, "A1"))
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    task = Task.objects.first()
    before = rows()
    start = time.perf_counter()
    if where == "import":
        response = filler.post("/evaluations/import/", {"file": upload})
        said = list(response.context["form"].errors.get("file", [])) if response.status_code == 200 else []
        accepted = response.status_code == 302 and "/evaluations/import/confirm/" in response["Location"]
    elif where == "upload":
        response = filler.post("/evaluations/upload/", {"file": upload}, follow=True)
        said = flash(response, message_levels.ERROR)
        accepted = bool(flash(response, message_levels.SUCCESS))
    elif where == "tasks":
        response = open_task(world, data, project_list=upload)
        said = (
            list(response.context["form"].errors.get("project_list", [])) + flash(response, message_levels.ERROR)
            if response.status_code == 200
            else []
        )
        accepted = response.status_code == 302
    else:
        assert task is not None, "批量接收 needs an open task"
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = finance.post(f"/intake/task/{task.pk}/", {"files": [upload]})
        if response.status_code == 200:  # the upload as a whole refused
            said, accepted = list(response.context["form"].errors.get("files", [])), False
        else:  # a batch, each file with its outcome
            files = list(IntakeBatch.objects.latest("pk").files.order_by("position"))
            said = [f.reason for f in files if f.outcome == Outcome.UNREADABLE]
            accepted = not said
    seconds = time.perf_counter() - start
    after = rows()
    # what was read and kept is shown later (the confirmation page, the batch): it counts as shown
    kept = [
        *ImportedSource.objects.values_list("audit", flat=True),
        *IntakeFile.objects.values_list("audit", flat=True),
    ]
    shown = "\n".join([response.content.decode("utf-8", "replace"), *said, json.dumps(kept, ensure_ascii=False)])
    added = {kind: after[kind] - before[kind] for kind in after}
    return Answer(response.status_code, said, shown, seconds, added, accepted)


runner = CliRunner()

#: the cases a command cannot be trusted with in this process: they run apart, with 512 MB of memory
CONTAINED = frozenset({("bomb-xlsx", "evaluate")})


def run(kind: str, command: str, path: Path, out: Path) -> Answer:
    """``jixiao audit FILE`` or ``jixiao evaluate FILE --out OUT --no-pdf``; the messages are its “无法读取：” and
    “错误：” lines."""
    args = [command, str(path)] + (["--out", str(out), "--no-pdf"] if command == "evaluate" else [])
    start = time.perf_counter()
    if (kind, command) in CONTAINED:
        status, output = _contained(args)
    else:
        result = runner.invoke(app, args)
        status, output = result.exit_code, result.stdout + result.stderr
    seconds = time.perf_counter() - start
    said = [line.split("：", 1)[1] for line in output.splitlines() if line.startswith(("无法读取：", "错误："))]
    return Answer(status, said, output, seconds, accepted=status == 0)


def _contained(args: list[str]) -> tuple[int, str]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))

    try:
        done = subprocess.run(
            [sys.executable, "-c", "from jixiao.cli.main import main; main()", *args],
            capture_output=True,
            text=True,
            timeout=CEILING,
            preexec_fn=limit,
        )
    except subprocess.TimeoutExpired:
        return -1, "（超时）"
    return done.returncode, done.stdout + done.stderr


# -------------------------------------------------------------------------------------------------- tests


def check(answer: Answer, expected: Refused | Accepted, name: str, kind: str) -> None:
    ceiling = LARGE_CEILING if kind in SLOW_KINDS else CEILING
    assert answer.seconds < ceiling, f"{answer.seconds:.1f} 秒"
    assert hostile.CANARY not in answer.shown, "an external entity was resolved"
    assert "Traceback" not in answer.shown
    if isinstance(expected, Accepted):
        assert answer.accepted, answer.said
        return
    assert answer.said == [message.format(name=name) for message in expected.messages]
    assert all(name in message for message in answer.said)
    assert not answer.accepted


@pytest.mark.parametrize(("kind", "where", "expected"), list(cases(WEB)))
def test_every_upload_path_answers_a_hostile_file_in_its_words_and_writes_nothing(
    world: World, collection: dict[str, Path], kind: str, where: str, expected: Refused | Accepted
) -> None:
    if where == "intake":
        assert open_task(world).status_code == 302
    path = collection[kind]
    name = user_name(kind, path)
    kept = revisions()

    answer = send(world, where, name, path.read_bytes())

    assert answer.status in (200, 302)
    check(answer, expected, name, kind)
    if isinstance(expected, Refused):
        # a batch that names the file's outcome is 批量接收's answer; nothing else is written, nothing changed
        batch = 1 if where == "intake" and answer.status == 302 else 0
        assert answer.added == {"评价": 0, "来源文件": 0, "自评任务": 0, "接收批次": batch}
        assert revisions() == kept
    elif where == "intake":
        (file,) = IntakeBatch.objects.get().files.all()
        assert (file.name, file.outcome) == (name, expected.outcome)
    elif where == "import":
        assert answer.added == {"评价": 0, "来源文件": 1, "自评任务": 0, "接收批次": 0}  # staged, for confirmation
    elif where == "tasks":
        assert Task.objects.get().source_name == name


@pytest.mark.parametrize(("kind", "command", "expected"), list(cases(COMMANDS)))
def test_every_command_answers_a_hostile_file_in_its_words_and_writes_nothing(
    collection: dict[str, Path], tmp_path: Path, kind: str, command: str, expected: Refused | Accepted
) -> None:
    path = collection[kind]
    out = tmp_path / "out"

    answer = run(kind, command, path, out)

    check(answer, expected, str(path), kind)
    if isinstance(expected, Refused):
        assert answer.status == (1 if command == "audit" else 2)
    assert not out.exists(), "a refused evaluation writes no file"


# -------------------------------------------------------------------------------- what is read is as written


def test_a_gbk_report_is_read_as_written_by_the_import_and_the_intake(
    world: World, collection: dict[str, Path]
) -> None:
    data = collection["gbk-txt"].read_bytes()
    filler = client_for(world.user(Role.FILLER, "A1"))
    page = filler.post("/evaluations/import/", {"file": SimpleUploadedFile("GBK编码的报告.txt", data)}, follow=True)
    facts = page.context["source"].audit["facts"]
    assert (facts["project"], facts["budget_wan"], facts["self_score"]) == (hostile.GBK_PROJECT, 153, 95)

    assert open_task(world).status_code == 302
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        finance.post(f"/intake/task/{Task.objects.get().pk}/", {"files": [SimpleUploadedFile("报告.txt", data)]})
    (file,) = IntakeBatch.objects.get().files.all()
    assert (file.outcome, file.read_project, file.how) == (
        Outcome.IMPORTED,
        hostile.GBK_PROJECT,
        f"按项目编码“{hostile.GBK_CODE}”匹配",
    )
    assert bytes(file.source.content) == data  # kept byte for byte, in its own encoding


def test_a_gbk_report_is_read_as_written_by_jixiao_audit(collection: dict[str, Path]) -> None:
    result = runner.invoke(app, ["audit", str(collection["gbk-txt"])])
    assert result.exit_code == 0
    assert f"项目名称：{hostile.GBK_PROJECT}  （第3行：“项目名称:{hostile.GBK_PROJECT}”）" in result.stdout
    assert "自评得分：95 分" in result.stdout


def test_an_empty_file_among_others_is_told_by_name_and_does_not_stop_the_batch(
    world: World, collection: dict[str, Path]
) -> None:
    assert open_task(world).status_code == 302
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    files = [
        SimpleUploadedFile("空的报告.txt", b""),
        SimpleUploadedFile("报告.txt", collection["gbk-txt"].read_bytes()),
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        finance.post(f"/intake/task/{Task.objects.get().pk}/", {"files": files})
    outcomes = {f.name: (f.outcome, f.reason) for f in IntakeBatch.objects.get().files.all()}
    assert outcomes == {
        "空的报告.txt": (Outcome.UNREADABLE, "文件 空的报告.txt：文件为空"),
        "报告.txt": (Outcome.IMPORTED, ""),
    }


# ------------------------------------------------------------------------------------------ the collection


def test_the_bombs_declare_what_they_would_expand_to(collection: dict[str, Path]) -> None:
    with zipfile.ZipFile(collection["bomb-xlsx"]) as package:
        sheet = package.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > hostile.BOMB_BYTES and sheet.compress_size < 2 * 2**20
    with zipfile.ZipFile(collection["bomb-zip"]) as archive:
        assert [info.filename for info in archive.infolist()] == list(hostile.BOMB_ARCHIVE_MEMBERS)
        assert sum(info.file_size for info in archive.infolist()) > 4 * hostile.BOMB_BYTES


def test_a_bomb_member_is_deflated_honestly_without_being_built() -> None:
    """What a bomb's member expands to, checked on a small one: its content, size and CRC are what it declares."""
    entry = hostile.bomb_entry("part.xml", b"<head>", b"blank " * 1000, 7, b"</head>")
    expanded = b"<head>" + b"blank " * 7000 + b"</head>"
    packed = hostile.zip_bytes([entry])
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        assert archive.read("part.xml") == expanded  # zipfile checks the CRC


def test_the_locked_files_open_with_their_password(collection: dict[str, Path]) -> None:
    import pdfplumber

    with zipfile.ZipFile(collection["encrypted-zip"]) as archive:
        text = archive.read(hostile.ENCRYPTED_MEMBER, pwd=hostile.PASSWORD.encode()).decode("utf-8")
    assert hostile.GBK_PROJECT in text
    with pdfplumber.open(collection["encrypted-pdf"], password=hostile.PASSWORD) as pdf:
        assert "Self-evaluation report" in pdf.pages[0].extract_text()
    locked = collection["encrypted-xlsx"].read_bytes()
    assert locked.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert "EncryptionInfo".encode("utf-16-le") in locked and "EncryptedPackage".encode("utf-16-le") in locked


def test_the_collection_is_written_from_the_shell_small_and_quickly(
    collection: dict[str, Path], tmp_path: Path
) -> None:
    """``python -m tests.hostile OUTDIR``: every kind of :data:`EXPECTED`, in under 3 s and 10 MB."""
    start = time.perf_counter()
    assert hostile.main([str(tmp_path)]) == 0
    assert time.perf_counter() - start < 3
    made = {path.name: path.stat().st_size for path in tmp_path.iterdir()}
    assert set(hostile.COLLECTION) == set(EXPECTED)
    assert {path.name for path in collection.values()} <= set(made)
    assert sum(made.values()) < 10 * 2**20
