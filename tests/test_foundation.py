"""The foundation every command stands on: self-contained tests, one vocabulary, task ids, errors."""

from __future__ import annotations

import ast
import datetime as dt
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xltools import vocab
from xltools.errors import EXIT_INTERNAL, EXIT_USER, BadFile, BadMaster, FileInTheWay, Problem, describe
from xltools.vocab import FORM_NAMES, MISSING, NOT_DUE, REPORTING, SETTINGS, SUMMARY, TaskId, quarter_column
from xltools.workflow import merge
from xltools.writers.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def test_tests_carry_their_own_documents():
    """A clone has only the repository: nothing under tests/ may point to the folder of seeds beside it."""
    folder = "sha" + "red"  # spelled in two pieces so that this test does not find itself
    needles = (f"../{folder}", f"{folder}/seeds", f'parent / "{folder}"')
    offenders = [f"{path.relative_to(ROOT)}: {needle}" for path in (ROOT / "tests").rglob("*.py")
                 for needle in needles if needle in path.read_text(encoding="utf-8")]
    assert not offenders
    assert sorted(p.name for p in DATA.glob("seed_*.txt")) == [f"seed_00{n}.txt" for n in range(1, 5)]


def _labels() -> set[str]:
    """Every label the vocabulary defines (strings, and the strings inside its tuples and dicts)."""
    found: set[str] = set()
    for value in vars(vocab).values():
        items = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else [value]
        found.update(v for v in items if isinstance(v, str))
    return {label for label in found if any("\u4e00" <= c <= "\u9fff" for c in label)}


def test_labels_are_typed_only_in_the_vocabulary():
    """A sheet name or header spelled again elsewhere drifts apart from the vocabulary one day."""
    labels = _labels()
    assert {"汇总", "编号", "牵头单位", "附表3", "任务标识", "第一季度"} <= labels
    offenders = []
    for path in sorted((ROOT / "xltools").rglob("*.py")):
        if path.name == "vocab.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in labels:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} “{node.value}”")
    assert not offenders, "use xltools.vocab instead of:\n" + "\n".join(offenders)


# -- task ids ---------------------------------------------------------------------------------

names = st.text(st.characters(blacklist_characters="|#\n\r", blacklist_categories=("Cs",)), min_size=1,
                max_size=20).map(str.strip).filter(bool)


@given(plan=names, key=names, item=st.integers(0, 99))
def test_task_id_round_trip(plan, key, item):
    task_id = TaskId(plan, key, item)
    assert TaskId.parse(str(task_id)) == task_id
    assert TaskId.parse(str(task_id)).task() == TaskId(plan, key)


def test_task_id_reads_what_forms_carry():
    assert TaskId.parse("2025年市政府工作报告任务|二-80") == TaskId("2025年市政府工作报告任务", "二-80")
    assert TaskId.parse("2025年市政府工作报告任务|二-80#2") == TaskId("2025年市政府工作报告任务", "二-80", 2)
    assert str(TaskId("2025年市政府工作报告任务", "二-80")) == "2025年市政府工作报告任务|二-80"
    for typed_over in ("", "已完成", "二-80", "|二-80", "方案|"):
        assert TaskId.parse(typed_over) is None


def test_a_form_sent_before_this_version_still_merges(master_2025, tmp_path):
    """tests/data/forms_v1: a 附表3 made and filled with the first release's identity (``sheet|key``)."""
    returns = tmp_path / "回收"
    shutil.copytree(DATA / "forms_v1", returns)
    before = {p.name: p.read_bytes() for p in returns.iterdir()}
    result = merge(master_2025, [str(returns)], 1, tmp_path / "汇总台账.xlsx", today=dt.date(2025, 5, 1))
    assert not [i for i in result.tracker.issues if "无法" in i.message or "不是附表" in i.message]
    ws = openpyxl.load_workbook(result.out)[SUMMARY]
    header = [c.value for c in ws[3]]
    key_at, text_at = header.index("编号"), header.index("第一季度完成情况")
    placed = {row[key_at]: row[text_at] for row in ws.iter_rows(min_row=4, values_only=True) if row[text_at]}
    assert len(placed) == 25
    for key, text in placed.items():  # each text names its own task: it landed where it belongs
        assert f"编号{key}的工作" in text
    assert {p.name: p.read_bytes() for p in returns.iterdir()} == before


# -- errors -----------------------------------------------------------------------------------

def test_one_handler_for_every_error():
    message, code = describe(BadFile("方案.txt 是空文件，没有任何内容。"))
    assert (message, code) == ("错误：方案.txt 是空文件，没有任何内容。", EXIT_USER)
    problems = [Problem("单位名录", n, "重复") for n in range(1, 21)]
    message, code = describe(BadMaster(problems), limit=15)
    assert code == EXIT_USER and "台账中有 20 处需要改正" in message
    assert "第 15 行" in message and "第 16 行" not in message and "共 20 处" in message
    message, code = describe(KeyError("x"))
    assert code == EXIT_INTERNAL and "--debug" in message
    # what os.replace(temporary, report) raises on Windows when last quarter's report is still open in Word
    message, code = describe(PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", r"D:\督办\.报告.x1y2.docx",
                                             None, r"D:\督办\2025年一季度任务进展情况.docx"))
    assert code == EXIT_USER and "“D:\\督办\\2025年一季度任务进展情况.docx”" in message and "关闭" in message


def test_an_output_open_in_another_program_is_named_and_nothing_half_written(tmp_path, monkeypatch):
    report = tmp_path / "2025年一季度任务进展情况.docx"
    report.write_bytes(b"last quarter")

    def held_open(source, target):  # Windows refuses to replace a file Word holds open
        raise PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", str(source), None, str(target))

    monkeypatch.setattr(os, "replace", held_open)
    with pytest.raises(FileInTheWay) as caught:
        write_atomic(report, lambda tmp: tmp.write_bytes(b"this quarter"))
    assert str(report) in str(caught.value) and "关闭" in str(caught.value)
    assert report.read_bytes() == b"last quarter" and [p.name for p in tmp_path.iterdir()] == [report.name]


# -- the day things are judged for --------------------------------------------------------------

def _reporting_states(tracker) -> set[str]:
    """The states of the first quarter's 附表3 in 报送情况."""
    table = next(t for t in tracker.tables if t.name == REPORTING)
    at = table.header.index(quarter_column(1, FORM_NAMES[3]))
    return {row[at] for row in table.rows}


def test_today_is_settable_in_the_master_and_by_option(master_2025, tmp_path):
    book = tmp_path / "督办台账.xlsx"
    shutil.copy(master_2025, book)
    wb = openpyxl.load_workbook(book)
    ws = wb[SETTINGS]
    row = next(r for r in ws.iter_rows(min_row=1) if r[0].value == "判定日期")
    row[1].value = dt.date(2025, 4, 10)  # before the first quarter's deadline (4月20日)
    wb.save(book)
    returns = [str(DATA / "forms_v1")]
    early = merge(book, returns, 1, tmp_path / "早.xlsx").tracker
    assert MISSING not in _reporting_states(early) and NOT_DUE in _reporting_states(early)
    late = merge(book, returns, 1, tmp_path / "晚.xlsx", today=dt.date(2025, 5, 1)).tracker  # the option wins
    assert MISSING in _reporting_states(late) and NOT_DUE not in _reporting_states(late)
