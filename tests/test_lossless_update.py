"""Updating a workbook a clerk has touched keeps what the tool did not make, or changes nothing and says why.

The clerk's additions are made the way a clerk makes them (openpyxl standing in
for Excel: comments, drop-down lists, pictures, charts, own sheets; the macro
ledger as `build --out *.xlsm` writes it, with its VBA project and buttons);
then 刷新分工 and 合并回收表 run on the file and the result is read back.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image as XLImage
from openpyxl.worksheet.datavalidation import DataValidation

from tests.conftest import seed_path
from tests.office import convert, soffice, system_uno
from tests.xlsx_checks import excel_problems
from xltools.cli import main
from xltools.demo.simulate import simulate
from xltools.errors import WouldLoseContent
from xltools.master.content import HEADER_ROW, STATS
from xltools.readers.forms import read_identity
from xltools.readers.master import load_master, sheet_rows
from xltools.vocab import CONSOLE, DASHBOARD, SUMMARY, XLWINGS_CONF_SHEETS
from xltools.workflow import refresh_file
from xltools.writers.xlsx_package import Package, sheet_content

PLAN_SHEET = "2025年市政府工作报告任务"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _content(path: Path, sheet: str) -> dict[str, int]:
    pkg = Package.read(path.read_bytes())
    return sheet_content(pkg, dict(pkg.sheets())[sheet])


def _package_problems(path: Path) -> list[str]:
    """Every relationship points at a part, every part has a content type (else Excel repairs the file)."""
    pkg = Package.read(path.read_bytes())
    problems = excel_problems(path)
    for part in [""] + list(pkg.parts):
        for rid, _, target, external in pkg.rels(part):
            if not external and target not in pkg.parts:
                problems.append(f"{part} {rid} → missing {target}")
    types = Package.read(path.read_bytes()).parts["[Content_Types].xml"].decode()
    for part in pkg.parts:
        ext = part.rsplit(".", 1)[-1]
        if f'PartName="/{part}"' not in types and f'Extension="{ext}"' not in types:
            problems.append(f"no content type for {part}")
    return problems


@pytest.fixture
def touched(master_2025, tmp_path, png):
    """The 2025 master after a clerk's afternoon: notes, a list, a logo, a chart and a sheet of their own."""
    book = tmp_path / "督办台账.xlsx"
    shutil.copy(master_2025, book)
    wb = openpyxl.load_workbook(book)
    plan = wb[PLAN_SHEET]
    plan["E5"].comment = Comment("原文此处有误，已与市发改委核对", "督查室")
    checked = DataValidation(type="list", formula1='"已核对,待核对"', allow_blank=True)
    plan.add_data_validation(checked)
    checked.add("L4:L400")
    plan["L3"] = "核对情况"
    mine = wb.create_sheet("我的统计")
    mine.append(["单位", "任务数"])
    for row in (["市发改委", 45], ["市教育局", 20], ["市科技创新局", 12]):
        mine.append(row)
    chart = BarChart()
    chart.add_data(Reference(mine, min_col=2, min_row=1, max_row=4), titles_from_data=True)
    mine.add_chart(chart, "D2")
    mine.add_image(XLImage(str(png)), "D20")
    wb.save(book)
    return book


@pytest.fixture
def png(tmp_path):
    from PIL import Image

    path = tmp_path / "logo.png"
    Image.new("RGB", (8, 8), "red").save(path)
    return path


def test_refresh_keeps_comments_lists_pictures_charts_and_own_sheets(touched):
    before = _parts(touched)
    plan_before = _content(touched, PLAN_SHEET)
    assert plan_before == {"下拉列表或数据验证": 1, "批注": 1}

    refresh_file(touched)

    assert _package_problems(touched) == []
    after = _parts(touched)
    assert _content(touched, PLAN_SHEET) == plan_before
    assert _content(touched, "我的统计") == {"图表": 1, "图片": 1}
    kept = [n for n in before if n.startswith(("xl/charts/", "xl/media/", "xl/comments", "xl/drawings/"))]
    assert kept and all(after.get(n) == before[n] for n in kept)  # byte for byte
    wb = openpyxl.load_workbook(touched)
    assert wb[PLAN_SHEET]["E5"].comment.text == "原文此处有误，已与市发改委核对"
    assert wb[PLAN_SHEET].data_validations.dataValidation[0].formula1 == '"已核对,待核对"'
    assert wb.sheetnames[-1] == "我的统计"
    assert load_master(touched).plans[0].tasks  # still a master the tool reads
    assert load_master(convert(touched, "xlsx:Calc MS Excel 2007 XML", touched.parent / "lo")).plans[0].tasks
    assert list((touched.parent / "备份").glob("*.xlsx"))


def test_a_note_on_a_sheet_the_tool_rebuilds_stops_the_refresh_and_is_named(touched):
    wb = openpyxl.load_workbook(touched)
    wb["市商务局"]["C5"].comment = Comment("请核实", "督查室")
    wb.save(touched)
    before = touched.read_bytes()
    with pytest.raises(WouldLoseContent, match="市商务局.*批注1处"):
        refresh_file(touched)
    assert touched.read_bytes() == before
    assert not list((touched.parent / "备份").glob("*"))


