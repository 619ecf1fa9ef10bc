"""The quarterly progress report as Word (.docx), laid out as a 公文 (GB/T 9704).

方正小标宋 title, 黑体 parts, 楷体 sub-headings, 仿宋_GB2312 三号 text at a fixed 28 pt
line, page numbers "— 1 —" in the footer. The report: 一、总体情况 (counts and rates
by part, reporting on time), 二、主要进展 (a few tasks per part), 三、存在问题 (the 滞后
tasks as a table, with the units whose words lag), 四、下步工作 (left for the clerk),
and as 附件 the full task table on landscape pages. A second document, for internal
use, lists the 滞后 tasks with the rule that judged them. What is said comes from
xltools.report.content.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from xltools.forms.model import QUARTER_WORDS
from xltools.master.content import Master, Table
from xltools.report.content import (
    PUBLIC,
    Entry,
    Report,
    build_report,
    count,
    dated,
    headline,
    lines,
    overall,
    public_words,
    report_title,
    share,
)
from xltools.text import cell_text
from xltools.vocab import BASIS, KEY, LEAD, NOT_REPORTED, PART, STATUS, STATUSES, TASK
from xltools.writers.files import write_atomic

TITLE_FONT, HEAD_FONT, SECTION_FONT, BODY_FONT, PAGE_FONT = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312", "宋体"
BODY, TABLE_TEXT = 16, 10.5  # 三号, 五号
TWIPS = 567  # per centimetre
BODY_UNITS = 3  # units whose words the body quotes for one task; the 附件 has every unit's
NUMERALS = "一二三四五六七八九十"
PORTRAIT = (Cm(21.0), Cm(29.7), (Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)))  # width, height, (top, bottom, left, right)
LANDSCAPE = (Cm(29.7), Cm(21.0), (Cm(2.8), Cm(2.6), Cm(2.5), Cm(2.5)))
LAGGING_UNITS, WORDS = "滞后单位", "进展情况"
PLACEHOLDER = ("【请填写下步工作：对滞后任务的督办措施（约谈、专项督查、限期整改等），"
               "对未按时报送单位的催报和通报安排，下季度的工作重点。】")
CIRCULAR_PLACEHOLDER = ("【请填写工作要求：对逾期、未报送单位和滞后任务的整改要求、时限，"
                        "下一季度报送的时间和要求。】")


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _paragraph(document, text: str, font: str = BODY_FONT, size: float = BODY, *, center: bool = False,
               indent: bool = True, spacing: float = 28):
    p = document.add_paragraph()
    p.paragraph_format.line_spacing = Pt(spacing)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.keep_with_next = font != BODY_FONT  # a title or heading stays with what follows
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        _run(p, text, font, size)
    return p


def _chinese(n: int) -> str:
    """1 → 一, 12 → 十二 (the sub-headings' numbering)."""
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + ("十" if tens else "") + (NUMERALS[ones - 1] if ones else "")


def _page(section, size: tuple) -> None:
    width, height, (top, bottom, left, right) = size
    section.orientation = WD_ORIENT.LANDSCAPE if width > height else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = top, bottom, left, right
    section.footer_distance = Cm(2.5) if height > width else Cm(1.5)


def _field(paragraph, code: str, font: str, size: float) -> None:
    """A Word field (PAGE …): begin, instruction, separate, a placeholder result, end."""
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        _run(paragraph, "", font, size)._r.append(element)

    char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    _run(paragraph, "", font, size)._r.append(instruction)
    char("separate")
    _run(paragraph, "1", font, size)
    char("end")


def _new_document(size: tuple):
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(BODY)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = document.sections[0]
    _page(section, size)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", PAGE_FONT, 14)
    _field(footer, "PAGE", PAGE_FONT, 14)
    _run(footer, " —", PAGE_FONT, 14)
    return document


def _table(document, columns: list[tuple[str, float]], rows: list[list[str] | str], centered: set[int],
           whole_rows: bool = False):
    """A table with a header repeated on every page; a row given as a str spans the table (a part's name).

    `whole_rows`: no row breaks across a page (for tables whose rows are short)."""
    table = document.add_table(rows=0, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, (_, width) in zip(table.columns, columns, strict=True):
        column.width = Cm(width)
    header = _row_xml([label for label, _ in columns], columns, set(range(len(columns))), False, header=True)
    body = "".join(_row_xml(row, columns, centered, whole_rows) for row in rows)
    for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{header}{body}</w:tbl>"):  # built as XML: python-docx's cells are slow
        table._tbl.append(tr)
    return table


def _row_xml(row: list[str] | str, columns: list[tuple[str, float]], centered: set[int], whole: bool,
             header: bool = False) -> str:
    """A table row as WordprocessingML; a str spans the row in the heading font; the `header` row, in the
    heading font, is repeated on every page; a `whole` row never breaks across pages."""
    font = HEAD_FONT if header else BODY_FONT
    flags = "<w:tblHeader/>" if header else "<w:cantSplit/>" if whole else ""
    keep = f"<w:trPr>{flags}</w:trPr>" if flags else ""
    if isinstance(row, str):
        width = sum(round(w * TWIPS) for _, w in columns)
        span = f'<w:gridSpan w:val="{len(columns)}"/>'
        return f"<w:tr>{keep}{_cell_xml(row, width, HEAD_FONT, False, span)}</w:tr>"
    cells = "".join(_cell_xml(text, round(width * TWIPS), font, i in centered)
                    for i, (text, (_, width)) in enumerate(zip(row, columns, strict=True)))
    return f"<w:tr>{keep}{cells}</w:tr>"


def _cell_xml(text: str, width: int, font: str, center: bool, span: str = "") -> str:
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
    size = f'<w:sz w:val="{round(TABLE_TEXT * 2)}"/>'
    lines = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in cell_text(text).split("\n"))
    align = '<w:jc w:val="center"/>' if center else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}</w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>{align}</w:pPr>'
            f"<w:r><w:rPr>{fonts}{size}</w:rPr>{lines}</w:r></w:p></w:tc>")


