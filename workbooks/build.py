"""Build the starting workbook for the Excel add-in: workbooks/督办台账模板.xlsx.

Sheets: 控制台 (button labels, the 运行结果 cell, instructions), 说明, 设置 (with
方案文件), 单位名录 (the bundled directory) and xlwings.conf (explicit
PYTHONPATH, UDF module). No Excel is needed for this step; turning it into an
.xlsm with the VBA module and real buttons needs Excel on Windows:
    python workbooks/build_xlsm.py      (see README, “办公电脑安装”)
Run: make workbook
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook

from xltools.master.content import directory_table, settings_table
from xltools.master.settings import Settings, quarter_deadlines
from xltools.readers.directory import load_directory
from xltools.writers.files import write_atomic
from xltools.writers.xlsx_tables import page_setup, put, register_styles, write_table

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "督办台账模板.xlsx"
BUTTONS = [  # (macro in macros/xltools.bas, label on the button, what it does)
    ("ImportPlan", "导入方案", "读取“设置”中“方案文件”写明的方案，生成方案表、各单位表和分工统计"),
    ("RefreshUnits", "刷新分工", "改了方案表或单位名录后，重建各单位表和分工统计"),
    ("MakeForms", "生成附表", "为每个单位生成附表1、2、3，放在“分发”文件夹"),
    ("MergeReturns", "合并回收表", "合并“回收”文件夹中各单位交回的表，写入汇总、报送情况等表"),
    ("RefreshStatus", "刷新状态", "按今天的日期和设置中的规则重新判断状态、报送情况"),
]
CONF = [  # xlwings.conf: explicit paths, so the workbook's own folder is not on the path
    ("INTERPRETER_WIN", r"%LOCALAPPDATA%\xltools\.venv\Scripts\pythonw.exe"),
    ("INTERPRETER_MAC", "~/xltools/.venv/bin/python"),
    ("PYTHONPATH", r"%LOCALAPPDATA%\xltools"),
    ("UDF MODULES", "xltools.excel"),
    ("SHOW CONSOLE", "False"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", "False"),
]


def console(ws) -> None:
    register_styles(ws.parent)
    put(ws, 1, 1, "督办台账控制台").style = "标题"
    put(ws, 2, 1, "点击按钮运行；结果显示在下面“运行结果”一格。需要安装 Python 和 xltools（见 README）。").style = "说明文字"
    put(ws, 4, 1, "按钮").style = "表头"
    put(ws, 4, 2, "作用").style = "表头"
    put(ws, 4, 3, "宏").style = "表头"
    for row, (macro, label, what) in enumerate(BUTTONS, start=5):
        put(ws, row, 1, label).style = "正文"
        put(ws, row, 2, what).style = "正文"
        put(ws, row, 3, macro).style = "正文"
        ws.row_dimensions[row].height = 30
    put(ws, 11, 1, "运行结果").style = "表头"
    put(ws, 11, 2, "").style = "正文"
    ws.row_dimensions[11].height = 90
    for column, width in (("A", 16), ("B", 80), ("C", 16)):
        ws.column_dimensions[column].width = width
    page_setup(ws, title_rows=None)


def build(path: Path = TEMPLATE, year: int | None = None) -> Path:
    year = year or dt.date.today().year
    settings = Settings(year=year, deadlines=quarter_deadlines(year), plan_deadline=dt.date(year, 2, 15),
                        plan_files=f"{year}年责任分解方案.docx")

    def write(tmp: Path) -> None:
        wb = Workbook()
        console(wb.active)
        wb.active.title = "控制台"
        for table in (settings_table(settings), directory_table(load_directory())):
            write_table(wb.create_sheet(table.name), table)
        conf = wb.create_sheet("xlwings.conf")
        for key, value in CONF:
            conf.append([key, value])
        conf.sheet_state = "hidden"
        wb.save(tmp)

    return write_atomic(path, write)


if __name__ == "__main__":
    print(f"已生成 {build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE)}")
