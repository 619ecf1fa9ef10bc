"""Command line: `xltools parse|demo …` — a thin front end over the library."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

from xltools.model import ImportResult
from xltools.parse import parse_document
from xltools.readers.directory import load_directory
from xltools.readers.document import ReadError, read_document
from xltools.writers.files import write_text_atomic
from xltools.writers.plan_json import result_dict

SAMPLE = "2025年市政府工作报告目标任务责任分解方案.txt"


def import_files(paths: list[str], units: str | None) -> ImportResult:
    """Parse every file into one result; a file that cannot be read stops with its message."""
    directory = load_directory(units)
    combined = ImportResult()
    for path in paths:
        result = parse_document(read_document(path), directory)
        combined.plans.extend(result.plans)
        combined.warnings.extend(result.warnings)
    return combined


def summary(result: ImportResult) -> str:
    lines = []
    for i, plan in enumerate(result.plans, start=1):
        per_part = Counter(t.part for t in plan.tasks)
        parts = ";".join(f"{p}、{n} 项" for p, n in per_part.items() if p)
        declared = f"，声明 {plan.declared_total} 项" if plan.declared_total is not None else ""
        units = {u for t in plan.tasks for u in t.all_units()}
        leads = {u for t in plan.tasks for u in t.lead}
        lines.append(f"方案 {i}：{plan.title}（{plan.source}）")
        lines.append(f"  识别任务 {len(plan.tasks)} 项{declared}" + (f"({parts})" if parts else ""))
        lines.append(f"  涉及单位 {len(units)} 个，其中牵头单位 {len(leads)} 个")
    if result.warnings:
        lines.append(f"提示 {len(result.warnings)} 条：")
        for w in result.warnings:
            where = f"第 {w.line} 行" if w.line else "全文"
            lines.append(f"  {w.file} {where}:{w.message}")
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


def cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sample = out / SAMPLE
    sample.write_bytes(resources.files("xltools").joinpath(f"data/{SAMPLE}").read_bytes())
    print(f"[1/1] 导入方案：{sample.name}")
    result = import_files([str(sample)], None)
    write_text_atomic(out / "方案.json", json.dumps(result_dict(result), ensure_ascii=False, indent=2) + "\n")
    print(summary(result))
    print(f"\n完成。请打开：{out / '方案.json'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xltools", description="督办台账工具：导入责任分解方案、生成台账与附表、合并回收表")
    parser.add_argument("--debug", action="store_true", help="出错时显示程序内部信息（供技术人员排查）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("parse", help="导入方案：识别方案文件中的任务和单位")
    p.add_argument("files", nargs="+", metavar="文件", help="方案文件（.txt/.docx/.html/.pdf/.xlsx）")
    p.add_argument("--json", metavar="路径", help="把结果写成 JSON 文件；写 - 则输出到屏幕")
    p.add_argument("--units", metavar="单位名录", help="本单位的单位名录（.xlsx/.csv），默认用内置的武汉名录")
    p.set_defaults(run=cmd_parse)

    p = sub.add_parser("demo", help="演示：用内置的 2025 年方案跑一遍完整流程")
    p.add_argument("--out", default="演示输出", metavar="文件夹", help="输出文件夹（默认：演示输出）")
    p.set_defaults(run=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ReadError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if args.debug:
            raise
        print(f"出错了：{exc}\n（加 --debug 参数可查看详细信息，请把它发给技术人员）", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
