"""Generate every unit's forms into a folder, with a 分发清单 (distribution list) beside them."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from xltools.errors import FileInTheWay
from xltools.forms.model import UnitForms
from xltools.master.content import Table
from xltools.vocab import CONTACT, UNIT
from xltools.writers.forms_xlsx import write_forms
from xltools.writers.xlsx_fast import write_tables

LIST_NAME = "分发清单.xlsx"


@dataclass
class Generated:
    forms: UnitForms
    path: Path


def generate(all_forms: list[UnitForms], out: Path, contacts: dict[str, str] | None = None,
             template: Path | None = None) -> list[Generated]:
    """Write every unit's workbook (the preset, or the office's own `template`) and the list."""
    out.mkdir(parents=True, exist_ok=True)
    for forms in all_forms:
        _check_target(out / forms.file_name())
    if template is not None:
        # only for the office's own template: openpyxl takes 0.1 s to import
        from xltools.writers.forms_custom import check_template, write_custom_forms

        check_template(template)
    done = []
    for forms in all_forms:
        target = out / forms.file_name()
        path = write_custom_forms(template, forms, target) if template else write_forms(forms, target)
        done.append(Generated(forms, path))
    write_list(done, out / LIST_NAME, contacts or {})
    return done


def _check_target(path: Path) -> None:
    """Overwrite only forms this tool generated, never a file someone else put there."""
    if path.exists() and "xltools_tool" not in _custom_properties(path):
        raise FileInTheWay(f"{path} 已存在，但不是本工具生成的附表，没有覆盖。请换一个输出文件夹，或先移走这个文件。")


def _custom_properties(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            return z.read("docProps/custom.xml").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return ""


def write_list(done: list[Generated], path: Path, contacts: dict[str, str]) -> Path:
    rows = [[g.forms.unit, g.path.name, g.forms.led, g.forms.shared,
             sum(len(b.tasks) for b in g.forms.report_tasks), contacts.get(g.forms.unit, "")] for g in done]
    first = done[0].forms if done else None
    info = f"{first.year}年，{len(done)} 个单位" if first else "没有生成任何附表"
    table = Table("list", "分发清单", "附表分发清单", [UNIT, "文件", "牵头任务数", "参与任务数", "需报送完成情况",
                                              CONTACT], rows, info,
                  {UNIT: 30, "文件": 60, "牵头任务数": 10, "参与任务数": 10, "需报送完成情况": 12, CONTACT: 24})
    return write_tables(path, [table])
