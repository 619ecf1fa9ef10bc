"""Writing output files safely: to a temporary file first, then renamed into place, one job at a time."""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from xltools.errors import FileInTheWay


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` and move the result over `path` only when it succeeded."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        replace_file(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    return path


def replace_file(source: Path, target: Path) -> None:
    """Move `source` over `target`; a target another program holds open (Windows) is a FileInTheWay."""
    try:
        os.replace(source, target)
    except PermissionError as exc:
        raise FileInTheWay(f"“{target}”无法写入：这个文件可能正在 Word、Excel 或 WPS 中打开，或没有写入权限。"
                           "请关闭这个文件后再运行一次。") from exc


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: str | Path, text: str) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


@contextmanager
def exclusive(path: str | Path, wait: float = 600) -> Iterator[None]:
    """One job at a time on `path`, from reading it to writing it: a second merge into the same
    file waits for the first and then works on what the first wrote (nothing is lost)."""
    path = Path(path)
    if not path.parent.is_dir():  # nothing there yet to protect (and no folder made for a mistyped path)
        yield
        return
    lock = FileLock(path.parent / f".{path.name}.lock")
    try:
        lock.acquire(timeout=wait)
    except Timeout as exc:
        raise FileInTheWay(f"{path.name} 正由另一个合并或刷新写入，等了 {wait:.0f} 秒仍未结束，这次没有修改。"
                           "请等另一个完成后再试。") from exc
    try:
        yield
    finally:
        lock.release()


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a workbook is written: XlsxWriter's objects (one per cell)
    trigger full collections, each walking every object alive, the loaded master too (a quarter of the
    forms' time). A workbook's objects are freed by reference counting once it is written."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
