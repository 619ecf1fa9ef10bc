"""The merge's model: a returned workbook's values, and what a unit reported in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class RawSheet:
    name: str
    rows: list[list]
    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1)


@dataclass
class RawBook:
    """A workbook as values only (nothing evaluated), with what its package says about it."""

    name: str  # path relative to what was given, or "archive.zip/member"
    sheets: list[RawSheet]
    properties: dict[str, str] = field(default_factory=dict)
    modified: dt.datetime | None = None
    formulas: int = 0
    notes: list[str] = field(default_factory=list)
    scan: str = ""  # a signed copy sent beside a form ("PDF", "图片"): recorded, never read


@dataclass
class Issue:
    """One line of the 问题清单: which file, sheet and row, and what is wrong."""

    file: str
    sheet: str
    row: int
    message: str
    unit: str = ""  # for a file that could not be used: the unit its name points to (for 催报)


@dataclass
class PlanRow:
    """One filled row of 附表1 办理方案."""

    task: str  # task identity "方案表|编号"
    content: str
    when: str = ""
    leader: str = ""
    office: str = ""
    sheet: str = ""
    row: int = 0


@dataclass
class Contact:
    """One row of 附表2 督办工作人员名单."""

    role: str
    name: str = ""
    title: str = ""
    office_phone: str = ""
    mobile: str = ""


@dataclass
class Submission:
    """What one returned file says, once placed."""

    file: str
    unit: str
    quarter: int | None
    submitted: dt.datetime | None
    forms: set[int] = field(default_factory=set)  # the forms found filled in the file: 1, 2, 3
    reports: dict[str, str] = field(default_factory=dict)  # 附表3: task identity → 完成情况
    empty: list[str] = field(default_factory=list)  # 附表3 tasks listed but left empty
    plan_rows: list[PlanRow] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    how: str = ""  # how the file was placed: 隐藏表, 文档属性, 标题, 文件名
    scan: str = ""  # a signed copy (PDF, 图片) of the unit's form: 已附签字件, no answers read
    blank: set[int] = field(default_factory=set)  # forms found but returned without a single answer
