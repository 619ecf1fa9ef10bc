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
import html
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from xltools.merge.model import RawBook, RawSheet
from xltools.readers.forms import package_properties
from xltools.readers.limits import (
    FAR,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    bounded_rows,
    package_refusal,
    sheet_names,
)
from xltools.vocab import META_SHEET

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # a zip may hold forms and large scans: each member is judged alone
MAX_ROWS = 5000  # per sheet: a form has a few hundred rows
MAX_COLUMNS = 60  # a form has about ten columns
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
    mtime: dt.datetime | None
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
            name = readable_name(str(path.relative_to(given.parent if given.is_dir() else path.parent)))
            if _SKIP.match(path.name) or any(part.startswith(".") for part in path.parts[-3:-1]):
                continue
            size, mtime = path.stat().st_size, _mtime(path.stat().st_mtime)
            with path.open("rb") as f:
                head = f.read(HEAD)
            if _scan_kind(head):  # a signed scan is judged by its first bytes, whatever its size
                yield Candidate(name, mtime, data=head)
                continue
            if path.suffix.lower() == ".zip" and head[:4] == b"PK\x03\x04" and size <= MAX_ARCHIVE_BYTES:
                data = path.read_bytes()
                if not _is_office(data):
                    yield from _archive(name, data)
                    continue
            if size > MAX_FILE_BYTES:
                yield ReturnProblem(name, f"文件超过 {MAX_FILE_BYTES // 1024 // 1024}MB，不像是一份附表，未读取。请单位检查后重新发送")
                continue
            yield Candidate(name, mtime, path=path)


HEAD = 64  # bytes enough to tell a scan or an archive by its signature


def _mtime(stamp: float) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(stamp)
    except (OverflowError, OSError, ValueError):
        return None


def readable_name(name: str) -> str:
    """A path as text: a folder or file name a Linux disk keeps in GBK (not UTF-8) read as GBK."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return "/".join(_gbk(part) for part in name.split("/"))


def _gbk(part: str) -> str:
    try:
        part.encode("utf-8")
        return part
    except UnicodeEncodeError:
        return part.encode("utf-8", "surrogateescape").decode("gbk", "replace")


def _is_office(data: bytes) -> bool:
    try:
        return "[Content_Types].xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def _archive(name: str, data: bytes) -> Iterator[Candidate | ReturnProblem]:
    """Every member of a zip judged on its own: a damaged or oversized member does not refuse the good ones."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile:
        yield ReturnProblem(name, "压缩包已损坏，无法打开。请单位重新发送")
        return
    if len(members) > MAX_ARCHIVE_FILES:
        yield ReturnProblem(name, f"压缩包里有 {len(members)} 个文件（可能是恶意文件），未读取")
        return
    budget = MAX_UNPACKED_BYTES
    for member in members:
        inner = _member_name(member)
        label = f"{name}/{inner}"
        if _SKIP.match(Path(inner).name) or inner.startswith("__MACOSX"):
            continue
        if member.flag_bits & 0x1:
            yield ReturnProblem(label, "压缩包加了密码，无法读取。请单位发送未加密的文件")
            continue
        try:
            stamp = dt.datetime(*member.date_time)
        except ValueError:
            stamp = None
        try:
            with archive.open(member) as f:
                head = f.read(HEAD)
            if _scan_kind(head):
                yield Candidate(label, stamp, data=head)
                continue
            if member.file_size > MAX_FILE_BYTES or member.file_size > MAX_RATIO * max(member.compress_size, 1):
                yield ReturnProblem(label, "解压后过大（可能是恶意文件），未读取")
                continue
            if member.file_size > budget:
                yield ReturnProblem(label, "压缩包解开后总量过大，这个文件未读取。请单位分开发送")
                continue
            budget -= member.file_size
            content = archive.read(member)
        except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError, RuntimeError):
            yield ReturnProblem(label, "压缩包里的这个文件已损坏（校验不符或压缩方式不支持），无法读取。"
                                       "请单位重新压缩（zip 格式）后发送，或直接发送 .xlsx")
            continue
        if inner.lower().endswith(".zip"):
            yield ReturnProblem(label, "压缩包里又套了压缩包，未读取。请解开后再放入回收文件夹")
            continue
        yield Candidate(label, stamp, data=content)


