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
from xltools.text import clean_line, is_damaged, repair_mojibake, to_simplified

Warn = Callable[[int, str], None]


@dataclass
class Line:
    number: int
    text: str  # cleaned, simplified
    original: str = ""  # the text as written, when it differs (traditional, repaired)
    cells: list[str] | None = None


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
_TASK_LIKE = re.compile(r"（\s*(牵头单位|责任单位|区级责任单位|市级牵头单位)")


def prepare(doc: Document, warn: Warn) -> list[Line]:
    """Clean every line: charset repair, traditional → simplified, noise removed."""
    lines: list[Line] = []
    traditional = 0
    for src in doc.lines:
        raw = src.text
        repaired = repair_mojibake(raw)
        if repaired is not None:
            warn(src.number, "这一行是字符集错误造成的乱码，已按 UTF-8 还原，请核对")
            raw = repaired
        damaged = is_damaged(raw)
        if damaged:
            warn(
                src.number,
                f"这一行有乱码（文件可能用错了字符集），只能部分识别，请对照原文核对：“{_excerpt(raw)}”",
            )
        simplified = to_simplified(raw)
        if sum(a != b for a, b in zip(raw, simplified, strict=False)) >= 2:
            traditional += not damaged
        else:
            simplified = raw  # one odd character is a name ("菜薹"), not traditional text
        cells = src.cells if src.cells is not None else _text_cells(raw)
        if cells is not None:
            cells = [clean_line(to_simplified(c)) for c in cells]
        text = clean_line(simplified)
        mark = _TRAILING_FORM_MARK.search(text)
        original = src.text if src.text.strip() != text else ""
        if mark:
            lines.append(Line(src.number, text[: mark.start()], original, cells))
            lines.append(Line(src.number, mark.group().strip()))
        else:
            lines.append(Line(src.number, text, original, cells))
    if traditional:
        warn(0, f"文件中有 {traditional} 行繁体字，已转为简体识别；原文保留在“原文”中")
    return lines


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

    A title without any line under it is a mention, not a plan.
    """
    segments: list[Segment] = []
    notice: list[str] = []
    current: Segment | None = None
    has_title = any(is_title(line.text) for line in lines)
    if not has_title:
        current = Segment(default_title, lines[0].number if lines else 0)
        segments.append(current)
    for i, line in enumerate(lines):
        text = line.text
        if has_title and is_title(text) and line.cells is None:
            title = text.lstrip("# ")
            if i > 0 and _joins_title(lines[i - 1].text):
                title = lines[i - 1].text + title
                if current is not None and current.lines and current.lines[-1] is lines[i - 1]:
                    current.lines.pop()
            current = Segment(title, line.number)
            segments.append(current)
        elif _FORM_MARK.match(text):
            current = None
        elif current is not None:
            current.lines.append(line)
        elif _TASK_LIKE.search(text):
            warn(line.number, f"这一行像是任务，但不在任何分解方案标题之下，未导入：“{_excerpt(text)}”")
        elif text:
            notice.append(text)
    return [s for s in segments if any(line.text for line in s.lines)], notice
