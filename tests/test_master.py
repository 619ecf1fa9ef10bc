"""The master workbook (督办台账): master_2025 from seed 001, edited as a clerk would, refreshed."""

from __future__ import annotations

import re
import shutil
from collections import Counter

import openpyxl
import pytest
from openpyxl.drawing.image import Image as XLImage

from tests.conftest import seed_path
from tests.office import convert
from tests.task_rows import task_rows
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
    assert len(task_rows(rows)) == 340
    assert [r[0] for r in rows if r[0] not in {t.key for t in seed("001").plans[0].tasks}] == [
        "二-80-1", "二-80-2", "二-80-3", "二-103-1", "二-103-2", "二-103-3"]  # 分项, each under its task
    header = [c.value for c in wb[PLAN_SHEET][HEADER_ROW]]
    assert header == ["编号", "部分", "章节", "主题", "责任事项", "牵头单位", "责任单位", "完成时限", "备注"]
    first = dict(zip(header, rows[0], strict=True))
    assert first["编号"] == "一-(一)" and first["牵头单位"] == "市发改委"
    assert first["责任单位"] == "各区人民政府〈含开发区、长江新区、风景区管委会〉"  # the clause's own words


def test_unit_sheets_list_every_assignment_exactly_once(master_2025, seed):
    wb = openpyxl.load_workbook(master_2025)
    expected = Counter()
    for task in seed("001").plans[0].tasks:
        for work in task.work():  # the task, or each of its 分项 (二-80-1 …)
            for unit in work.all_units():
                expected[(work.key, unit, "牵头" if unit in work.lead else "责任")] += 1
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
        tasks: dict[str, str] = {}  # a task counts once: 牵头 when the unit leads it or one of its 分项
        for row in data_rows(ws):
            key = re.sub(r"^(二-(?:80|103))-\d$", r"\1", row[1])
            tasks[key] = "牵头" if "牵头" in (row[3], tasks.get(key)) else row[3]
        roles = Counter(tasks.values())
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


def add_to_directory(wb, **cells):
    """A row typed into 单位名录 under the headers named (单位名称=…, 类别=…)."""
    ws = wb["单位名录"]
    header = [c.value for c in ws[HEADER_ROW]]
    ws.append([cells.get(name, "") for name in header])


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
    assert len(task_rows(data_rows(wb[PLAN_SHEET]))) == 341
    assert list((book.parent / "备份").glob("*.xlsx"))


def test_refresh_picks_up_a_unit_added_to_the_directory(book):
    def edit(wb):
        add_to_directory(wb, 单位名称="市火星开发局", 简称="火星局", 别名="市火星局", 类别="市政府部门")
        plan = wb[PLAN_SHEET]
        plan.cell(row=HEADER_ROW + 3, column=7).value = "市火星局"

    _edit(book, edit)
    refresh_file(book)
    wb = openpyxl.load_workbook(book)
    assert "火星局" in wb.sheetnames
    assert [row[1] for row in data_rows(wb["火星局"])] == ["一-(三)"]


def test_a_new_member_of_a_group_gets_the_group_s_tasks(book):
    _edit(book, lambda wb: add_to_directory(wb, 单位名称="市火星开发局", 简称="火星局", 类别="市政府部门",
                                            所属分组="市人民政府各部门"))
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


# -- the plan as the document says it (issue 13) ------------------------------------------------

PLACEHOLDERS_2025 = {
    "市城市数字公共基础设施建设工作领导小组成员单位": "二-69、二-93、二-156",
    "相关区人民政府": "二-82",
    "市“无废城市”建设工作领导小组成员单位": "二-197",
    "市儿童友好城市建设工作领导小组成员单位": "二-258",
}


def plan_rows(wb, sheet=PLAN_SHEET):
    ws = wb[sheet]
    header = [c.value for c in ws[HEADER_ROW]]
    return {row[0]: dict(zip(header, row, strict=False)) for row in data_rows(ws)}


