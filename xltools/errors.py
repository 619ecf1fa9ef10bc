"""What can go wrong, as the user is told it: one hierarchy, one handler.

A `UserError` is something the user can put right (a bad file, a file that
exists, a wrong argument, a master workbook with problems); its message is
Chinese and says what to do. Anything else is an internal error: the user is
told to run again with --debug and send the output to whoever maintains the
tool. The CLI, the Excel add-in and the launchers all present errors through
`describe`, so a message reads the same wherever it appears.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_USER = 2  # the user can fix it: bad input, a file in the way
EXIT_INTERNAL = 1  # a defect: report it


class UserError(Exception):
    """A problem the user can fix; the message (Chinese) says what and how."""


class BadFile(UserError):
    """A file that cannot be read or is not what it should be."""


class FileInTheWay(UserError):
    """An output that exists and may hold someone's edits."""


class BadArgument(UserError):
    """A command-line argument or setting that cannot be understood."""


class NothingFound(UserError):
    """The input was read but holds nothing to work on (no plan, no task for a district …)."""


class WouldLoseContent(UserError):
    """Rewriting a workbook would lose something the tool did not make (charts, macros …)."""


class NoExcel(UserError):
    """An Excel button was used where Excel is not running (WPS, or run by hand)."""


@dataclass
class Problem:
    """One thing wrong in a master workbook, with its sheet and row (0: the whole sheet)."""

    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        where = f"“{self.sheet}”表第 {self.row} 行" if self.row else f"“{self.sheet}”表"
        return f"{where}：{self.message}"


class BadMaster(UserError):
    """The master workbook cannot be used as it is; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def describe(exc: BaseException, limit: int = 0) -> tuple[str, int]:
    """The message a user sees for `exc`, and the exit code.

    `limit` caps the number of listed problems of a `BadMaster` (0: all), for a
    message box that cannot scroll.
    """
    if isinstance(exc, BadMaster):
        shown = exc.problems[:limit] if limit else exc.problems
        lines = [f"台账中有 {len(exc.problems)} 处需要改正，没有做任何修改："]
        lines += [f"  {p}" for p in shown]
        if len(shown) < len(exc.problems):
            lines.append(f"  ……共 {len(exc.problems)} 处")
        return "\n".join(lines), EXIT_USER
    if isinstance(exc, UserError):
        return f"错误：{exc}", EXIT_USER
    if isinstance(exc, PermissionError):  # on Windows: an output open in Word or Excel cannot be replaced
        target = exc.filename2 or exc.filename  # os.replace(source, target) names the target second
        where = f"“{target}”" if target else "要写入的文件"
        return (f"错误：{where}无法写入，可能正在 Word、Excel 或 WPS 中打开，或没有写入权限。"
                "请关闭这个文件后再运行一次（已写好的其他文件不受影响）。"), EXIT_USER
    return (f"出错了：{type(exc).__name__}: {exc}\n"
            "这是程序的问题，不是你的操作问题。请加 --debug 参数再运行一次，把显示的内容和所用文件发给技术人员。"), EXIT_INTERNAL
