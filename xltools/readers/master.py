"""Open a master workbook file and read its sheets (values only, nothing evaluated)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from xltools.master.content import Master
from xltools.master.read import master_from_rows
from xltools.readers.document import ReadError

# Parts of an .xlsx that openpyxl cannot carry through a rewrite.
RICH_PARTS = {
    "xl/charts/": "图表",
    "xl/media/": "图片",
    "xl/vbaProject.bin": "宏",
    "xl/pivotTables/": "数据透视表",
    "xl/slicers/": "切片器",
    "xl/embeddings/": "嵌入对象",
    "xl/ctrlProps/": "表单控件",
}


def rich_content(path: str | Path, own_charts: int = 0) -> list[str]:
    """What a rewrite would lose (charts, pictures, macros …), beyond the `own_charts` the tool drew itself."""
    try:
        names = zipfile.ZipFile(path).namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"{Path(path).name} 不是有效的 .xlsx 文件（可能已损坏，或是 .xls/.et 格式）。") from exc
    charts = sum(1 for n in names if n.startswith("xl/charts/chart"))
    return [label for part, label in RICH_PARTS.items()
            if any(n.startswith(part) for n in names) and not (part == "xl/charts/" and charts <= own_charts)]


def sheet_rows(path: str | Path) -> dict[str, list[list]]:
    from python_calamine import CalamineWorkbook

    path = Path(path)
    if not path.exists():
        raise ReadError(f"找不到台账文件：{path}")
    try:
        book = CalamineWorkbook.from_path(str(path))
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}
    except Exception as exc:  # calamine raises its own error types
        raise ReadError(f"{path.name} 无法打开（文件损坏、加密，或不是 Excel 文件）。"
                        "这里需要督办台账 .xlsx（由 xltools build 生成）。") from exc


def load_master(path: str | Path) -> Master:
    return master_from_rows(sheet_rows(path))
