"""The master workbook (督办台账): master_2025 from seed 001, edited as a clerk would, refreshed."""

from __future__ import annotations

import shutil
from collections import Counter

import openpyxl
import pytest
from openpyxl.drawing.image import Image as XLImage

from tests.conftest import seed_path
from tests.office import convert
from tests.xlsx_checks import excel_problems
from xltools.cli import main
from xltools.errors import BadMaster, WouldLoseContent
from xltools.master.content import HEADER_ROW, STATS, UNIT_COLUMNS
from xltools.readers.master import load_master
from xltools.workflow import refresh_file

PLAN_SHEET = "2025年市政府工作报告任务"


@pytest.fixture
def book(master_2025, tmp_path):
    """A private copy of the master_2025 master to edit."""
    copy = tmp_path / "督办台账.xlsx"
    shutil.copy(master_2025, copy)
    return copy


def data_rows(ws):
    return [r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if any(v not in (None, "") for v in r)]


def unit_sheets(wb):
    return [ws for ws in wb.worksheets if str(ws["A1"].value or "").endswith("承担任务清单")]


def test_plan_sheet_holds_every_task(master_2025, seed):
    wb = openpyxl.load_workbook(master_2025)
    assert wb.sheetnames[:4] == ["说明", "设置", "单位名录", PLAN_SHEET]
    rows = data_rows(wb[PLAN_SHEET])
    assert len(rows) == 340
    header = [c.value for c in wb[PLAN_SHEET][HEADER_ROW]]
    assert header == ["编号", "部分", "章节", "主题", "责任事项", "牵头单位", "责任单位", "完成时限", "备注"]
    first = dict(zip(header, rows[0], strict=True))
    assert first["编号"] == "一-(一)" and first["牵头单位"] == "市发改委"
    assert first["责任单位"] == "各区人民政府、东湖高新区管委会、长江新区管委会、东湖风景区管委会"


def test_unit_sheets_list_every_assignment_exactly_once(master_2025, seed):
    wb = openpyxl.load_workbook(master_2025)
    expected = Counter()
    for task in seed("001").plans[0].tasks:
        for unit in task.all_units():
            expected[(task.key, unit, "牵头" if unit in task.lead else "责任")] += 1
    found = Counter()
    for ws in unit_sheets(wb):
        unit = ws["A1"].value.removesuffix(" 承担任务清单")
        for row in data_rows(ws):
            found[(row[1], unit, row[3])] += 1
    assert found == expected
    assert max(found.values()) == 1


def test_statistics_agree_with_unit_sheets(master_2025):
    wb = openpyxl.load_workbook(master_2025)
    stats = {row[0]: row for row in data_rows(wb[STATS])}
    sheets = unit_sheets(wb)
    assert len(stats) == len(sheets)
    for ws in sheets:
        unit = ws["A1"].value.removesuffix(" 承担任务清单")
        roles = Counter(row[3] for row in data_rows(ws))
        row = stats[unit]
        assert row[1] == ws.title
        assert (row[-3], row[-2], row[-1]) == (roles["牵头"], roles["责任"], roles["牵头"] + roles["责任"])


def test_sheet_order_and_names(master_2025):
    wb = openpyxl.load_workbook(master_2025)
    names = wb.sheetnames
    assert names.index(STATS) > names.index(PLAN_SHEET)
    units = [ws.title for ws in unit_sheets(wb)]
    assert names[-len(units):] == units  # units come last, in directory order
    assert units[:3] == ["市发改委", "市教育局", "市科技创新局"]
    assert "江岸区" in units  # the short name where the full one is long
    assert excel_problems(master_2025) == []


def test_office_look_and_print_setup(master_2025):
    wb = openpyxl.load_workbook(master_2025)
    ws = wb[PLAN_SHEET]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref.startswith("A3:")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth in (None, 1) and ws.sheet_properties.pageSetUpPr.fitToPage  # 1 is the default
    assert ws.print_title_rows == "$3:$3"
    assert "&P" in ws.oddFooter.center.text
    assert ws["A3"].font.name == "黑体" and ws["A3"].font.bold
    assert ws["E4"].font.name == "仿宋" and ws["E4"].alignment.wrap_text


def test_settings_come_from_the_notice(master_2025):
    master = load_master(master_2025)
    s = master.settings
    assert s.year == 2025 and s.office == "市人民政府督查室" and s.rule == "牵头单位报送"
    assert s.deadline(1).isoformat() == "2025-04-20" and s.deadline(4).isoformat() == "2026-01-20"
    assert (s.contact, s.phone) == ("徐小生", "82826016")


def test_build_does_not_overwrite_without_force(master_2025, book, capsys):
    assert main(["build", str(seed_path("001")), "--out", str(book)]) == 2
    assert "已经存在" in capsys.readouterr().err
    assert main(["build", str(seed_path("001")), "--out", str(book), "--force"]) == 0
    assert list((book.parent / "备份").glob("督办台账.*.xlsx"))


