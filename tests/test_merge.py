"""Merge returned forms: forms for the 2025 plan, filled by a script as units would, merged."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import random
import re
import shutil
import zipfile
from collections import Counter

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import seed_path
from tests.office import convert
from xltools import workers, workflow
from xltools.cli import main
from xltools.demo.simulate import simulate
from xltools.errors import FileInTheWay
from xltools.merge.interpret import Interpreter
from xltools.merge.model import RawBook, RawSheet
from xltools.readers.forms import read_identity
from xltools.readers.master import load_master, sheet_rows
from xltools.readers.returns import Candidate, read_book
from xltools.vocab import META_SHEET, MISSING, NOT_NEEDED, SUBMITTED
from xltools.workflow import merge

DEADLINE = dt.datetime(2025, 4, 20, 18, 0)
TODAY = dt.date(2025, 5, 1)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """Master, forms for 一季度, and the returns as units sent them."""
    root = tmp_path_factory.mktemp("cycle")
    book = root / "督办台账.xlsx"
    assert main(["build", str(seed_path("001")), "--out", str(book)]) == 0
    assert main(["templates", str(book), "--out", str(root / "分发"), "--quarter", "1"]) == 0
    forms = [(read_identity(p).unit, p) for p in sorted((root / "分发").glob("*.xlsx")) if p.name != "分发清单.xlsx"]
    returns = root / "回收"
    sims = simulate(forms, returns, DEADLINE)
    return root, book, returns, sims


def summary_cells(path):
    wb = openpyxl.load_workbook(path)
    ws = wb["汇总"]
    header = [c.value for c in ws[3]]
    return wb, ws, header


def _texts_in(ws, header) -> Counter:
    found = Counter()
    columns = [i for i, h in enumerate(header) if h and ("完成情况" in h or "其他单位报送" in h)]
    for row in ws.iter_rows(min_row=4, values_only=True):
        for i in columns:
            if row[i]:
                for part in str(row[i]).split("\n"):
                    found[re.sub(r"^【[^】]+】", "", part)] += 1
    return found


def test_end_to_end(cycle, tmp_path):
    root, book, returns, sims = cycle
    work = tmp_path / "回收"
    shutil.copytree(returns, work)
    # one unit sends .xls (re-saved by an office program), two send theirs inside a zip
    on_time = [s for s in sims if s.scenario == "on-time" and s.path]
    xls_sim = on_time[0]
    xls = convert(work / xls_sim.path.name, "xls", tmp_path / "xls")
    (work / xls_sim.path.name).unlink()
    shutil.copy(xls, work / xls.name)
    with zipfile.ZipFile(work / "两个单位.zip", "w") as archive:
        for sim in on_time[1:3]:
            archive.write(work / sim.path.name, sim.path.name)
            (work / sim.path.name).unlink()
    # a real formula with a cached value, as Excel saves =HYPERLINK typed by a clerk
    formula_sim = next(s for s in on_time[3:] if s.texts)
    _put_formula(work / formula_sim.path.name)
    before = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}

    result = merge(book, [str(work)], out=tmp_path / "汇总台账.xlsx", today=TODAY)
    assert {p: p.read_bytes() for p in work.rglob("*") if p.is_file()} == before  # returns never modified

    wb, ws, header = summary_cells(tmp_path / "汇总台账.xlsx")
    written = Counter()
    used = {s.unit for s in sims if s.scenario not in ("missing", "word-file", "empty")}
    for sim in sims:
        if sim.unit in used:
            written.update(t for t in sim.texts)
    written[formula_sim.texts[0]] -= 1  # replaced by the formula, whose cached value is read instead
    written["点击查看"] += 1
    assert _texts_in(ws, header) == +written  # every filled text exactly once

    for row in ws.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "@")):
                assert cell.data_type == "s"  # stored as text, never as a formula
    problems = [r[3] for r in wb["问题清单"].iter_rows(min_row=4, values_only=True)]
    joined = "\n".join(problems)
    assert "这是 Word 文档" in joined
    assert "替代" in joined  # the older of two versions
    assert "按未报处理" in joined  # an empty form
    assert "公式不会被计算" in joined
    assert not any("~$" in str(r[0]) for r in wb["文件清单"].iter_rows(min_row=4, values_only=True))
    status = {r[0]: r for r in wb["报送情况"].iter_rows(min_row=4, values_only=True)}
    status_header = [c.value for c in wb["报送情况"][3]]
    q1 = status_header.index("第一季度附表3")
    for sim in sims:
        row = status[sim.unit]
        if sim.scenario == "missing" and row[q1] != NOT_NEEDED:
            assert row[q1] == MISSING
        if sim.scenario == "late" and row[q1] != NOT_NEEDED:
            assert row[q1] == "逾期"
        if sim.unit == xls_sim.unit and row[q1] != NOT_NEEDED:
            assert row[q1] == SUBMITTED
    reminders = {r[0] for r in wb["催报名单"].iter_rows(min_row=4, values_only=True)}
    assert {s.unit for s in sims if s.scenario == "missing"} <= reminders
    assert len(list(wb["联络员名录"].iter_rows(min_row=4))) > 100
    assert len(list(wb["办理方案汇总"].iter_rows(min_row=4))) > 300
    assert result.tracker.superseded


def _sheet_part(archive: zipfile.ZipFile, name: str) -> str:
    workbook = archive.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet [^>]*name="{name}"[^>]*r:id="([^"]+)"', workbook).group(1)
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def _put_formula(path):
    """Turn the first 完成情况 cell into a formula with a cached value, as Excel writes it."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    part = _sheet_part(source, "附表3")
    out = io.BytesIO()
    cell = ('<c r="D5" t="str"><f>HYPERLINK("http://example.invalid","点击查看")</f><v>点击查看</v></c>').encode()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == part:
                content, n = re.subn(rb'<c r="D5"[^>]*?(/>|>.*?</c>)', cell, content, count=1, flags=re.S)
                assert n == 1
            target.writestr(item, content)
    path.write_bytes(out.getvalue())


