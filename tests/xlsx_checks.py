"""Checks that an .xlsx is valid for Excel, read from the package itself.

Excel shows a repair prompt for: bad or duplicate sheet names, defined names
pointing at missing sheets, more cell formats than it supports, cell text
over 32767 characters, or malformed sheet XML.
"""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def excel_problems(path) -> list[str]:
    problems = []
    with zipfile.ZipFile(path) as z:
        workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
        names = [s.get("name") for s in workbook.find("m:sheets", NS)]
        for name in names:
            if not name or len(name) > 31 or INVALID_SHEET_CHARS.search(name) or name.startswith("'"):
                problems.append(f"bad sheet name {name!r}")
        if len({n.lower() for n in names}) != len(names):
            problems.append("duplicate sheet names")
        defined = workbook.find("m:definedNames", NS)
        for item in [] if defined is None else defined:
            local = item.get("localSheetId")
            if local is not None and int(local) >= len(names):
                problems.append(f"defined name {item.get('name')} on missing sheet {local}")
            for sheet in re.findall(r"'?([^'!]+)'?!", item.text or ""):
                if sheet not in names:
                    problems.append(f"defined name {item.get('name')} refers to missing sheet {sheet}")
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        xfs = styles.find("m:cellXfs", NS)
        if xfs is not None and len(xfs) > 64000:
            problems.append(f"{len(xfs)} cell formats (Excel allows 64000)")
        for part in z.namelist():
            if part.startswith("xl/worksheets/") and part.endswith(".xml") or part == "xl/sharedStrings.xml":
                root = ElementTree.fromstring(z.read(part))  # raises on malformed XML
                for t in root.iter(f"{{{NS['m']}}}t"):
                    if t.text and len(t.text) > 32767:
                        problems.append(f"text over 32767 characters in {part}")
    return problems
