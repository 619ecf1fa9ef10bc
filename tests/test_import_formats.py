"""The same plan arrives as GBK text, UTF-16, Word, a web page, a traditional-character
copy or with damaged lines: the import must find the same tasks and units."""

from __future__ import annotations

import io

import docx
import opencc
import pytest

from tests.conftest import seed_path
from xltools.errors import BadFile
from xltools.parse import parse_document
from xltools.readers.document import read_document
from xltools.text import repair_mojibake


def signature(result):
    return [(t.key, t.lead, sorted(t.units)) for p in result.plans for t in p.tasks]


@pytest.fixture(scope="module")
def seed004_text():
    return seed_path("004").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_in_any_common_encoding(tmp_path, units, seed, seed004_text, encoding):
    path = tmp_path / "方案.txt"
    path.write_bytes(seed004_text.encode(encoding))
    result = parse_document(read_document(path), units)
    assert signature(result) == signature(seed("004"))


def test_gbk_with_crlf_and_markdown(tmp_path, units, seed004_text):
    text = seed004_text.replace("\n1.", "\n- 1.").replace("\n2.", "\n* 2.")
    path = tmp_path / "方案.md"
    path.write_bytes(text.replace("\n", "\r\n").encode("gbk", errors="replace"))
    plan = parse_document(read_document(path), units).plans[0]
    assert len(plan.tasks) == 25
    assert plan.task("2").lead == ["市扶贫开发办"]


def test_word_document_with_paragraphs(tmp_path, units, seed, seed004_text):
    document = docx.Document()
    for line in seed004_text.split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "方案.docx"
    document.save(path)
    result = parse_document(read_document(path), units)
    assert signature(result) == signature(seed("004"))


def test_word_document_with_a_table_plan(tmp_path, units, seed):
    lines = seed_path("003").read_text(encoding="utf-8").split("\n")
    document = docx.Document()
    document.add_paragraph("省人民政府重点工作清单武汉市责任分解方案")
    table = document.add_table(rows=0, cols=6)
    for line in lines:
        if line.count("\t") >= 5:
            cells = table.add_row().cells
            for cell, value in zip(cells, line.split("\t")[:6], strict=False):
                cell.text = value
    path = tmp_path / "表格方案.docx"
    document.save(path)
    plan = parse_document(read_document(path), units).plans[0]
    expected = seed("003").plans[0]
    found = {t.key: t for t in plan.tasks}
    assert len(plan.tasks) >= len(expected.tasks) - 2
    task = found["一-(一)-1-(1)"]
    assert task.lead == ["市发改委", "市经信局"]
    assert task.deadline == "2018年6月出台政策，2020年12月完成"


def test_web_page_in_traditional_characters(tmp_path, units, seed):
    """A portal's 繁體 view saved as .html in Big5."""
    simplified = seed_path("001").read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(simplified)
    body = "".join(f"<p>{line}</p>\n" for line in traditional.split("\n"))
    html = f'<html><head><meta charset="utf-8"><title>方案</title></head><body><div>{body}</div></body></html>'
    path = tmp_path / "方案.html"
    path.write_text(html, encoding="utf-8")
    result = parse_document(read_document(path), units)
    assert signature(result) == signature(seed("001"))
    task = result.plans[0].task("二-1")
    assert task.text == "加快创建国际消费中心城市。"
    assert "國際" in task.original_text  # the text as written is kept
    assert any("繁体" in w.message for w in result.warnings)


def test_web_page_table_plan(tmp_path, units):
    html = """<html><body><h1>某某工作清单责任分解方案</h1><table>
    <tr><th>重点工作</th><th>主要任务</th><th>工作措施</th><th>牵头单位</th><th>责任单位</th><th>完成时限</th></tr>
    <tr><td rowspan="2">一、推动发展</td><td rowspan="2">（一）扩大消费</td><td>1. 建设国际消费中心城市。</td>
        <td rowspan="2">市商务局</td><td>市发改委、各中心城区人民政府</td><td rowspan="2">2025年12月</td></tr>
    <tr><td>2. 新增便利店200家。</td><td>江岸、江汉区人民政府</td></tr>
    <tr><td></td><td></td><td>3. 培育夜间消费街区。</td><td></td><td>武昌区人民政府</td><td></td></tr>
    </table></body></html>"""
    path = tmp_path / "清单.htm"
    path.write_text(html, encoding="gb18030")
    plan = parse_document(read_document(path), units).plans[0]
    assert [t.key for t in plan.tasks] == ["一-(一)-1", "一-(一)-2", "一-(一)-3"]
    second, third = plan.tasks[1], plan.tasks[2]
    assert second.assignment.lead == ["市商务局"]  # a cell spanning two rows (rowspan) continues
    assert second.assignment.units == ["江岸区人民政府", "江汉区人民政府"]
    assert second.deadline == "2025年12月"
    assert third.assignment.lead == [] and third.deadline == ""  # a blank cell of a web table is blank


