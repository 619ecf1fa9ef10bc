"""The look of every sheet the tool writes, in one place for all its writers.

openpyxl (files that must keep what staff added), XlsxWriter (fresh files,
fast) and xlwings (inside Excel) all draw tables from this description.
"""

from __future__ import annotations

import math

from xltools.vocab import STYLE_BODY, STYLE_HEADER, STYLE_INFO, STYLE_PLAIN, STYLE_TITLE

BODY_FONT = "仿宋"
HEAD_FONT = "黑体"
HEADER_FILL = "D9E1F2"
BORDER_COLOR = "808080"
FOOTER = "第 &P 页，共 &N 页"
TITLE_HEIGHT = 28
DATE_FORMAT = "yyyy-mm-dd"
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6}

STAFF_WIDTH = 24  # a column staff added
PERCENT_FORMAT = "0.0%"

# name → properties; the names are also the workbook's named styles (staff can reuse them)
STYLES = {
    STYLE_TITLE: {"font": HEAD_FONT, "size": 16, "bold": True, "align": "left", "valign": "center", "wrap": False},
    STYLE_INFO: {"font": BODY_FONT, "size": 10, "color": "595959", "align": "left", "valign": "center",
                 "wrap": False},
    STYLE_HEADER: {"font": HEAD_FONT, "size": 11, "bold": True, "align": "center", "valign": "center", "wrap": True,
                   "border": True, "fill": HEADER_FILL},
    STYLE_BODY: {"font": BODY_FONT, "size": 11, "valign": "top", "wrap": True, "border": True},
    STYLE_PLAIN: {"font": BODY_FONT, "size": 11, "valign": "top", "wrap": True},
}


def text_lines(value, width: float) -> int:
    """How many lines wrapped text takes in a column (a CJK character is about 1.75 digits wide)."""
    if value is None or value == "":
        return 1
    usable = max(width - 1, 4)
    lines = 0
    for part in str(value).split("\n"):
        wide = (len(part.encode("utf-8")) - len(part)) // 2  # non-ASCII characters, nearly all CJK
        lines += max(1, math.ceil((len(part) + 0.75 * wide) / usable))
    return lines


MOST_LINES = 15  # a row shows (and prints) at most this many lines; the cell keeps the whole text


def row_height(row: list, widths: list[float]) -> float:
    """Row height set from the text, so every program shows whole cells (none autofits on open)."""
    lines = max((text_lines(v, w) for v, w in zip(row, widths, strict=False)), default=1)
    return 15 * min(lines, MOST_LINES) + 3
