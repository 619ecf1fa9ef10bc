"""The quarterly report's content and its Word file, from a tracker built from known returns."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from copy import deepcopy

import docx
import pytest

from tests.task_rows import task_rows
from xltools.merge.consolidate import consolidate
from xltools.merge.model import Submission
from xltools.readers.master import load_master
from xltools.report.content import HIGHLIGHTS, Entry, Said, build_report, headline, lines, public_words
from xltools.vocab import BEHIND, CURRENT_STATUS, DONE, KEY, ON_TRACK, SUMMARY, TaskId
from xltools.workflow import write_reports
from xltools.writers.public_html import public_html
from xltools.writers.report_docx import write_report

ON_TIME, LATE = dt.datetime(2025, 4, 10), dt.datetime(2025, 4, 25)  # the 2025 notice: due 20 April
GARBAGE = {"一-(二)": "=cmd|' /C calc'!A0", "一-(三)": "+1+1", "一-(五)": "无", "二-2": "√ /", "二-3": "@SUM(1+1)"}
WORDS = {
    # several leads: only the one whose own words lag is a lagging unit
    "二-80": {"市发改委": "已完成。印发实施细则并组织培训。", "市自然资源和城乡建设局": "未启动，待上级政策明确后实施。",
             "市科技创新局": "按计划推进，召开专题会议3次。"},
    # a task without a lead: its ~50 units report, two of them lag
    "三-1": {"市教育局": "按计划推进，开展专题学习3次。", "市科技创新局": "进度滞后，受资金未到位影响。",
            "市发改委": "已完成全年目标任务。", "市民政局": "未启动，待上级政策明确后实施。"},
    "一-(一)": {"市发改委": "一季度地区生产总值增长6.5%，超过年度目标。"},
    "一-(四)": {"市发改委": "已完成。"},
    "二-1": {"市商务局": "已完成全年目标任务。"},
    "二-4": {"市商务局": "按计划推进，已培育智慧商店30个。"},
    "二-5": {"市商务局": "按计划推进。"},
    "二-6": {"市经信局": "已完成。"},
}


@pytest.fixture(scope="module")
def tracker(master_2025):
    master = load_master(master_2025)
    plan = master.plans[0]
    sheet = master.sheet_of(plan)
    by_unit: dict[str, dict[str, str]] = {}
    for key, said in WORDS.items():
        for unit, text in said.items():
            by_unit.setdefault(unit, {})[str(TaskId(sheet, key))] = text
    for key, text in GARBAGE.items():
        by_unit.setdefault(plan.task(key).lead[0], {})[str(TaskId(sheet, key))] = text
    subs = [Submission(f"{unit}.xlsx", unit, 1, LATE if unit == "市商务局" else ON_TIME, {3}, reports)
            for unit, reports in by_unit.items()]
    return master, consolidate(master, subs, [], 1, dt.date(2025, 5, 1))


@pytest.fixture(scope="module")
def report(tracker):
    master, t = tracker
    return build_report(master, t.tables, 1)


def entry(report, key):
    return next(e for e in report.entries if e.key == key)


def test_counts_agree_with_the_tracker(tracker, report):
    _, t = tracker
    summary = next(x for x in t.tables if x.name == SUMMARY)
    at = summary.header.index(CURRENT_STATUS)
    tasks = task_rows(summary.rows, key_at=summary.header.index(KEY))  # 分项 rows roll up into their task's
    assert len(summary.rows) == len(tasks) + 6
    assert Counter(e.status for e in report.entries) == Counter(r[at] for r in tasks)
    assert len(report.entries) == 340 and sum(len(g.entries) for g in report.groups) == 340
    assert [g.numeral for g in report.groups] == ["一", "二", "三", "四", "五"]


def test_lagging_units_are_those_whose_own_words_lag(report):
    several = entry(report, "二-80")
    assert several.four == BEHIND
    assert several.lagging_units == "市自然资源和城乡建设局"
    assert lines(several.lagging) == ["未启动，待上级政策明确后实施。"]
    group = entry(report, "三-1")
    assert group.four == BEHIND and len(group.said) == 4
    assert set(group.lagging_units.split("、")) == {"市科技创新局", "市民政局"}
    assert all(line.startswith(("【市科技创新局】", "【市民政局】")) for line in lines(group.lagging))
    assert all(e.lagging_units for e in report.behind())


def test_text_that_is_not_a_report_is_never_progress(tracker, report, tmp_path):
    for key in GARBAGE:
        e = entry(report, key)
        assert e.said == [] and e.unread, key
    master, t = tracker
    path = write_report(master, t.tables, 1, tmp_path / "report.docx", today=dt.date(2025, 5, 1))
    text = _all_text(docx.Document(path))
    assert not any(g in text for g in GARBAGE.values() if g != "无")
    assert "无" not in text.splitlines()  # a cell or line of its own
    assert "待核实" in text


def test_highlights_are_few_and_completed_first(report):
    part_one, part_two = report.groups[0], report.groups[1]
    for group in (part_one, part_two):
        chosen = group.highlights()
        assert 0 < len(chosen) <= HIGHLIGHTS and all(e.said for e in chosen)
        fours = [e.four for e in chosen]
        assert fours == sorted(fours, key=lambda s: s != DONE) and set(fours) <= {DONE, ON_TRACK}
    reported = [e for e in part_two.entries if e.said and e.four in (DONE, ON_TRACK)]
    assert len(reported) > HIGHLIGHTS  # there was a choice to make
    assert [e.key for e in part_two.highlights()] == ["二-1", "二-6", "二-4"]  # done, then progress with figures


def test_reporting_on_time(report):
    r = report.reporting
    assert r is not None and r.late == ["市商务局"]
    assert {"市发改委", "市教育局", "市经信局"} <= set(r.on_time)
    assert r.missing and "市商务局" not in r.missing and r.due == len(r.on_time) + 1 + len(r.missing)


def test_headline_cuts_at_a_clause():
    text = "实施项目投资质效提升十大工程，推进2400个亿元以上项目、1050个十亿元以上项目建设，完成固定资产投资增长5%左右的目标任务。"
    assert headline(text, 40) == "实施项目投资质效提升十大工程，推进2400个亿元以上项目……"
    assert headline("建设武昌滨江天街等3个消费新地标", 12) == "建设武昌滨江天街等3个消……"  # no clause: cut at the limit
    assert headline("建成微循环道路100条。") == "建成微循环道路100条。"


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_word_file_sections_tables_and_page_numbers(tracker, tmp_path):
    master, t = tracker
    path = write_report(master, t.tables, 1, tmp_path / "report.docx", today=dt.date(2025, 5, 1))
    document = docx.Document(path)
    heads = [p.text for p in document.paragraphs if re.match(r"^[一二三四]、", p.text)]
    assert heads == ["一、总体情况", "二、主要进展", "三、存在问题", "四、下步工作"]
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    landscape = document.sections[-1]
    assert landscape.page_width > landscape.page_height and len(document.sections) == 2
    overview, problems, attachment = document.tables
    assert overview.rows[-1].cells[1].text == "340"
    assert [c.text for c in problems.rows[0].cells][:4] == [KEY, "责任事项", "牵头单位", "滞后单位"]
    lagging = {row.cells[0].text: row.cells[3].text for row in problems.rows[1:]}
    assert lagging["二-80"] == "市自然资源和城乡建设局" and all(lagging.values())
    keys = [row.cells[0].text for row in attachment.rows[1:] if row.cells[0].text != row.cells[-1].text]
    assert len(keys) == 340  # every task, besides one row per part


def test_internal_list_has_only_lagging_tasks_and_why(tracker, report, tmp_path):
    master, t = tracker
    path = write_report(master, t.tables, 1, tmp_path / "internal.docx", only_behind=True, today=dt.date(2025, 5, 1))
    document = docx.Document(path)
    (table,) = document.tables
    assert [row.cells[0].text for row in table.rows[1:]] == [e.key for e in report.behind()]
    assert all(row.cells[-1].text for row in table.rows[1:])  # 判定依据
    assert document.sections[0].page_width > document.sections[0].page_height


def test_public_version_shows_tasks_progress_and_status_and_nothing_internal(tracker, report, tmp_path):
    master, t = tracker
    folder = tmp_path / "out"
    written = write_reports(master, t, 1, folder, dt.date(2025, 5, 1))
    word = next(p for p in written if p.name.endswith("（公开版）.docx"))
    page = next(p for p in written if p.suffix == ".html")
    document = docx.Document(word)
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == [KEY, "责任事项", "牵头单位", "进展情况", "状态"]
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]
            if row.cells[0].text != row.cells[-1].text}
    assert len(rows) == 340
    assert rows["一-(四)"][3:] == ["已完成。", entry(report, "一-(四)").status]
    assert rows["一-(二)"][3] == "—"  # a formula was sent: not progress, and no internal 待核实 note either
    text = _all_text(document)
    for internal in ("待核实", "判定依据", "督办意见", "联系人", *[g for g in GARBAGE.values() if g != "无"]):
        assert internal not in text, internal
    html = page.read_text(encoding="utf-8")
    assert html.count('<td class="c">') == 2 * 340 and "<script" not in html
    assert "=cmd" not in html and "待核实" not in html
    assert document.sections[0].footer._element.xml.count("PAGE") >= 1


def test_the_web_page_escapes_what_units_wrote(tracker, report):
    master, _ = tracker
    copy = deepcopy(report)
    entry(copy, "二-6").said = [Said("市经信局", '<script>alert(1)</script><a href="x">已完成</a>')]
    html = public_html(master, copy, dt.date(2025, 5, 1))
    assert "<script" not in html and "<a " not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_public_words_leave_out_telephone_numbers():
    said = [Said("市经信局", "已完成。联系人电话13912345678，办公室027-85771234；投资1.2亿元，增长12.5%。")]
    shown = public_words(Entry("二-6", "任务", "市经信局", DONE, said))
    assert shown == "已完成。联系人电话（电话略），办公室（电话略）；投资1.2亿元，增长12.5%。"


def test_a_circular_is_drafted_when_the_settings_ask_for_it(tracker, tmp_path):
    master, t = tracker
    assert not any("通报" in p.name for p in write_reports(master, t, 1, tmp_path / "off", dt.date(2025, 5, 1)))
    master.settings.circular = "是"
    try:
        written = write_reports(master, t, 1, tmp_path / "on", dt.date(2025, 5, 1))
    finally:
        master.settings.circular = "否"
    (draft,) = [p for p in written if "通报" in p.name]
    document = docx.Document(draft)
    text = _all_text(document)
    assert document.paragraphs[0].text.startswith("关于2025年") and document.paragraphs[0].text.endswith("的通报")
    assert "各责任单位：" in text and "逾期报送的单位：市商务局" in text and "三、工作要求" in text
    (table,) = document.tables
    lagging = {row.cells[0].text: row.cells[3].text for row in table.rows[1:]}
    assert lagging["二-80"] == "市自然资源和城乡建设局"
    assert master.settings.office in text


# -- the year across quarters ------------------------------------------------------------------

ACROSS = {  # task: (its lead, first-quarter words, second-quarter words)
    "二-1": ("市商务局", "进度滞后，受资金未到位影响。", "仍未启动，资金尚未到位。"),
    "二-4": ("市商务局", "进度滞后，受资金未到位影响。", "已完成全年目标任务。"),
    "二-5": ("市商务局", "按计划推进。", "未启动，待上级政策明确后实施。"),
}


@pytest.fixture(scope="module")
def two_quarters(master_2025):
    master = load_master(master_2025)
    sheet = master.sheet_of(master.plans[0])
    subs = [Submission(f"{unit}{q}.xlsx", unit, q, dt.datetime(2025, 3 * q + 1, 10), {3},
                       {str(TaskId(sheet, key)): said[q - 1] for key, (lead, *said) in ACROSS.items() if lead == unit})
            for q in (1, 2) for unit in {lead for lead, *_ in ACROSS.values()}]
    return master, consolidate(master, subs, [], 2, dt.date(2025, 7, 31))


def test_the_quarters_sheet_says_what_changed(two_quarters):
    _, t = two_quarters
    table = next(x for x in t.tables if x.name == "季度对比")
    rows = {r[1]: dict(zip(table.header, r, strict=True)) for r in table.rows}
    assert (rows["二-1"]["第一季度状态"], rows["二-1"]["第二季度状态"], rows["二-1"]["变化"]) == (BEHIND, BEHIND, "连续2个季度滞后")
    assert rows["二-4"]["变化"] == "由滞后转为已完成"
    assert rows["二-5"]["变化"] == "新滞后"
    assert rows["二-2"]["变化"] == ""  # nothing sent either quarter
    assert len(rows) == 340  # tasks: their 分项 roll up into them


def test_the_report_names_the_tasks_lagging_twice(two_quarters, tmp_path):
    master, t = two_quarters
    report = build_report(master, t.tables, 2)
    assert [e.key for e in report.behind_again()] == ["二-1"]
    path = write_report(master, t.tables, 2, tmp_path / "report.docx", today=dt.date(2025, 7, 31))
    assert "其中连续两个季度以上滞后的任务1项：二-1（市商务局，连续2个季度）" in _all_text(docx.Document(path))
