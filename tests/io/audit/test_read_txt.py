"""Plain text in the encodings units send: utf-8 (with or without BOM), GB18030/GBK, utf-16 with BOM."""

from __future__ import annotations

import pytest

from jixiao.core.audit.source import Place
from jixiao.io.audit import UnreadableDocument, read_source

TEXT = "项目名称：科普专项经费\r\n\r\n预算 153 万元\r\n  \r\n执行率 96.9%\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_lines_keep_their_numbers(tmp_path, encoding):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(TEXT.encode(encoding))
    source = read_source(path)
    assert source.format == "txt"
    assert [(line.text, line.place) for line in source.lines] == [
        ("项目名称：科普专项经费", Place(line=1)),
        ("预算 153 万元", Place(line=3)),
        ("执行率 96.9%", Place(line=5)),
    ]
    assert source.order == [("line", 0), ("line", 1), ("line", 2)]
    assert source.tables == [] and source.pages is None


def test_old_mac_line_ends(tmp_path):
    path = tmp_path / "cr.TXT"
    path.write_bytes("甲\r乙".encode())
    assert [line.place.line for line in read_source(path).lines] == [1, 2]


def test_binary_named_txt(tmp_path):
    path = tmp_path / "数据.txt"
    path.write_bytes(b"\x00\x01\x02abc\x00")
    with pytest.raises(UnreadableDocument, match="不是有效的文本文件") as caught:
        read_source(path)
    assert str(path) in str(caught.value)
