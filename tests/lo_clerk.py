"""A clerk's edits made in LibreOffice Calc: a text box on one sheet, a note on a cell, then Save as .xlsx.

Run by the system Python (python3-uno):

    /usr/bin/python3 tests/lo_clerk.py SOFFICE BOOK.xlsx OUT.xlsx SHEET TEXT NOTE_SHEET NOTE_CELL NOTE

The text box is a drawing shape anchored on SHEET holding TEXT; NOTE goes on
NOTE_CELL (e.g. B5) of NOTE_SHEET. The result is saved in Excel 2007-365 format.
"""

from __future__ import annotations

import sys
from pathlib import Path

import uno
from lo_macros import prop, running_office


def main(soffice: str, book: str, out: str, sheet: str, text: str, note_sheet: str, note_cell: str,
         note: str) -> None:
    with running_office(soffice) as desktop:
        doc = desktop.loadComponentFromURL(Path(book).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        page = doc.Sheets.getByName(sheet).DrawPage
        box = doc.createInstance("com.sun.star.drawing.TextShape")
        box.Position = uno.createUnoStruct("com.sun.star.awt.Point", 12000, 1000)
        box.Size = uno.createUnoStruct("com.sun.star.awt.Size", 6000, 2000)
        page.add(box)
        box.String = text
        target = doc.Sheets.getByName(note_sheet)
        cell = target.getCellRangeByName(note_cell).CellAddress
        target.Annotations.insertNew(cell, note)
        doc.storeToURL(Path(out).resolve().as_uri(), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:])
