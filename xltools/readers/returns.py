"""Read returned workbooks without trusting them.

Files come from folders (searched recursively) and .zip archives. Each is
sniffed by its content, checked against size limits (zip bombs, millions of
rows) and read for values only with python-calamine: formulas are never
evaluated (their cached values are read) and macros never run. Whatever
cannot be read becomes a `ReturnProblem` with a message saying what the
file is and what the unit should send instead.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from xltools.merge.model import RawBook, RawSheet
from xltools.readers.forms import custom_properties_from_zip
from xltools.vocab import META_SHEET

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed size of one part
MAX_PARTS = 2000
MAX_ROWS = 5000  # per sheet: a form has a few hundred rows
MAX_SHEETS = 60
MAX_ARCHIVE_FILES = 5000


@dataclass
class ReturnProblem:
    name: str
    message: str


@dataclass
class Candidate:
    """A file to read: on disk (`path`), or already unpacked from an archive (`data`)."""

    name: str
    mtime: dt.datetime
    path: Path | None = None
    data: bytes | None = None

    def content(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()


_SKIP = re.compile(r"^(~\$|\.~lock|\._|\.DS_Store|Thumbs\.db|desktop\.ini)", re.I)


def collect(paths: list[str | Path]) -> Iterator[Candidate | ReturnProblem]:
    """Every file under the given files and folders, archives opened, lock files skipped."""
    for given in paths:
        given = Path(given)
        if not given.exists():
            yield ReturnProblem(str(given), "找不到这个文件或文件夹")
            continue
        files = sorted(p for p in given.rglob("*") if p.is_file()) if given.is_dir() else [given]
        for path in files:
            name = str(path.relative_to(given.parent if given.is_dir() else path.parent))
            if _SKIP.match(path.name) or any(part.startswith(".") for part in path.parts[-3:-1]):
                continue
            if path.stat().st_size > MAX_FILE_BYTES:
                yield ReturnProblem(name, f"文件超过 {MAX_FILE_BYTES // 1024 // 1024}MB，不像是一份附表，未读取。请单位检查后重新发送")
                continue
            mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
            if path.suffix.lower() == ".zip":
                data = path.read_bytes()
                if data[:4] == b"PK\x03\x04" and not _is_office(data):
                    yield from _archive(name, data)
                    continue
            yield Candidate(name, mtime, path=path)


def _is_office(data: bytes) -> bool:
    try:
        return "[Content_Types].xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def _archive(name: str, data: bytes) -> Iterator[Candidate | ReturnProblem]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile:
        yield ReturnProblem(name, "压缩包已损坏，无法打开。请单位重新发送")
        return
    if len(members) > MAX_ARCHIVE_FILES or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        yield ReturnProblem(name, "压缩包解开后过大或文件过多（可能是恶意文件），未读取")
        return
    for member in members:
        inner = _member_name(member)
        label = f"{name}/{inner}"
        if _SKIP.match(Path(inner).name) or inner.startswith("__MACOSX"):
            continue
        if member.flag_bits & 0x1:
            yield ReturnProblem(label, "压缩包加了密码，无法读取。请单位发送未加密的文件")
            continue
        if member.file_size > MAX_FILE_BYTES or member.file_size > MAX_RATIO * max(member.compress_size, 1):
            yield ReturnProblem(label, "解压后过大（可能是恶意文件），未读取")
            continue
        content = archive.read(member)
        if inner.lower().endswith(".zip"):
            yield ReturnProblem(label, "压缩包里又套了压缩包，未读取。请解开后再放入回收文件夹")
            continue
        yield Candidate(label, dt.datetime(*member.date_time), data=content)


def _member_name(member: zipfile.ZipInfo) -> str:
    """Chinese names in zips made on Windows are GBK, flagged as cp437."""
    if member.flag_bits & 0x800:
        return member.filename
    try:
        return member.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return member.filename


def sniff(data: bytes, name: str) -> str:
    """xlsx, xls, or what the file really is."""
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "damaged"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
        if "content.xml" in names:
            return "ods"
        return "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data[:65536 * 4]:
            return "encrypted"
        if suffix in (".et", ".ett", ".wps", ".dps"):
            return "wps"
        if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data[:65536]:
            return "doc"
        return "xls"
    if data[:4] == b"%PDF":
        return "pdf"
    if data[:5] == b"{\\rtf":
        return "rtf"
    if re.match(rb"\s*<", data[:200]):
        return "html"
    return "other"


READABLE = ("xlsx", "xls", "ods")  # what python-calamine reads: an .ods saved by LibreOffice is read like .xlsx
WHAT_TO_SEND = "请单位在 Excel 或 WPS 中打开附表，另存为 .xlsx 后重新发送"
KIND_MESSAGES = {
    "encrypted": "文件加了密码，无法读取。请单位取消密码（文件→信息→保护工作簿）后重新发送",
    "wps": "这是 WPS 专用格式（.et/.wps）。" + WHAT_TO_SEND,
    "docx": "这是 Word 文档，不是附表。请单位把内容填在下发的 Excel 附表中发送",
    "doc": "这是 Word 文档，不是附表。请单位把内容填在下发的 Excel 附表中发送",
    "rtf": "这是 RTF 文档，不是附表。请单位把内容填在下发的 Excel 附表中发送",
    "pptx": "这是 PowerPoint 文件，不是附表。请单位把内容填在下发的 Excel 附表中发送",
    "pdf": "这是 PDF（可能是签字盖章的扫描件）。盖章件请另行存档；合并需要 Excel 文件，" + WHAT_TO_SEND,
    "html": "这是网页文件，不是 Excel 附表。" + WHAT_TO_SEND,
    "zip": "这是压缩包但里面不是表格，未读取",
    "damaged": "文件已损坏，无法打开。请单位重新发送",
    "other": "不是 Excel 文件（可能是图片或其他文件），未读取",
}


def _check_package(data: bytes) -> tuple[str | None, int]:
    """(a reason to refuse, number of formulas) for an .xlsx package."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        return "文件内部结构异常（部件过多），可能是恶意文件，未读取", 0
    if sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        return "文件解压后过大（可能是恶意文件或有上百万行），未读取。请单位只保留附表内容后重新发送", 0
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            return "文件内部压缩比异常（可能是“压缩炸弹”），未读取", 0
    formulas = 0
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            xml = archive.read(part)
            formulas += xml.count(b"<f>") + xml.count(b"<f ")
    return None, formulas


