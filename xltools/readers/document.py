"""Read a plan document (text, Markdown, Word, web page, PDF, spreadsheet) into lines.

Every failure is a `BadFile` whose message tells a clerk what is wrong with
the file and what to do instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from xltools.errors import BadFile
from xltools.model import Document, SourceLine
from xltools.readers.limits import FAR, bounded_rows, package_refusal, sheet_names

MAX_BYTES = 50 * 1024 * 1024
MAX_CHARACTERS = 5_000_000  # a plan of 3,400 tasks has about 400,000
MAX_ROWS, MAX_COLUMNS = 50_000, 40  # of a plan kept in a spreadsheet


def read_document(path: str | Path) -> Document:
    path = Path(path)
    if not path.exists():
        raise BadFile(f"找不到文件：{path}。请检查文件名和所在文件夹。")
    if path.is_dir():
        raise BadFile(f"{path} 是文件夹，不是文件。请指定方案文件。")
    data = path.read_bytes()
    if not data.strip():
        raise BadFile(f"{path.name} 是空文件，没有任何内容。")
    if len(data) > MAX_BYTES:
        raise BadFile(f"{path.name} 超过 50MB，不像是一份分解方案。请检查是否选错了文件。")
    kind = _sniff(data, path.suffix.lower())
    reader = _READERS.get(kind)
    if reader is None:
        raise BadFile(_UNSUPPORTED.get(kind, f"{path.name} 不是可识别的文本或文档文件。").format(name=path.name))
    if kind in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if refusal := package_refusal(archive):
                raise BadFile(f"{path.name}：{refusal}。请向发文单位重新索取文件，或另存为 .docx/.txt 后导入。")
    lines, unit = reader(data, path.name)
    if sum(len(line.text) for line in lines) > MAX_CHARACTERS:
        raise BadFile(f"{path.name} 有 {sum(len(line.text) for line in lines)} 个字符，远超一份分解方案"
                      f"（上限 {MAX_CHARACTERS // 10000} 万字），不像是方案文件。请检查是否选错了文件。")
    if not any(line.text.strip() or line.cells for line in lines):
        raise BadFile(f"{path.name} 中没有可识别的文字。")
    return Document(path.name, lines, unit)


def _sniff(data: bytes, suffix: str) -> str:
    """What a file really is, whatever its name says."""
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "damaged"
        if "word/document.xml" in names:
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls" if suffix in (".xls", ".et") else "ole"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")):
        return "image"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lower()
    if suffix in (".html", ".htm", ".mht") or re.search(rb"<(!doctype html|html|body|table|p)\b", head):
        return "html"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not _looks_utf16(data):
        return "binary"
    return "text"


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without BOM: zero bytes on one side of the pairs (ASCII), none on the other."""
    sample = data[:4096]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    quarter, few = len(sample) // 8, len(sample) // 40
    return (odd > quarter and even <= few) or (even > quarter and odd <= few)


_UNSUPPORTED = {
    "ole": "{name} 是旧版 Word/WPS 文件（.doc/.wps）。请用 Word 或 WPS 打开，另存为 .docx 后再导入。",
    "rtf": "{name} 是 RTF 文件。请用 Word 或 WPS 打开，另存为 .docx 后再导入。",
    "zip": "{name} 是压缩包，不是文档。请解压后导入其中的方案文件。",
    "image": "{name} 是图片，不是文档。请向发文单位索取文字版（.docx/.txt），或先用 OCR 识别成文字。",
    "damaged": "{name} 已损坏，无法打开。请向发文单位重新索取文件。",
    "binary": "{name} 不是文本或文档文件（可能是图片或程序）。请导入 .txt/.docx/.html 格式的方案。",
}


# -- text ---------------------------------------------------------------

