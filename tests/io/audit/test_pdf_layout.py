"""A PDF page's layout from positions alone: lines by baseline, tables from ruling lines, merged cells by the
rules that are missing, and a page given up on (not guessed) where text straddles the rules."""

from jixiao.io.audit.readers.pdf_layout import Rule, Segment, lay_out, rules_from_boxes, text_lines


def seg(text: str, left: float, bottom: float, width: float | None = None, height: float = 10.0) -> Segment:
    return Segment(text, left, bottom, left + (width if width is not None else 10.0 * len(text)), bottom + height)


def grid(xs: list[float], ys: list[float]) -> list[Rule]:
    """Every rule of a plain grid: a horizontal rule at each y, a vertical one at each x."""
    return [Rule(True, y, xs[0], xs[-1]) for y in ys] + [Rule(False, x, min(ys), max(ys)) for x in xs]


def test_segments_on_one_baseline_are_one_line_and_lines_run_top_to_bottom():
    lines = text_lines([seg("第二行", 50, 680), seg("项目名称", 50, 700), seg("科普经费", 100, 701, height=9)])
    assert [(line.top, line.text, line.x0, line.x1) for line in lines] == [
        (710.0, "项目名称 科普经费", 50, 140),
        (690.0, "第二行", 50, 80),
    ]


def test_a_narrow_gap_is_no_space_and_a_run_drawn_twice_on_itself_is_read_once():
    assert [line.text for line in text_lines([seg("100", 50, 700, 15), seg("万元", 66, 700, 20)])] == ["100万元"]
    assert [line.text for line in text_lines([seg("自评", 50, 700, 20), seg("自评", 50.5, 700, 20)])] == ["自评"]


def test_thin_boxes_are_rules_and_a_rectangle_is_its_four_edges():
    rules = rules_from_boxes([(10, 99.5, 200, 100.5), (9.5, 50, 10.5, 150), (10, 50, 200, 150)])
    assert rules[0] == Rule(True, 100.0, 10, 200)
    assert rules[1] == Rule(False, 10.0, 50, 150)
    assert set(rules[2:]) == {
        Rule(True, 50, 10, 200),
        Rule(True, 150, 10, 200),
        Rule(False, 10, 50, 150),
        Rule(False, 200, 50, 150),
    }


def test_text_in_a_ruled_grid_becomes_a_table_with_each_text_in_its_cell_and_prose_stays_lines():
    rules = grid([50, 150, 250, 350], [600, 580, 560])
    page = lay_out(
        [
            seg("表1 资金情况", 50, 620),
            seg("全年预算数", 55, 585, 50),
            seg("全年执行数", 155, 585, 50),
            seg("执行率", 255, 585, 30),
            seg("153.00", 55, 565, 30),
            seg("100.00", 155, 565, 30),
            seg("65.36%", 255, 565, 30),
            seg("第1页", 180, 40),
        ],
        rules,
    )
    assert page.placed
    assert [t.cells for t in page.tables] == [[["全年预算数", "全年执行数", "执行率"], ["153.00", "100.00", "65.36%"]]]
    assert [line.text for line in page.lines] == ["表1 资金情况", "第1页"]


def test_a_cell_without_the_rule_between_it_and_its_neighbour_is_one_merged_cell_named_at_its_top_left():
    xs, ys = [50, 150, 250, 350], [600, 580, 560]
    rules = [
        Rule(True, 600, 50, 350),
        Rule(True, 580, 50, 350),
        Rule(True, 560, 50, 350),
        Rule(False, 50, 560, 600),
        Rule(False, 350, 560, 600),
        Rule(False, 150, 560, 600),
        Rule(False, 250, 560, 580),  # none in the top row between the 2nd and 3rd columns
    ]
    assert xs and ys
    page = lay_out([seg("项目名称", 55, 585, 40), seg("科普活动经费", 180, 585, 60), seg("a", 160, 565, 5)], rules)
    assert page.tables[0].cells == [["项目名称", "科普活动经费", ""], ["", "a", ""]]


def test_a_label_printed_once_for_rows_below_it_is_one_cell_down_the_merged_rows():
    rules = [
        Rule(True, 600, 50, 250),
        Rule(True, 580, 150, 250),  # only under the right-hand column: the left cell spans two rows
        Rule(True, 560, 50, 250),
        Rule(False, 50, 560, 600),
        Rule(False, 150, 560, 600),
        Rule(False, 250, 560, 600),
    ]
    page = lay_out([seg("产出指标", 55, 575, 40), seg("数量指标", 155, 585, 40), seg("质量指标", 155, 565, 40)], rules)
    assert page.tables[0].cells == [["产出指标", "数量指标"], ["", "质量指标"]]


def test_text_in_a_cell_on_two_lines_keeps_its_line_break():
    page = lay_out([seg("偏差原因", 55, 590, 40), seg("及改进措施", 55, 575, 50)], grid([50, 150], [600, 560]))
    assert page.tables[0].cells == [["偏差原因\n及改进措施"]]


def test_text_that_straddles_a_rule_is_not_placed_and_the_page_is_given_up_not_guessed():
    page = lay_out([seg("跨过两列的一段文字写在线上", 80, 585, 140)], grid([50, 150, 250], [600, 560]))
    assert not page.placed
    assert page.tables == []


def test_lines_that_do_not_cross_are_no_table():
    page = lay_out([seg("签名：", 50, 100, 30)], [Rule(True, 95, 80, 200), Rule(True, 60, 80, 200)])
    assert page.tables == []
    assert [line.text for line in page.lines] == ["签名："]


def test_words_far_apart_outside_any_rules_are_cells_of_a_table_drawn_without_rules():
    page = lay_out(
        [
            seg("全年预算数", 50, 700, 50),
            seg("全年执行数", 200, 700, 50),
            seg("执行率", 350, 700, 30),
            seg("153.00", 50, 680, 30),
            seg("100.00", 200, 680, 30),
            seg("65.36%", 350, 680, 30),
            seg("说明 文字", 50, 660, 50),
        ],
        [],
    )
    assert [(line.text, line.columns) for line in page.lines] == [
        ("全年预算数 | 全年执行数 | 执行率", True),
        ("153.00 | 100.00 | 65.36%", True),
        ("说明 文字", False),
    ]