def test_lines_damaged_by_a_wrong_charset(units, seed004_text):
    from xltools.model import Document, SourceLine

    lines = seed004_text.split("\n")
    target = next(i for i, line in enumerate(lines) if line.startswith("9."))
    lines[target] = lines[target].encode("utf-8").decode("latin-1")  # recoverable
    other = next(i for i, line in enumerate(lines) if line.startswith("13."))
    lines[other] = lines[other].replace("市市场监管局", "市市场\ufffd管局")  # lost bytes
    doc = Document("乱码.txt", [SourceLine(i + 1, line) for i, line in enumerate(lines)])
    result = parse_document(doc, units)
    plan = result.plans[0]
    assert len(plan.tasks) == 25
    assert plan.task("9").lead == ["市水务局"]
    assert "市市场监管局" in plan.task("13").units  # matched through the directory
    messages = " ".join(w.message for w in result.warnings)
    assert "已按 UTF-8 还原" in messages
    assert "按单位名录识别为“市市场监管局”" in messages


def test_repair_mojibake_only_touches_mojibake():
    text = "市人民政府办公厅关于印发2020年市"
    assert repair_mojibake(text.encode("utf-8").decode("gb18030")) == text
    assert repair_mojibake(text) is None
    assert repair_mojibake("plain ascii") is None


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("空.txt", b"  \n\n", "空文件"),
        ("图片.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "是图片"),
        ("程序.txt", b"\x7fELF\x02\x01\x01" + bytes(300) + b"\x01\x02" * 100, "不是文本或文档"),
        ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "另存为 .docx"),
        ("坏.docx", b"PK\x03\x04broken", "已损坏"),
        ("压缩包.zip", None, "压缩包"),
    ],
)
def test_unreadable_files_get_a_clear_message(tmp_path, name, content, expected):
    path = tmp_path / name
    if content is None:
        import zipfile

        with zipfile.ZipFile(path, "w") as z:
            z.writestr("a.txt", "x")
    else:
        path.write_bytes(content)
    with pytest.raises(BadFile, match=expected):
        read_document(path)


def test_missing_file(tmp_path):
    with pytest.raises(BadFile, match="找不到文件"):
        read_document(tmp_path / "没有.txt")


def test_scanned_pdf_without_text(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(BadFile, match="扫描版 PDF"):
        read_document(path)


def test_traditional_copy_with_damaged_characters(units, seed):
    """The other kind of real copy: a portal's 繁體 view where 1% of the characters were lost to a charset."""
    import random

    from xltools.model import Document, SourceLine

    traditional = opencc.OpenCC("s2t").convert(seed_path("001").read_text(encoding="utf-8"))
    rng = random.Random(7)
    damaged = "".join("\ufffd" if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.01 else ch for ch in traditional)
    lines = damaged.split("\n")
    result = parse_document(Document("網頁.html", [SourceLine(i + 1, t) for i, t in enumerate(lines)]), units)
    plan = result.plans[0]
    expected = seed("001").plans[0]
    assert [t.key for t in plan.tasks] == [t.key for t in expected.tasks]  # no task lost
    same = [a.key for a, b in zip(expected.tasks, plan.tasks, strict=True)
            if (a.lead, sorted(a.units)) == (b.lead, sorted(b.units))]
    assert len(same) >= 0.95 * len(expected.tasks)
    flagged = {w.line for w in result.warnings}
    for a, b in zip(expected.tasks, plan.tasks, strict=True):
        if a.key not in same:  # every task whose units differ was on a line reported as damaged
            assert any(b.source_lines[0] <= line <= b.source_lines[1] for line in flagged), a.key
