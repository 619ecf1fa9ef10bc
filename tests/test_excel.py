"""The Excel add-in under xlwings' remote engine: every button on the 2025 plan, checked against the CLI."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
import xlwings as xw

import xltools.excel as excel
from tests.conftest import seed_path
from tests.task_rows import task_rows
from tests.xlwings_book import book_from, plain, replay
from xltools.cli import main
from xltools.master.content import derived_tables, master_tables
from xltools.readers.master import load_master
from xltools.writers.xlwings_tables import SCRATCH, table_values

ROOT = Path(__file__).resolve().parents[1]
CONSOLE = {"控制台": [["督办台账控制台", None], ["运行结果", None]]}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The whole cycle once: master, forms, returns and a merged tracker."""
    out = tmp_path_factory.mktemp("excel-demo") / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    return out


def result_message(book) -> str:
    """What the button wrote beside 运行结果 on 控制台 (the first sheet)."""
    for action in book.json()["actions"]:
        if action["func"] == "setValues" and action["sheet_position"] == 0 and action["start_column"] == 1:
            return action["values"][0][0]
    return ""


def test_refresh_units_writes_what_the_cli_writes(master_2025):
    book = book_from(master_2025, CONSOLE)
    initial = [s.name for s in book.sheets]
    message = excel.refresh_units(book)
    assert message.startswith("已刷新") and result_message(book) == message
    names, written = replay(book, initial)
    expected = derived_tables(load_master(master_2025))
    for table in expected:
        assert plain(written[table.name]) == plain(table_values(table))
    start = names.index("分工统计")
    assert names[:start] == initial[:initial.index("分工统计")]  # where they stood, as the CLI's refresh puts them
    assert names[start:start + len(expected)] == [t.name for t in expected]
    assert len([n for n in names if n == "分工统计"]) == 1
    assert not [n for n in names if n.startswith(SCRATCH)]  # the formatted sheet the copies came from is gone


def test_calls_scale_with_sheets_not_cells(master_2025):
    book = book_from(master_2025, CONSOLE)
    excel.refresh_units(book)
    actions = Counter(a["func"] for a in book.json()["actions"])
    templates = actions["sheetDelete"] - len(derived_tables(load_master(master_2025)))  # scratch sheets
    sheets = actions["addSheet"] + actions["copySheet"] - templates
    assert sheets == len(derived_tables(load_master(master_2025)))
    assert actions["copySheet"] > 90  # the unit sheets are copies of one formatted sheet
    per_sheet = (sum(actions.values()) - 3) / sheets
    assert per_sheet < 6  # a fixed handful per sheet, whatever its number of rows
    assert actions["setValues"] == sheets + templates + 1  # one block per sheet, plus the result message


def test_import_plan_in_the_shipped_workbook(master_2025, tmp_path, monkeypatch):
    """The workbook from workbooks/build.py, its 方案文件 filled in, and the 导入方案 button."""
    from workbooks.build import build

    monkeypatch.chdir(tmp_path)
    template = build(tmp_path / "督办台账.xlsm", year=2025)
    shutil.copy(seed_path("001"), tmp_path / "2025年责任分解方案.docx.txt")
    book = book_from(template)
    cells = book.sheets["设置"].api["values"]  # what the clerk typed into 设置 before pressing the button
    for row in cells:
        if row[0] == "方案文件":
            row[1] = "2025年责任分解方案.docx.txt"
        if row[0] == "督查室":
            row[1] = "市政府督查室"
    initial = [s.name for s in book.sheets]
    message = excel.import_plan(book)
    assert "340 项任务" in message and result_message(book) == message
    names, written = replay(book, initial)
    cli = {t.name: t for t in master_tables(load_master(master_2025))}
    plan = "2025年市政府工作报告任务"
    assert plain(written[plan][3:]) == plain(table_values(cli[plan])[3:])
    settings_rows = {row[0]: row[1] for row in written["设置"][3:] if row and row[0]}
    assert settings_rows["督查室"] == "市政府督查室"  # the office's own setting is kept
    assert names[0] == "控制台" and "市发改委" in names and "xlwings.conf" in names


