"""The calling workbook for xlwings' remote engine, built from a real .xlsx, and what it was told to do."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import xlwings as xw

from xltools.readers.master import sheet_rows


def _json_value(value):
    if value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return value


def book_from(path: Path, extra: dict[str, list[list]] | None = None) -> xw.Book:
    """An xw.Book holding the values of every sheet of `path` (plus `extra` sheets first)."""
    sheets = dict(extra or {}) | sheet_rows(path)
    data = {
        "client": "VBA",
        "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{"name": name, "values": [[_json_value(v) for v in row] for row in rows] or [[None]],
                    "pictures": [], "tables": []} for name, rows in sheets.items()],
    }
    return xw.Book(json=data)


def replay(book: xw.Book, initial: list[str]) -> tuple[list[str], dict[str, list[list]]]:
    """Apply the queued actions to sheet names: the final sheet order, and the block written to each sheet's A1."""
    names = list(initial)
    written: dict[str, list[list]] = {}
    for action in book.json()["actions"]:
        func, args = action["func"], action["args"]
        if func == "addSheet":
            names.insert(args[0], args[1])
        elif func == "copySheet":  # [Before|After, target index, the copy's name]
            names.insert(args[1] + (args[0] == "After"), args[2])
        elif func == "setSheetName":
            names[action["sheet_position"]] = args[0]
        elif func == "sheetDelete":
            del names[action["sheet_position"]]
        elif func == "setValues" and action["start_row"] == 0 and action["start_column"] == 0:
            written[names[action["sheet_position"]]] = action["values"]
    return names, written


def plain(rows: list[list]) -> list[list]:
    """Values as the remote engine sends them to Excel (None as "", dates as text) for comparing;
    empty rows at the end (a block padded to clear what a copied sheet held) are left out."""
    def value(v):
        if v is None or v == "":
            return None
        if isinstance(v, dt.datetime | dt.date):
            return v.isoformat()[:10]
        if isinstance(v, str) and re.match(r"^\d{4}-\d\d-\d\dT", v):
            return v[:10]
        return v

    block = [[value(v) for v in row] for row in rows]
    while block and all(v is None for v in block[-1]):
        block.pop()
    return block
