"""A clerk in LibreOffice Calc: type numbers into cells, let the workbook recalculate, read a sheet.

Run by the system Python (python3-uno):

    /usr/bin/python3 tests/lo_recalc.py SOFFICE BOOK.xlsx SHEET [CELL=NUMBER …]

Loads the book (nothing is saved), puts each NUMBER into CELL of SHEET, recalculates
every formula and prints the sheet's used area as JSON rows of values (formulas as
LibreOffice computed them; an empty cell as "").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lo_macros import prop, running_office


def main(soffice: str, book: str, sheet: str, *typed: str) -> list[list]:
    with running_office(soffice) as desktop:
        doc = desktop.loadComponentFromURL(Path(book).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        target = doc.Sheets.getByName(sheet)
        for entry in typed:
            cell, number = entry.split("=")
            target.getCellRangeByName(cell).setValue(float(number))
        doc.calculateAll()
        cursor = target.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.RangeAddress
        rows = target.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow).getDataArray()
        doc.close(True)
        return [list(row) for row in rows]


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:]), ensure_ascii=False))
