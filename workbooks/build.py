"""Build the ledger with the Excel buttons: workbooks/督办台账.xlsm, on any machine, no Excel needed.

Sheets 控制台 (five Form buttons and the 运行结果 cell), 设置 (with 方案文件 for
the 导入方案 button), 单位名录 (the bundled directory) and a hidden
xlwings.conf; the VBA project holds xlwings' module of the installed version,
xltools/data/vba/xltools.bas and the worksheet-function module, which this
script first writes again from xltools.excel with xlwings' own generator
(xltools/data/vba/xlwings_udfs.bas; a test fails when it is out of date).

Run: make workbook   (or: .venv/bin/python workbooks/build.py [target.xlsm])
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import xltools.excel
from xltools.master.settings import Settings, quarter_deadlines
from xltools.readers.directory import load_directory
from xltools.writers.macro_workbook import VBA_SOURCES, udf_module_source, write_macro_template

HERE = Path(__file__).resolve().parent
TARGET = HERE / "督办台账.xlsm"
UDF_SOURCE = VBA_SOURCES / "xlwings_udfs.bas"


def write_udf_module() -> Path:
    """xlwings_udfs.bas as xlwings' "Import Functions" would write it now (rewritten only when it changed)."""
    made = udf_module_source(xltools.excel).encode("ascii")
    if not UDF_SOURCE.exists() or UDF_SOURCE.read_bytes() != made:
        UDF_SOURCE.write_bytes(made)
        print(f"已更新 {UDF_SOURCE}")
    return UDF_SOURCE


def build(path: Path = TARGET, year: int | None = None) -> Path:
    year = year or dt.date.today().year
    settings = Settings(year=year, deadlines=quarter_deadlines(year), plan_deadline=dt.date(year, 2, 15),
                        plan_files=f"{year}年责任分解方案.docx")
    return write_macro_template(path, settings, load_directory())


if __name__ == "__main__":
    write_udf_module()
    print(f"已生成 {build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)}")
