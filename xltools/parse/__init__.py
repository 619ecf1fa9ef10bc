"""From a document's lines to plans: pure logic, no file access."""

from __future__ import annotations

import re
from collections import Counter

from xltools.model import ROLES, Document, ImportResult, ParseWarning, Plan
from xltools.parse.checks import (
    assign_keys,
    check_numbering,
    check_totals,
    check_units,
    report_unknown_units,
)
from xltools.parse.listform import parse_list_plan
from xltools.parse.notice import define_notice_groups
from xltools.parse.segments import prepare, split_plans
from xltools.parse.tableform import is_table_plan, parse_table_plan
from xltools.text import pair_quotes
from xltools.units import UnitDirectory

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_NUMBER_YEAR = re.compile(r"〔\s*((?:19|20)\d\d)\s*〕")  # "武政〔2018〕27号"


def plan_year(title: str, notice: list[str]) -> int | None:
    """The plan's year: in its title ("2025年市《政府工作报告》…"), else the notice's number or first date."""
    text = "".join(notice)
    for pattern, where in ((_YEAR, title), (_NUMBER_YEAR, text), (_YEAR, text)):
        if m := pattern.search(where):
            return int(m.group(1))
    return None


WARNINGS_PER_KIND = 200  # a damaged document can produce millions of one warning
_KIND = re.compile(r"“[^”]*”|\d+|\s+")  # a warning without its particulars: its kind


def parse_document(doc: Document, directory: UnitDirectory) -> ImportResult:
    """Every plan in `doc`, with the warnings of reading and checking it.

    Groups a document defines ("…〈含…,下同〉", in a unit clause or in the
    notice's prose) apply from there to the end of that document only;
    `directory` itself is not changed. A group covers the units existing in
    the plan's year.
    """
    result = ImportResult()
    kinds: Counter[str] = Counter()

    def warn(line: int, message: str) -> None:
        kind = _KIND.sub("", message)
        kinds[kind] += 1
        if kinds[kind] <= WARNINGS_PER_KIND:
            result.warnings.append(ParseWarning(doc.name, line, message))

    directory = directory.copy()
    lines = prepare(doc, warn)
    default_title = doc.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    all_results = []
    segments, result.notice = split_plans(lines, default_title, warn)
    define_notice_groups(result.notice, directory)
    for segment in segments:
        table = is_table_plan(segment)
        directory.year = plan_year(segment.title, result.notice)
        plan, results = (parse_table_plan if table else parse_list_plan)(segment, directory, warn)
        if not plan.tasks:
            warn(segment.line, f"“{segment.title}”下没有识别出任何任务")
            continue
        plan.source, plan.year = doc.name, directory.year
        _tidy(plan, directory)
        assign_keys(plan, warn)
        check_totals(plan, warn)
        if not table:
            check_numbering(plan, warn)
        check_units(plan, results, warn)
        all_results.extend(results)
        result.plans.append(plan)
    report_unknown_units(all_results, warn)
    result.warnings += [ParseWarning(doc.name, 0, f"同类提示还有 {n - WARNINGS_PER_KIND} 条未列出：{kind[:30]}……")
                        for kind, n in kinds.items() if n > WARNINGS_PER_KIND]
    result.warnings.sort(key=lambda w: w.line)
    return result


def _tidy(plan: Plan, directory: UnitDirectory) -> None:
    """Quotes as a clerk writes them: 培育"领跑者"企业 → 培育“领跑者”企业 (in texts, and in the names of
    units the directory does not know: its own names stay as the office wrote them)."""

    def name(unit: str) -> str:
        return unit if unit in directory.entries else pair_quotes(unit)

    for part in plan.parts:
        part.title = pair_quotes(part.title)
    for task in plan.tasks:
        task.text, task.section, task.theme = pair_quotes(task.text), pair_quotes(task.section), pair_quotes(task.theme)
        for item in task.items:
            item.text = pair_quotes(item.text)
        for a in [task.assignment, *(item.assignment for item in task.items)]:
            for mention in a.mentions:
                mention.text, mention.units = pair_quotes(mention.text), [name(u) for u in mention.units]
            a.phrases[:] = [pair_quotes(p) for p in a.phrases]
            for role in ROLES:
                getattr(a, role)[:] = [name(u) for u in getattr(a, role)]