def _member_name(member: zipfile.ZipInfo) -> str:
    """Chinese names in zips made on Windows are GBK, flagged as cp437."""
    if member.flag_bits & 0x800:
        return member.filename
    try:
        return member.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return member.filename


_SCANS = {b"%PDF": "pdf", b"\xff\xd8\xff": "image", b"\x89PNG": "image", b"GIF8": "image", b"II*\x00": "image",
          b"MM\x00*": "image", b"BM": "image"}
_ARCHIVES = {b"Rar!\x1a\x07": "rar", b"7z\xbc\xaf\x27\x1c": "7z"}
SCAN_WORDS = {"pdf": "PDF", "image": "图片"}


def _scan_kind(head: bytes) -> str:
    """"pdf" or "image" for a scan (a signed, stamped copy of a form), else ""."""
    return next((kind for magic, kind in _SCANS.items() if head.startswith(magic)), "")


def _xls_password(data: bytes) -> bool:
    """An .xls saved with a password: its workbook stream's BOF record is followed by FILEPASS (0x002F)."""
    at = data.find(b"\x09\x08\x10\x00\x00\x06\x05\x00")
    return at >= 0 and data[at + 20 : at + 22] == b"\x2f\x00"


def sniff(data: bytes, name: str, names: list[str] | None = None) -> str:
    """xlsx, xls, ods, or what the file really is; `names`: the members when `data` is a zip already opened."""
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        if names is None:
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
        return "xls-password" if _xls_password(data) else "xls"
    if kind := _scan_kind(data[:HEAD]) or next((k for magic, k in _ARCHIVES.items() if data.startswith(magic)), ""):
        return kind
    if data[:5] == b"{\\rtf":
        return "rtf"
    if re.match(rb"\s*<", data[:200]):
        return "html"
    return "other"


READABLE = ("xlsx", "xls", "ods")  # what python-calamine reads: an .ods saved by LibreOffice is read like .xlsx
WHAT_TO_SEND = "请单位在 Excel 或 WPS 中打开附表，另存为 .xlsx 后重新发送"
NOT_A_FORM = "请单位把内容填在下发的 Excel 附表中发送"
KIND_MESSAGES = {
    "encrypted": "文件加了密码，无法读取。请单位取消密码（文件→信息→保护工作簿）后重新发送",
    "xls-password": "文件有打开密码，无法读取。请单位取消密码后另存为 .xlsx 重新发送",
    "wps": "这是 WPS 专用格式（.et/.wps）。" + WHAT_TO_SEND,
    "docx": "这是 Word 文档，不是附表。" + NOT_A_FORM,
    "doc": "这是 Word 文档，不是附表。" + NOT_A_FORM,
    "rtf": "这是 RTF 文档，不是附表。" + NOT_A_FORM,
    "pptx": "这是 PowerPoint 文件，不是附表。" + NOT_A_FORM,
    "html": "这是网页文件，不是 Excel 附表。" + WHAT_TO_SEND,
    "zip": "这是压缩包但里面不是表格，未读取",
    "rar": "这是 RAR 压缩包，无法读取。请单位改用 zip 格式压缩，或直接发送 .xlsx 附表",
    "7z": "这是 7z 压缩包，无法读取。请单位改用 zip 格式压缩，或直接发送 .xlsx 附表",
    "damaged": "文件已损坏，无法打开。请单位重新发送",
    "other": "不是 Excel 文件，未读取",
}

_CELL = re.compile(rb"<c\b[^>]*[^/>]>.*?</c>", re.S)  # a cell with content (not <c r="A1"/>)
_REF = re.compile(rb' r="([A-Z]{1,3})(\d{1,7})"')
_FORMULA = re.compile(rb"<f\b[^>]*>([^<]*)</f>")


@dataclass
class Package:
    """What an .xlsx package says before any cell is loaded."""

    refusal: str = ""
    formulas: int = 0
    far: set[str] = field(default_factory=set)  # sheets with a cell far outside any form (read bounded)
    unsaved: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # sheet → formulas without a value


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _check_package(archive: zipfile.ZipFile) -> Package:
    """Size limits, formulas (those saved without a value kept as text), and sheets too wide or long to load."""
    if refusal := package_refusal(archive):
        return Package(refusal + "。请单位只保留附表内容后重新发送")
    package, names = Package(), None
    for part in archive.infolist():
        if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
            continue
        xml = archive.read(part)
        count = xml.count(b"<f>") + xml.count(b"<f ")
        far = FAR.search(xml) is not None
        if not (count or far):
            continue
        names = names if names is not None else sheet_names(archive)
        sheet = names.get(part.filename, part.filename)
        package.formulas += count
        if far:
            package.far.add(sheet)
        if count:
            package.unsaved[sheet] = _unsaved(xml)
    return package


