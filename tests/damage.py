"""Damaged copies of the seed documents, made the way web portals damage them.

Pure functions of a text and a random generator, used by tests/test_import_damaged.py.
"""

from __future__ import annotations

import random

CODEC = "gb18030"


def _multibyte_stretches(line: str) -> list[int]:
    """Indexes of characters starting three double-byte characters in a row.

    Losing a byte there reads the rest of the stretch out of step; losing one
    just before an ASCII character only loses that character (not a shift).
    """
    double = [len(ch.encode(CODEC)) == 2 for ch in line]
    return [i for i in range(len(line) - 2) if double[i] and double[i + 1] and double[i + 2]]


def shift_line(line: str, rng: random.Random, at_start: bool = False, mark: str = "\ufffd") -> str | None:
    """`line` with one byte lost, decoded as a portal would (None when no double-byte stretch).

    at_start: lose the first byte of the line's first double-byte stretch (a line whose
    first byte went to the line above); otherwise one byte of a random character.
    mark: what the portal shows for a byte it cannot read (Python's U+FFFD, or "?").
    """
    places = _multibyte_stretches(line)
    if not places:
        return None
    index = places[0] if at_start else rng.choice(places)
    data = line.encode(CODEC)
    offset = len(line[:index].encode(CODEC)) + (0 if at_start else rng.randrange(2))
    damaged = (data[:offset] + data[offset + 1 :]).decode(CODEC, errors="replace")
    return damaged.replace("\ufffd", mark)


def shift_lines(text: str, rng: random.Random, share: float, at_start: bool | None = None,
                mark: str = "\ufffd") -> tuple[str, dict[int, str]]:
    """`text` with a share of its lines byte-shifted; also {line number: original line}."""
    lines = text.split("\n")
    damaged: dict[int, str] = {}
    for i, line in enumerate(lines):
        if rng.random() >= share:
            continue
        start = rng.random() < 0.5 if at_start is None else at_start
        shifted = shift_line(line, rng, at_start=start, mark=mark)
        if shifted is not None and shifted != line:
            damaged[i + 1] = line
            lines[i] = shifted
    return "\n".join(lines), damaged


def indent(text: str) -> str:
    """Paragraphs indented with two ideographic spaces, as web pages show them."""
    return "\n".join("\u3000\u3000" + line if line.strip() else line for line in text.split("\n"))


FOOTERS = [
    "网站地图 | 联系我们 | 使用帮助 | 隐私声明",
    "主办单位：武汉市人民政府办公厅　承办单位：武汉市大数据中心",
    "政府网站标识码：4201000003　鄂ICP备05003296号　鄂公网安备 42010202000101号",
    "版权所有 © 武汉市人民政府",
]
SPAM = [
    "澳门威尼斯人娱乐城 百家乐 真人娱乐 开户送彩金",
    "太阳城 皇冠体育 时时彩 注册送38元",
]


def with_footer(text: str, rng: random.Random, same_line: bool = False) -> str:
    """A portal's footer and spam after the last line of the plan (or run on after it)."""
    furniture = rng.sample(FOOTERS, k=rng.randint(1, len(FOOTERS))) + rng.sample(SPAM, k=rng.randint(0, len(SPAM)))
    rng.shuffle(furniture)
    lines = text.rstrip("\n").split("\n")
    if same_line:
        lines[-1] += " " + furniture.pop(0)
    return "\n".join(lines + furniture) + "\n"
