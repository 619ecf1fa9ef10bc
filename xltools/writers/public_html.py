"""公开版 as one web page: what the quarter's report publishes, for the government website.

The same content as the 公开版 .docx (writers/report_docx.write_public_docx): the
tasks by part with lead unit, progress and status; one self-contained UTF-8 file
with no scripts and no outside resources, every text escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from xltools.master.content import Master
from xltools.report.content import PUBLIC, Report, dated, overall, public_words, report_title
from xltools.vocab import KEY, LEAD, STATUS, TASK
from xltools.writers.files import write_text_atomic

STYLE = """body{font-family:"FangSong","仿宋_GB2312","Noto Serif CJK SC",serif;max-width:1100px;margin:2em auto;
line-height:1.7;color:#222}h1{font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif;font-size:1.5em;
text-align:center}p.date{text-align:center}table{border-collapse:collapse;width:100%}th,td{border:1px solid #888;
padding:.3em .5em;vertical-align:top}th{background:#eee}td{white-space:pre-line}td.c{text-align:center}
tr.part td{font-weight:bold;background:#f6f6f6}"""


def public_html(master: Master, report: Report, today: dt.date) -> str:
    title = report_title(master, report.quarter, PUBLIC)
    rows = []
    for group in report.groups:
        rows.append(f'<tr class="part"><td colspan="5">{escape(group.label)}</td></tr>')
        rows += [f'<tr><td class="c">{escape(e.key)}</td><td>{escape(e.task)}</td><td>{escape(e.lead)}</td>'
                 f'<td>{escape(public_words(e))}</td><td class="c">{escape(e.status)}</td></tr>'
                 for e in group.entries]
    summary = overall(master, report)
    head = "".join(f"<th>{escape(name)}</th>" for name in (KEY, TASK, LEAD, "进展情况", STATUS))
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n<h1>{escape(title)}</h1>\n"
            f'<p class="date">（{dated(today)}）</p>\n<p>{escape(summary)}</p>\n'
            f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
            "</body>\n</html>\n")


def write_public_html(master: Master, report: Report, path: Path, today: dt.date) -> Path:
    return write_text_atomic(path, public_html(master, report, today))
