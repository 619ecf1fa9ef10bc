"""The tracker (汇总) shows every status with its 判定依据, on the scale chosen in 设置."""

from __future__ import annotations

import datetime as dt

from xltools.merge.consolidate import consolidate
from xltools.merge.model import Submission
from xltools.readers.master import load_master
from xltools.vocab import (
    BASIS,
    BEHIND,
    BEHIND_PACE,
    CURRENT_STATUS,
    DONE,
    NOT_REPORTED,
    SCALE_PACE,
    STATUS,
    STATUSES,
    TaskId,
    quarter_column,
)

REPORTS = {"城镇新增就业": "一季度新增城镇就业4.2万人。", "居民消费价格": "同上"}


def _tracker(master):
    plan = master.plans[0]
    sheet = master.sheet_of(plan)
    tasks = {word: next(t for t in plan.tasks if word in t.text) for word in REPORTS}
    subs = [Submission(f"{word}.xlsx", task.lead[0], 1, dt.datetime(2025, 4, 10), {3},
                       {str(TaskId(sheet, task.key)): REPORTS[word]}) for word, task in tasks.items()]
    tracker = consolidate(master, subs, [], 1, dt.date(2025, 5, 1))
    summary = tracker.tables[0]
    rows = {r[1]: dict(zip(summary.header, r, strict=True)) for r in summary.rows}
    return tracker, summary, {word: rows[task.key] for word, task in tasks.items()}


def test_every_status_has_its_basis_beside_it(master_2025):
    _, summary, rows = _tracker(load_master(master_2025))
    status, basis = quarter_column(1, STATUS), quarter_column(1, BASIS)
    assert summary.header.index(basis) == summary.header.index(status) + 1
    jobs = rows["城镇新增就业"]
    assert jobs[status] == jobs[CURRENT_STATUS] == BEHIND
    assert jobs[basis] == "目标25万人以上，报送4.2万人，16.8% < 序时25%"
    assert rows["居民消费价格"][status] == NOT_REPORTED and "同上" in rows["居民消费价格"][basis]
    at = summary.header.index(basis)
    assert all(r[at] for r in summary.rows)  # 未报送 says why too


def test_finer_scale_in_the_tracker_counts_as_the_four(master_2025):
    master = load_master(master_2025)
    master.settings.scale = SCALE_PACE
    tracker, _, rows = _tracker(master)
    assert rows["城镇新增就业"][quarter_column(1, STATUS)] == rows["城镇新增就业"][CURRENT_STATUS] == BEHIND_PACE
    overall = tracker.dashboard.blocks[0].rows[0]
    counts = dict(zip(STATUSES, overall[1:5], strict=True))
    assert counts[BEHIND] == 1 and counts[DONE] == 0
    assert sum(counts.values()) == overall[5]
    summary = next(t for t in tracker.tables if t.name == "汇总")
    assert summary.choices["人工判定状态"] == ("已完成", "超进度", "达进度", "欠进度", "未报送")  # the scale in use