def _words(entry: Entry, most: int | None = None) -> str:
    if not entry.said:
        return "报送内容不是完成情况，待核实" if entry.unread else f"（{NOT_REPORTED}）"
    shown = lines(entry.said[:most] if most else entry.said)
    more = f"（共{len(entry.said)}个单位报送）" if most and len(entry.said) > most else ""
    return ("；" if most else "\n").join(shown) + more


def _heading(document, master: Master, quarter: int, what: str, today: dt.date) -> None:
    _paragraph(document, report_title(master, quarter, what), TITLE_FONT, 22, center=True, spacing=36)
    _paragraph(document, f"（{dated(today)}）", center=True)
    _paragraph(document, "")


def _reporting(report: Report) -> str:
    """Who sent the quarter's 附表3 on time, late, not at all ("" when nobody owed one)."""
    r = report.reporting
    if r is None or not r.due:
        return ""
    text = (f"{QUARTER_WORDS[report.quarter]}应报送完成情况的单位{r.due}个，按时报送{len(r.on_time)}个、"
            f"占{share(len(r.on_time), r.due)}，逾期报送{len(r.late)}个，未报送{len(r.missing)}个。")
    if r.late:
        text += f"逾期报送的单位：{'、'.join(r.late)}。"
    if r.missing:
        text += f"未报送的单位：{'、'.join(r.missing)}。"
    return text


def _overview(document, master: Master, report: Report) -> None:
    entries = report.entries
    _paragraph(document, "一、总体情况", HEAD_FONT)
    _paragraph(document, overall(master, report))
    if text := _reporting(report):
        _paragraph(document, text)
    _paragraph(document, "各部分任务进展情况如下（项数、占比）：").paragraph_format.keep_with_next = True
    rows = []
    for group in report.groups + [None]:
        part = group.entries if group else entries
        n, found = len(part), count(part)
        rows.append([group.label if group else "合计", str(n),
                     *[f"{found[s]}\n{share(found[s], n)}" for s in STATUSES]])
    _table(document, [(PART, 4.0), ("任务数", 1.6), *[(s, 2.5) for s in STATUSES]], rows, set(range(1, 6)), True)


