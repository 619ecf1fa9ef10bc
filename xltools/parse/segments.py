"""Prepare a document's lines and cut it into plans.

A notice carries one or more plans, each starting at a title such as
"2025年市《政府工作报告》目标任务责任分解方案" and ending at the next title,
a form (附表/附件 N) or the distribution list (抄送).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from xltools.model import Document
from xltools.parse.unitlist import spaces_as_separators
from xltools.shift import CharModel, garbled_stretch, realign_shifted
from xltools.text import clean_line, is_damaged, page_furniture, repair_mojibake, to_simplified

Warn = Callable[[int, str], None]


@dataclass
class Line:
    number: int
    text: str  # cleaned, simplified
    original: str = ""  # the text as written, when it differs (traditional, repaired)
    cells: list[str] | None = None
    page_break: bool = False  # a page number ("—4—") or page break alone on its line
    spans_known: bool = False  # a table row whose merged cells the reader resolved (SourceLine)


@dataclass
class Segment:
    title: str
    line: int
    lines: list[Line] = field(default_factory=list)


_TITLE = re.compile(r"(分解方案|任务分解|责任分工方案|任务清单|工作清单)")
_NOT_TITLE = re.compile(r"(通知|印发|^附件[：:]|^[（(]?\d+[.、]|。.+)")
_FORM_MARK = re.compile(r"^(附表|附件|所表|附\s*表)\s*\d{1,2}$|^抄\s*送|印发$")
_TRAILING_FORM_MARK = re.compile(r"(?<=）)\s*(附件|附表)\s*\d{1,2}$")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?")
_PAGE_MARK = re.compile(r"\s*(\f|[—–-]{1,2}\s*\d{1,3}\s*[—–-]{1,2}|第\s*\d{1,3}\s*页(\s*共\s*\d{1,3}\s*页)?)\s*")
_TASK_LIKE = re.compile(r"（\s*(牵头单位|责任单位|区级责任单位|市级牵头单位)")


def prepare(doc: Document, warn: Warn) -> list[Line]:
    """Clean every line: charset repair, traditional → simplified, noise removed."""
    lines: list[Line] = []
    model = CharModel([src.text for src in doc.lines])
    traditional = _traditional_document([src.text for src in doc.lines])
    converted = 0
    for src in doc.lines:
        raw = _repair(src.text, src.number, model, warn)
        damaged = is_damaged(raw)
        if damaged:
            warn(
                src.number,
                f"这一行有乱码（文件可能用错了字符集），只能部分识别，请对照原文核对：“{_excerpt(raw)}”",
            )
        elif garbled := garbled_stretch(raw, model):
            warn(src.number, f"这一行有一段像是乱码（文件可能用错了字符集），请对照原文核对：“{garbled}”")
        simplified = to_simplified(raw)
        if traditional or _differences(raw, simplified) >= 2:
            converted += simplified != raw and not damaged
        else:
            simplified = raw  # one odd character is a name ("菜薹"), not traditional text
        cells = src.cells if src.cells is not None else _text_cells(raw)
        if cells is not None:
            cells = [clean_line(spaces_as_separators(to_simplified(_repair(c, src.number, model, None)))) for c in cells]
        text = clean_line(simplified)
        mark = _TRAILING_FORM_MARK.search(text)
        original = src.text if src.text.strip() != text else ""
        page_break = bool(_PAGE_MARK.fullmatch(src.text))
        if mark:
            lines.append(Line(src.number, text[: mark.start()], original, cells))
            lines.append(Line(src.number, mark.group().strip()))
        else:
            lines.append(Line(src.number, text, original, cells, page_break, src.spans_known))
    if converted:
        warn(0, f"文件中有 {converted} 行繁体字，已转为简体识别；原文保留在“原文”中")
    return lines


def _repair(raw: str, number: int, model: CharModel, warn: Warn | None) -> str:
    """Undo charset damage: UTF-8 read as GBK, or double-byte text read one byte out of step."""
    repaired = repair_mojibake(raw)
    if repaired is not None:
        if warn:
            warn(number, "这一行是字符集错误造成的乱码，已按 UTF-8 还原，请核对")
        return repaired
    realigned = realign_shifted(raw, model)
    if realigned is None:
        return raw
    if warn:
        warn(number, f"这一行有文字错位了一个字节（网页字符集错误造成的乱码），已重新对齐，还原为：“{_excerpt(realigned.text, 60)}”，请核对")
    return realigned.text


def _differences(raw: str, simplified: str) -> int:
    if raw == simplified:
        return 0
    return sum(a != b for a, b in zip(raw, simplified, strict=False))


def _traditional_document(texts: list[str]) -> bool:
    """Is the whole copy in traditional characters (a portal's 繁體 view)?

    Then every line is converted, short headings with a single traditional
    character included; in a simplified copy such a character is kept (a name).
    """
    texts = [text for text in texts if not text.isascii()]
    joined = to_simplified("\n".join(texts)).split("\n")  # one conversion for the whole copy
    changed = sum(1 for text, simple in zip(texts, joined, strict=False) if _differences(text, simple) >= 2)
    return changed >= max(3, len(texts) // 10)


def _text_cells(raw: str) -> list[str] | None:
    if raw.count("\t") >= 2:
        return raw.split("\t")
    stripped = raw.strip()
    if stripped.count("|") >= 2 and not re.fullmatch(r"[|\-:\s]+", stripped):
        return [c for c in stripped.strip("|").split("|")]
    return None


def _excerpt(text: str, size: int = 30) -> str:
    text = text.strip()
    return text if len(text) <= size else text[:size] + "…"


def is_title(text: str) -> bool:
    return bool(_TITLE.search(text)) and not _NOT_TITLE.search(text) and len(text) <= 90


def _joins_title(previous: str) -> bool:
    """Is the line above a title its first half ("…确定的主要目标" / "任务…方案")?"""
    return (
        0 < len(previous) <= 40
        and not re.search(r"[。；：，]$", previous)
        and not _DATE.search(previous)
        and not _FORM_MARK.match(previous)
        and not re.match(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、])", previous)
        and ("《" in previous or "年" in previous)
    )


def split_plans(lines: list[Line], default_title: str, warn: Warn) -> tuple[list[Segment], list[str]]:
    """Plans of a document, and the notice's lines outside them.

    A title without any line under it is a mention, not a plan. A web page's
    footer ends the plan it follows: it and what comes after it up to the next
    title are left out and reported; spam lines are left out wherever they are.
    """
    segments: list[Segment] = []
    notice: list[str] = []
    current: Segment | None = None
    footer: list[Line] = []  # lines dropped after a footer
    has_title = any(is_title(line.text) for line in lines)
    if not has_title:
        current = Segment(default_title, lines[0].number if lines else 0)
        segments.append(current)
    for i, line in enumerate(lines):
        text = line.text
        if has_title and is_title(text) and line.cells is None:
            _report_footer(footer, warn)
            title = text.lstrip("# ")
            if i > 0 and _joins_title(lines[i - 1].text):
                title = lines[i - 1].text + title
                if current is not None and current.lines and current.lines[-1] is lines[i - 1]:
                    current.lines.pop()
            current = Segment(title, line.number)
            segments.append(current)
        elif kind := _furniture(line):
            if current is not None or footer:  # outside a plan it is only left out of the notice
                warn(line.number, f"{_FURNITURE_KIND[kind]}，不是方案内容，未导入：“{_excerpt(text)}”")
            if kind == "footer" and current is not None:
                current = None
                footer.append(line)
        elif footer and text:
            footer.append(line)
        elif _FORM_MARK.match(text):
            current = None
        elif current is not None:
            current.lines.append(line)
        elif _TASK_LIKE.search(text):
            warn(line.number, f"这一行像是任务，但不在任何分解方案标题之下，未导入：“{_excerpt(text)}”")
        elif text:
            notice.append(text)
    _report_footer(footer, warn)
    return [s for s in segments if any(line.text for line in s.lines)], notice


_FURNITURE_KIND = {"footer": "这一行是网页的页脚（网站标识、备案号、栏目链接等）", "spam": "这一行是网页上的广告或垃圾信息"}


def _furniture(line: Line) -> str:
    """The kind of web page furniture a line is, never a line that carries a task's units."""
    if not line.text or _TASK_LIKE.search(line.text):
        return ""
    return page_furniture(line.text)


def _report_footer(footer: list[Line], warn: Warn) -> None:
    """Lines after a footer (kept out of the plan) reported at once; the list is emptied."""
    rest = [line for line in footer[1:] if line.text and not _furniture(line)]
    if rest:
        warn(rest[0].number, f"网页页脚之后还有 {len(rest)} 行（到第 {rest[-1].number} 行），不是方案内容，未导入")
    footer.clear()
