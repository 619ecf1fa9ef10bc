"""The launchers beside the ledger (导入方案.cmd …): one step of the year's work, without Excel or typing.

For WPS desks, and anyone who will not type commands. Each .cmd file (written
by `write_launchers`, from xltools/data/launchers/launcher.cmd) only finds the
installed Python and runs

    python -m xltools.launch ACTION FOLDER [DROPPED PATHS …]

where ACTION is the macro name of the matching Excel button (ImportPlan …) and
FOLDER the launcher's own folder. Here: find the ledger in FOLDER (督办台账.xlsm,
else 督办台账.xlsx), refuse while Excel/WPS has it open (its lock file is
there), then run the same command as `xltools …` (xltools.cli.main), showing
the same Chinese result or error text. The exit code is the CLI's.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xltools import cli
from xltools.errors import EXIT_USER, describe
from xltools.readers.master import load_master
from xltools.vocab import BUTTONS, LEDGER_NAME, TRACKER_FILE

LAUNCHER_TEMPLATE = Path(__file__).resolve().parent / "data" / "launchers" / "launcher.cmd"
LEDGERS = (LEDGER_NAME, Path(LEDGER_NAME).stem + ".xlsx")  # the first one found is used
LABELS = {b.macro: b.label for b in BUTTONS}


class Refused(Exception):
    """The step cannot start; the message says what to do."""


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel and WPS (~$name) or LibreOffice (.~lock.name#) keep beside an open workbook."""
    candidates = [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]
    if len(path.stem) > 2:  # Excel shortens long names: ~$ replaces their first two characters
        candidates.append(path.with_name("~$" + path.name[2:]))
    return [c for c in candidates if c.exists()]


def check_closed(path: Path) -> None:
    locks = lock_files(path)
    if locks:
        raise Refused(f"{path.name} 正在被 Excel 或 WPS 打开，现在写入会失败或丢失你未保存的修改。\n"
                      f"请先保存并关闭 {path.name}，再运行一次。\n"
                      f"（如果确实没有打开，可能是上次异常退出留下的临时文件：删除同一文件夹中的 {locks[0].name} 后再试。）")


def find_ledger(folder: Path) -> Path | None:
    return next((folder / name for name in LEDGERS if (folder / name).exists()), None)


def need_ledger(folder: Path) -> Path:
    ledger = find_ledger(folder)
    if ledger is None:
        raise Refused(f"这个文件夹里没有督办台账（{' 或 '.join(LEDGERS)}）：{folder}\n"
                      "请把启动文件和台账放在同一个文件夹；还没有台账时，先把方案文件拖到“导入方案”上。")
    return ledger


def ask(question: str) -> bool:
    print(question, end="", flush=True)
    try:
        answer = input()
    except EOFError:
        answer = ""
    return answer.strip().lower() in {"y", "yes", "是"}


# -- the steps: the arguments of `xltools …` for each button ------------------------------------

def import_plan(folder: Path, dropped: list[str]) -> list[str]:
    if not dropped:
        raise Refused("请把方案文件（.docx、.pdf、.txt、.html 或表格）拖到“导入方案”启动文件上。")
    ledger = find_ledger(folder)
    if ledger is None:
        return ["build", *dropped, "--out", str(folder / LEDGERS[1])]
    check_closed(ledger)
    if not ask(f"{ledger.name} 已经存在。按新方案重建台账（原文件先备份到“备份”文件夹）？输入 Y 后回车继续，直接回车取消："):
        raise Refused("已取消，台账没有修改。")
    return ["build", *dropped, "--out", str(ledger), "--force"]


def refresh_units(folder: Path, dropped: list[str]) -> list[str]:
    ledger = need_ledger(folder)
    check_closed(ledger)
    return ["refresh", str(ledger)]


def make_forms(folder: Path, dropped: list[str]) -> list[str]:
    ledger = need_ledger(folder)
    if lock_files(ledger):
        print(f"提示：{ledger.name} 正在打开，生成附表用的是它最后一次保存的内容。")
    return ["templates", str(ledger)]


def _returns(folder: Path, ledger: Path, dropped: list[str]) -> list[str]:
    if dropped:
        return dropped
    inbox = folder / load_master(ledger).settings.inbox
    if not inbox.is_dir():
        raise Refused(f"没有找到回收文件夹：{inbox}\n"
                      "请把各单位交回的表放进这个文件夹，或把回收表所在的文件夹（或 .zip）拖到启动文件上。")
    return [str(inbox)]


def merge_returns(folder: Path, dropped: list[str]) -> list[str]:
    ledger = need_ledger(folder)
    check_closed(folder / TRACKER_FILE)
    return ["merge", str(ledger), *_returns(folder, ledger, dropped)]


def refresh_status(folder: Path, dropped: list[str]) -> list[str]:
    """刷新状态: merge the 回收 folder again, so statuses and 报送情况 are judged for today."""
    return merge_returns(folder, dropped)


@dataclass(frozen=True)
class Step:
    macro: str
    arguments: Callable[[Path, list[str]], list[str]]

    @property
    def label(self) -> str:
        return LABELS[self.macro]


STEPS = {s.macro: s for s in (Step("ImportPlan", import_plan), Step("RefreshUnits", refresh_units),
                              Step("MakeForms", make_forms), Step("MergeReturns", merge_returns),
                              Step("RefreshStatus", refresh_status))}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] not in STEPS:
        print(f"用法：python -m xltools.launch {{{'|'.join(STEPS)}}} 文件夹 [拖入的文件…]", file=sys.stderr)
        return EXIT_USER
    step, folder, dropped = STEPS[args[0]], Path(args[1]).resolve(), args[2:]
    print(f"【{step.label}】{folder}")
    try:
        command = step.arguments(folder, dropped)
    except Refused as exc:
        print(f"没有运行：{exc}", file=sys.stderr)
        return EXIT_USER
    except Exception as exc:  # reading the ledger's settings failed: the CLI's own wording
        print(describe(exc)[0], file=sys.stderr)
        return EXIT_USER
    print("正在运行，请稍候……", flush=True)
    started = time.monotonic()
    code = cli.main(command)
    seconds = time.monotonic() - started
    if code == 0:
        print(f"完成（用时 {seconds:.1f} 秒）。")
    else:
        print("没有完成：请按上面的提示处理后再运行一次。", file=sys.stderr)
    return code


def launcher_script(macro: str) -> bytes:
    """The .cmd file of one step: ASCII, CRLF, as cmd.exe reads it."""
    text = LAUNCHER_TEMPLATE.read_bytes()
    if macro not in STEPS:
        raise ValueError(f"no launcher step {macro!r}")
    return text.replace(b"@ACTION@", macro.encode("ascii"))


def write_launchers(folder: str | Path) -> list[Path]:
    """导入方案.cmd, 刷新分工.cmd … in `folder`, beside the ledger."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for step in STEPS.values():
        target = folder / f"{step.label}.cmd"
        target.write_bytes(launcher_script(step.macro))
        written.append(target)
    return written


if __name__ == "__main__":
    sys.exit(main())
