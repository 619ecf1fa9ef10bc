"""Numbers in a task and in a return: the task's targets and the figures reported against them.

A target is an amount with its unit ("25万人", "930个", "5800亿元"), a ceiling
("降至35微克/立方米", "涨幅2%左右"), a growth rate ("增长6%左右", "增长7.5%—7.8%")
or a level ("比重达13%"). A return reports amounts, growth rates, levels, and
shares of the year's target ("完成年度目标的57.2%"). Chinese numerals are read with
cn2an. Each reported figure is matched to the target it speaks of by its unit and
the words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from xltools.text import unify_punctuation

AMOUNT, CEILING, GROWTH, LEVEL, SHARE = "amount", "ceiling", "growth", "level", "share"

_BASE_UNITS = ("人次", "人", "名", "户", "套", "间", "个", "家", "所", "座", "台", "条", "场", "项", "处", "亩",
               "平方公里", "平方米", "公里", "千米", "元", "吨/日", "吨", "微克/立方米", "P", "辆", "起")
_SAME_UNIT = {"名": "人", "间": "套", "千米": "公里"}
_MAGNITUDE = {"千": 1e3, "万": 1e4, "亿": 1e8}
_CN_DIGITS = "零〇一二两三四五六七八九"
_NUMBER = rf"(?P<num>\d+(?:\.\d+)?|[{_CN_DIGITS}十百千]+(?:点[{_CN_DIGITS}]+)?)"
_FIGURE = re.compile(_NUMBER + r"\s*(?P<mag>[千万亿])?\s*(?P<unit>" + "|".join(_BASE_UNITS) + ")")
_PERCENT = re.compile(r"(?P<num>-?\d+(?:\.\d+)?)\s*%(?:\s*[-—~～至到]\s*(?P<high>\d+(?:\.\d+)?)\s*%?)?")
_BOUNDARY = re.compile(r"[，。；：、（）()\n]")
_CLAUSE = re.compile(r"[，。；\n]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACES = re.compile(r"\s+")
_COUNTED = re.compile(r"以[上下][\u4e00-\u9fff]")  # 亿元以上项目: what is counted, not an amount

# the words before a percentage that say what it is, nearest first wins (longest on a tie)
_TASK_RATE_WORDS = {"增长": GROWTH, "增速": GROWTH, "提高": GROWTH, "增加": GROWTH, "下降": GROWTH, "降低": GROWTH,
                    "减少": GROWTH, "涨幅": CEILING, "控制在": CEILING, "不超过": CEILING, "降至": CEILING,
                    "比重": LEVEL, "比例": LEVEL, "占比": LEVEL, "率": LEVEL, "覆盖": LEVEL, "达到": LEVEL, "达": LEVEL}
_REPORT_RATE_WORDS = {"增长": GROWTH, "增速": GROWTH, "上涨": GROWTH, "涨幅": GROWTH, "提高": GROWTH, "下降": GROWTH,
                      "回落": GROWTH, "降低": GROWTH, "比重": LEVEL, "比例": LEVEL, "占比": LEVEL, "率": LEVEL,
                      "完成率": SHARE, "完成": SHARE, "进度": SHARE, "占": SHARE}
_DOWN = ("下降", "回落", "降低", "减少")
_CEILING_BEFORE = ("降至", "降到", "降低到", "控制在", "不超过", "不高于")
_CEILING_AFTER = ("以内", "以下")


@dataclass(frozen=True)
class Figure:
    """A number in a text: an amount with its unit, or a rate in percent."""

    kind: str
    value: float  # amounts in the base unit (万人 → 人), rates in percent
    unit: str  # canonical unit; "%" for rates
    raw: str  # as written
    start: int
    context: frozenset[str]  # the word pairs around it, to match a report to a target
    approximate: str = ""  # "左右", "以上" … as the task says it

    def shown(self) -> str:
        return self.raw + self.approximate


@cache
def _cn2an():
    import cn2an  # 0.2 s to import: only when a Chinese numeral is met

    return cn2an


def _number(text: str, magnitude: str) -> float | None:
    if text[0].isdigit():
        return float(text)
    if set(text) <= set("十百千") and not magnitude:  # 千家万户: a manner of speaking, not a figure
        return None
    try:
        return float(_cn2an().cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):  # cn2an's ways of saying "not a numeral"
        return None


def bigrams(text: str) -> set[str]:
    """The pairs of adjacent Chinese characters in `text`: what two phrases share."""
    chars = "".join(_CJK.findall(text))
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def _context(text: str, start: int, end: int) -> frozenset[str]:
    """Word pairs in the stretch before a figure (to a punctuation mark) and after it."""
    before = _BOUNDARY.split(text[max(0, start - 14):start])[-1]
    after = _BOUNDARY.split(text[end:end + 10])[0]
    after = re.split(r"\d", after)[0]
    return frozenset(bigrams(before) | bigrams(after))


def _quoted(text: str, at: int) -> bool:
    return text.count("“", 0, at) > text.count("”", 0, at)


def _clause_start(text: str, at: int) -> int:
    found = [m.end() for m in _CLAUSE.finditer(text, 0, at)]
    return found[-1] if found else 0


def clause_around(text: str, at: int) -> str:
    """The clause (between "，" "。" "；") that holds position `at`."""
    end = _CLAUSE.search(text, at)
    return text[_clause_start(text, at):end.start() if end else len(text)]


@lru_cache(maxsize=4096)  # a task's text is read again for every unit and quarter
def normal(text: str) -> str:
    """One spelling for digits and punctuation, no spaces: what every rule reads."""
    return _SPACES.sub("", unify_punctuation(text or ""))


def amounts(text: str) -> list[Figure]:
    """Every amount with a unit in `text`: ceilings where the text says 降至/以内, else plain amounts."""
    found = []
    for m in _FIGURE.finditer(text):
        rest = text[m.end():m.end() + 3]
        if text[max(0, m.start() - 1):m.start()] == "第" or _quoted(text, m.start()):
            continue
        if m["unit"] == "元" and _COUNTED.match(rest):
            continue
        value = _number(m["num"], m["mag"] or "")
        if value is None:
            continue
        value *= _MAGNITUDE.get(m["mag"] or "", 1)
        unit = _SAME_UNIT.get(m["unit"], m["unit"])
        clause = text[_clause_start(text, m.start()):m.start()]
        ceiling = any(w in clause[-8:] for w in _CEILING_BEFORE) or rest.startswith(_CEILING_AFTER)
        approx = next((w for w in ("以上", "左右", "以内") if rest.startswith(w)), "")
        found.append(Figure(CEILING if ceiling else AMOUNT, value, unit, m.group(0), m.start(),
                            _context(text, m.start(), m.end()), approx))
    return found


def _rate_kind(clause: str, table: dict[str, str]) -> tuple[str, str] | None:
    best = None
    for word, kind in table.items():
        at = clause.rfind(word)
        if at >= 0:
            key = (at + len(word), len(word))
            if best is None or key > best[0]:
                best = (key, kind, word)
    return (best[1], best[2]) if best else None


def rates(text: str, table: dict[str, str]) -> list[Figure]:
    found = []
    for m in _PERCENT.finditer(text):
        clause = text[_clause_start(text, m.start()):m.start()]
        kind = _rate_kind(clause, table)
        if kind is None:
            continue
        kind, word = kind
        value = float(m["num"])
        if m["high"] and kind == CEILING:
            value = float(m["high"])
        if kind == GROWTH and word in _DOWN:
            value = -value
        rest = text[m.end():m.end() + 2]
        approx = next((w for w in ("以上", "左右", "以内") if rest.startswith(w)), "")
        found.append(Figure(kind, value, "%", m.group(0), m.start(), _context(text, m.start(), m.end()), approx))
    return found


@lru_cache(maxsize=4096)
def targets(task: str) -> tuple[Figure, ...]:
    """What the task's text sets out to reach."""
    text = normal(task)
    return tuple(sorted(amounts(text) + rates(text, _TASK_RATE_WORDS), key=lambda f: f.start))


