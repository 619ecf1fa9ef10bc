"""A hostile plan document is refused or read within bounds, with a message a clerk can act on (issue 14)."""

from __future__ import annotations

import io
import resource
import zipfile

import docx
import openpyxl
import pytest

from tests.conftest import directory
from xltools.errors import BadFile
from xltools.model import Document, SourceLine
from xltools.parse import WARNINGS_PER_KIND, parse_document
from xltools.readers.document import read_document


def test_a_word_bomb_is_refused_before_it_is_opened(tmp_path):
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    bomb = tmp_path / "方案.docx"
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as good, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in good.infolist():
            data = good.read(item)
            if item.filename == "word/document.xml":  # a paragraph repeated 30 MB long: a ~100 KB file
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 1_000_000)
            out.writestr(item, data)
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(BadFile, match="压缩炸弹"):
        read_document(bomb)


def test_a_spreadsheet_plan_with_a_cell_at_xfd1048576_is_read_within_bounds(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["编号", "责任事项", "牵头单位"])
    wb.active.append([1, "做好一件事。", "市发改委"])
    plain = io.BytesIO()
    wb.save(plain)
    far = tmp_path / "方案.xlsx"
    with zipfile.ZipFile(plain) as good, zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as out:
        for item in good.infolist():
            data = good.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t>'
                                                      b"</is></c></row></sheetData>")
            out.writestr(item, data)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    document = read_document(far)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 300 * 1024  # KB: no whole-grid allocation
    assert document.lines[1].cells[:3] == ["1", "做好一件事。", "市发改委"]
    assert max(len(line.cells) for line in document.lines) <= 40


def test_a_text_far_longer_than_any_plan_is_refused(tmp_path):
    huge = tmp_path / "方案.txt"
    huge.write_text("1.做好一件事。（牵头单位：市发改委）\n" * 300_000, encoding="utf-8")
    with pytest.raises(BadFile, match="不像是方案文件"):
        read_document(huge)


def test_tags_nested_thousands_deep_still_give_the_text(tmp_path):
    page = tmp_path / "方案.html"
    page.write_text("<html><body>" + "<div>" * 50_000 + "1.做好一件事。（牵头单位：市发改委）" + "</div>" * 50_000
                    + "</body></html>", encoding="utf-8")
    document = read_document(page)
    assert any("做好一件事" in line.text for line in document.lines)


def test_warnings_are_capped_per_kind():
    lines = ["2025年市《政府工作报告》目标任务责任分解方案", "二、重点工作"]
    lines += [f"{n}.做好第{n}件事。（牵头单位：市发改委" for n in range(1, 600)]  # every clause left open
    doc = Document("方案.txt", [SourceLine(i + 1, text) for i, text in enumerate(lines)])
    warnings = [w.message for w in parse_document(doc, directory()).warnings]
    unclosed = [m for m in warnings if m.startswith("任务") and "没有闭合" in m]
    assert len(unclosed) == WARNINGS_PER_KIND
    assert any(m.startswith("同类提示还有 399 条未列出") for m in warnings)
