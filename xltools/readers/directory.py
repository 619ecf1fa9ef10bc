"""Load the unit directory (单位名录) from CSV or a workbook sheet; rows become a directory in units.py."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

from xltools.errors import BadFile
from xltools.readers.document import decode_text
from xltools.units import UnitDirectory, directory_from_rows
from xltools.vocab import DIRECTORY


def table_rows(path: str | Path | None, default: str, sheet: str, what: str) -> tuple[list[list], str]:
    """Rows of an editable table: the bundled `default` (data/…csv), a .csv, or `sheet` of a workbook."""
    if path is None:
        data = resources.files("xltools").joinpath(f"data/{default}").read_bytes()
        return list(csv.reader(io.StringIO(decode_text(data)))), f"内置{what}"
    path = Path(path)
    if not path.exists():
        raise BadFile(f"找不到{what}文件：{path}")
    if path.suffix.lower() == ".csv":
        return list(csv.reader(io.StringIO(decode_text(path.read_bytes())))), path.name
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's own error types
        raise BadFile(f"{path.name} 无法打开（文件损坏、加密或不是表格文件）。") from exc
    name = sheet if sheet in book.sheet_names else book.sheet_names[0]
    return book.get_sheet_by_name(name).to_python(), f"{path.name}“{name}”表"


def load_directory(path: str | Path | None = None) -> UnitDirectory:
    """The office's directory from .csv/.xlsx, or the bundled default for 武汉."""
    return directory_from_rows(*table_rows(path, "units_wuhan.csv", DIRECTORY, DIRECTORY))
