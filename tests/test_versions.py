"""Several returns of one unit (issue 14): per task the newest answer counts, whatever order files come in;
a signed scan beside the form is 已附签字件, not a wrong file (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xltools.merge.consolidate import consolidate
from xltools.merge.model import Submission
from xltools.readers.master import load_master
from xltools.vocab import FILES, PROBLEMS, REMINDERS, REPORTING, SIGNED, SUMMARY, TaskId

TODAY = dt.date(2025, 5, 1)
EARLY, LATER = dt.datetime(2025, 4, 10, 9), dt.datetime(2025, 4, 25, 9)  # 附表3 due 20 April


@pytest.fixture(scope="module")
def master(master_2025):
    return load_master(master_2025)


def ids(master, *keys):
    sheet = master.sheet_of(master.plans[0])
    return [str(TaskId(sheet, k)) for k in keys]


def commerce(master, file, when, answers: dict[str, str]) -> Submission:
    return Submission(file, "市商务局", 1, when, {3}, dict(zip(ids(master, *answers), answers.values(), strict=True)))


def table(tracker, name):
    t = next(t for t in tracker.tables if t.name == name)
    return [dict(zip(t.header, row, strict=False)) for row in t.rows]


def answers(tracker) -> dict[str, str]:
    return {r["编号"]: r["第一季度完成情况"] for r in table(tracker, SUMMARY) if r["第一季度完成情况"]}


def test_a_newer_file_replaces_only_the_tasks_it_answers(master):
    first = commerce(master, "回收/商务局.xlsx", EARLY, {"二-1": "已完成。", "二-4": "按计划推进，已培育智慧商店30个。"})
    fix = commerce(master, "回收/商务局（更正）.xlsx", LATER, {"二-1": "已完成全年目标任务。", "二-4": ""})
    tracker = consolidate(master, [first, fix], [], 1, TODAY)
    assert answers(tracker)["二-1"] == "已完成全年目标任务。"  # the correction
    assert answers(tracker)["二-4"] == "按计划推进，已培育智慧商店30个。"  # left blank in it: the earlier answer stays
    files = {r["文件"]: r["状态"] for r in table(tracker, FILES)}
    assert files == {"回收/商务局.xlsx": "部分采用", "回收/商务局（更正）.xlsx": "已采用"}
    reporting = next(r for r in table(tracker, REPORTING) if r["单位"] == "市商务局")
    assert reporting["第一季度附表3"] == "已报"  # its first copy came on time


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(4)))
def test_the_same_files_in_any_order_give_the_same_tracker(master, order):
    same_time = [commerce(master, f"回收/{folder}/商务局.xlsx", EARLY, {"二-1": text})
                 for folder, text in (("甲", "已完成。"), ("乙", "按计划推进。"))]
    same_everything = [commerce(master, "回收/丙/商务局.xlsx", EARLY, {"二-5": "按计划推进。", "二-6": "已完成。"}),
                       commerce(master, "回收/丙/商务局.xlsx", EARLY, {"二-5": "进度滞后。", "二-6": "已完成。"})]
    subs = same_time + same_everything
    tracker = consolidate(master, [subs[i] for i in order], [], 1, TODAY)
    reference = consolidate(master, subs, [], 1, TODAY)
    assert [t.rows for t in tracker.tables] == [t.rows for t in reference.tables]


def test_a_save_time_in_the_future_does_not_win(master):
    real = commerce(master, "回收/商务局.xlsx", EARLY, {"二-1": "已完成。"})
    forged = commerce(master, "回收/商务局2.xlsx", dt.datetime(2099, 1, 1), {"二-1": "按计划推进。"})
    tracker = consolidate(master, [real, forged], [], 1, TODAY, now=dt.datetime(2025, 5, 1, 9))
    assert answers(tracker)["二-1"] == "已完成。"
    problems = [r["问题"] for r in table(tracker, PROBLEMS) if r["文件"] == "回收/商务局2.xlsx"]
    assert any("晚于今天" in p for p in problems)


def test_a_signed_scan_is_recorded_beside_the_form(master):
    form = commerce(master, "回收/市商务局/附表3.xlsx", EARLY, {"二-1": "已完成。"})
    scan = Submission("回收/市商务局/附表3签字版.pdf", "市商务局", 1, EARLY, scan="PDF")
    alone = Submission("回收/市教育局签字件.jpg", "市教育局", 1, EARLY, scan="图片")
    tracker = consolidate(master, [form, scan, alone], [], 1, TODAY)
    reporting = {r["单位"]: r for r in table(tracker, REPORTING)}
    assert reporting["市商务局"]["签字件"] == f"{SIGNED}（1 份）" and reporting["市商务局"]["第一季度附表3"] == "已报"
    files = {r["文件"]: r for r in table(tracker, FILES)}
    assert files["回收/市商务局/附表3签字版.pdf"]["状态"] == SIGNED
    problems = {r["文件"]: r["问题"] for r in table(tracker, PROBLEMS)}
    assert "回收/市商务局/附表3签字版.pdf" not in problems  # not a wrong file
    assert "请单位补发 .xlsx" in problems["回收/市教育局签字件.jpg"]  # a scan alone: the form is asked for
    reminder = next(r for r in table(tracker, REMINDERS) if r["单位"] == "市教育局")
    assert "只收到签字盖章的扫描件" in reminder["催报短信"]


def test_a_reminder_says_what_is_wrong_with_what_came(master):
    from xltools.merge.model import Issue

    blank = Submission("回收/市商务局.xlsx", "市商务局", 1, EARLY, set(), {}, blank={3})
    wrong = Submission("回收/市教育局.xlsx", "市教育局", 1, EARLY, {1})
    word = Issue("回收/市发改委.docx", "", 0, "这是 Word 文档，不是附表。请单位把内容填在下发的 Excel 附表中发送", "市发改委")
    tracker = consolidate(master, [blank, wrong], [word], 1, TODAY)
    said = {r["单位"]: (r["情况"], r["催报短信"]) for r in table(tracker, REMINDERS)}
    assert said["市商务局"][0] == "交来的附表3没有填写内容（是空表）"
    assert said["市教育局"][0].startswith("交来的是附表1，没有") and "附表3" in said["市教育局"][0]
    assert said["市发改委"][0] == "交来的文件“市发改委.docx”无法使用（这是 Word 文档，不是附表）"
    assert said["市发改委"][0] in said["市发改委"][1]
    nothing = next(case for unit, (case, _) in said.items() if unit not in ("市商务局", "市教育局", "市发改委"))
    assert nothing.startswith("已过报送截止日期") and nothing.endswith("仍未收到")
