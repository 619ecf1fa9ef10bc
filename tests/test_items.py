"""分项 (issue 13): a task whose clauses each give their own units is worked, reported and judged per clause.

Seed 001's 二-80 and 二-103 give one unit clause per sentence; seed 002's 33 writes
"（其中，X〈市级牵头单位：…；区级牵头单位：…〉；Y〈…〉）". Each clause becomes a 分项 (二-80-1 …)
on the plan sheet, the unit sheets and the forms; the tracker judges each and rolls them up.
"""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import directory, seed_path
from tests.test_import_seeds import CENTRAL
from tests.test_plan_model import plan_of
from xltools.cli import main
from xltools.readers.forms import read_identity
from xltools.readers.master import load_master
from xltools.status.scale import roll_up
from xltools.vocab import (
    AHEAD,
    AT_PACE,
    BEHIND,
    BEHIND_PACE,
    CURRENT_STATUS,
    DONE,
    ID_HEADER,
    KEY,
    NOT_REPORTED,
    ON_TRACK,
    PROGRESS,
    SCALE_FOUR,
    SCALE_PACE,
    STATUS,
    quarter_column,
)
from xltools.workflow import merge

TODAY = dt.date(2025, 5, 1)
LAGS = "未启动，待上级政策明确后实施。"


def test_001_a_clause_per_sentence_makes_a_sub_item_each(seed):
    plan = seed("001").plans[0]
    city = plan.task("二-80")
    assert [(w.key, w.lead, w.units) for w in city.work()] == [
        ("二-80-1", ["市自然资源和城乡建设局"], CENTRAL), ("二-80-2", ["市发改委"], CENTRAL),
        ("二-80-3", ["市科技创新局"], CENTRAL)]
    assert city.work()[1].text == "建设一批特色总部经济、数字经济、楼宇经济集聚区"
    pairing = plan.task("二-103")  # 责任单位 only: each clause's unit leads its 分项
    assert [(w.key, w.text, w.lead, w.units) for w in pairing.work()] == [
        ("二-103-1", "扎实做好省内结对帮扶工作。结对帮扶恩施州和宜昌市五峰县", ["市农业农村局"], []),
        ("二-103-2", "结对帮扶三峡库区秭归、兴山、五峰县", ["市水务局"], []),
        ("二-103-3", "与神农架林区深度合作。", ["市发改委"], [])]
    assert pairing.lead == ["市农业农村局", "市水务局", "市发改委"]  # the task is led by each of its 分项' leads
    assert [t.key for t in plan.tasks if t.items] == ["二-80", "二-103"]  # one clause: the task as it was
    assert plan.task("二-1").work()[0].key == "二-1"


def test_002_sub_assignments_are_sub_items_at_both_levels(seed):
    plan = next(p for p in seed("002").plans if "市《政府工作报告》" in p.title)
    task = next(t for t in plan.tasks if t.key == "33")
    assert task.text.startswith("创新产业园区运营机制")
    assert [(w.key, w.text, w.assignment.city_lead, w.lead) for w in task.work()] == [
        ("33-1", "创新“两个一百平方公里”工业园区运营机制", ["市经信局"], ["区科经局"]),
        ("33-2", "创新服务业集聚区园区运营机制", ["市发改委"], ["区发改局", "区科经局"])]


LEADS = [u.name for u in directory().units if u.kind == "市政府部门"][:40]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(LEADS), min_size=1, max_size=3, unique=True),
                          st.sampled_from(["建设项目", "推进改革", "开展试点", "完善机制"])), min_size=1, max_size=5))
def test_sub_items_follow_the_document_s_order(clauses):
    text = "；".join(f"{words}{i}（牵头单位：{'、'.join(leads)}）" for i, (leads, words) in enumerate(clauses, start=1))
    plan, _ = plan_of(f"1.做好一件事。{text}")
    task = plan.tasks[0]
    if len(clauses) == 1:
        assert task.items == [] and task.lead == clauses[0][0]
    else:
        assert [(w.key, w.lead) for w in task.work()] == [(f"1-{i}", leads) for i, (leads, _) in enumerate(clauses, 1)]
        assert task.work()[-1].text == f"{clauses[-1][1]}{len(clauses)}"
        assert task.lead == list(dict.fromkeys(u for leads, _ in clauses for u in leads))


@pytest.mark.parametrize(("words", "task"), [
    ([DONE, DONE, DONE], DONE),
    ([DONE, BEHIND, NOT_REPORTED], BEHIND),  # any 分项 滞后
    ([DONE, NOT_REPORTED, NOT_REPORTED], ON_TRACK),  # some reported, none lags, not all done
    ([NOT_REPORTED, NOT_REPORTED], NOT_REPORTED),  # none reported
    ([ON_TRACK, DONE], ON_TRACK),
])
def test_a_task_rolls_up_its_sub_items(words, task):
    assert roll_up(words, SCALE_FOUR) == task


def test_roll_up_on_the_finer_scale():
    assert roll_up([AHEAD, DONE], SCALE_PACE) == AHEAD
    assert roll_up([AT_PACE, AHEAD], SCALE_PACE) == AT_PACE
    assert roll_up([AT_PACE, BEHIND_PACE], SCALE_PACE) == BEHIND_PACE


