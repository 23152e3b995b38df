"""The indicator tree editor: add, move and delete nodes, restart from the framework; each a saved version."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.model import Evaluation
from jixiao.io.catalogue import load_framework
from tests.web.edit_fixtures import browser, edit_url, filler, fresh, record, submit, units, versions

__all__ = ["browser", "filler", "record", "units"]

URL_TAIL = "/edit/indicators/"


def names(nodes):
    """The tree as nested (name, children) tuples, children omitted for leaves."""
    return [(n["name"], names(n["children"])) if n.get("children") else n["name"] for n in nodes]


def act(client, record, action, changes=None):
    response = submit(client, record, "indicators", {**(changes or {}), "action": action})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response, fresh(record)


def test_page_shows_paths_levels_and_child_sums(browser, record):
    body = browser.get(edit_url(record, "indicators")).content.decode()
    assert 'id="node-0.0.1"' in body and 'name="node-0.0.1-name" value="答题人数"' in body
    assert "1.1.2 三级" in body
    assert "下级合计 50.00" in body
    assert 'value="add_child:0.0"' in body
    assert 'value="add_child:0.0.1"' in body  # third level may still get a fourth


def test_add_child(browser, record):
    response, after = act(browser, record, "add_child:0.0")
    assert response["Location"] == f"/evaluations/{record.pk}{URL_TAIL}#node-0.0.2"
    assert names(after.document["indicators"])[0] == (
        "产出指标",
        [("数量指标", ["科普活动场次", "答题人数", "新增指标"])],
    )
    assert after.revision == 2 and versions(after) == 2
    assert after.versions.first().summary == "绩效指标：在“产出指标 › 数量指标”下新增下级指标"


def test_add_child_to_a_leaf_and_refuse_a_fifth_level(browser, record):
    _, after = act(browser, record, "add_child:0.0.0")
    assert names(after.document["indicators"][0]["children"][0]["children"])[0] == ("科普活动场次", ["新增指标"])
    response = submit(browser, after, "indicators", {"action": "add_child:0.0.0.0"})
    assert response.status_code == 200
    assert "已是第四级指标，不能再添加下级指标" in response.content.decode()
    assert fresh(record).revision == after.revision


def test_add_sibling_keeps_edits_made_in_the_table(browser, record):
    response, after = act(browser, record, "add_sibling:1", {"node-0.0.0-actual": "80场"})
    assert response["Location"].endswith("#node-2")
    assert [n["name"] for n in after.document["indicators"]] == ["产出指标", "效益指标", "新增指标", "满意度指标"]
    assert after.document["indicators"][0]["children"][0]["children"][0]["actual"] == "80场"
    assert after.versions.first().summary == "绩效指标：在“效益指标”之后新增同级指标，并保存了表中其他修改"


def test_add_root(browser, record):
    _, after = act(browser, record, "add_root")
    assert [n["name"] for n in after.document["indicators"]][-1] == "新增指标"


@pytest.mark.parametrize(
    ("action", "order", "anchor", "summary"),
    [
        (
            "down:0.0.0",
            ["答题人数", "科普活动场次"],
            "#node-0.0.1",
            "绩效指标：下移“产出指标 › 数量指标 › 科普活动场次”",
        ),
        ("up:0.0.1", ["答题人数", "科普活动场次"], "#node-0.0.0", "绩效指标：上移“产出指标 › 数量指标 › 答题人数”"),
    ],
)
def test_move(browser, record, action, order, anchor, summary):
    response, after = act(browser, record, action)
    assert response["Location"].endswith(anchor)
    assert [n["name"] for n in after.document["indicators"][0]["children"][0]["children"]] == order
    assert after.versions.first().summary == summary
    assert after.computed_score == Decimal("99.80")  # moving changes nothing in the score


def test_move_past_the_end_is_refused(browser, record):
    response = submit(browser, record, "indicators", {"action": "up:0"})
    assert response.status_code == 200
    assert "“产出指标”已是同级第一个，不能再上移" in response.content.decode()
    response = submit(browser, record, "indicators", {"action": "down:2"})
    assert "“满意度指标”已是同级最后一个，不能再下移" in response.content.decode()
    assert fresh(record).revision == 1


def test_delete_subtree(browser, record):
    response, after = act(browser, record, "delete:1")
    assert response["Location"] == f"/evaluations/{record.pk}{URL_TAIL}"
    assert names(after.document["indicators"]) == [
        ("产出指标", [("数量指标", ["科普活动场次", "答题人数"])]),
        ("满意度指标", [("服务对象满意度指标", ["参与群众满意度"])]),
    ]
    assert after.versions.first().summary == "绩效指标：删除“效益指标”及其 2 个下级指标"
    assert after.computed_score == Decimal("69.80")


def test_delete_leaf(browser, record):
    _, after = act(browser, record, "delete:0.0.1")
    assert names(after.document["indicators"])[0] == ("产出指标", [("数量指标", ["科普活动场次"])])
    assert after.versions.first().summary == "绩效指标：删除“产出指标 › 数量指标 › 答题人数”"


def test_structural_action_is_refused_while_a_field_is_invalid(browser, record):
    response = submit(browser, record, "indicators", {"action": "delete:1", "node-0-points": "abc"})
    assert response.status_code == 200
    assert "请输入数字" in response.content.decode()
    assert fresh(record).revision == 1


def test_unknown_node_is_refused(browser, record):
    response = submit(browser, record, "indicators", {"action": "delete:7.1"})
    assert response.status_code == 200
    assert "要调整的指标不存在" in response.content.decode()
    assert fresh(record).revision == 1


def test_restart_from_framework(browser, record):
    # an invalid field does not block the restart: the table is thrown away
    response, after = act(browser, record, "reset", {"node-0-points": "abc"})
    assert response["Location"] == f"/evaluations/{record.pk}{URL_TAIL}"
    framework = load_framework("mof-selfeval")
    expected = [n.model_dump(mode="json") for n in framework.skeleton()]
    assert after.document["indicators"] == expected
    assert after.versions.first().summary == f"绩效指标：按指标体系“{framework.name}”重新开始（替换原有 10 个指标）"


def test_stale_structural_action_is_refused(browser, record):
    _, after = act(browser, record, "add_child:0.0")
    # the same, stale page submitted again
    stale = submit(browser, record, "indicators", {"action": "delete:0", "revision": "1"})
    assert stale.status_code == 200
    assert "已被他人修改" in stale.content.decode()
    assert fresh(record).revision == after.revision == 2


@pytest.mark.slow
def test_a_tree_of_five_hundred_nodes_is_edited_and_saved_whole(browser, units, filler):
    """Some 附1 tables list hundreds of indicators; the editor's one form then carries thousands of fields, which
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS is set to allow (issue 10 §5)."""
    from jixiao.web.evaluations import services
    from tests.conftest import make

    leaves = [
        {"name": f"指标{i}-{j}-{k}", "points": "0.1", "target": "≥1个", "actual": "1个", "claimed_score": "0.1"}
        for i in range(4)
        for j in range(5)
        for k in range(24)
    ]
    indicators = [
        {
            "name": f"一级{i}",
            "children": [
                {"name": f"二级{i}-{j}", "children": leaves[(i * 5 + j) * 24 : (i * 5 + j + 1) * 24]} for j in range(5)
            ],
        }
        for i in range(4)
    ]
    record = services.create(units["unit"], make(indicators=indicators), filler, "新建")
    assert len(Evaluation.model_validate(record.document).nodes()) == 504
    response = submit(browser, record, "indicators", {"node-0.0.0-actual": "2个"})
    assert response.status_code == 302
    saved = Evaluation.model_validate(fresh(record).document)
    assert len(saved.nodes()) == 504 and saved.indicators[0].children[0].children[0].actual == "2个"
