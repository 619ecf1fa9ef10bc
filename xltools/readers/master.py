"""Open a master workbook file and read its sheets (values only, nothing evaluated)."""

from __future__ import annotations

from pathlib import Path

from xltools.errors import BadFile
from xltools.master.content import Master
from xltools.master.read import master_from_rows


def sheet_rows(path: str | Path) -> dict[str, list[list]]:
    from python_calamine import CalamineWorkbook

    path = Path(path)
    if not path.exists():
        raise BadFile(f"找不到台账文件：{path}")
    try:
        book = CalamineWorkbook.from_path(str(path))
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}
    except Exception as exc:  # calamine raises its own error types
        raise BadFile(f"{path.name} 无法打开（文件损坏、加密，或不是 Excel 文件）。"
                        "这里需要督办台账 .xlsx（由 xltools build 生成）。") from exc


def load_master(path: str | Path) -> Master:
    return master_from_rows(sheet_rows(path))