# -- the whole cycle: master, forms, returns, tracker -----------------------------------------

def plan_rows(book) -> dict[str, tuple]:
    ws = openpyxl.load_workbook(book)["2025年市政府工作报告任务"]
    return {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}


def fill(form, answers: dict[str, str], ids: dict[str, str] | None = None) -> None:
    """Type 完成情况 into 附表3 as a unit would, by the visible 序号; `ids` rewrites hidden ids (older forms)."""
    wb = openpyxl.load_workbook(form)
    ws = wb["附表3"]
    header_at = next(r[0].row for r in ws.iter_rows(max_row=10) if any(c.value == PROGRESS for c in r))
    header = [c.value for c in ws[header_at]]
    value, hidden = header.index(PROGRESS) + 1, header.index(ID_HEADER) + 1
    for row in ws.iter_rows(min_row=header_at + 1):
        key = str(row[0].value or "")
        if key in answers:
            ws.cell(row=row[0].row, column=value, value=answers[key])
        if ids and key in ids:
            row[0].value = ids[key].rsplit("|", 1)[1]
            ws.cell(row=row[0].row, column=hidden, value=ids[key])
    wb.save(form)


def summary(tracker) -> dict[str, dict]:
    ws = openpyxl.load_workbook(tracker)["汇总"]
    header = [c.value for c in ws[3]]
    return {r[header.index(KEY)]: dict(zip(header, r, strict=True))
            for r in ws.iter_rows(min_row=4, values_only=True) if r[header.index(KEY)]}


@pytest.fixture(scope="module")
def forms(master_2025, tmp_path_factory):
    out = tmp_path_factory.mktemp("items") / "分发"
    units = "市农业农村局,市水务局,市发改委,江岸区人民政府"
    assert main(["templates", str(master_2025), "--out", str(out), "--quarter", "1", "--units", units]) == 0
    return {read_identity(p).unit: p for p in out.glob("*.xlsx") if p.name != "分发清单.xlsx"}


def keys(form, sheet) -> list[str]:
    ws = openpyxl.load_workbook(form)[sheet]
    return [str(r[0]) for r in ws.iter_rows(min_row=5, values_only=True) if r[0] and "-" in str(r[0])]


def test_master_and_forms_list_each_unit_its_sub_items(master_2025, forms):
    rows = plan_rows(master_2025)
    assert rows["二-80"][5:7] == ("（见分项）", "（见分项）")
    assert rows["二-80-2"][4:7] == ("建设一批特色总部经济、数字经济、楼宇经济集聚区", "市发改委", "各中心城区人民政府")
    assert rows["二-103-1"][5:7] == (None, "市农业农村局")  # as written: 责任单位 only (so it leads)
    wb = openpyxl.load_workbook(master_2025)
    agriculture = {r[1]: r[3] for r in wb["市农业农村局"].iter_rows(min_row=4, values_only=True) if r[1]}
    assert agriculture["二-103-1"] == "牵头" and "二-103" not in agriculture and "二-103-2" not in agriculture
    reform = keys(forms["市发改委"], "附表3")
    assert "二-80-2" in reform and "二-103-3" in reform
    assert not {"二-80", "二-80-1", "二-80-3", "二-103", "二-103-1"} & set(reform)
    assert {"二-80-1", "二-80-2", "二-80-3"} <= set(keys(forms["江岸区人民政府"], "附表1"))  # shares each 分项
    assert load_master(master_2025).plans[0].task("二-80").items[2].assignment.lead == ["市科技创新局"]  # read back


def test_each_sub_item_is_judged_and_the_task_rolls_up(master_2025, forms, tmp_path):
    returns = tmp_path / "回收"
    returns.mkdir()
    for unit, answers in {"市农业农村局": {"二-103-1": LAGS}, "市水务局": {"二-103-2": "已完成。"},
                          "市发改委": {"二-103-3": "已完成全年目标任务。", "二-80-2": "已完成。"}}.items():
        shutil.copy(forms[unit], returns / forms[unit].name)
        fill(returns / forms[unit].name, answers)
    merged = merge(master_2025, [str(returns)], 1, tmp_path / "汇总台账.xlsx", today=TODAY)
    rows = summary(merged.out)
    status = quarter_column(1, STATUS)
    assert [rows[k][status] for k in ("二-103-1", "二-103-2", "二-103-3")] == [BEHIND, DONE, DONE]
    assert rows["二-103"][status] == rows["二-103"][CURRENT_STATUS] == BEHIND  # not 已完成: one 分项 lags
    assert rows["二-103-1"][quarter_column(1, PROGRESS)] == LAGS  # the words stay on their 分项
    assert [rows[k][status] for k in ("二-80", "二-80-1", "二-80-2")] == [ON_TRACK, NOT_REPORTED, DONE]
    problems = [r[3] for r in openpyxl.load_workbook(merged.out)["问题清单"].iter_rows(min_row=4, values_only=True)]
    assert not [p for p in problems if p and "缺少编号" in p]
    report = next(p for p in merged.reports if p.name.endswith("任务进展情况.docx"))
    import docx

    table = next(t for t in docx.Document(str(report)).tables if any(c.text == "二-103" for c in t.columns[0].cells))
    lagging = next(r for r in table.rows if r.cells[0].text == "二-103")
    assert "市农业农村局" in lagging.cells[3].text and "市水务局" not in lagging.cells[3].text


