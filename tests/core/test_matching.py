"""A received file is matched to a task's project by 项目编码 first, then by unit and project name; anything less
than certain is proposed for a person to confirm, closest first."""

from __future__ import annotations

import pytest

from jixiao.core.matching import MatchVocabulary, Project, ProjectIndex

VOCABULARY = MatchVocabulary(document_words=("项目支出绩效自评报告", "绩效自评表", "自评报告", "自评表", "附1"))
PROJECTS = [
    Project(1, "440800-2022-0001", "科普活动经费", "湛江市科学技术协会"),
    Project(2, "440800-2022-0002", "学会能力提升", "湛江市科学技术协会"),
    Project(3, "440800-2022-0003", "科普活动经费", "湛江市教育局"),
    Project(4, "", "校舍维修改造", "湛江市教育局"),
]


@pytest.fixture(scope="module")
def index() -> ProjectIndex:
    return ProjectIndex(PROJECTS, VOCABULARY)


def test_a_code_of_the_task_anywhere_in_the_file_is_certain(index: ProjectIndex) -> None:
    match = index.match(text=["项目编码：440800-2022-0002"], project="别的名字", unit=None, file_name="x.xlsx")
    assert (match.key, match.how) == (2, "按项目编码“440800-2022-0002”匹配")


def test_a_code_in_the_file_name_counts_too(index: ProjectIndex) -> None:
    assert index.match(text=[], project=None, unit=None, file_name="440800-2022-0003.pdf").key == 3


def test_two_codes_of_the_task_in_one_file_are_for_a_person_to_choose(index: ProjectIndex) -> None:
    match = index.match(text=["440800-2022-0001", "440800-2022-0002"], project=None, unit=None, file_name="x.pdf")
    assert match.key is None and [c.key for c in match.candidates] == [1, 2]
    assert match.how == "文件中出现多个本任务的项目编码（440800-2022-0001、440800-2022-0002），请确认"


def test_the_unit_and_the_name_without_year_and_document_title_are_certain(index: ProjectIndex) -> None:
    match = index.match(
        text=[], project="2022年度科普活动经费项目支出绩效自评报告", unit="湛江市教育局", file_name="报告.docx"
    )
    assert (match.key, match.how) == (3, "按预算单位和项目名称匹配")


def test_the_unit_and_project_can_come_from_the_file_name(index: ProjectIndex) -> None:
    match = index.match(text=[], project=None, unit=None, file_name="湛江市教育局/湛江市教育局-校舍维修改造附1.xlsx")
    assert match.key == 4


def test_the_same_name_in_two_units_without_a_unit_read_is_not_certain(index: ProjectIndex) -> None:
    match = index.match(text=[], project="科普活动经费", unit=None, file_name="a.txt")
    assert match.key is None
    assert [(c.key, c.similarity, c.reason) for c in match.candidates] == [
        (1, 1.0, "项目名称一致（文件未载明本任务的预算单位）"),
        (3, 1.0, "项目名称一致（文件未载明本任务的预算单位）"),
    ]


def test_a_name_close_to_one_of_the_units_projects_is_proposed_with_how_close(index: ProjectIndex) -> None:
    match = index.match(text=[], project="学会能力提升工程", unit="湛江市科学技术协会", file_name="a.txt")
    assert match.key is None and match.how == "预算单位一致，项目名称不完全相同，请确认"
    (best, *_) = match.candidates
    assert (best.key, best.reason) == (2, "项目名称相似（86%）")


def test_nothing_alike_is_said_plainly(index: ProjectIndex) -> None:
    match = index.match(text=[], project="道路养护", unit="湛江市教育局", file_name="a.txt")
    assert (match.key, match.candidates) == (None, ())
    assert match.how == "未能匹配：本单位的项目中没有名称相近的，请选择对应的项目"


def test_short_numbers_such_as_years_are_never_taken_for_codes() -> None:
    index = ProjectIndex([Project(9, "2022", "道路养护", "某局")], VOCABULARY)
    assert index.match(text=["2022年度"], project=None, unit=None, file_name="a.txt").key is None


def test_a_folder_named_after_the_unit_counts_and_the_longest_unit_name_wins() -> None:
    index = ProjectIndex([Project(1, "", "科普活动", "科协"), Project(2, "", "科普活动", "市科协机关")], VOCABULARY)
    assert index.match(text=[], project="科普活动", unit=None, file_name="市科协机关/报告.docx").key == 2
    assert index.match(text=[], project="科普活动", unit=None, file_name="科协/科普活动.docx").key == 1