def _progress(document, report: Report) -> None:
    _paragraph(document, "二、主要进展", HEAD_FONT)
    chosen = [(g, g.highlights()) for g in report.groups]
    chosen = [(g, items) for g, items in chosen if items]
    if not chosen:
        _paragraph(document, "本季度暂无已完成或有明确进展的任务。")
    for i, (group, items) in enumerate(chosen, start=1):
        _paragraph(document, f"（{_chinese(i)}）{group.heading}", SECTION_FONT)
        for n, entry in enumerate(items, start=1):
            p = _paragraph(document, "")
            _run(p, f"{n}.{headline(entry.task)}", BODY_FONT, BODY, bold=True)
            _run(p, f"（{entry.lead}，{entry.status}）{_words(entry, 2)}", BODY_FONT, BODY)


def _behind_rows(entries: list[Entry], full: bool) -> list[list[str]]:
    """编号, 任务, 牵头单位, 滞后单位, their words (in the body: three units' at most), and with `full` 判定依据."""
    rows = []
    for e in entries:
        said = "\n".join(lines(e.lagging if full else e.lagging[:BODY_UNITS])) if e.lagging else f"（{NOT_REPORTED}）"
        if not full and len(e.lagging) > BODY_UNITS:
            said += f"\n（另有{len(e.lagging) - BODY_UNITS}个单位，详见附件）"
        row = [e.key, e.task if full else headline(e.task, 40), e.lead, e.lagging_units, said]
        rows.append(row + [e.basis] if full else row)
    return rows


def _problems(document, report: Report) -> None:
    words = QUARTER_WORDS[report.quarter]
    _paragraph(document, "三、存在问题", HEAD_FONT)
    behind, entries = report.behind(), report.entries
    if behind:
        units = {u for e in behind for u in e.lagging_units.split("、") if u}
        _paragraph(document, f"截至{words}，{len(behind)}项任务进展滞后，占{share(len(behind), len(entries))}，"
                             f"涉及{len(units)}个单位，具体如下：").paragraph_format.keep_with_next = True
        _table(document, [(KEY, 1.7), (TASK, 4.3), (LEAD, 2.2), (LAGGING_UNITS, 2.2), ("滞后单位报送的情况", 5.2)],
               _behind_rows(behind, full=False), {0}, True)
        if again := report.behind_again():
            named = "、".join(f"{e.key}（{e.lead}，连续{e.lagging_quarters}个季度）" for e in again)
            _paragraph(document, f"其中连续两个季度以上滞后的任务{len(again)}项：{named}，需重点督办。")
    else:
        _paragraph(document, f"截至{words}，没有判为滞后的任务。")
    silent = [e for e in entries if not e.said]
    if silent:
        unread = sum(1 for e in silent if e.unread)
        text = f"另有{len(silent)}项任务未报送完成情况"
        text += f"，其中{unread}项报送的内容不是完成情况（如公式、符号或“无”），待核实。" if unread else "。"
        _paragraph(document, text)


def _placeholder(document, text: str) -> None:
    """A paragraph the clerk must write, highlighted so it is not sent as it is."""
    _run(_paragraph(document, ""), text, BODY_FONT, BODY).font.highlight_color = WD_COLOR_INDEX.YELLOW


def _next_steps(document) -> None:
    _paragraph(document, "四、下步工作", HEAD_FONT)
    _placeholder(document, PLACEHOLDER)


def _attachment(document, master: Master, report: Report) -> None:
    title = report_title(master, report.quarter, "进展情况表")
    _paragraph(document, "")
    _paragraph(document, f"附件：{title}")
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, LANDSCAPE)
    _paragraph(document, "附件", HEAD_FONT, indent=False)
    _paragraph(document, title, TITLE_FONT, 18, center=True, spacing=32)
    _task_table(document, report, _words)


def _task_table(document, report: Report, words) -> None:
    """Every task by part: 编号, 任务, 牵头单位, 进展情况 (as `words` gives it), 状态; for landscape pages."""
    rows: list[list[str] | str] = []
    for group in report.groups:
        rows.append(group.label)
        rows += [[e.key, e.task, e.lead, words(e), e.status] for e in group.entries]
    _table(document, [(KEY, 1.6), (TASK, 7.2), (LEAD, 3.2), (WORDS, 10.8), (STATUS, 1.9)], rows, {0, 4})


