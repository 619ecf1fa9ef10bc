"""Load and save the counterpart map (对口单位表): .xlsx (sheet 对口单位表) or .csv."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from xltools.cascade import Counterpart, CounterpartMap
from xltools.errors import BadFile
from xltools.master.content import Table
from xltools.readers.directory import table_rows
from xltools.vocab import NOTE

SHEET = "对口单位表"
COLUMNS = ["上级单位", "区级单位", "适用任务", NOTE]
DEFAULT = "counterparts_wuchang.csv"


def map_from_rows(rows: list[list], source: str) -> CounterpartMap:
    header_at = next((i for i, r in enumerate(rows[:10]) if r and "上级单位" in [str(c or "").strip() for c in r]), None)
    if header_at is None:
        raise BadFile(f"{source} 中找不到“上级单位”列。对口单位表的表头应为：{'、'.join(COLUMNS)}。")
    header = [str(c or "").strip() for c in rows[header_at]]
    at = {name: header.index(name) for name in COLUMNS if name in header}
    if "区级单位" not in at:
        raise BadFile(f"{source} 中找不到“区级单位”列。")
    result = CounterpartMap()
    for row in rows[header_at + 1:]:
        def cell(name: str, row=row) -> str:
            i = at.get(name)
            return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

        if cell("上级单位"):
            units = [u for u in cell("区级单位").replace("，", "、").replace(",", "、").split("、") if u.strip()]
            result.rows.append(Counterpart(cell("上级单位"), units, cell("适用任务"), cell(NOTE)))
    return result


def load_map(path: str | Path | None = None) -> CounterpartMap:
    """The office's counterpart map from .csv/.xlsx, or the bundled one for 武昌区."""
    return map_from_rows(*table_rows(path, DEFAULT, SHEET, "对口单位表"))


def map_rows(counterparts: CounterpartMap) -> list[list[str]]:
    return [[r.upper, "、".join(r.district), r.task, r.note] for r in counterparts.rows]


def map_csv(counterparts: CounterpartMap) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(map_rows(counterparts))
    return out.getvalue()


def map_table(counterparts: CounterpartMap) -> Table:
    return Table("counterparts", SHEET, "对口单位表", list(COLUMNS), map_rows(counterparts),
                 "上级单位由哪个区级单位对口承办；“适用任务”不空时只用于该任务。可直接修改，多个单位用“、”分隔。",
                 {"上级单位": 30, "区级单位": 36, "适用任务": 30, NOTE: 40})