def test_same_tracker_whatever_the_order_and_staff_notes_survive(cycle, tmp_path):
    root, book, returns, _ = cycle
    files = sorted(str(p) for p in returns.glob("*.xlsx"))
    out = tmp_path / "汇总台账.xlsx"
    merge(book, files, out=out, today=TODAY)
    wb, ws, header = summary_cells(out)
    note = header.index("督办意见") + 1
    ws.cell(row=5, column=note, value="请于5月10日前补报佐证材料")
    ws.cell(row=5, column=len(header) + 2, value="电话已催")  # a column left without a name
    key = (ws.cell(row=5, column=1).value, ws.cell(row=5, column=2).value)
    wb.save(out)
    first = {r[:-3] for r in ws.iter_rows(min_row=4, values_only=True)}
    merge(book, list(reversed(files)), out=out, today=TODAY)
    wb, ws, header = summary_cells(out)
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert {r[: len(first.copy().pop())] for r in rows} == first
    kept = next(r for r in rows if (r[0], r[1]) == key)
    assert kept[header.index("督办意见")] == "请于5月10日前补报佐证材料"
    unnamed = next(h for h in header if h and h.endswith("（无列名）"))  # kept, under a name saying where it was
    assert kept[header.index(unnamed)] == "电话已催"
    assert list((tmp_path / "备份").glob("*.xlsx"))


def _document_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode()


def test_worker_processes_read_and_write_what_one_process_does(cycle, tmp_path, monkeypatch):
    """With worker processes (a clerk's PC merging a hundred files or more) the returns are read in them and
    the reports written in them while the tracker is saved: the files are the same as with one process."""
    root, book, returns, _ = cycle
    # the cycle's few dozen returns, as if they were hundreds
    monkeypatch.setitem(workers.PARALLEL_FROM, multiprocessing.get_start_method(), 1)
    alone = merge(book, [str(returns)], out=tmp_path / "一个进程" / "汇总台账.xlsx", today=TODAY)
    pooled = merge(book, [str(returns)], out=tmp_path / "多个进程" / "汇总台账.xlsx", today=TODAY, workers=2)
    assert list(pooled.seconds) == ["载入台账", "读取并定位", "汇总并判定状态", "写汇总台账和报告"]
    assert sheet_rows(pooled.out) == sheet_rows(alone.out)
    assert [p.name for p in pooled.reports] == [p.name for p in alone.reports]
    assert len(pooled.reports) >= 4
    for ours, theirs in zip(alone.reports, pooled.reports, strict=True):
        assert theirs.parent == pooled.out.parent
        if ours.suffix == ".docx":
            assert _document_text(theirs) == _document_text(ours)
        else:
            assert theirs.read_text(encoding="utf-8") == ours.read_text(encoding="utf-8")


def test_a_tracker_that_cannot_be_saved_leaves_the_reports_as_they_were(cycle, tmp_path, monkeypatch):
    """Reports written in worker processes while the tracker is saved are put in place only once it is saved."""
    root, book, returns, _ = cycle
    monkeypatch.setitem(workers.PARALLEL_FROM, multiprocessing.get_start_method(), 1)
    out = tmp_path / "汇总台账.xlsx"
    first = merge(book, [str(returns)], out=out, today=TODAY, workers=2)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def open_in_excel(*_):
        raise FileInTheWay(f"“{out}”无法写入：这个文件可能正在 Excel 中打开")

    monkeypatch.setattr(workflow, "write_tracker", open_in_excel)
    with pytest.raises(FileInTheWay):  # a later day: every report would read differently
        merge(book, [str(returns)], out=out, today=TODAY + dt.timedelta(days=30), workers=2)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert {p.name for p in first.reports} <= set(before)


