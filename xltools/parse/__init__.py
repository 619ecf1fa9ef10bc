"""From a document's lines to plans: pure logic, no file access."""

from __future__ import annotations

from xltools.model import Document, ImportResult, ParseWarning
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
from xltools.units import UnitDirectory


def parse_document(doc: Document, directory: UnitDirectory) -> ImportResult:
    """Every plan in `doc`, with the warnings of reading and checking it.

    Groups a document defines ("…〈含…,下同〉", in a unit clause or in the
    notice's prose) apply from there to the end of that document only;
    `directory` itself is not changed.
    """
    result = ImportResult()

    def warn(line: int, message: str) -> None:
        result.warnings.append(ParseWarning(doc.name, line, message))

    directory = directory.copy()
    lines = prepare(doc, warn)
    default_title = doc.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    all_results = []
    segments, result.notice = split_plans(lines, default_title, warn)
    define_notice_groups(result.notice, directory)
    for segment in segments:
        table = is_table_plan(segment)
        plan, results = (parse_table_plan if table else parse_list_plan)(segment, directory, warn)
        if not plan.tasks:
            warn(segment.line, f"“{segment.title}”下没有识别出任何任务")
            continue
        plan.source = doc.name
        assign_keys(plan, warn)
        check_totals(plan, warn)
        if not table:
            check_numbering(plan, warn)
        check_units(plan, results, warn)
        all_results.extend(results)
        result.plans.append(plan)
    report_unknown_units(all_results, warn)
    result.warnings.sort(key=lambda w: w.line)
    return result