def _unsaved(xml: bytes) -> list[tuple[int, int, str]]:
    """(row, column, formula) of cells holding a formula with no saved value (files some tools write)."""
    found = []
    for cell in _CELL.finditer(xml):
        body = cell.group(0)
        formula = _FORMULA.search(body)
        ref = _REF.search(body[: body.find(b">")])
        if formula and ref and b"<v>" not in body and b"<is>" not in body:
            text = html.unescape(formula.group(1).decode("utf-8", "replace"))
            found.append((int(ref.group(2)) - 1, _column(ref.group(1)), "=" + text))
    return found


def read_book(candidate: Candidate) -> RawBook | ReturnProblem:
    from python_calamine import CalamineWorkbook

    data = candidate.content()
    if scan := _scan_kind(data[:HEAD]):  # a signed copy: recorded beside the unit's form, never read
        return RawBook(candidate.name, [], modified=candidate.mtime, scan=SCAN_WORDS[scan])
    archive = None
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return ReturnProblem(candidate.name, KIND_MESSAGES["damaged"])
    kind = sniff(data, candidate.name, archive.namelist() if archive else None)
    if kind not in READABLE:
        return ReturnProblem(candidate.name, KIND_MESSAGES[kind])
    package, properties, modified = Package(), {}, candidate.mtime
    if kind == "xlsx":
        try:
            package = _check_package(archive)
        except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError, RuntimeError):
            return ReturnProblem(candidate.name, KIND_MESSAGES["damaged"])
        if package.refusal:
            return ReturnProblem(candidate.name, package.refusal)
        properties, saved = package_properties(archive)
        modified = saved or modified
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata[:MAX_SHEETS]
        sheets, notes = [], []
        for meta in metadata:
            if meta.name == META_SHEET and "xltools_unit" in properties:
                continue  # the properties already say whose form it is; rows carry their task
            hidden = str(meta.visible) != "SheetVisibleEnum.Visible"
            if meta.name in package.far:
                notes.append(f"“{meta.name}”表的范围异常大（有单元格远在附表之外），只读取了前 {MAX_ROWS} 行、{MAX_COLUMNS} 列")
                sheets.append(RawSheet(meta.name, bounded_rows(data, meta.name, MAX_ROWS, MAX_COLUMNS), hidden))
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            if sheet.total_height > MAX_ROWS:
                notes.append(f"“{meta.name}”表有 {sheet.total_height} 行，只读取了前 {MAX_ROWS} 行")
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            sheets.append(RawSheet(meta.name, rows, hidden, merged))
    except BaseException as exc:  # calamine's errors, and its Rust panics (not an Exception) on fuzzed files
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return ReturnProblem(candidate.name, "文件已损坏或格式不对，无法读取。" + WHAT_TO_SEND)
    if len(book.sheets_metadata) > MAX_SHEETS:
        notes.append(f"工作表超过 {MAX_SHEETS} 张，只读取了前 {MAX_SHEETS} 张")
    notes += _keep_unsaved(sheets, package.unsaved)
    return RawBook(candidate.name, sheets, properties, modified, package.formulas, notes)


def _keep_unsaved(sheets: list[RawSheet], unsaved: dict[str, list[tuple[int, int, str]]]) -> list[str]:
    """A formula saved without its value reads as empty: its text goes in the cell, as text, and is reported."""
    notes = []
    for sheet in sheets:
        for row, column, formula in unsaved.get(sheet.name, []):
            if row < len(sheet.rows) and column < len(sheet.rows[row]) and sheet.rows[row][column] in ("", None):
                sheet.rows[row][column] = formula
                notes.append(f"“{sheet.name}”表第 {row + 1} 行第 {column + 1} 列是公式 {formula[:40]}，"
                             "文件中没有保存计算结果，已把公式按文字照录（不计算），请核对")
    return notes