def test_placeholders_stay_on_their_tasks_and_get_no_sheet(master_2025):
    wb = openpyxl.load_workbook(master_2025)
    rows = plan_rows(wb)
    assert rows["二-82"]["责任单位"] == "市经信局、市科技创新局、相关区人民政府"
    assert rows["二-197"]["牵头单位"] == "市“无废城市”建设工作领导小组办公室〈市生态环境局〉"
    titles = {ws["A1"].value.removesuffix(" 承担任务清单") for ws in unit_sheets(wb)}
    stats = {row[0] for row in data_rows(wb[STATS])}
    notes = [row[2] for row in data_rows(wb["导入提示"]) if "需指定具体单位" in row[2]]
    for phrase, tasks in PLACEHOLDERS_2025.items():
        assert phrase not in titles and phrase not in stats
        assert sum(f"“{phrase}”" in n and f"（任务 {tasks}）" in n for n in notes) == 1
    assert len(notes) == len(PLACEHOLDERS_2025)
    data_office = {row[1]: row for row in data_rows(wb["市数据局"])}
    assert data_office["二-69"][5] == "市数据局、市城市数字公共基础设施建设工作领导小组成员单位"  # shown, not a unit


def test_units_in_the_clause_s_order_and_words(master_2025):
    rows = plan_rows(openpyxl.load_workbook(master_2025))
    assert rows["二-1"]["责任单位"] == "市发改委、市卫健委、市文旅局、各区人民政府〈含开发区、长江新区、风景区管委会〉"
    assert rows["三-1"]["牵头单位"] is None and rows["三-1"]["责任单位"].startswith("市人民政府各部门、各区人民政府")
    assert "PM2.5平均浓度" in rows["二-194"]["责任事项"]
    assert rows["二-17"]["责任事项"] == "培育“领跑者”企业50家。"
    assert not any('"' in str(v) for row in rows.values() for v in row.values() if v)


def test_the_plan_sheet_reads_back_as_imported(master_2025, seed):
    imported = seed("001").plans[0].tasks
    loaded = load_master(master_2025).plans[0].tasks
    assert [(t.key, t.lead, t.units, [m.text for m in t.assignment.placeholders]) for t in loaded] == [
        (t.key, t.lead, t.units, [m.text for m in t.assignment.placeholders]) for t in imported]


def test_a_task_without_a_lead_is_led_by_its_units_on_the_unit_sheets(master_2025, seed):
    wb = openpyxl.load_workbook(master_2025)
    education = {row[1]: row for row in data_rows(wb["市教育局"])}
    assert education["三-1"][3] == "牵头"  # 三-1 names only 责任单位: 市人民政府各部门 and 各区人民政府
    assert education["三-1"][4].startswith("市人民政府各部门") and education["三-1"][5] is None
    stats = {row[0]: row for row in data_rows(wb[STATS])}
    plan = seed("001").plans[0]
    assert stats["市发改委"][-3] == sum("市发改委" in t.lead for t in plan.tasks) == 46  # 34 named as 牵头 + 12


def test_lead_counts_agree_in_master_tracker_and_report(master_2025, tmp_path):
    """分工统计 (master), 按牵头单位 (tracker's 总览) and the quarter's report count the same leads."""
    import datetime as dt
    import re

    import docx

    from xltools.demo.simulate import simulate
    from xltools.readers.forms import read_identity
    from xltools.workflow import merge

    assert main(["templates", str(master_2025), "--out", str(tmp_path / "分发"), "--quarter", "1"]) == 0
    files = [p for p in sorted((tmp_path / "分发").glob("*.xlsx")) if p.name != "分发清单.xlsx"]
    assert not [p.name for p in files if any(phrase in p.name for phrase in PLACEHOLDERS_2025)]
    simulate([(read_identity(p).unit, p) for p in files], tmp_path / "回收", dt.datetime(2025, 4, 20, 18))
    merged = merge(master_2025, [str(tmp_path / "回收")], 1, tmp_path / "汇总台账.xlsx", today=dt.date(2025, 5, 1))
    ws = openpyxl.load_workbook(master_2025)[STATS]
    header = [c.value for c in ws[HEADER_ROW]]
    in_master = {row[0]: row[header.index("合计牵头")] for row in data_rows(ws) if row[header.index("合计牵头")]}
    block = next(b for b in merged.tracker.dashboard.blocks if b.title == "按牵头单位")
    in_tracker = {row[0]: row[block.header.index("合计")] for row in block.rows}
    loaded = load_master(master_2025)
    keys = {t.key for t in loaded.plans[0].tasks}
    report = docx.Document(str(merged.reports[0]))
    leads = {}  # task → its 牵头单位 as the report prints them: in the task table, or after each task's text
    for table in report.tables:
        header = [c.text for c in table.rows[0].cells]
        if "编号" in header and "牵头单位" in header:
            leads.update((row.cells[header.index("编号")].text, row.cells[header.index("牵头单位")].text)
                         for row in table.rows[1:] if row.cells[header.index("编号")].text in keys)
    if not leads:
        leads = dict(enumerate(m.group(1) for p in report.paragraphs if (m := re.search(r"（牵头单位：([^）]*)）$", p.text))))
    directory = loaded.directory  # a report may write a group for all its members
    in_report = Counter(u for cell in leads.values() if cell for name in cell.split("、")
                        for u in directory.members(name) or [name])
    assert in_master == in_tracker == dict(in_report)
    assert in_master["市发改委"] == 46
    reporting = {row[0] for row in openpyxl.load_workbook(merged.out)["报送情况"].iter_rows(values_only=True)}
    assert not reporting & set(PLACEHOLDERS_2025)  # no placeholder in 报送率 or 催报


