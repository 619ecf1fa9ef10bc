"""One returned file can neither stop a merge nor be turned away for being an .ods (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import seed_path
from tests.office import convert
from xltools.cli import main
from xltools.demo.simulate import simulate
from xltools.readers.forms import read_identity
from xltools.readers.master import load_master
from xltools.vocab import SUMMARY
from xltools.workflow import merge


@pytest.fixture(scope="module")
def returned(tmp_path_factory):
    """The master and two units' first-quarter returns, filled and sent on time."""
    root = tmp_path_factory.mktemp("isolation")
    book = root / "督办台账.xlsx"
    assert main(["build", str(seed_path("001")), "--out", str(book)]) == 0
    assert main(["templates", str(book), "--out", str(root / "分发"), "--quarter", "1", "--forms", "3",
                 "--units", "市商务局,市教育局"]) == 0
    forms = [(read_identity(p).unit, p) for p in sorted((root / "分发").glob("*.xlsx")) if p.name != "分发清单.xlsx"]
    sims = simulate(forms, root / "回收", dt.datetime(2025, 4, 20, 18), seed=7)
    return root, book, [s.path for s in sims if s.path and s.path.suffix == ".xlsx"]


def _texts(merged, unit: str) -> set[str]:
    table = next(t for t in merged.tracker.tables if t.name == SUMMARY)
    at = table.header.index("报送单位")
    first = table.header.index("第一季度完成情况")
    return {row[first] for row in table.rows if row[at] == unit and row[first]}


def test_a_return_saved_as_ods_is_read_like_xlsx(returned, tmp_path):
    root, book, files = returned
    unit = read_identity(files[0]).unit
    as_xlsx = merge(book, [str(files[0])], 1, tmp_path / "x.xlsx", today=dt.date(2025, 5, 1))
    ods = convert(files[0], "ods", tmp_path / "ods")
    as_ods = merge(book, [str(ods)], 1, tmp_path / "o.xlsx", today=dt.date(2025, 5, 1))
    assert _texts(as_xlsx, unit) and _texts(as_ods, unit) == _texts(as_xlsx, unit)
    assert not [i for i in as_ods.tracker.issues if "OpenDocument" in i.message]


def test_a_reader_panic_is_one_line_in_the_problem_list(returned, tmp_path, monkeypatch):
    """python-calamine panics (a BaseException from Rust) on some fuzzed files; the other returns merge."""
    import python_calamine

    root, book, files = returned
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(files[0].read_bytes())

    class Panic(BaseException):  # what pyo3 raises: not an Exception
        pass

    real = python_calamine.CalamineWorkbook.from_filelike

    def reader(data):
        if b"PANIC" in data.getvalue()[-16:]:
            raise Panic("called `Option::unwrap()` on a `None` value")
        return real(data)

    bad.write_bytes(bad.read_bytes() + b"PANIC")
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", staticmethod(reader))
    merged = merge(book, [str(bad), *map(str, files)], 1, tmp_path / "t.xlsx", today=dt.date(2025, 5, 1))
    assert [i for i in merged.tracker.issues if i.file.endswith("坏文件.xlsx") and "无法读取" in i.message]
    for path in files:
        assert _texts(merged, read_identity(path).unit)


def test_a_crash_while_placing_a_return_is_one_line_in_the_problem_list(returned, tmp_path, monkeypatch):
    from xltools.merge.interpret import Interpreter

    root, book, files = returned
    real = Interpreter.interpret

    def interpret(self, raw):
        if raw.name.endswith(files[0].name):
            raise ValueError("unexpected")
        return real(self, raw)

    monkeypatch.setattr(Interpreter, "interpret", interpret)
    merged = merge(book, list(map(str, files)), 1, tmp_path / "t.xlsx", today=dt.date(2025, 5, 1))
    assert [i for i in merged.tracker.issues if "程序出错（ValueError）" in i.message]
    assert _texts(merged, read_identity(files[1]).unit)
    assert load_master(book)
