"""Sheet names Excel accepts: at most 31 characters, none of []:*?/\\, unique ignoring case."""

from __future__ import annotations

import re

from xltools.vocab import PLAN

MAX_LEN = 31
_INVALID = re.compile(r"[\[\]:*?/\\：？]")


def clean(name: str) -> str:
    name = _INVALID.sub("", name).strip().strip("'")
    return name or "表"


def unique_name(wanted: str, taken: set[str]) -> str:
    """A valid sheet name close to `wanted`, not in `taken` (compared without case)."""
    base = clean(wanted)[:MAX_LEN]
    lowered = {t.lower() for t in taken}
    name, n = base, 1
    while name.lower() in lowered:
        n += 1
        suffix = f"({n})"
        name = base[: MAX_LEN - len(suffix)] + suffix
    taken.add(name)
    return name


def plan_sheet_name(title: str) -> str:
    """"2025年市《政府工作报告》目标任务责任分解方案" → "2025年市政府工作报告任务"."""
    m = re.match(r"^\s*(\d{4})\s*年\s*([省市区县])?\s*《?([^》]{2,12})》", title)
    if m:
        return f"{m.group(1)}年{m.group(2) or ''}{m.group(3).replace('〈', '').replace('〉', '')}任务"
    short = re.sub(r"(关于)?印发|的通知|责任分解方案|分解方案|[《》〈〉“”（）()]", "", title)
    return short[:MAX_LEN] or PLAN