def _edit(path, change):
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def test_refresh_after_clerk_edits(book):
    def edit(wb):
        plan = wb[PLAN_SHEET]
        plan.insert_rows(5)  # a new task typed in the middle of the sheet
        for col, value in enumerate(["二-287", "二、十一个方面重点工作", "", "", "新增的一项任务。", "市商务局",
                                     "江岸区人民政府"], start=1):
            plan.cell(row=5, column=col, value=value)
        for row in plan.iter_rows(min_row=4):
            if row[0].value == "二-1":
                row[5].value = "市发展改革委"  # lead corrected, written with the old name
        ws = next(w for w in wb.worksheets if w.title == "市商务局")
        ws.cell(row=HEADER_ROW, column=len(UNIT_COLUMNS) + 1, value="督办意见")
        for row in ws.iter_rows(min_row=HEADER_ROW + 1):
            if row[1].value == "二-2":
                ws.cell(row=row[0].row, column=len(UNIT_COLUMNS) + 1, value="进度偏慢，月底前约谈")
        wb.create_sheet("我的备忘")["A1"] = "自己的表"

    _edit(book, edit)
    refresh_file(book)
    wb = openpyxl.load_workbook(book)
    commerce = {row[1]: row for row in data_rows(wb["市商务局"])}
    assert commerce["二-287"][3] == "牵头"
    assert "二-1" not in commerce  # it led 二-1 and nothing else there: the lead is now 市发改委
    assert commerce["二-2"][len(UNIT_COLUMNS)] == "进度偏慢，月底前约谈"  # staff column kept on its task
    assert wb["市商务局"].cell(row=HEADER_ROW, column=len(UNIT_COLUMNS) + 1).value == "督办意见"
    assert {row[1]: row for row in data_rows(wb["市发改委"])}["二-1"][3] == "牵头"
    assert "二-287" in {row[1] for row in data_rows(wb["江岸区"])}
    assert wb["我的备忘"]["A1"].value == "自己的表"
    assert len(data_rows(wb[PLAN_SHEET])) == 341
    assert list((book.parent / "备份").glob("*.xlsx"))


def test_refresh_picks_up_a_unit_added_to_the_directory(book):
    def edit(wb):
        wb["单位名录"].append(["市火星开发局", "火星局", "市火星局", "市政府部门", "", ""])
        plan = wb[PLAN_SHEET]
        plan.cell(row=HEADER_ROW + 3, column=7).value = "市火星局"

    _edit(book, edit)
    refresh_file(book)
    wb = openpyxl.load_workbook(book)
    assert "火星局" in wb.sheetnames
    assert [row[1] for row in data_rows(wb["火星局"])] == ["一-(三)"]


def test_a_new_member_of_a_group_gets_the_group_s_tasks(book):
    _edit(book, lambda wb: wb["单位名录"].append(["市火星开发局", "火星局", "", "市政府部门", "市人民政府各部门", ""]))
    refresh_file(book)
    keys = [row[1] for row in data_rows(openpyxl.load_workbook(book)["火星局"])]
    assert "三-2" in keys and len(keys) == 9  # every task of 市人民政府各部门


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("G6", "市火星局", "不在单位名录中"),
        ("A6", "一-(一)", "重复"),
        ("E6", None, "是空的"),
    ],
)
def test_invalid_edits_are_reported_and_nothing_changes(book, cell, value, message):
    _edit(book, lambda wb: wb[PLAN_SHEET].__setitem__(cell, value))
    before = book.read_bytes()
    with pytest.raises(BadMaster) as error:
        refresh_file(book)
    problem = error.value.problems[0]
    assert problem.sheet == PLAN_SHEET and problem.row == 6 and message in problem.message
    assert book.read_bytes() == before
    assert not (book.parent / "备份").exists()


def test_refuses_to_rebuild_a_unit_sheet_holding_a_picture(book, tmp_path):
    from PIL import Image

    png = tmp_path / "logo.png"
    Image.new("RGB", (4, 4), "red").save(png)
    _edit(book, lambda wb: wb["市商务局"].add_image(XLImage(str(png)), "J2"))
    before = book.read_bytes()
    with pytest.raises(WouldLoseContent, match="市商务局.*图片1处"):
        refresh_file(book)
    assert book.read_bytes() == before


def test_opens_in_libreoffice_and_survives_its_save(master_2025, tmp_path):
    saved = convert(master_2025, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    master = load_master(saved)
    assert len(master.plans[0].tasks) == 340
    assert master.settings.deadline(2).isoformat() == "2025-07-20"
    pdf = convert(master_2025, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 10_000
