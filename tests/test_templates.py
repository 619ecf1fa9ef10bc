"""Per-unit forms (生成附表) for the 2025 plan, and the district preset for seed 002."""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest
from openpyxl.styles import Font

from tests.conftest import seed_path
from tests.office import convert
from tests.xlsx_checks import excel_problems
from xltools.cli import main
from xltools.readers.forms import read_identity
from xltools.vocab import ID_HEADER, META_SHEET


@pytest.fixture(scope="module")
def forms001(master_2025):
    out = master_2025.parent / "分发"
    assert main(["templates", str(master_2025), "--out", str(out), "--quarter", "3"]) == 0
    return {read_identity(p).unit: p for p in out.glob("*.xlsx") if p.name != "分发清单.xlsx"}


def rows_of(ws, first=5):
    return [r for r in ws.iter_rows(min_row=first, values_only=True)]


def keys_on(ws, column=0):
    return [r[column] for r in rows_of(ws) if r[column] and not str(r[column]).startswith("备注")]


def test_one_workbook_per_unit_with_exactly_its_tasks(seed, forms001):
    tasks = seed("001").plans[0].tasks
    units = {u for t in tasks for u in t.all_units()}
    assert set(forms001) == units
    for unit in ["市商务局", "江岸区人民政府", "市残联", "武汉仲裁委办"]:
        wb = openpyxl.load_workbook(forms001[unit])
        work = [w for t in tasks for w in t.work()]  # tasks, and each 分项 (二-80-1 …) where a task has them
        mine = [w.key for w in work if unit in w.all_units()]
        assert keys_on(wb["附表1"]) == mine
        reports = [w.key for w in work if unit in w.lead]  # no lead named: the units lead
        if reports:
            assert keys_on(wb["附表3"]) == reports
        else:
            assert "附表3" not in wb.sheetnames  # nothing to report: no 附表3


def test_titles_names_and_quarter_texts(forms001):
    path = forms001["市商务局"]
    assert path.name == "2025年市政府工作报告_附表1-3（前三季度）_市商务局.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["附表1", "附表2", "附表3"]
    assert wb["附表1"]["B2"].value is None and wb["附表1"]["A2"].value == "市商务局市《政府工作报告》办理方案"
    assert wb["附表1"]["A3"].value == "单位：市商务局"
    assert any("主要负责人（签字）" in str(c.value) for c in wb["附表1"][3])
    assert wb["附表3"]["A2"].value == "市商务局前三季度工作目标完成情况"
    assert [c.value for c in wb["附表2"][3]] == ["责任人", "姓名", "职务", "办公电话", "手机"]
    assert wb["附表2"]["A7"].value == "备注：市人民政府督查室 联系人：徐小生 82826016"
    note = [r[0] for r in rows_of(wb["附表3"]) if r[0] and str(r[0]).startswith("备注")]
    assert note == ["备注：为便于统计，责任事项序号请按市《政府工作报告》目标任务责任分解方案确定的序号排序。"]


def test_plan_form_has_four_numbered_rows_per_task_and_roles(forms001):
    ws = openpyxl.load_workbook(forms001["市商务局"])["附表1"]
    assert [c.value for c in ws[4]][:7] == ["序号", "责任事项", "本单位\n角色", "具体工作内容", "完成时间\n（按季度）",
                                             "分管负责人", "责任处室\n（区直部门）"]
    assert [ws.cell(row=r, column=4).value for r in range(5, 9)] == ["1.", "2.", "3.", "4."]
    assert "A5:A8" in {str(m) for m in ws.merged_cells.ranges}
    assert ws["C5"].value == "牵头"


def test_headers_break_between_words_and_fit(forms001):
    """"本单位/角色", never "本单位角/色": lines break where the label does, and each line fits its column."""
    wb = openpyxl.load_workbook(forms001["市商务局"])
    for ws in (wb["附表1"], wb["附表3"]):
        for cell in ws[4]:
            if ws.column_dimensions[cell.column_letter].hidden:
                continue
            width = ws.column_dimensions[cell.column_letter].width
            assert all(2 * len(line) + 1 <= width for line in cell.value.split("\n")), (ws.title, cell.value)


KEY = re.compile(r"[一二三四五六七八九十]-(?:\d+|\([一二三四五六七八九十]+\))")


