"""Read a returned form's identity carriers from the file (see forms/identity.py for what they hold).

Read without trusting the file: only the package's XML and cell values, nothing evaluated.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from xltools.forms.identity import FormIdentity, identity_from
from xltools.vocab import META_SHEET

PROPS_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


CORE_MODIFIED = "{http://purl.org/dc/terms/}modified"


def custom_properties_from_zip(data: bytes) -> tuple[dict[str, str], dt.datetime | None]:
    """Custom document properties, and when the file was last saved (docProps/core.xml)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return package_properties(z)
    except zipfile.BadZipFile:
        return {}, None


def package_properties(z: zipfile.ZipFile) -> tuple[dict[str, str], dt.datetime | None]:
    """The same from an opened package; a damaged or absurd part (a save time in year 9999) counts as absent."""
    props: dict[str, str] = {}
    modified = None
    try:
        names = set(z.namelist())
        if "docProps/custom.xml" in names:
            root = ElementTree.fromstring(z.read("docProps/custom.xml"))
            for prop in root.iter(f"{PROPS_NS}property"):
                value = next((child.text for child in prop), None)
                props[prop.get("name", "")] = value or ""
        if "docProps/core.xml" in names:
            stamp = ElementTree.fromstring(z.read("docProps/core.xml")).find(CORE_MODIFIED)
            if stamp is not None and stamp.text:
                modified = _utc_to_local(stamp.text)
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError, OverflowError, NotImplementedError):
        return {}, None
    return props, modified


def _utc_to_local(stamp: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    return when


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