def test_refreshing_twice_does_not_grow_the_styles_or_strings(touched):
    refresh_file(touched)
    first, first_rows = _parts(touched), sheet_rows(touched)
    refresh_file(touched)
    second = _parts(touched)
    for part in ("xl/styles.xml", "xl/sharedStrings.xml"):
        assert len(second[part]) == len(first[part]), part
    assert sheet_rows(touched) == first_rows


def test_the_macro_ledger_keeps_its_vba_and_buttons_through_refresh_and_merge(tmp_path):
    ledger = tmp_path / "督办台账.xlsm"
    assert main(["build", str(seed_path("001")), "--out", str(ledger)]) == 0
    original = shutil.copy(ledger, tmp_path / "原样.xlsm")
    before = _parts(ledger)
    macro_parts = [n for n in before if n.startswith(("xl/vbaProject", "xl/ctrlProps/", "xl/drawings/vml"))]
    assert "xl/vbaProject.bin" in macro_parts

    refresh_file(ledger)

    after = _parts(ledger)
    assert all(after[n] == before[n] for n in macro_parts)
    assert "macroEnabled" in after["[Content_Types].xml"].decode()
    assert _content(ledger, CONSOLE) == _content(Path(original), CONSOLE)
    rows = sheet_rows(ledger)
    assert any(name in rows for name in XLWINGS_CONF_SHEETS)
    assert rows[STATS][HEADER_ROW - 1][0]
    assert _package_problems(ledger) == []

    # 合并回收表 from the command line into the ledger itself, twice (the second replaces the first)
    forms, returns = tmp_path / "分发", tmp_path / "回收"
    assert main(["templates", str(ledger), "--out", str(forms), "--quarter", "1", "--units", "市发改委,市商务局"]) == 0
    simulate([(read_identity(p).unit, p) for p in forms.glob("*.xlsx") if p.name != "分发清单.xlsx"], returns,
             dt.datetime(2025, 4, 20, 18, 0))
    for _ in range(2):
        assert main(["merge", str(ledger), str(returns), "--out", str(ledger), "--today", "2025-05-01"]) == 0
        after = _parts(ledger)
        assert all(after[n] == before[n] for n in macro_parts)
        assert _package_problems(ledger) == []
    rows = sheet_rows(ledger)
    assert SUMMARY in rows and list(rows)[0] == DASHBOARD
    assert _content(ledger, DASHBOARD)["图表"] >= 1
    assert _content(ledger, CONSOLE) == _content(Path(original), CONSOLE)



def test_a_text_box_and_a_note_made_in_libreoffice_survive_a_refresh(master_2025, tmp_path):
    office, python = soffice(), system_uno()
    book = tmp_path / "督办台账.xlsx"
    done = subprocess.run([python, str(Path(__file__).parent / "lo_clerk.py"), office, str(master_2025), str(book),
                           PLAN_SHEET, "本表下方为新增任务", PLAN_SHEET, "E6", "已电话核实"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    made = _content(book, PLAN_SHEET)
    assert made == {"文本框或形状": 1, "批注": 1}

    refresh_file(book)

    assert _content(book, PLAN_SHEET) == made
    assert _package_problems(book) == []
    wb = openpyxl.load_workbook(book)
    assert wb[PLAN_SHEET]["E6"].comment.text.strip() == "已电话核实"
    drawings = [data.decode() for name, data in _parts(book).items() if name.startswith("xl/drawings/drawing")]
    assert any("本表下方为新增任务" in "".join(re.findall(r"<a:t>([^<]*)</a:t>", d)) for d in drawings)


def test_two_merges_into_the_same_tracker_take_turns(tmp_path):
    ledger = tmp_path / "督办台账.xlsx"
    assert main(["build", str(seed_path("001")), "--out", str(ledger)]) == 0
    forms, returns = tmp_path / "分发", tmp_path / "回收"
    assert main(["templates", str(ledger), "--out", str(forms), "--quarter", "1", "--units", "市商务局"]) == 0
    simulate([(read_identity(p).unit, p) for p in forms.glob("*.xlsx") if p.name != "分发清单.xlsx"], returns,
             dt.datetime(2025, 4, 20, 18, 0))
    out = tmp_path / "汇总台账.xlsx"
    command = [sys.executable, "-m", "xltools.cli", "merge", str(ledger), str(returns), "--out", str(out),
               "--today", "2025-05-01"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    assert _package_problems(out) == []
    assert len(list((tmp_path / "备份").glob("汇总台账*.xlsx"))) == 1  # the second saw the first's tracker


def test_a_job_that_cannot_get_its_turn_says_so_and_writes_nothing(tmp_path):
    from filelock import FileLock

    from xltools.errors import FileInTheWay
    from xltools.writers.files import exclusive

    target = tmp_path / "汇总台账.xlsx"
    with (FileLock(tmp_path / ".汇总台账.xlsx.lock"), pytest.raises(FileInTheWay, match="正由另一个合并或刷新写入"),
          exclusive(target, wait=0.2)):
        target.write_text("不该写入")
    assert not target.exists()
