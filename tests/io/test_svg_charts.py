"""The inline SVG charts (``jixiao/io/svg_charts.py``): read back with xml.etree, bars stand where their values say,
every bar and point carries its number in a ``<title>``, labels are escaped, and the output is the same every time."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from jixiao.io.svg_charts import Series, grouped_bars, lines, nice_step, stacked_bars, ticks

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//s:rect[@class='chart-bar']", NS)


def geometry(rect: ET.Element) -> tuple[float, float, float, float]:
    return tuple(float(rect.get(a)) for a in ("x", "y", "width", "height"))  # type: ignore[return-value]


def baseline(root: ET.Element) -> float:
    (line,) = root.findall(".//s:line[@class='chart-baseline']", NS)
    return float(line.get("y1"))  # type: ignore[arg-type]


def test_it_stacks_the_series_of_each_category_from_the_baseline_up() -> None:
    root = parse(
        stacked_bars(
            ["2022年", "2023年"],
            [Series("优", [3, 1]), Series("良", [1, 4])],
            chart_id="grades",
            title="等级分布",
        )
    )
    found = {(r.get("data-category"), r.get("data-series")): geometry(r) for r in bars(root)}
    base = baseline(root)
    # the 2022 bar: 优 3 at the bottom, 良 1 on top of it; heights proportional to the values
    x, y, w, h = found[("2022年", "优")]
    assert y + h == pytest.approx(base, abs=0.1)
    x2, y2, w2, h2 = found[("2022年", "良")]
    assert (x2, w2) == (x, w)
    assert y2 + h2 == pytest.approx(y, abs=0.1)
    assert h == pytest.approx(3 * h2, abs=0.2)
    # the 2023 bar stands to the right, its segments in the same proportion (1 : 4)
    x3, _, _, h3 = found[("2023年", "优")]
    _, y4, _, h4 = found[("2023年", "良")]
    assert x3 > x + w
    assert h4 == pytest.approx(4 * h3, abs=0.2)
    assert h3 == pytest.approx(h2, abs=0.1)  # 1 item is the same height in both bars
    # 5 items stand higher than 4
    assert y4 < y2
    totals = [t.text for t in root.findall(".//s:text[@class='chart-total']", NS)]
    assert totals == ["4", "5"]


def test_every_bar_has_its_number_in_a_title() -> None:
    root = parse(stacked_bars(["2022年"], [Series("优", [12]), Series("差", [0])], chart_id="c", title="T", unit="项"))
    titles = [r.find("s:title", NS).text for r in bars(root)]  # type: ignore[union-attr]
    assert titles == ["2022年 优：12 项"]  # a zero draws nothing
    assert root.find("s:title", NS).text == "T"  # type: ignore[union-attr]
    assert "2022年：优 12 项，差 0 项" in root.find("s:desc", NS).text  # type: ignore[operator,union-attr]
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title c-desc"


def test_the_axis_has_round_ticks_and_the_unit() -> None:
    root = parse(stacked_bars(["2022年"], [Series("优", [23])], chart_id="c", title="T"))
    labels = [t.text for t in root.findall(".//s:text[@class='chart-tick']", NS)]
    assert labels == ["0", "5", "10", "15", "20", "25"]
    assert root.find(".//s:text[@class='chart-unit']", NS).text == "项"  # type: ignore[union-attr]
    legend = [t.text for t in root.findall(".//s:g[@class='chart-legend-item']/s:text", NS)]
    assert legend == ["优"]
    categories = [t.text for t in root.findall(".//s:text[@class='chart-category']", NS)]
    assert categories == ["2022年"]


def test_grouped_bars_stand_side_by_side_on_the_baseline() -> None:
    root = parse(
        grouped_bars(
            ["2021年", "2022年"],
            [Series("整改事项", [10, 4]), Series("已销号", [5, 4])],
            chart_id="r",
            title="整改",
        )
    )
    found = {(r.get("data-category"), r.get("data-series")): geometry(r) for r in bars(root)}
    base = baseline(root)
    for _x, y, _w, h in found.values():
        assert y + h == pytest.approx(base, abs=0.1)
    assert found[("2021年", "已销号")][0] > found[("2021年", "整改事项")][0]
    assert found[("2021年", "整改事项")][3] == pytest.approx(2 * found[("2021年", "已销号")][3], abs=0.2)
    assert found[("2022年", "整改事项")][3] == pytest.approx(found[("2022年", "已销号")][3], abs=0.1)
    titles = sorted(r.find("s:title", NS).text for r in bars(root))  # type: ignore[union-attr, type-var]
    assert titles == ["2021年 已销号：5 项", "2021年 整改事项：10 项", "2022年 已销号：4 项", "2022年 整改事项：4 项"]


def test_lines_put_each_point_at_its_value_and_break_at_a_missing_one() -> None:
    root = parse(
        lines(
            ["2020年", "2021年", "2022年", "2023年"],
            [
                Series("自评", [Decimal("90.5"), Decimal("92.25"), None, Decimal("91")]),
                Series("复核", [Decimal(85)] * 4),
            ],
            chart_id="s",
            title="得分",
        )
    )
    points = {(c.get("data-series"), c.get("data-category")): c for c in root.findall(".//s:circle", NS)}
    assert ("自评", "2022年") not in points
    assert points[("自评", "2021年")].find("s:title", NS).text == "2021年 自评：92.25 分"  # type: ignore[union-attr]
    assert points[("复核", "2020年")].get("data-value") == "85.00"
    # higher values stand higher; equal values level
    y = {key: float(c.get("cy")) for key, c in points.items()}  # type: ignore[arg-type]
    assert y[("自评", "2021年")] < y[("自评", "2020年")] < y[("复核", "2020年")]
    assert y[("复核", "2020年")] == y[("复核", "2023年")]
    # the 自评 line is two runs (2020–2021 and 2023 alone draws no line); 复核 one
    runs = [p.get("points") for p in root.findall(".//s:polyline", NS) if p.get("data-series") == "自评"]
    assert len(runs) == 1 and len(runs[0].split()) == 2  # type: ignore[union-attr]
    # the axis spans the values, not 0–100, so that the difference shows
    labels = [t.text for t in root.findall(".//s:text[@class='chart-tick']", NS)]
    first, last = Decimal(labels[0]), Decimal(labels[-1])  # type: ignore[arg-type]
    assert 80 <= first <= 85 and Decimal("92.25") <= last <= 95


def test_every_label_is_escaped() -> None:
    hostile = "<script>&\"'"
    for draw in (stacked_bars, grouped_bars, lines):
        svg = draw([hostile], [Series(hostile, [Decimal(3)])], chart_id="x<&>", title=hostile)
        root = parse(svg)  # well-formed: nothing broke out of its element or attribute
        assert "<script>" not in svg
        assert "&lt;script&gt;&amp;" in svg
        assert root.find("s:title", NS).text == hostile  # type: ignore[union-attr]
        assert root.get("id") == "x<&>"


def test_the_output_is_the_same_every_time() -> None:
    def draw() -> str:
        return stacked_bars(["2022年", "2023年"], [Series("优", [3, 7]), Series("良", [2, 0])], chart_id="c", title="T")

    assert draw() == draw()


def test_no_data_draws_a_note_not_an_error() -> None:
    root = parse(lines(["2022年"], [Series("自评", [None])], chart_id="e", title="空"))
    assert "没有数据" in ET.tostring(root, encoding="unicode")
    assert parse(stacked_bars([], [], chart_id="e", title="空")).find("s:title", NS).text == "空"  # type: ignore[union-attr]


def test_it_refuses_what_a_bar_cannot_show() -> None:
    with pytest.raises(ValueError, match="负值"):
        stacked_bars(["2022年"], [Series("差距", [-1])], chart_id="c", title="T")
    with pytest.raises(ValueError, match="类别"):
        grouped_bars(["2022年", "2023年"], [Series("优", [1])], chart_id="c", title="T")


@pytest.mark.parametrize(
    ("span", "integral", "step"),
    [(Decimal(23), True, Decimal(5)), (Decimal(3), True, Decimal(1)), (Decimal("0.8"), False, Decimal("0.2")),
     (Decimal(1234), True, Decimal(250)), (Decimal("8.5"), False, Decimal(2))],
)  # fmt: skip
def test_steps_are_round(span: Decimal, integral: bool, step: Decimal) -> None:
    assert nice_step(span, 5, integral=integral) == step


def test_ticks_cover_the_values() -> None:
    assert ticks(Decimal("61.2"), Decimal("93.48")) == [Decimal(v) for v in (60, 70, 80, 90, 100)]