def write_circular_docx(master: Master, report: Report, path: Path, today: dt.date) -> Path:
    """通报 draft (设置 生成通报稿): units' reporting and the 滞后 tasks with their lagging units, for the
    office to complete (工作要求) and circulate."""
    document = _new_document(PORTRAIT)
    _paragraph(document, f"关于{report_title(master, report.quarter, '推进情况')}的通报", TITLE_FONT, 22,
               center=True, spacing=36)
    _paragraph(document, "")
    _paragraph(document, "各责任单位：", indent=False)
    _paragraph(document, overall(master, report) + "现将有关情况通报如下：")
    _paragraph(document, "一、报送情况", HEAD_FONT)
    _paragraph(document, _reporting(report) or "本季度没有应报送完成情况的单位。")
    _paragraph(document, "二、滞后任务", HEAD_FONT)
    behind = report.behind()
    if behind:
        _paragraph(document, f"以下{len(behind)}项任务进展滞后：").paragraph_format.keep_with_next = True
        rows = [[e.key, headline(e.task, 40), e.lead, e.lagging_units] for e in behind]
        _table(document, [(KEY, 1.8), (TASK, 6.6), (LEAD, 3.0), (LAGGING_UNITS, 3.2)], rows, {0}, True)
        if again := report.behind_again():
            _paragraph(document, "其中连续两个季度以上滞后：" + "、".join(f"{e.key}（{e.lagging_units}）" for e in again) + "。")
    else:
        _paragraph(document, "本季度没有判为滞后的任务。")
    _paragraph(document, "三、工作要求", HEAD_FONT)
    _placeholder(document, CIRCULAR_PLACEHOLDER)
    _paragraph(document, "")
    for line in (master.settings.office, dated(today)):
        _paragraph(document, line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return write_atomic(path, lambda tmp: document.save(str(tmp)))


def write_public_docx(master: Master, report: Report, path: Path, today: dt.date) -> Path:
    """公开版: each task with its lead unit, progress and status, for publishing; nothing internal (no 督办意见,
    judging rules, contacts or telephone numbers, no 待核实 notes)."""
    document = _new_document(LANDSCAPE)
    _heading(document, master, report.quarter, PUBLIC, today)
    _paragraph(document, overall(master, report) + "各项任务进展情况如下：")
    _task_table(document, report, public_words)
    return write_atomic(path, lambda tmp: document.save(str(tmp)))


def write_report(master: Master, tables: list[Table], quarter: int, path: Path, only_behind: bool = False,
                 today: dt.date | None = None, report: Report | None = None) -> Path:
    """The report on `quarter` from the tracker's sheets; `only_behind`: the internal list of 滞后 tasks.
    `report`: its content when already built (the two documents of a quarter share it)."""
    today = today or dt.date.today()
    report = report or build_report(master, tables, quarter)
    if only_behind:
        document = _new_document(LANDSCAPE)
        _heading(document, master, quarter, "滞后任务清单（内部）", today)
        behind = report.behind()
        _paragraph(document, f"截至{QUARTER_WORDS[quarter]}，判为滞后的任务{len(behind)}项。“{BASIS}”是台账自动判定的理由，"
                             "请核实后再用于通报。" if behind else "本季度没有判为滞后的任务。")
        if behind:
            _table(document, [(KEY, 1.6), (TASK, 6.0), (LEAD, 3.0), (LAGGING_UNITS, 3.0), ("报送的情况", 7.4),
                              (BASIS, 3.6)], _behind_rows(behind, full=True), {0})
    else:
        document = _new_document(PORTRAIT)
        _heading(document, master, quarter, "进展情况", today)
        _overview(document, master, report)
        _progress(document, report)
        _problems(document, report)
        _next_steps(document)
        _attachment(document, master, report)
    return write_atomic(path, lambda tmp: document.save(str(tmp)))
