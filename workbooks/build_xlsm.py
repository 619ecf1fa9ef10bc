"""Windows with Excel only: turn 督办台账模板.xlsx into 督办台账.xlsm with the VBA module and buttons.

Needs Excel's “Trust access to the VBA project object model”
(文件 → 选项 → 信任中心 → 信任中心设置 → 宏设置). Imports xlwings' own VBA module from
the installed xlwings package (so the add-in and the package are the same
version) and macros/xltools.bas, then puts a button for each macro on 控制台.
Run:  .venv\\Scripts\\python workbooks\\build_xlsm.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import xlwings as xw

from workbooks.build import BUTTONS, TEMPLATE, build

HERE = Path(__file__).resolve().parent
TARGET = HERE / "督办台账.xlsm"


def main() -> None:
    if not sys.platform.startswith("win"):
        sys.exit("只能在装有 Excel 的 Windows 电脑上运行（需要 Excel 写入 VBA 宏和按钮）。")
    build(TEMPLATE)
    app = xw.App(visible=False)
    try:
        book = app.books.open(str(TEMPLATE))
        project = book.api.VBProject
        project.VBComponents.Import(str(Path(xw.__file__).parent / "xlwings.bas"))
        project.VBComponents.Import(str(HERE.parent / "macros" / "xltools.bas"))
        sheet = book.sheets["控制台"]
        for row, (macro, label, _) in enumerate(BUTTONS, start=5):
            cell = sheet.range((row, 4))
            button = sheet.api.Buttons().Add(cell.left, cell.top + 2, 110, cell.height - 4)
            button.OnAction = macro
            button.Characters().Text = label
        book.api.SaveAs(str(TARGET), FileFormat=52)  # xlOpenXMLWorkbookMacroEnabled
        print(f"已生成 {TARGET}")
    finally:
        app.quit()


if __name__ == "__main__":
    main()
