"""The quarterly progress report as Word (.docx), in the style of a published government report.

Title in 方正小标宋, parts in 黑体, sections in 楷体, text in 仿宋, numbering as in
the plan; each task with its lead unit and what the lead reported. A second
version lists only the tasks that are 滞后, for internal use.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from xltools.forms.model import QUARTER_WORDS, report_name
from xltools.master.content import Master, Table
from xltools.merge.status import BEHIND, STATUSES
from xltools.vocab import CURRENT_STATUS, KEY, PLAN, PROGRESS, quarter_column
from xltools.writers.files import write_atomic

TITLE_FONT, HEAD_FONT, SECTION_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _paragraph(document, text: str, font: str, size: float = 16, *, bold: bool = False, center: bool = False,
               indent: bool = True):
    p = document.add_paragraph()
    p.paragraph_format.line_spacing = Pt(28)
    p.paragraph_format.space_after = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _run(p, text, font, size, bold)
    return p


def _number(task) -> str:
    """As printed in the plan: "12." or "（一）"."""
    return f"{task.number}." if task.number.isdigit() else task.number.replace("(", "（").replace(")", "）")


def progress(summary: Table, quarter: int) -> dict[tuple[str, str], tuple[str, str]]:
    """(方案, 编号) → (the lead's 完成情况 in that quarter, current status)."""
    at = {name: i for i, name in enumerate(summary.header)}
    column = at.get(quarter_column(quarter, PROGRESS))
    return {(row[at[PLAN]], row[at[KEY]]): (row[column] if column is not None else "", row[at[CURRENT_STATUS]])
            for row in summary.rows}


def write_report(master: Master, summary: Table, quarter: int, path: Path, only_behind: bool = False,
                 today: dt.date | None = None) -> Path:
    today = today or dt.date.today()
    data = progress(summary, quarter)
    document = docx.Document()
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    name = report_name(master.plans)
    title = (f"{master.settings.year}年{name}目标任务{QUARTER_WORDS[quarter]}"
             + ("滞后任务清单（内部）" if only_behind else "进展情况"))
    _paragraph(document, title, TITLE_FONT, 22, center=True)
    _paragraph(document, f"（{today.year}年{today.month}月{today.day}日）", BODY_FONT, 16, center=True)
    counts = {s: sum(1 for _, status in data.values() if status == s) for s in STATUSES}
    summary_text = (f"{master.settings.year}年{name}确定的目标任务共{len(data)}项。截至{QUARTER_WORDS[quarter]}，"
                    + "，".join(f"{s}{counts[s]}项" for s in STATUSES) + "。")
    _paragraph(document, summary_text, BODY_FONT)
    shown = 0
    for plan in master.plans:
        sheet = master.sheet_of(plan)
        tasks = [t for t in plan.tasks if not only_behind or data[(sheet, t.key)][1] == BEHIND]
        if not tasks:
            continue
        if len(master.plans) > 1:
            _paragraph(document, plan.title, HEAD_FONT, 16, center=True)
        parts = {p.numeral: p.title for p in plan.parts}
        part = section = None
        for task in tasks:
            if task.part != part:
                part, section = task.part, None
                if part:
                    _paragraph(document, f"{part}、{parts.get(part, '')}", HEAD_FONT)
            if task.section and task.section != section:
                section = task.section
                _paragraph(document, section, SECTION_FONT)
            text, status = data[(sheet, task.key)]
            lead = "、".join(task.lead or task.units[:3])
            p = _paragraph(document, f"{_number(task)}{task.text}", BODY_FONT)
            if lead:
                _run(p, f"（牵头单位：{lead}）", BODY_FONT, 16)
            _paragraph(document, f"进展情况：{text or '未报送。'}【{status}】", BODY_FONT)
            shown += 1
    if only_behind and not shown:
        _paragraph(document, "本季度没有判为滞后的任务。", BODY_FONT)
    return write_atomic(path, lambda tmp: document.save(str(tmp)))