def reported(text: str) -> list[Figure]:
    """Figures in a return (normalised text): amounts, growth rates, levels and shares of the target."""
    return sorted(amounts(text) + rates(text, _REPORT_RATE_WORDS), key=lambda f: f.start)


@dataclass(frozen=True)
class Pair:
    target: Figure
    figure: Figure


def _score(a: Figure, b: Figure) -> int:
    return len(a.context & b.context)


def match(goals: tuple[Figure, ...], figures: list[Figure]) -> list[Pair]:
    """Each target with the reported figure that speaks of it, if any."""
    pairs = []
    for kinds, report_kind in (((AMOUNT, CEILING), None), ((GROWTH, CEILING), GROWTH), ((LEVEL,), LEVEL)):
        wanted = [g for g in goals if g.kind in kinds and (g.unit == "%") == (report_kind is not None)]
        if report_kind is None:
            for goal in wanted:
                same = [f for f in figures if f.unit == goal.unit and f.kind in (AMOUNT, CEILING)]
                rivals = [g for g in wanted if g.unit == goal.unit]
                best = max(same, key=lambda f: _score(goal, f), default=None)
                if best is None:
                    continue
                alone = len(rivals) == 1 and len(same) == 1
                if _score(goal, best) > 0 and max(rivals, key=lambda g: _score(g, best)) is goal or alone:
                    pairs.append(Pair(goal, best))
        else:
            said = [f for f in figures if f.kind == report_kind]
            if len(said) >= len(wanted):
                pairs += [Pair(g, f) for g, f in zip(wanted, said, strict=False)]
            else:
                for figure in said:
                    goal = max(wanted, key=lambda g: _score(g, figure))
                    pairs.append(Pair(goal, figure))
    return pairs
