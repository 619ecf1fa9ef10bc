"""The whole cycle (`xltools demo`), the dashboard, reminders and the Word reports."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from collections import Counter

import docx
import openpyxl
import pytest

from tests.office import convert
from tests.task_rows import task_rows
from xltools.cli import main
from xltools.vocab import BEHIND, DONE, STATUSES
from xltools.workflow import merge


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "演示输出"
    assert main(["demo", "--out", str(out)]) == 0
    return out


def rows(ws, first=4):
    return [r for r in ws.iter_rows(min_row=first, values_only=True) if any(v not in (None, "") for v in r)]


def statuses(tracker):
    ws = openpyxl.load_workbook(tracker)["汇总"]
    header = [c.value for c in ws[3]]
    return [r[header.index("当前状态")] for r in task_rows(rows(ws), key_at=1)], ws, header


def dashboard_blocks(tracker):
    ws = openpyxl.load_workbook(tracker)["总览"]
    blocks, current = {}, None
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] and row[1] is None:
            current = blocks.setdefault(row[0], [])
        elif row[0] and current is not None:
            current.append(row)
    return blocks


def test_demo_writes_every_deliverable(demo):
    names = {p.name for p in demo.iterdir()}
    assert {"督办台账.xlsx", "汇总台账.xlsx", "分发", "回收", "方案.json"} <= names
    assert any(n.endswith("任务进展情况.docx") for n in names)
    assert any(n.endswith("滞后任务清单（内部）.docx") for n in names)


def test_dashboard_agrees_with_the_tracker(demo):
    tracker = demo / "汇总台账.xlsx"
    states, _, _ = statuses(tracker)
    blocks = dashboard_blocks(tracker)
    overall = blocks["总体情况"][1]  # [0] is the header row
    counts = Counter(states)
    assert list(overall[1:5]) == [counts[s] for s in STATUSES] and overall[5] == len(states)
    parts = blocks["按部分"][1:]
    assert sum(r[5] for r in parts) == len(states)
    assert sum(r[1] for r in parts) == counts[DONE]
    report_rows = {r[0]: r for r in rows(openpyxl.load_workbook(tracker)["报送情况"]) if not str(r[0]).startswith("合计")}
    q1 = blocks["报送情况"][1:][2]  # 附表1, 附表2, 第一季度附表3
    assert q1[0] == "第一季度附表3"
    assert q1[2] == sum(1 for r in report_rows.values() if r[3] == "已报")
    assert q1[4] == sum(1 for r in report_rows.values() if r[3] == "未报")


def test_charts_exist_and_status_is_coloured(demo, tmp_path):
    tracker = demo / "汇总台账.xlsx"
    with zipfile.ZipFile(tracker) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3
    ws = openpyxl.load_workbook(tracker)["汇总"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert any('"滞后"' in (r.formula or [""])[0] for r in rules)
    pdf = convert(tracker, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 20_000


def test_reminders_have_a_message_to_copy(demo):
    ws = openpyxl.load_workbook(demo / "汇总台账.xlsx")["催报名单"]
    found = rows(ws)
    header = [c.value for c in ws[3]]
    case, message = header.index("情况"), header.index("催报短信")
    assert found and all(r[case] in r[message] and "督查室" in r[message] for r in found)
    cases = {r[case] for r in found}  # what each unit sent, said in its reminder: the demo has all of these
    assert any(c.endswith("仍未收到") for c in cases) and any("是空表" in c for c in cases)
    assert any("无法使用（这是 Word 文档" in c for c in cases)


def pdf_pages(path, tmp_path) -> list[str]:
    pdf = convert(path, "pdf", tmp_path / "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def printed(demo, tmp_path_factory):
    """The report as LibreOffice prints it: the text of each page."""
    return pdf_pages(next(demo.glob("*任务进展情况.docx")), tmp_path_factory.mktemp("report"))


def test_report_is_a_report_not_a_list(demo, printed):
    states, _, _ = statuses(demo / "汇总台账.xlsx")
    numbers = [re.findall(r"—\s*(\d+)\s*—", page) for page in printed]
    assert [found[-1] for found in numbers] == [str(i) for i in range(1, len(printed) + 1)]  # page numbers
    body = "".join(printed)
    at = [body.index(head) for head in ("一、总体情况", "二、主要进展", "三、存在问题", "四、下步工作", "附件：")]
    assert at == sorted(at)
    paragraphs = [p.text for p in docx.Document(next(demo.glob("*任务进展情况.docx"))).paragraphs]
    assert paragraphs[0].startswith("2025年市《政府工作报告》目标任务一季度进展情况")
    overall = next(p for p in paragraphs if p.startswith("2025年市《政府工作报告》确定的目标任务共"))
    counts = Counter(states)
    assert f"共{len(states)}项" in overall and all(f"{s}{counts[s]}项" in overall for s in STATUSES)
    first_annex = next(i for i, page in enumerate(printed) if page.lstrip().startswith("附件"))
    assert first_annex <= 15 < len(printed)  # the body is short, every task is in the 附件
    for garbage in ("=cmd", "calc'", "+1+1", "@SUM", "HYPERLINK"):  # what the demo's returns inject
        assert garbage not in body


def test_lagging_tasks_name_their_lagging_units(demo):
    tracker = openpyxl.load_workbook(demo / "汇总台账.xlsx")["汇总"]
    header = [c.value for c in tracker[3]]
    leads = {r[header.index("编号")]: r[header.index("牵头单位")] for r in rows(tracker)}
    states, _, _ = statuses(demo / "汇总台账.xlsx")
    document = docx.Document(next(demo.glob("*任务进展情况.docx")))
    problems = next(t for t in document.tables if t.rows[0].cells[3].text == "滞后单位")
    lagging = {row.cells[0].text: (row.cells[3].text, row.cells[4].text) for row in problems.rows[1:]}
    assert len(lagging) == Counter(states)[BEHIND]
    for key, (units, words) in lagging.items():
        assert units and words, key
        if "、" not in leads[key]:
            assert units == leads[key]
    internal = docx.Document(next(demo.glob("*滞后任务清单（内部）.docx")))
    assert [row.cells[0].text for row in internal.tables[0].rows[1:]] == list(lagging)


def test_staff_override_wins_and_survives(demo, tmp_path):
    tracker = tmp_path / "汇总台账.xlsx"
    book = demo / "督办台账.xlsx"
    today = dt.date(2025, 4, 30)
    merge(book, [str(demo / "回收")], 1, tracker, today=today)
    states, ws, header = statuses(tracker)
    target = next(i for i, s in enumerate(states) if s != DONE)
    wb = openpyxl.load_workbook(tracker)
    ws = wb["汇总"]
    ws.cell(row=4 + target, column=header.index("人工判定状态") + 1, value=DONE)
    wb.save(tracker)
    merge(book, [str(demo / "回收")], 1, tracker, today=today)
    after, _, _ = statuses(tracker)
    assert after[target] == DONE
    assert Counter(after)[DONE] == Counter(states)[DONE] + 1
    assert dashboard_blocks(tracker)["总体情况"][1][1] == Counter(after)[DONE]