def test_plan_form_page_breaks_fall_between_tasks(master_2025, tmp_path):
    out = tmp_path / "附表1"
    assert main(["templates", str(master_2025), "--out", str(out), "--units", "市商务局", "--forms", "1",
                 "--quarter", "1"]) == 0
    path = next(out.glob("*市商务局.xlsx"))
    ws = openpyxl.load_workbook(path)["附表1"]
    blocks = [(r, ws.cell(row=r, column=1).value) for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=1).value]
    breaks = [b.id for b in ws.row_breaks.brk]  # a page ends after row b (1-based)
    assert len(blocks) > 20 and breaks and {b + 1 for b in breaks} <= {r for r, _ in blocks}
    chunks, start = [], 0
    for b in [*breaks, ws.max_row]:
        end = next(i for i, (r, _) in enumerate([*blocks, (ws.max_row + 1, "")]) if r > b)
        chunks.append([key for _, key in blocks[start:end]])
        start = end
    # printed as placed: one page per chunk of blocks, every block whole on its page
    pdf = convert(path, "pdf", tmp_path / "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    assert [KEY.findall(page) for page in pages] == chunks


def test_plan_forms_for_lead_units_only(master_2025, tmp_path, seed):
    book = tmp_path / "督办台账.xlsx"
    wb = openpyxl.load_workbook(master_2025)
    row = next(r for r in wb["设置"].iter_rows() if r[0].value == "附表1填报单位")
    assert row[1].value == "全部责任单位"  # the default: every unit with a task
    row[1].value = "仅牵头单位"
    wb.save(book)
    out = tmp_path / "分发"
    assert main(["templates", str(book), "--out", str(out), "--forms", "1,2", "--quarter", "1"]) == 0
    made = {read_identity(p).unit: p for p in out.glob("*.xlsx") if p.name != "分发清单.xlsx"}
    tasks = seed("001").plans[0].tasks
    district = openpyxl.load_workbook(made["江岸区人民政府"])
    assert keys_on(district["附表1"]) == [t.key for t in tasks if "江岸区人民政府" in t.lead]
    assert len(keys_on(district["附表1"])) < sum(1 for t in tasks if "江岸区人民政府" in t.all_units()) / 5
    helper = next(u for u in made if not any(u in t.lead for t in tasks))
    assert openpyxl.load_workbook(made[helper]).sheetnames[0] == "附表2"  # no 附表1 for a unit that leads nothing


def test_protection_and_validation(forms001):
    wb = openpyxl.load_workbook(forms001["市商务局"])
    ws = wb["附表1"]
    assert ws.protection.sheet and not ws.protection.password  # no password by default
    assert ws.protection.insertRows is False  # False means inserting rows is allowed
    assert ws["A5"].protection.locked and ws["B5"].protection.locked
    assert not ws["D5"].protection.locked and ws["D5"].fill.fgColor.rgb.endswith("FFF2CC")
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "第一季度" in lists[0].formula1
    report = wb["附表3"]
    assert any(dv.type == "textLength" for dv in report.data_validations.dataValidation)
    contacts = wb["附表2"]
    assert contacts["E4"].number_format == "@" and not contacts["E4"].protection.locked


def test_print_ready(forms001):
    ws = openpyxl.load_workbook(forms001["市商务局"])["附表1"]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # one page wide
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$4:$4"
    assert "&P" in ws.oddFooter.center.text


def test_identity_is_carried(forms001):
    identity = read_identity(forms001["江岸区人民政府"])
    assert (identity.unit, identity.year, identity.quarter, identity.forms) == ("江岸区人民政府", 2025, 3, (1, 2, 3))
    assert set(identity.channels) == {"文档属性", "隐藏表"}
    wb = openpyxl.load_workbook(forms001["江岸区人民政府"])
    assert wb[META_SHEET].sheet_state == "hidden"
    ws = wb["附表3"]
    id_col = next(c.column_letter for c in ws[4] if c.value == ID_HEADER)
    assert ws.column_dimensions[id_col].hidden
    assert ws[f"{id_col}5"].value == f"2025年市政府工作报告任务|{ws['A5'].value}"


def test_valid_for_excel_and_libreoffice_keeps_identity(forms001, tmp_path):
    path = forms001["市商务局"]
    assert excel_problems(path) == []
    saved = convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    identity = read_identity(saved)
    assert identity.unit == "市商务局" and identity.quarter == 3
    assert len(identity.tasks) == len(read_identity(path).tasks)
    assert convert(path, "pdf", tmp_path / "pdf").stat().st_size > 5000


def test_distribution_list(master_2025, forms001, seed):
    wb = openpyxl.load_workbook(master_2025.parent / "分发" / "分发清单.xlsx")
    rows = [r for r in wb.active.iter_rows(min_row=4, values_only=True) if r[0]]
    assert len(rows) == len(forms001)
    commerce = next(r for r in rows if r[0] == "市商务局")
    led = sum(1 for t in seed("001").plans[0].tasks if "市商务局" in t.lead)
    assert commerce[1] == forms001["市商务局"].name and commerce[2] == led


def test_only_some_units_and_forms(master_2025, tmp_path):
    out = tmp_path / "部分"
    assert main(["templates", str(master_2025), "--out", str(out), "--units", "江岸区,市发展改革委",
                 "--forms", "3", "--quarter", "1"]) == 0
    names = {p.name for p in out.glob("*.xlsx")}
    assert names == {"2025年市政府工作报告_附表3（一季度）_江岸区.xlsx", "2025年市政府工作报告_附表3（一季度）_市发改委.xlsx",
                     "分发清单.xlsx"}
    assert main(["templates", str(master_2025), "--out", str(out), "--units", "火星局"]) == 2


def test_never_overwrites_a_file_it_did_not_make(master_2025, tmp_path, capsys):
    out = tmp_path / "分发"
    out.mkdir()
    foreign = out / "2025年市政府工作报告_附表3（一季度）_江岸区.xlsx"
    openpyxl.Workbook().save(foreign)
    before = foreign.read_bytes()
    assert main(["templates", str(master_2025), "--out", str(out), "--units", "江岸区", "--forms", "3",
                 "--quarter", "1"]) == 2
    assert "不是本工具生成" in capsys.readouterr().err
    assert foreign.read_bytes() == before


def test_district_preset_for_seed_002(tmp_path, seed):
    book = tmp_path / "武昌台账.xlsx"
    assert main(["build", str(seed_path("002")), "--out", str(book)]) == 0
    out = tmp_path / "分发"
    assert main(["templates", str(book), "--out", str(out), "--quarter", "2"]) == 0
    path = next(out.glob("*_区发改局.xlsx"))
    assert path.name.startswith("2023年省、市、区政府工作报告_附表1、附件4、附件5（上半年）")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["附表1", "附件4", "附件5"]
    report = wb["附件5"]
    assert report["A4"].value == "任务编号"
    assert report["A5"].value == "2023年市《政府工作报告》确定的主要目标任务（武昌区）责任分解方案"  # plan heading
    # every responsible unit reports in this notice ("各责任单位要将…完成情况…报区政府督查室")
    expected = [w.key for p in seed("002").plans for t in p.tasks for w in t.work() if "区发改局" in w.all_units()]
    assert "33-2" in expected and "33-1" not in expected  # 区发改局 leads the second 分项 of 33 only
    assert [k for k in keys_on(report) if not str(k).startswith("2023年")] == expected
    assert wb["附件4"]["A4"].value == "分管领导"


def test_office_made_form(master_2025, tmp_path):
    template = tmp_path / "自制附表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "完成情况"
    ws["A1"] = "{{单位}}{{年度}}年{{季度}}工作完成情况"
    ws["A1"].font = Font(name="方正小标宋简体", size=18)
    ws.append(["序号", "责任事项", "完成情况"])
    ws.append(["{{序号}}", "{{责任事项}}", None])
    ws["B3"].font = Font(name="楷体", size=12, color="FF0000")
    ws.append(["填表人：", None, "日期："])
    ws.merge_cells("A4:B4")
    wb.save(template)
    out = tmp_path / "自制"
    assert main(["templates", str(master_2025), "--out", str(out), "--units", "江岸区", "--quarter", "2",
                 "--template", str(template)]) == 0
    path = next(p for p in out.glob("*江岸区.xlsx"))
    filled = openpyxl.load_workbook(path)["完成情况"]
    assert filled["A1"].value == "江岸区人民政府2025年上半年工作完成情况"
    assert filled["A1"].font.name == "方正小标宋简体"
    keys = [filled.cell(row=r, column=1).value for r in range(3, filled.max_row + 1)]
    n = keys.index("填表人：")
    assert n > 3 and all(k for k in keys[:n])
    assert filled["B4"].font.name == "楷体" and filled["B4"].font.color.rgb.endswith("FF0000")
    assert f"A{3 + n}:B{3 + n}" in {str(m) for m in filled.merged_cells.ranges}  # the footer moved down
    assert read_identity(path).unit == "江岸区人民政府"