def test_a_placeholder_resolved_by_the_clerk_gets_its_units_on_refresh(book):
    def edit(wb):
        plan = wb[PLAN_SHEET]
        for row in plan.iter_rows(min_row=HEADER_ROW + 1):
            if row[0].value == "二-82":
                row[6].value = "市经信局、市科技创新局、江岸区人民政府"  # named in the plan sheet
        add_to_directory(wb, 单位名称="市火星开发局", 简称="火星局", 类别="市政府部门",  # or as a group's member
                         所属分组="市儿童友好城市建设工作领导小组成员单位")

    _edit(book, edit)
    refresh_file(book)
    wb = openpyxl.load_workbook(book)
    assert "二-82" in {row[1] for row in data_rows(wb["江岸区"])}
    assert [row[1] for row in data_rows(wb["火星局"])] == ["二-258"]


def test_an_old_ledger_without_the_new_directory_columns_still_reads(book):
    def drop(wb):
        ws = wb["单位名录"]
        header = [c.value for c in ws[HEADER_ROW]]
        for name in ("终止年度", "起始年度", "曾用名"):
            ws.delete_cols(header.index(name) + 1)
            header.remove(name)

    _edit(book, drop)
    master = load_master(book)
    assert len(master.plans[0].tasks) == 340 and master.directory.canonical("市科技局") is None
    refresh_file(book)


def test_the_district_notice_as_a_clerk_sees_it(tmp_path):
    """Seed 002: three plans, 市级 and 区级 leads in the document's words, forms per unit."""
    from xltools.forms.model import unit_forms

    book = tmp_path / "武昌.xlsx"
    assert main(["build", str(seed_path("002")), "--out", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    city = plan_rows(wb, "2023年市政府工作报告任务")
    assert (city["56"]["市级牵头单位"], city["56"]["牵头单位"]) == ("市城建局", "区建设局")
    # "（其中，X〈市级牵头单位：…；区级牵头单位：…〉；Y〈…〉）": two 分项, each with its own leads at both levels
    assert city["33"]["市级牵头单位"] == city["33"]["牵头单位"] == "（见分项）"
    assert (city["33-1"]["责任事项"], city["33-1"]["市级牵头单位"], city["33-1"]["牵头单位"]) == (
        "创新“两个一百平方公里”工业园区运营机制", "市经信局", "区科经局")
    assert (city["33-2"]["责任事项"], city["33-2"]["市级牵头单位"], city["33-2"]["牵头单位"]) == (
        "创新服务业集聚区园区运营机制", "市发改委", "区发改局、区科经局")
    provincial = plan_rows(wb, "2023年省政府工作报告任务")
    assert provincial["2"]["牵头单位"] is None and provincial["2"]["责任单位"] == "区卫健局、区医保局、区市场监管局"
    health = {(row[0], row[1]): row[3] for row in data_rows(wb["区卫健局"])}
    assert health[("2023年省政府工作报告任务", "2")] == "牵头"  # the only units named lead the task
    master = load_master(book)
    assert master.plans[0].year == 2023
    forms = {f.unit: f for f in unit_forms(master, 1)}
    assert len(forms) == len(unit_sheets(wb))
    insurance = [t.key for b in forms["区医保局"].report_tasks for t in b.tasks if b.plan_sheet.startswith("2023年省")]
    assert insurance == ["2", "8", "10"]  # 区级责任单位 only: each of them leads