def test_bad_files_get_a_message_and_the_merge_goes_on(cycle, tmp_path):
    root, book, returns, _ = cycle
    bad = tmp_path / "回收"
    bad.mkdir()
    (bad / "加密.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
                                    + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512)
    (bad / "损坏.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (bad / "金山.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    (bad / "扫描件.pdf").write_bytes(b"%PDF-1.4 ...")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    (bad / "炸弹.xlsx").write_bytes(bomb.getvalue())
    good = next(returns.glob("*市商务局*.xlsx"))
    shutil.copy(good, bad / good.name)
    result = merge(book, [str(bad)], out=tmp_path / "汇总台账.xlsx", today=TODAY)
    messages = {i.file.split("/")[-1]: i.message for i in result.tracker.issues if not i.sheet}
    assert "密码" in messages["加密.xlsx"]
    assert "损坏" in messages["损坏.xlsx"]
    assert "WPS" in messages["金山.et"]
    assert "PDF" in messages["扫描件.pdf"]
    assert "恶意" in messages["炸弹.xlsx"] or "压缩" in messages["炸弹.xlsx"]
    assert any(s.unit == "市商务局" for s in result.tracker.used)


def test_cli_merge(cycle, tmp_path, capsys):
    root, book, returns, _ = cycle
    assert main(["merge", str(book), str(returns), "--out", str(tmp_path / "汇总.xlsx"), "--quarter", "1"]) == 0
    assert "问题" in capsys.readouterr().out


# -- property: random edits never crash the merge, never lose placeable text ------------

@pytest.fixture(scope="module")
def one_form(cycle):
    root, book, returns, sims = cycle
    sim = next(s for s in sims if s.scenario == "on-time" and len(s.texts) >= 5)
    master = load_master(book)
    raw = read_book(Candidate(sim.path.name, dt.datetime(2025, 4, 1), path=sim.path))
    return master, raw, sim


EDITS = st.lists(st.tuples(st.sampled_from(["delete", "insert", "swap", "clear-id", "clear-key", "shift", "rename",
                                            "merge-down"]), st.integers(0, 10**6)), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_random_edits_never_crash_nor_lose_placeable_text(one_form, edits):
    master, raw, sim = one_form
    sheets = [RawSheet(s.name, [list(r) for r in s.rows], s.hidden) for s in raw.sheets if s.name != META_SHEET]
    report = next(s for s in sheets if s.name == "附表3")
    rng = random.Random(len(edits))
    for how, n in edits:
        rows = report.rows
        i = 4 + n % max(1, len(rows) - 5)
        if how == "delete" and len(rows) > 6:
            del rows[i]
        elif how == "insert":
            rows.insert(i, [""] * len(rows[0]))
        elif how == "swap" and i + 1 < len(rows):
            rows[i], rows[i + 1] = rows[i + 1], rows[i]
        elif how == "clear-id":
            rows[i][-1] = ""
        elif how == "clear-key":
            rows[i][0] = ""
        elif how == "shift" and len(rows[i]) > 4:
            rows[i] = rows[i][:3] + [""] + [rows[i][3]] + rows[i][4:-1]
        elif how == "rename":
            report.name = rng.choice(["Sheet1", "完成情况表", "附表3 (2)"])
        elif how == "merge-down" and i + 1 < len(rows):
            rows[i + 1][0] = rows[i + 1][1] = ""
    book = RawBook(raw.name, sheets, dict(raw.properties), raw.modified)
    submission, issues = Interpreter(master).interpret(book)
    assert submission is not None
    placed_text = "\n".join(submission.reports.values()) + "\n".join(i.message for i in issues)
    for row in report.rows[4:]:
        value = next((str(c) for c in row[3:] if c and len(str(c)) > 10 and "|" not in str(c)), "")
        if value and not str(row[0]).startswith("备注"):
            assert value in placed_text  # placed on a task, or quoted in the problem list


def test_returns_that_do_not_exist(cycle, tmp_path, capsys):
    root, book, _, _ = cycle
    assert main(["merge", str(book), str(tmp_path / "没有这个文件夹")]) == 2
    assert "找不到回收表" in capsys.readouterr().err
    assert not (root / "汇总台账.xlsx").exists()


def test_a_form_titled_with_a_former_name_is_that_body_s(cycle):
    """No identity left, title and file name in the body's old name (市科技局 until 2023): still its form."""
    _, book, _, _ = cycle
    rows = [["市科技局一季度工作目标完成情况"], [], ["序号", "责任事项", "完成情况"], ["二-80-3", "打造滨江数创走廊。", "已完成。"]]
    submission, issues = Interpreter(load_master(book), 1).interpret(RawBook("回收/科技局.xlsx", [RawSheet("Sheet1", rows)]))
    assert submission is not None and submission.unit == "市科技创新局", issues
    assert list(submission.reports.values()) == ["已完成。"]
