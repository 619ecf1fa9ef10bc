"""The .cmd launchers beside the ledger: their Python side on a real ledger, and the files themselves."""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest

from tests.conftest import DATA, seed_path
from xltools import launch
from xltools.cli import main
from xltools.readers.master import sheet_rows
from xltools.vocab import BUTTONS, TRACKER_FILE


@pytest.fixture
def desk(master_2025, tmp_path):
    """A folder as on a clerk's desk: the ledger (a copy of the 2025 master) and, for merging, a 回收 folder."""
    folder = tmp_path / "督查室 2025年 台账"  # spaces and Chinese, as real folders are
    folder.mkdir()
    shutil.copy(master_2025, folder / "督办台账.xlsx")
    return folder


def run(capsys, *args: str, answer: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if answer is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    code = launch.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_plan_makes_a_ledger_then_asks_before_rebuilding(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "新 台账"
    folder.mkdir()
    code, out, err = run(capsys, "ImportPlan", str(folder))
    assert code == 2 and "拖到“导入方案”" in err
    code, out, err = run(capsys, "ImportPlan", str(folder), str(seed_path("001")))
    assert code == 0, err
    assert out.startswith("【导入方案】") and "已生成" in out and "340 项任务" in out and "完成（用时" in out
    ledger = folder / "督办台账.xlsx"
    assert ledger.exists()
    before = ledger.stat().st_mtime_ns
    code, out, err = run(capsys, "ImportPlan", str(folder), str(seed_path("001")), answer="\n", monkeypatch=monkeypatch)
    assert code == 2 and "已取消" in err and ledger.stat().st_mtime_ns == before
    code, out, err = run(capsys, "ImportPlan", str(folder), str(seed_path("001")), answer="Y\n", monkeypatch=monkeypatch)
    assert code == 0 and "原文件已备份" in out
    assert len(list((folder / "备份").glob("督办台账.*.xlsx"))) == 1


def test_refresh_and_forms_on_the_ledger(desk, capsys):
    code, out, err = run(capsys, "RefreshUnits", str(desk))
    assert code == 0, err
    assert "【刷新分工】" in out and "完成" in out
    code, out, err = run(capsys, "MakeForms", str(desk))
    assert code == 0, err
    assert "已为 94 个单位生成附表" in out  # placeholders ("…成员单位", "相关区人民政府") get no forms
    assert len(list((desk / "分发").glob("*.xlsx"))) == 95  # 94 units and 分发清单


def test_merge_a_dropped_folder_then_refresh_status_from_the_inbox(desk, capsys):
    code, out, err = run(capsys, "RefreshStatus", str(desk))
    assert code == 2 and "没有找到回收文件夹" in err and str(desk / "回收") in err
    code, out, err = run(capsys, "MergeReturns", str(desk), str(DATA / "forms_v1"))
    assert code == 0, err
    assert out.startswith("【合并回收表】") and "读取" in out
    tracker = desk / TRACKER_FILE
    assert "汇总" in sheet_rows(tracker)
    shutil.copytree(DATA / "forms_v1", desk / "回收")
    code, out, err = run(capsys, "RefreshStatus", str(desk))
    assert code == 0, err
    assert "【刷新状态】" in out and "完成" in out


def test_an_open_ledger_is_not_written(desk, capsys):
    ledger = desk / "督办台账.xlsx"
    (desk / "~$督办台账.xlsx").write_bytes(b"\x0bsomeone")  # what Excel and WPS leave while it is open
    before = ledger.read_bytes()
    code, out, err = run(capsys, "RefreshUnits", str(desk))
    assert code == 2
    assert "正在被 Excel 或 WPS 打开" in err and "~$督办台账.xlsx" in err
    assert ledger.read_bytes() == before and not (desk / "备份").exists()
    code, out, err = run(capsys, "MakeForms", str(desk))  # only reads the saved ledger: goes on, and says so
    assert code == 0 and "正在打开" in out
    (desk / f"~${TRACKER_FILE}").write_bytes(b"x")
    code, out, err = run(capsys, "MergeReturns", str(desk), str(DATA / "forms_v1"))
    assert code == 2 and TRACKER_FILE in err


def test_no_ledger_and_errors_of_the_cli(tmp_path, capsys):
    code, out, err = run(capsys, "RefreshUnits", str(tmp_path))
    assert code == 2 and "没有督办台账" in err
    (tmp_path / "督办台账.xlsx").write_bytes(b"not a workbook")
    code, out, err = run(capsys, "RefreshUnits", str(tmp_path))
    assert code == 2 and err.startswith("错误：") and "没有完成" in err  # the CLI's own message, no traceback
    code, out, err = run(capsys, "Nonsense", str(tmp_path))
    assert code == 2 and "用法" in err


def test_an_xlsm_ledger_is_rebuilt_with_its_buttons(tmp_path, capsys, monkeypatch):
    ledger = tmp_path / "督办台账.xlsm"
    assert main(["build", str(seed_path("001")), "--out", str(ledger)]) == 0
    code, out, err = run(capsys, "ImportPlan", str(tmp_path), str(seed_path("001")), answer="Y\n",
                         monkeypatch=monkeypatch)
    assert code == 0, err
    names = zipfile.ZipFile(ledger).namelist()
    assert "xl/vbaProject.bin" in names and any(n.startswith("xl/drawings/vmlDrawing") for n in names)


def test_launcher_files(tmp_path):
    written = launch.write_launchers(tmp_path)
    assert [p.name for p in written] == [f"{b.label}.cmd" for b in BUTTONS]
    for path, button in zip(written, BUTTONS, strict=True):
        data = path.read_bytes()
        assert data.isascii() and b"\n" not in data.replace(b"\r\n", b"")  # ASCII, CRLF
        text = data.decode("ascii")
        assert f'-m xltools.launch {button.macro} "%~dp0." %*' in text
        assert "chcp 65001" in text and r"%LOCALAPPDATA%\xltools\.venv\Scripts\python.exe" in text
        assert re.search(r"^pause\r$", text, re.M) and "exit /b %XLTOOLS_EXIT%" in text
