"""Command line: `xltools parse|demo …` — a thin front end over the library."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from xltools.errors import BadArgument, describe
from xltools.model import ImportResult
from xltools.readers.master import load_master
from xltools.vocab import DIRECTORY, FORMS, QUARTER, UNIT


def summary(result: ImportResult) -> str:
    lines = []
    for i, plan in enumerate(result.plans, start=1):
        per_part = Counter(t.part for t in plan.tasks)
        parts = "；".join(f"{p}、{n} 项" for p, n in per_part.items() if p)
        declared = f"，声明 {plan.declared_total} 项" if plan.declared_total is not None else ""
        units = {u for t in plan.tasks for u in t.all_units()}
        leads = {u for t in plan.tasks for u in t.lead}
        lines.append(f"方案 {i}：{plan.title}（{plan.source}）")
        lines.append(f"  识别任务 {len(plan.tasks)} 项{declared}" + (f"（{parts}）" if parts else ""))
        lines.append(f"  涉及单位 {len(units)} 个，其中牵头单位 {len(leads)} 个")
    if result.warnings:
        lines.append(f"提示 {len(result.warnings)} 条：")
        for w in result.warnings:
            where = f"第 {w.line} 行" if w.line else "全文"
            lines.append(f"  {w.file} {where}：{w.message}")
    else:
        lines.append("没有需要核对的问题。")
    return "\n".join(lines)


def numbers(text: str, allowed: set[int], what: str) -> tuple[int, ...]:
    """"1,3" → (1, 3), each in `allowed`; anything else is a BadArgument naming what was expected."""
    try:
        found = tuple(sorted({int(x) for x in text.replace("，", ",").split(",") if x.strip()}))
    except ValueError:
        found = ()
    if not found or not set(found) <= allowed:
        raise BadArgument(f"{what}写得不对：“{text}”。应为 {'、'.join(map(str, sorted(allowed)))} 中的一个或几个，用逗号分隔。")
    return found


def quarter_of(text: str | None) -> int | None:
    return numbers(text, {1, 2, 3, 4}, QUARTER)[0] if text else None


def date_of(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadArgument(f"日期写得不对：“{text}”。请写成 2025-05-01 这样的格式。") from None


def cmd_parse(args: argparse.Namespace, workflow: ModuleType) -> int:
    result = workflow.parse(args.files, args.units, args.json)
    if args.json == "-":
        sys.stdout.write(workflow.plan_json(result))
    elif args.json:
        print(f"已写入 {args.json}", file=sys.stderr)
    else:
        print(summary(result))
    return 0


def cmd_build(args: argparse.Namespace, workflow: ModuleType) -> int:
    print(workflow.build(args.files, args.out, args.units, args.force).message)
    return 0


def cmd_refresh(args: argparse.Namespace, workflow: ModuleType) -> int:
    print(workflow.refresh_file(args.master).message)
    return 0


def cmd_templates(args: argparse.Namespace, workflow: ModuleType) -> int:
    master_path = Path(args.master)
    only = [u.strip() for u in args.units.replace("，", ",").split(",") if u.strip()] if args.units else None
    made = workflow.make_forms(load_master(master_path), master_path.parent, quarter_of(args.quarter),
                               numbers(args.forms, {1, 2, 3}, FORMS), only, args.out, args.template,
                               date_of(args.today))
    print(made.message)
    return 0


def cmd_merge(args: argparse.Namespace, workflow: ModuleType) -> int:
    merged = workflow.merge(args.master, args.returns, quarter_of(args.quarter), args.out, date_of(args.today),
                            workers=os.cpu_count() or 1)
    print(merged.message)
    return 0


def cmd_cascade(args: argparse.Namespace, workflow: ModuleType) -> int:
    print(workflow.cascade_plan(args.plan, args.district, args.out, args.map, args.units, args.force).message)
    return 0


def cmd_learn_map(args: argparse.Namespace, workflow: ModuleType) -> int:
    print(workflow.learn_counterparts(args.notice, args.out, args.units).message)
    return 0


def cmd_demo(args: argparse.Namespace, workflow: ModuleType) -> int:
    print(workflow.demo(args.out, say=print).message)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xltools", description="督办台账工具：导入责任分解方案、生成台账与附表、合并回收表")
    parser.add_argument("--debug", action="store_true", help="出错时显示程序内部信息（供技术人员排查）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("parse", help="导入方案：识别方案文件中的任务和单位")
    p.add_argument("files", nargs="+", metavar="文件", help="方案文件（.txt/.docx/.html/.pdf/.xlsx）")
    p.add_argument("--json", metavar="路径", help="把结果写成 JSON 文件；写 - 则输出到屏幕")
    p.add_argument("--units", metavar=DIRECTORY, help="本单位的单位名录（.xlsx/.csv），默认用内置的武汉名录")
    p.set_defaults(run=cmd_parse)

    p = sub.add_parser("build", help="生成督办台账：每个方案一张表、每个单位一张表，以及单位名录和设置")
    p.add_argument("files", nargs="+", metavar="方案文件", help="一个或多个方案文件")
    p.add_argument("--out", default="督办台账.xlsx", metavar="台账", help="输出的台账文件（默认：督办台账.xlsx；写 .xlsm 则生成带按钮和宏的台账）")
    p.add_argument("--units", metavar=DIRECTORY, help="本单位的单位名录（.xlsx/.csv），默认用内置的武汉名录")
    p.add_argument("--force", action="store_true", help="台账已存在时仍然重建（先备份原文件）")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("refresh", help="刷新分工：按改过的方案表和单位名录重建各单位表和分工统计")
    p.add_argument("master", metavar="台账", help="督办台账 .xlsx 文件")
    p.set_defaults(run=cmd_refresh)

    p = sub.add_parser("templates", help="生成附表：为每个单位生成附表1、2、3（已预填任务），以及分发清单")
    p.add_argument("master", metavar="台账", help="督办台账 .xlsx 文件")
    p.add_argument("--out", metavar="文件夹", help="输出文件夹（默认：设置中的“分发文件夹”）")
    p.add_argument("--quarter", metavar="N", help="附表3 填报的季度 1-4（默认：下一个要报送的季度）")
    p.add_argument("--units", metavar=UNIT, help="只生成这些单位，用逗号分隔（默认：所有有任务的单位）")
    p.add_argument("--forms", default="1,2,3", metavar="1,2,3", help="生成哪些附表（默认：1,2,3）")
    p.add_argument("--template", metavar="自制附表", help="用本单位自制的空白附表（含 {{单位}}、{{序号}} 等占位符）")
    p.add_argument("--today", metavar="日期", help="按这一天决定默认季度（如 2025-05-01；默认：今天）")
    p.set_defaults(run=cmd_templates)

    p = sub.add_parser("merge", help="合并回收表：把各单位交回的附表合并成汇总台账")
    p.add_argument("master", metavar="台账", help="督办台账 .xlsx 文件")
    p.add_argument("returns", nargs="+", metavar="回收表", help="交回的文件或文件夹（含子文件夹、.zip 压缩包）")
    p.add_argument("--quarter", metavar="N", help="只合并这个季度（1-4）的附表3")
    p.add_argument("--out", metavar="汇总台账", help="输出文件（默认：台账旁边的“汇总台账.xlsx”）")
    p.add_argument("--today", metavar="日期", help="按这一天判断逾期和状态（如 2025-05-01；默认：今天）")
    p.set_defaults(run=cmd_merge)

    p = sub.add_parser("cascade", help="对口分解：把上级方案中涉及本区的任务分给区级对口单位，生成本区台账")
    p.add_argument("plan", metavar="上级方案", help="市（省）级方案文件")
    p.add_argument("--district", required=True, metavar="区", help="本区名称，如 武昌区")
    p.add_argument("--map", metavar="对口单位表", help="对口单位表（.xlsx/.csv），默认用内置的武昌区对口单位表")
    p.add_argument("--out", required=True, metavar="台账", help="输出的本区督办台账 .xlsx")
    p.add_argument("--units", metavar=DIRECTORY, help="单位名录（.xlsx/.csv），默认用内置名录")
    p.add_argument("--force", action="store_true", help="输出文件已存在时仍然生成（先备份）")
    p.set_defaults(run=cmd_cascade)

    p = sub.add_parser("learn-map", help="学习对口关系：从写明市级、区级牵头单位的区级方案中整理对口单位表")
    p.add_argument("notice", metavar="区级方案", help="区级方案文件（如 武昌政办〔2023〕1号）")
    p.add_argument("--out", default="对口单位表.csv", metavar="文件", help="输出 .csv（默认：对口单位表.csv）")
    p.add_argument("--units", metavar=DIRECTORY, help="单位名录（.xlsx/.csv）")
    p.set_defaults(run=cmd_learn_map)

    p = sub.add_parser("demo", help="演示：用内置的 2025 年方案跑一遍完整流程")
    p.add_argument("--out", default="演示输出", metavar="文件夹", help="输出文件夹（默认：演示输出）")
    p.set_defaults(run=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # imported here, not at the top: a merge's worker process spawned on Windows imports this module
    # again, and needs none of the jobs (0.2 s to import)
    from xltools import workflow

    try:
        return args.run(args, workflow)
    except Exception as exc:
        if args.debug:
            raise
        message, code = describe(exc)
        print(message, file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
