"""Command line: `xltools parse|demo …` — a thin front end over the library."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

from xltools.cascade import CounterpartMap, cascade, decisions_table, learn_map
from xltools.demo.simulate import MANGLING, simulate
from xltools.errors import BadArgument, FileInTheWay, NothingFound, describe
from xltools.forms.model import current_quarter, unit_forms
from xltools.master.content import new_master
from xltools.master.settings import PRESET_DISTRICT, settings_from_notice
from xltools.model import ImportResult
from xltools.readers.counterparts import load_map, map_csv, map_table
from xltools.readers.directory import load_directory
from xltools.readers.master import load_master
from xltools.vocab import DIRECTORY, FORM_TITLES, FORMS, QUARTER, QUARTER_WORDS, UNIT
from xltools.vocab import TRACKER_FILE as TRACKER_NAME
from xltools.workflow import build_master, import_files, merge
from xltools.writers.distribution import LIST_NAME, generate
from xltools.writers.files import write_text_atomic
from xltools.writers.master_xlsx import backup, refresh_file, write_master
from xltools.writers.plan_json import result_dict

SAMPLE = "2025年市政府工作报告目标任务责任分解方案.txt"


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


def cmd_parse(args: argparse.Namespace) -> int:
    result = import_files(args.files, args.units)
    if args.json:
        text = json.dumps(result_dict(result), ensure_ascii=False, indent=2)
        if args.json == "-":
            sys.stdout.write(text + "\n")
        else:
            write_text_atomic(args.json, text + "\n")
            print(f"已写入 {args.json}", file=sys.stderr)
    else:
        print(summary(result))
    return 0


def _new_file(path: str, force: bool, hint: str = "") -> Path:
    """A workbook to create: an existing one (holding someone's edits) only with --force."""
    out = Path(path)
    if out.exists() and not force:
        raise FileInTheWay(f"{out} 已经存在，其中可能有你做过的修改，所以没有覆盖。{hint}"
                        "确实要重新生成，请加 --force（会先备份原文件）。")
    return out


def _backup_existing(out: Path) -> None:
    if out.exists():
        print(f"原文件已备份到 {backup(out)}")


def cmd_build(args: argparse.Namespace) -> int:
    out = _new_file(args.out, args.force, "要按修改后的方案更新分工，请用 xltools refresh；")
    master, result = build_master(args.files, args.units)
    _backup_existing(out)
    write_master(master, out)
    tasks = sum(len(p.tasks) for p in master.plans)
    print(f"已生成 {out}：{len(master.plans)} 个方案、{tasks} 项任务。")
    if result.warnings:
        print(f"导入时有 {len(result.warnings)} 条提示，已列在“导入提示”表中，请核对。")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    master, saved = refresh_file(args.master)
    units = {u for p in master.plans for t in p.tasks for u in t.all_units()}
    print(f"已刷新 {args.master}：{len(units)} 个单位的分工表和“分工统计”。原文件备份在 {saved}")
    return 0


def _numbers(text: str, allowed: set[int], what: str) -> tuple[int, ...]:
    try:
        numbers = tuple(sorted({int(x) for x in text.replace("，", ",").split(",") if x.strip()}))
    except ValueError:
        numbers = ()
    if not numbers or not set(numbers) <= allowed:
        raise BadArgument(f"{what}写得不对：“{text}”。应为 {'、'.join(map(str, sorted(allowed)))} 中的一个或几个，用逗号分隔。")
    return numbers


def cmd_templates(args: argparse.Namespace) -> int:
    master_path = Path(args.master)
    master = load_master(master_path)
    quarter = _numbers(args.quarter, {1, 2, 3, 4}, QUARTER)[0] if args.quarter else current_quarter(master)
    forms_wanted = _numbers(args.forms, {1, 2, 3}, FORMS)
    only = [u.strip() for u in args.units.replace("，", ",").split(",") if u.strip()] if args.units else None
    if only:
        unknown = [u for u in only if master.directory.canonical(u) is None]
        if unknown:
            raise BadArgument(f"单位名录中没有：{'、'.join(unknown)}。请检查单位名称（可用简称或别名）。")
    all_forms = unit_forms(master, quarter, forms_wanted, only)
    out = Path(args.out) if args.out else master_path.parent / master.settings.outbox
    done = generate(all_forms, out, template=Path(args.template) if args.template else None)
    print(f"已为 {len(done)} 个单位生成附表（{QUARTER_WORDS[quarter]}），在 {out}；分发清单：{out / LIST_NAME}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    quarter = _numbers(args.quarter, {1, 2, 3, 4}, QUARTER)[0] if args.quarter else None
    result = merge(args.master, args.returns, quarter, args.out, workers=os.cpu_count() or 1)
    tracker = result.tracker
    print(f"读取 {result.files} 个文件，采用 {len(tracker.used)} 份，{len(tracker.superseded)} 份被较新的替代；"
          f"问题 {len(tracker.issues)} 条（见“问题清单”）。")
    print(f"已写入 {result.out}" + (f"（原文件备份在 {result.backup}）" if result.backup else ""))
    for report in result.reports:
        print(f"进展报告：{report}")
    return 0


def cmd_cascade(args: argparse.Namespace) -> int:
    out = _new_file(args.out, args.force)
    result = import_files([args.plan], args.units)
    if not result.plans:
        raise NothingFound("文件中没有识别出任何分解方案。")
    directory = load_directory(args.units)
    counterparts = load_map(args.map)
    plans, decisions = [], []
    for plan in result.plans:
        district_plan, found = cascade(plan, args.district, counterparts, directory)
        if district_plan.tasks:
            plans.append(district_plan)
            decisions += found
    if not plans:
        raise NothingFound(f"方案中没有涉及{args.district}的任务（直接点名或通过“各区人民政府”等分组）。")
    settings = settings_from_notice(result.notice, [p.title for p in plans])
    settings.office, settings.preset = f"{args.district.removesuffix('人民政府')}人民政府督查室", PRESET_DISTRICT
    master = new_master(plans, directory, settings, result.warnings)
    _backup_existing(out)
    write_master(master, out, [decisions_table(decisions, master.directory), map_table(counterparts)])
    manual = sum(1 for d in decisions if d.manual)
    print(f"已生成 {out}：{len(decisions)} 项任务涉及{args.district}，{len(decisions) - manual} 项已按对口单位表分工，"
          f"{manual} 项需人工指定（见“对照表”）。")
    return 0


def cmd_learn_map(args: argparse.Namespace) -> int:
    result = import_files([args.notice], args.units)
    counterparts = CounterpartMap()
    for plan in result.plans:
        counterparts.rows += learn_map(plan).rows
    if not counterparts.rows:
        raise NothingFound("文件中没有同时写明“市级牵头单位”和“区级牵头单位”的任务，学不到对口关系。")
    write_text_atomic(args.out, map_csv(counterparts))
    print(f"已写入 {args.out}：{len(counterparts.rows)} 条对口关系")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The whole cycle on the bundled 2025 plan: import, master, forms, returns, merge, reports."""
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = out.with_name(f"{out.name}-{stamp}")
        print(f"“{args.out}”已有内容，本次演示写到 {out}")
    out.mkdir(parents=True)
    sample = out / SAMPLE
    sample.write_bytes(resources.files("xltools").joinpath(f"data/{SAMPLE}").read_bytes())
    print(f"[1/5] 导入方案：{sample.name}")
    master, result = build_master([str(sample)], None)
    write_text_atomic(out / "方案.json", json.dumps(result_dict(result), ensure_ascii=False, indent=2) + "\n")
    print(f"      识别 {sum(len(p.tasks) for p in master.plans)} 项任务，提示 {len(result.warnings)} 条")
    book = write_master(master, out / "督办台账.xlsx")
    print(f"[2/5] 生成督办台账：{book.name}")
    loaded = load_master(book)
    s = loaded.settings
    # two rounds, as in a real year: 附表1-2 in February, 附表3 after the first quarter
    rounds = [(FORM_TITLES[1], (1, 2), s.plan_deadline or s.deadline(1)), (QUARTER_WORDS[1], (3,), s.deadline(1))]
    made = {name: generate(unit_forms(loaded, 1, forms), out / "分发" / name) for name, forms, _ in rounds}
    print(f"[3/5] 生成附表：附表1-2 {len(made[FORM_TITLES[1]])} 个单位，一季度附表3 {len(made[QUARTER_WORDS[1]])} 个单位，"
          f"在 分发/（各有{LIST_NAME}）")
    kinds: Counter = Counter()
    for seed, (name, _, deadline) in enumerate(rounds, start=2025):
        sims = simulate([(g.forms.unit, g.path) for g in made[name]], out / "回收" / name,
                        dt.datetime.combine(deadline, dt.time(18)), seed=seed)
        kinds.update(x.scenario for x in sims)
    print(f"[4/5] 模拟各单位交回：共 {sum(kinds.values())} 份，其中按时 {kinds['on-time']}、逾期 {kinds['late']}、"
          f"未交 {kinds['missing']}、空表 {kinds['empty']}、改动过格式 {sum(kinds[m] for m in MANGLING)}")
    merged = merge(book, [str(out / "回收")], 1, out / TRACKER_NAME, today=s.deadline(1) + dt.timedelta(days=10),
                   workers=os.cpu_count() or 1)
    print(f"[5/5] 合并回收表：采用 {len(merged.tracker.used)} 份，问题 {len(merged.tracker.issues)} 条")
    print("\n完成。请打开：")
    for path, what in [(book, "督办台账（方案表、单位表、分工统计）"), (out / "分发", "发给各单位的附表"),
                       (merged.out, "汇总台账（总览、汇总、报送情况、催报名单、问题清单）"),
                       *[(r, "季度进展报告") for r in merged.reports]]:
        print(f"  {path}  —— {what}")
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
    p.add_argument("--out", default="督办台账.xlsx", metavar="台账", help="输出的台账文件（默认：督办台账.xlsx）")
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
    p.set_defaults(run=cmd_templates)

    p = sub.add_parser("merge", help="合并回收表：把各单位交回的附表合并成汇总台账")
    p.add_argument("master", metavar="台账", help="督办台账 .xlsx 文件")
    p.add_argument("returns", nargs="+", metavar="回收表", help="交回的文件或文件夹（含子文件夹、.zip 压缩包）")
    p.add_argument("--quarter", metavar="N", help="只合并这个季度（1-4）的附表3")
    p.add_argument("--out", metavar="汇总台账", help="输出文件（默认：台账旁边的“汇总台账.xlsx”）")
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
    try:
        return args.run(args)
    except Exception as exc:
        if args.debug:
            raise
        message, code = describe(exc)
        print(message, file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
