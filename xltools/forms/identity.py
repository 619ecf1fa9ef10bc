"""The identity a generated form carries, both ways: what is written, and reading it back.

Three carriers, any one is enough for the merge: custom document properties,
the hidden "_来源" sheet (label/value rows, then one row per task), and the
hidden 任务标识 column. Pure: readers hand in the properties and the hidden
sheet's rows; writers take `identity_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xltools.forms.model import FORM_VERSION, UnitForms
from xltools.master.read import text
from xltools.vocab import ID_FORMS, ID_MADE, ID_QUARTER, ID_UNIT, ID_VERSION, ID_YEAR, KEY, TASK

TOOL_LABEL = "工具"
TASKS_HEADER = ("表", "行", "任务", KEY, TASK)  # the hidden sheet's task list
CHANNEL_PROPERTIES = "文档属性"
CHANNEL_SHEET = "隐藏表"
# label on the hidden sheet → (custom property name, FormIdentity attribute)
FIELDS = {
    ID_VERSION: ("xltools_version", "version"),
    ID_UNIT: ("xltools_unit", "unit"),
    ID_YEAR: ("xltools_year", "year"),
    ID_QUARTER: ("xltools_quarter", "quarter"),
    ID_FORMS: ("xltools_forms", "forms"),
    ID_MADE: ("xltools_generated", "generated"),
}


@dataclass
class FormIdentity:
    unit: str = ""
    year: int | None = None
    quarter: int | None = None
    forms: tuple[int, ...] = ()
    version: str = ""
    generated: str = ""
    tasks: list[tuple[str, int, str]] = field(default_factory=list)  # (sheet, row, task identity)
    channels: list[str] = field(default_factory=list)  # which carriers were found


def identity_rows(forms: UnitForms) -> list[tuple[str, str, object]]:
    """(label on the hidden sheet, custom property name, value) for one unit's workbook."""
    values = {"version": FORM_VERSION, "unit": forms.unit, "year": forms.year, "quarter": forms.quarter,
              "forms": ",".join(str(n) for n in forms.forms), "generated": forms.generated}
    return [(TOOL_LABEL, "xltools_tool", "xltools"),
            *[(label, prop, values[attribute]) for label, (prop, attribute) in FIELDS.items()]]


def _set(identity: FormIdentity, attribute: str, value: str) -> None:
    if not value:
        return
    if attribute in ("year", "quarter"):
        value = value.split(".")[0]
        if value.isdigit():
            setattr(identity, attribute, int(value))
    elif attribute == "forms":
        identity.forms = tuple(int(x) for x in value.replace("，", ",").split(",") if x.strip().isdigit())
    else:
        setattr(identity, attribute, value)


def identity_from(props: dict[str, str], meta_rows: list[list] | None) -> FormIdentity:
    """Combine the carriers: the hidden sheet wins over document properties."""
    identity = FormIdentity()
    if any(prop in props for prop, _ in FIELDS.values()):
        identity.channels.append(CHANNEL_PROPERTIES)
        for prop, attribute in FIELDS.values():
            _set(identity, attribute, props.get(prop, ""))
    if meta_rows:
        identity.channels.append(CHANNEL_SHEET)
        header_at = None
        for i, row in enumerate(meta_rows):
            label = text(row[0]) if row else ""
            if label in FIELDS and len(row) > 1:
                _set(identity, FIELDS[label][1], text(row[1]))
            if label == TASKS_HEADER[0]:
                header_at = i
                break
        for row in meta_rows[header_at + 1:] if header_at is not None else []:
            if len(row) >= 3 and text(row[2]):
                row_number = text(row[1])
                identity.tasks.append((text(row[0]), int(row_number) if row_number.isdigit() else 0, text(row[2])))
    return identity