def test_a_form_sent_before_the_task_had_sub_items_still_merges(master_2025, forms, tmp_path):
    """The first release's forms named the whole task (``sheet|二-103``): its words go to the unit's 分项."""
    returns = tmp_path / "回收"
    returns.mkdir()
    form = returns / forms["市农业农村局"].name
    shutil.copy(forms["市农业农村局"], form)
    sheet = load_master(master_2025).sheet_of(load_master(master_2025).plans[0])
    fill(form, {"二-103-1": LAGS}, ids={"二-103-1": f"{sheet}|二-103"})
    merged = merge(master_2025, [str(returns)], 1, tmp_path / "汇总台账.xlsx", today=TODAY)
    rows = summary(merged.out)
    assert rows["二-103-1"][quarter_column(1, PROGRESS)] == LAGS
    assert not rows["二-103-2"][quarter_column(1, PROGRESS)]  # another unit's 分项: not its words
    assert rows["二-103"][CURRENT_STATUS] == BEHIND


def test_a_clerk_adds_a_sub_item_on_the_plan_sheet(master_2025, tmp_path, capsys):
    book = tmp_path / "督办台账.xlsx"
    shutil.copy(master_2025, book)
    wb = openpyxl.load_workbook(book)
    ws = wb["2025年市政府工作报告任务"]
    at = next(r[0].row for r in ws.iter_rows(min_row=4) if r[0].value == "二-80-3")
    ws.insert_rows(at + 1)
    for column, value in enumerate(["二-80-4", None, None, None, "建设长江新区科创走廊", "长江新区管委会"], start=1):
        ws.cell(row=at + 1, column=column, value=value)
    wb.save(book)
    assert main(["refresh", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    ws = next(ws for ws in wb.worksheets if str(ws["A1"].value).startswith("长江新区管委会 "))
    sheet = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert sheet["二-80-4"][3] == "牵头"
    wb = openpyxl.load_workbook(book)
    wb["2025年市政府工作报告任务"].cell(row=at - 3, column=6, value="市发改委")  # units typed on the task's own row
    wb.save(book)
    assert main(["refresh", str(book)]) != 0
    assert "编号 二-80 下面有分项行" in capsys.readouterr().err


def test_a_district_cascade_keeps_the_sub_items(seed, units):
    from xltools.cascade import cascade
    from xltools.readers.counterparts import load_map

    plan, decisions = cascade(seed("001").plans[0], "武昌区", load_map(), units)
    task = next(t for t in plan.tasks if t.key == "二-80")
    assert [(w.key, w.assignment.city_lead, w.lead) for w in task.work()] == [
        ("二-80-1", ["市自然资源和城乡建设局"], []), ("二-80-2", ["市发改委"], ["区发改局"]),
        ("二-80-3", ["市科技创新局"], ["区科经局"])]
    decision = next(d for d in decisions if d.task is task)
    assert decision.manual and "市自然资源和城乡建设局：对口单位表中没有，待人工指定" in decision.reasons


def test_002_each_sub_item_is_judged_and_its_task_rolls_up(tmp_path):
    from xltools.merge.consolidate import consolidate
    from xltools.merge.model import Submission
    from xltools.vocab import TaskId

    book = tmp_path / "武昌.xlsx"
    assert main(["build", str(seed_path("002")), "--out", str(book)]) == 0
    master = load_master(book)
    plan = next(p for p in master.plans if "市《政府工作报告》" in p.title)
    sheet = master.sheet_of(plan)
    subs = [Submission("科经局.xlsx", "区科经局", 2, dt.datetime(2023, 7, 10), {3},
                       {str(TaskId(sheet, "33", 1)): "已完成。", str(TaskId(sheet, "33", 2)): "按计划推进，已完成50%。"}),
            Submission("发改局.xlsx", "区发改局", 2, dt.datetime(2023, 7, 10), {3},
                       {str(TaskId(sheet, "33", 2)): LAGS})]
    tracker = consolidate(master, subs, [], 2, dt.date(2023, 7, 31))
    summary = next(t for t in tracker.tables if t.name == "汇总")
    rows = {(r[0], r[1]): dict(zip(summary.header, r, strict=True)) for r in summary.rows}
    status = quarter_column(2, STATUS)
    assert rows[(sheet, "33-1")][status] == DONE
    assert rows[(sheet, "33-2")][status] == BEHIND  # one of its two leads lags
    assert "【区发改局】" in rows[(sheet, "33-2")][quarter_column(2, PROGRESS)]
    assert rows[(sheet, "33")][status] == BEHIND and rows[(sheet, "33")][CURRENT_STATUS] == BEHIND
