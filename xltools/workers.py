"""The worker processes of a merge: they read and place the returned files, then write the reports.

Kept apart from `workflow` so that a worker started by spawning (Windows) imports only what reading
and placing needs (python-calamine and the interpretation of a form), not every writer of the
package; a report writer is imported by a worker when it is handed one.
"""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from xltools.master.content import Master
from xltools.merge.interpret import Interpreter
from xltools.merge.model import Issue, Submission
from xltools.readers.returns import Candidate, ReturnProblem, read_book
from xltools.writers.files import replace_file

# files from which worker processes save more than their start costs, by how they are started (bench/merge.py,
# 2 cores): forked (Linux) in milliseconds; spawned (Windows, macOS) each imports Python and the package again,
# about 0.2 s, while reading a file takes about 1 ms of one core
PARALLEL_FROM = {"fork": 100, "spawn": 400, "forkserver": 400}
MOST_WORKERS = 61  # what Windows allows a process pool

_worker: Interpreter | None = None


@contextmanager
def worker_pool(master: Master, quarter: int | None, workers: int, files: int) -> Iterator[ProcessPoolExecutor | None]:
    """Processes that read returns and then write the reports, or None when there are too few files to
    be worth starting them (or one worker is asked for)."""
    if workers > 1 and files >= PARALLEL_FROM.get(multiprocessing.get_start_method(), 400):
        with ProcessPoolExecutor(min(workers, MOST_WORKERS), initializer=_start_worker,
                                 initargs=(master, quarter)) as pool:
            yield pool
    else:
        yield None


def read_returns(master: Master, items: list[Candidate | ReturnProblem], quarter: int | None,
                 pool: ProcessPoolExecutor | None = None) -> tuple[list[Submission], list[Issue]]:
    """Read and place every returned file, in `pool`'s processes when given.

    The result is the same with or without a pool (files keep their order).
    """
    if pool is not None:
        results = list(pool.map(_read_one, items, chunksize=16))
    else:
        interpreter = Interpreter(master, quarter)
        results = [_read_one(item, interpreter) for item in items]
    submissions = [sub for sub, _ in results if sub is not None]
    issues = [issue for _, found in results for issue in found]
    return submissions, issues


def write_pending(files: list[tuple[Path, Callable[[Path], Path]]]) -> list[tuple[Path, Path]]:
    """Write each file under a temporary name beside it: (temporary, final) pairs for `put_in_place`; nothing
    is left behind when one cannot be written."""
    written: list[tuple[Path, Path]] = []
    try:
        for final, write in files:
            written.append((write(final.with_name(f".{final.stem}.{uuid.uuid4().hex[:8]}{final.suffix}")), final))
    except BaseException:
        discard(written)
        raise
    return written


def put_in_place(pending: list[tuple[Path, Path]]) -> list[Path]:
    """Move each written file over its final name: the final names, in order."""
    for at, (written, final) in enumerate(pending):
        try:
            replace_file(written, final)
        except BaseException:
            discard(pending[at:])
            raise
    return [final for _, final in pending]


def discard(pending: list[tuple[Path, Path]]) -> None:
    for written, _ in pending:
        written.unlink(missing_ok=True)


def _start_worker(master: Master, quarter: int | None) -> None:
    global _worker
    _worker = Interpreter(master, quarter)


def _read_one(item: Candidate | ReturnProblem, interpreter: Interpreter | None = None):
    interpreter = interpreter or _worker
    if isinstance(item, ReturnProblem):
        return None, [Issue(item.name, "", 0, item.message, interpreter.unit_named(item.name))]
    try:  # one file never stops the merge: whatever goes wrong with it becomes its line in 问题清单
        book = read_book(item)
        if isinstance(book, ReturnProblem):
            return None, [Issue(book.name, "", 0, book.message, interpreter.unit_named(book.name))]
        return interpreter.interpret(book)
    except Exception as exc:
        return None, [Issue(item.name, "", 0, f"读取这个文件时程序出错（{type(exc).__name__}），已跳过，其他文件照常合并。"
                                               "请把这个文件发给技术人员排查")]
