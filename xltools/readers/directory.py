"""Load the unit directory (单位名录) from CSV or a workbook sheet."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

from xltools.readers.document import ReadError, decode_text
from xltools.units import GROUP_KIND, Unit, UnitDirectory

COLUMNS = ("单位名称", "简称", "别名", "类别", "所属分组", "备注")
SHEET = "单位名录"


def _split(value: object) -> list[str]:
    text = "" if value is None else str(value)
    for sep in "，,;；/\n":
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def directory_from_rows(rows: list[list[object]], source: str) -> UnitDirectory:
    """Rows with a header line naming at least 单位名称; other columns optional."""
    header_at = next(
        (i for i, row in enumerate(rows[:10]) if any(str(c or "").strip() == "单位名称" for c in row)), None
    )
    if header_at is None:
        raise ReadError(f"{source} 中找不到“单位名称”列。单位名录的表头应为：{'、'.join(COLUMNS)}。")
    header = [str(c or "").strip() for c in rows[header_at]]
    col = {name: header.index(name) for name in COLUMNS if name in header}
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        def cell(name: str, row=row) -> str:
            i = col.get(name)
            return "" if i is None or i >= len(row) or row[i] is None else str(row[i]).strip()

        name = cell("单位名称")
        if not name:
            continue
        if name in seen:
            raise ReadError(f"{source} 第 {number} 行：“{name}”与第 {seen[name]} 行重复，请合并为一行。")
        seen[name] = number
        units.append(
            Unit(
                name=name,
                short=cell("简称"),
                aliases=_split(cell("别名")),
                kind=cell("类别"),
                groups=_split(cell("所属分组")),
                note=cell("备注"),
            )
        )
    defined = {u.name for u in units}
    for group in dict.fromkeys(g for u in units for g in u.groups):
        if group not in defined:
            units.append(Unit(name=group, kind=GROUP_KIND, note="由“所属分组”列产生"))
            defined.add(group)
    return UnitDirectory(units)


def table_rows(path: str | Path | None, default: str, sheet: str, what: str) -> tuple[list[list], str]:
    """Rows of an editable table: the bundled `default` (data/…csv), a .csv, or `sheet` of a workbook."""
    if path is None:
        data = resources.files("xltools").joinpath(f"data/{default}").read_bytes()
        return list(csv.reader(io.StringIO(decode_text(data)))), f"内置{what}"
    path = Path(path)
    if not path.exists():
        raise ReadError(f"找不到{what}文件：{path}")
    if path.suffix.lower() == ".csv":
        return list(csv.reader(io.StringIO(decode_text(path.read_bytes())))), path.name
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's own error types
        raise ReadError(f"{path.name} 无法打开（文件损坏、加密或不是表格文件）。") from exc
    name = sheet if sheet in book.sheet_names else book.sheet_names[0]
    return book.get_sheet_by_name(name).to_python(), f"{path.name}“{name}”表"


def load_directory(path: str | Path | None = None) -> UnitDirectory:
    """The office's directory from .csv/.xlsx, or the bundled default for 武汉."""
    return directory_from_rows(*table_rows(path, "units_wuhan.csv", SHEET, "单位名录"))
