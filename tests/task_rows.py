"""Telling a task's row from its 分项' rows in the sheets the tool writes (二-80-1 right under 二-80)."""

from __future__ import annotations

import re


def is_item(key: str, task_key: str | None) -> bool:
    return bool(task_key) and re.fullmatch(re.escape(task_key) + r"-\d{1,3}", key) is not None


def task_rows(rows: list, key_at: int = 0) -> list:
    """The rows of tasks, without the 分项 rows that follow a task."""
    tasks, last = [], None
    for row in rows:
        key = str(row[key_at] or "")
        if not is_item(key, last):
            tasks.append(row)
            last = key
    return tasks
