"""Limits that keep a hostile package (a zip bomb, a sheet reaching XFD1048576) from taking the machine.

Checked on the zip's directory before anything is unpacked or parsed; shared by
the plan reader and the reader of returned forms.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed size of one part
MAX_PARTS = 2000
FAR = re.compile(rb' r="(?:[A-Z]{3}\d|[A-Z]{0,3}\d{6})')  # a cell beyond column ZZ or row 99999


def package_refusal(archive: zipfile.ZipFile) -> str:
    """Why a package must not be opened (too many parts, too large unpacked, a bomb), or ""."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        return "文件内部结构异常（部件过多），可能是恶意文件，未读取"
    if sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        return "文件解压后过大（可能是恶意文件或有上百万行），未读取"
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            return "文件内部压缩比异常（可能是“压缩炸弹”），未读取"
    return ""


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet name, from workbook.xml and its relationships (read as text, nothing resolved)."""
    try:
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {m["id"]: m["target"] for m in re.finditer(
        r'<Relationship\b(?=[^>]*\bId="(?P<id>[^"]+)")(?=[^>]*\bTarget="(?P<target>[^"]+)")', rels)}
    names = {}
    for m in re.finditer(r'<(?:\w+:)?sheet\b(?=[^>]*\bname="(?P<name>[^"]*)")(?=[^>]*\bid="(?P<id>[^"]+)")', book):
        target = targets.get(m["id"], "").lstrip("/")
        part = target if target.startswith("xl/") else "xl/" + target
        names[part] = html.unescape(m["name"])
    return names


def bounded_rows(data: bytes, sheet: str, rows: int, columns: int) -> list[list]:
    """A sheet with a cell far out, streamed: only its first `rows` rows and `columns` columns are read."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [list(r) for r in book[sheet].iter_rows(max_row=rows, max_col=columns, values_only=True)]
    finally:
        book.close()