def decode_text(data: bytes) -> str:
    """Decode text in any common Chinese encoding (UTF-8 ± BOM, UTF-16, GB18030, Big5)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if _looks_utf16(data):
        little = data[1::2].count(0) > data[0::2].count(0)
        return data.decode("utf-16-le" if little else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    damaged = data.decode("utf-8", errors="replace")
    if damaged.count("\ufffd") <= max(3, len(damaged) // 200):
        return damaged  # a UTF-8 file with a few broken bytes: keep it, lines are flagged
    for encoding in ("gb18030", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return damaged


def _read_text(data: bytes, name: str) -> tuple[list[SourceLine], str]:
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    return [SourceLine(i, line) for i, line in enumerate(text.split("\n"), start=1)], "行"


# -- Word ---------------------------------------------------------------

def _read_docx(data: bytes, name: str) -> tuple[list[SourceLine], str]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise BadFile(f"{name} 是 Word 文件，但已损坏或加了密码，无法打开（{type(exc).__name__}）。") from exc
    lines: list[SourceLine] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a horizontally merged cell repeats
                        continue
                    seen.add(id(cell._tc))
                    cells.append("\n".join(p.text for p in cell.paragraphs))  # merged cells repeat their text
                lines.append(SourceLine(len(lines) + 1, "\t".join(cells), cells, spans_known=True))
        else:
            for part in block.text.split("\n"):
                lines.append(SourceLine(len(lines) + 1, part))
    return lines, "段"


# -- web pages ----------------------------------------------------------

_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr", "dt", "dd"}


def _html_charset(data: bytes) -> str | None:
    m = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.I)
    return m.group(1).decode("ascii").lower() if m else None


def _read_html(data: bytes, name: str) -> tuple[list[SourceLine], str]:
    from bs4 import BeautifulSoup, NavigableString, Tag

    charset = _html_charset(data)
    try:
        text = data.decode(charset) if charset else decode_text(data)
    except (LookupError, UnicodeDecodeError):
        text = decode_text(data)
    soup = BeautifulSoup(text, "html.parser")
    for junk in soup(["script", "style", "noscript", "head"]):
        junk.decompose()
    lines: list[SourceLine] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            lines.append(SourceLine(len(lines) + 1, "".join(buffer)))
            buffer.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                buffer.append(str(child).replace("\n", " "))
            elif isinstance(child, Tag):
                if child.name == "table":
                    flush()
                    for cells in _html_rows(child):
                        lines.append(SourceLine(len(lines) + 1, "\t".join(cells), cells, spans_known=True))
                elif child.name in _BLOCKS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)

    try:
        walk(soup)
        flush()
    except RecursionError:  # tags nested thousands deep: the text alone, line by line
        lines = [SourceLine(i, line) for i, line in enumerate(soup.get_text("\n").split("\n"), start=1)]
    return lines, "行"


def _html_rows(table) -> list[list[str]]:
    """The rows of an HTML table, a cell spanning rows (rowspan) repeated in each, as Word's reader does."""
    rows: list[list[str]] = []
    carried: dict[int, tuple[str, int]] = {}  # column → (text, rows still to fill)
    for tr in table.find_all("tr"):
        cells: list[str] = []
        tds = iter(tr.find_all(["td", "th"]))
        column = 0
        while True:
            if column in carried:
                text, left = carried[column]
                cells.append(text)
                carried[column] = (text, left - 1)
                if left <= 1:
                    del carried[column]
                column += 1
                continue
            td = next(tds, None)
            if td is None:
                if any(c > column for c in carried):  # a spanned cell further right
                    cells.append("")
                    column += 1
                    continue
                break
            text = td.get_text(" ", strip=True)
            span = _span(td.get("rowspan"))
            if span > 1:
                carried[column] = (text, span - 1)
            cells.append(text)
            column += 1
        rows.append(cells)
    return rows


def _span(value) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return 1


# -- PDF ----------------------------------------------------------------

def _read_pdf(data: bytes, name: str) -> tuple[list[SourceLine], str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise BadFile(f"{name} 是加密的 PDF。请向发文单位索取未加密的文件，或 Word/文本版本。")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except PdfReadError as exc:
        raise BadFile(f"{name} 是 PDF，但已损坏，无法读取。") from exc
    if len(re.sub(r"\s", "", text)) < 20:
        raise BadFile(
            f"{name} 是扫描版 PDF（只有图片，没有文字）。请先用 WPS/Word 的“PDF 转文字”或 OCR 识别成文字，"
            "另存为 .docx 或 .txt 后再导入。"
        )
    return [SourceLine(i, line) for i, line in enumerate(text.split("\n"), start=1)], "行"


# -- spreadsheets -------------------------------------------------------

def _read_sheet(data: bytes, name: str) -> tuple[list[SourceLine], str]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types
        raise BadFile(f"{name} 是表格文件，但已损坏或加了密码，无法读取。") from exc
    lines: list[SourceLine] = []
    far = _far_sheets(data)
    for sheet_name in book.sheet_names:
        if sheet_name in far:  # a cell at XFD1048576 would make the reader allocate the whole grid
            rows = bounded_rows(data, sheet_name, MAX_ROWS, MAX_COLUMNS)
        else:
            rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False, nrows=MAX_ROWS)
        for row in rows:
            cells = ["" if v is None else str(v) for v in row[:MAX_COLUMNS]]
            lines.append(SourceLine(len(lines) + 1, "\t".join(cells), cells))
    return lines, "行"


def _far_sheets(data: bytes) -> set[str]:
    """Sheets of an .xlsx with a cell far outside any plan table."""
    if not data.startswith(b"PK"):
        return set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {p for p in archive.namelist() if p.startswith("xl/worksheets/") and p.endswith(".xml")}
        far = {p for p in parts if FAR.search(archive.read(p))}
        return {name for part, name in sheet_names(archive).items() if part in far} if far else set()


_READERS = {
    "text": _read_text,
    "docx": _read_docx,
    "html": _read_html,
    "pdf": _read_pdf,
    "xlsx": _read_sheet,
    "xls": _read_sheet,
}