def read_book(candidate: Candidate) -> RawBook | ReturnProblem:
    from python_calamine import CalamineWorkbook

    data = candidate.content()
    kind = sniff(data, candidate.name)
    if kind not in READABLE:
        return ReturnProblem(candidate.name, KIND_MESSAGES[kind])
    formulas = 0
    properties: dict[str, str] = {}
    modified = candidate.mtime
    if kind == "xlsx":
        try:
            refusal, formulas = _check_package(data)
        except zipfile.BadZipFile:
            return ReturnProblem(candidate.name, KIND_MESSAGES["damaged"])
        if refusal:
            return ReturnProblem(candidate.name, refusal)
        properties, saved = custom_properties_from_zip(data)
        modified = saved or modified
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata[:MAX_SHEETS]
        sheets, notes = [], []
        for meta in metadata:
            if meta.name == META_SHEET and "xltools_unit" in properties:
                continue  # the properties already say whose form it is; rows carry their task
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            if sheet.total_height > MAX_ROWS:
                notes.append(f"“{meta.name}”表有 {sheet.total_height} 行，只读取了前 {MAX_ROWS} 行")
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            sheets.append(RawSheet(meta.name, rows, str(meta.visible) != "SheetVisibleEnum.Visible", merged))
    except BaseException as exc:  # calamine's errors, and its Rust panics (not an Exception) on fuzzed files
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return ReturnProblem(candidate.name, "文件已损坏或格式不对，无法读取。" + WHAT_TO_SEND)
    if len(book.sheets_metadata) > MAX_SHEETS:
        notes.append(f"工作表超过 {MAX_SHEETS} 张，只读取了前 {MAX_SHEETS} 张")
    return RawBook(candidate.name, sheets, properties, modified, formulas, notes)
