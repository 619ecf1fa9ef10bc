"""Where a returned form came from: the identity the generated workbook carries.

Read without trusting the file: only the package's XML and cell values,
nothing evaluated. Three channels, any one is enough: custom document
properties, the hidden "_来源" sheet, and (row by row) the hidden 任务标识 column.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from xltools.forms.model import META_SHEET
from xltools.master.read import text

PROPS_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


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


_FIELDS = {"单位": "unit", "年度": "year", "季度": "quarter", "附表": "forms", "版本": "version",
           "生成时间": "generated"}
_PROPS = {"xltools_unit": "unit", "xltools_year": "year", "xltools_quarter": "quarter",
          "xltools_forms": "forms", "xltools_version": "version", "xltools_generated": "generated"}


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


CORE_MODIFIED = "{http://purl.org/dc/terms/}modified"


def custom_properties_from_zip(data: bytes) -> tuple[dict[str, str], dt.datetime | None]:
    """Custom document properties, and when the file was last saved (docProps/core.xml)."""
    props: dict[str, str] = {}
    modified = None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if "docProps/custom.xml" in names:
                root = ElementTree.fromstring(z.read("docProps/custom.xml"))
                for prop in root.iter(f"{PROPS_NS}property"):
                    value = next((child.text for child in prop), None)
                    props[prop.get("name", "")] = value or ""
            if "docProps/core.xml" in names:
                stamp = ElementTree.fromstring(z.read("docProps/core.xml")).find(CORE_MODIFIED)
                if stamp is not None and stamp.text:
                    modified = _utc_to_local(stamp.text)
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        return {}, None
    return props, modified


def _utc_to_local(stamp: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    return when


def identity_from(props: dict[str, str], meta_rows: list[list] | None) -> FormIdentity:
    """Combine the carriers: the hidden sheet wins over document properties."""
    identity = FormIdentity()
    if any(k in props for k in _PROPS):
        identity.channels.append("文档属性")
        for key, attribute in _PROPS.items():
            _set(identity, attribute, props.get(key, ""))
    if meta_rows:
        identity.channels.append("隐藏表")
        header_at = None
        for i, row in enumerate(meta_rows):
            label = text(row[0]) if row else ""
            if label in _FIELDS and len(row) > 1:
                _set(identity, _FIELDS[label], text(row[1]))
            if label == "表":
                header_at = i
                break
        for row in meta_rows[header_at + 1:] if header_at is not None else []:
            if len(row) >= 3 and text(row[2]):
                row_number = text(row[1])
                identity.tasks.append((text(row[0]), int(row_number) if row_number.isdigit() else 0, text(row[2])))
    return identity


def read_identity(path: str | Path) -> FormIdentity:
    from python_calamine import CalamineWorkbook

    path = Path(path)
    data = path.read_bytes()
    meta = None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if META_SHEET in book.sheet_names:
            meta = book.get_sheet_by_name(META_SHEET).to_python()
    except Exception:  # an unreadable workbook simply carries no identity here
        meta = None
    return identity_from(custom_properties_from_zip(data)[0], meta)