def test_make_forms_and_merge_returns(master_2025, demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = book_from(master_2025, CONSOLE)
    message = excel.make_forms(book)
    assert "已为 94 个单位生成附表" in message  # placeholders ("…成员单位", "相关区人民政府") get no forms
    assert len(list((tmp_path / "分发").glob("*.xlsx"))) == 95
    shutil.copytree(demo / "回收", tmp_path / "回收")
    book = book_from(demo / "督办台账.xlsx", CONSOLE)
    initial = [s.name for s in book.sheets]
    message = excel.merge_returns(book)
    assert message.startswith("读取") and "进展报告" in message
    names, written = replay(book, initial)
    assert {"总览", "汇总", "报送情况", "催报名单", "问题清单"} <= set(names)
    summary = written["汇总"]
    assert summary[2][-2:] == ["督办意见", "人工判定状态"]
    assert len(task_rows(summary[3:], key_at=1)) == 340 and len(summary) - 3 == 346  # and 6 分项 rows
    assert all(not (isinstance(v, str) and re.match(r"^[=+@]", v)) for row in summary for v in row)
    scoring = written["考核"]  # its scores reach Excel as formulas over the rule row
    assert scoring[4][12] == "=MAX(0,E5+J5-L5)" and scoring[3][4] == 40


def test_an_invalid_edit_is_a_message_not_a_traceback(master_2025, tmp_path):
    import openpyxl

    broken = tmp_path / "台账.xlsx"
    shutil.copy(master_2025, broken)
    wb = openpyxl.load_workbook(broken)
    wb["2025年市政府工作报告任务"]["G6"] = "市火星局"
    wb.save(broken)
    book = book_from(broken, CONSOLE)
    message = excel.refresh_units(book)
    assert "没有做任何修改" in message and "第 6 行" in message
    assert not [a for a in book.json()["actions"] if a["func"] in ("addSheet", "sheetDelete")]


def test_no_excel_gives_a_clear_message(monkeypatch, capsys):
    def no_excel():
        raise RuntimeError("no Excel")

    monkeypatch.setattr(xw.Book, "caller", staticmethod(no_excel))
    with pytest.raises(SystemExit) as stopped:  # under RunPython, xlwings shows stderr of a failed run
        excel.refresh_units()
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert "WPS" in message and "命令行" in message


def test_worksheet_functions(master_2025):
    assert excel.lead_count(str(master_2025), "市商务局") == 25  # 18 named + 7 naming no lead (notice's rule)
    assert excel.task_units(str(master_2025), "2025年市政府工作报告任务", "二-16").startswith("牵头：市商务局；责任：江汉区")
    # as Excel calls them: `caller` is the cell the formula is in (xw.func registers them on Windows)
    caller = SimpleNamespace(sheet=SimpleNamespace(book=SimpleNamespace(fullname=str(master_2025))))
    assert excel.XLT_LEAD_COUNT("市商务局", caller) == 25
    assert excel.XLT_TASK_UNITS("2025年市政府工作报告任务", "二-1", caller).startswith("牵头：市商务局")
    assert excel.XLT_TASK_STATUS("2025年市政府工作报告任务", "二-1", caller) == "未合并"
    assert excel.XLT_TASK_PROGRESS("2025年市政府工作报告任务", "二-1", caller) == ""


def test_worksheet_functions_after_a_merge(demo):
    caller = SimpleNamespace(sheet=SimpleNamespace(book=SimpleNamespace(fullname=str(demo / "督办台账.xlsx"))))
    rows = load_master(demo / "督办台账.xlsx").plans[0].tasks
    statuses = {excel.XLT_TASK_STATUS("2025年市政府工作报告任务", t.key, caller) for t in rows}
    assert statuses <= {"已完成", "序时推进", "滞后", "未报送"} and len(statuses) > 2
    progress = [excel.XLT_TASK_PROGRESS("2025年市政府工作报告任务", t.key, caller) for t in rows[:40]]
    assert any(progress)


def test_vba_buttons_call_entry_points_that_exist():
    source = (ROOT / "xltools" / "data" / "vba" / "xltools.bas").read_bytes()
    assert source.isascii()
    text = source.decode("ascii")
    calls = re.findall(r'RunPython "import xltools\.excel as x; x\.(\w+)\(\)"', text)
    subs = [s for s in re.findall(r"^Sub (\w+)\(\)", text, re.M) if s != "SelfTest"]  # SelfTest runs no Python
    assert len(calls) == len(subs) == 5
    for name in calls:
        assert callable(getattr(excel, name))
    assert text.count("End Sub") == len(subs) + 1
    assert dt.date.today()  # the module imports on any machine: no Excel needed to load it
