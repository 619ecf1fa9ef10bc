"""What the words of a return say: not a report, delay, done, a step only, or done later.

Completion is read with scope: a generic "已完成" counts only when what it
completes is the task (its own words, or 年度目标/全年任务), not a step such as
"前期摸底调查"; a task's own verb (出台, 建成, 开工, 举办, 获批 …) counts when
the return says it happened, not planned (计划/预计/待), not negated (尚未出台),
not a first phase (一期/首批), and not while another part of the task is still
under way ("开源社区已上线运营，开源创新中心正在筹建").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from xltools.status.figures import bigrams, normal
from xltools.status.words import DEFAULT_RULES, Rules, VerbGroup

_CLAUSES = re.compile(r"[，。；！？\n]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_POINTER = re.compile(r"^(?:详见|参见|见)")
_FORMULA = re.compile(r"^(?:=|#(?:REF|N/A|VALUE|DIV/0|NAME|NUM|NULL)[!?])", re.I)
_LINK = re.compile(r"(?:(?:https?|ftp)[:：]//|www\.)[\x21-\x7e：]*", re.I)
_ONGOING_TASK = ("加快", "持续", "推进", "推动", "深化", "加强", "完善", "稳步", "深入", "扎实", "大力", "不断")
_STILL_GOING = ("正在", "推进", "筹备", "筹建", "施工", "进行", "其余", "剩余", "另有", "尚", "待", "未")
_PARTIAL = re.compile(r"一期|首批|部分|试运行|初步|阶段性|基本")  # a first phase, not the whole
_GENERIC = re.compile(r"年度|全年|目标|任务|工作|事项|各项|本项|该项|此项|本|该|计划|预期|省下达的|市下达的|的|了|均|已|全部|全面")
_LATER = re.compile(r"明年|下一?年度?|\d{4}年")
_PUNCT = re.compile(r"[\W_]+")
_NUMBERS = re.compile(r"\d+")
_QUALIFIER = re.compile(r"(?:正式|全部|全面|完全|如期|按期|能)$")  # between a negation and a completion word
_CONJUNCTION = re.compile(r"[并及和]")
_DIGIT = re.compile(r"\d")
_AWAITING = re.compile(r"待[^，。；]{0,12}?(?:确认|认定|公示|审议|验收|考核|批复|审批|评估)")


@lru_cache(maxsize=16384)  # the tracker, the report and its lists ask about the same words
def not_a_report(text: str, task: str = "", rules: Rules = DEFAULT_RULES) -> str | None:
    """Why `text` is not a report on the task (空白, 同上, a formula, a link, the task copied), or None."""
    text = normal(text)
    bare = _PUNCT.sub("", text)
    if not text:
        return "空白"
    if _FORMULA.match(text):
        return f"只有公式“{text[:20]}”"
    if _LINK.search(text) and not _CJK.search(_LINK.sub("", text)):
        return "只有链接"
    if not _CJK.search(text):
        return f"没有文字（“{text[:10]}”）"
    if bare in rules.not_reports or len(bare) <= 15 and _POINTER.match(bare):
        return f"内容为“{text}”"
    plain_task = _PUNCT.sub("", normal(task))
    if task and len(bare) >= 6 and set(_NUMBERS.findall(bare)) <= set(_NUMBERS.findall(plain_task)):
        same = sum(b.size for b in difflib.SequenceMatcher(None, bare, plain_task, autojunk=False).get_matching_blocks())
        if same >= len(bare) - 1:  # adds at most a character of its own
            return "照抄任务原文"
    return None


def is_report(text: str, task: str = "", rules: Rules = DEFAULT_RULES) -> bool:
    """Whether `text` reports anything on the task: not blank, 无, 同上, a formula, a link or the task copied."""
    return not_a_report(text, task, rules) is None


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSES.split(text) if c]


def spans(word: str, text: str) -> Iterator[tuple[int, int]]:
    """Where `word` occurs in `text`, left to right and not overlapping (as re.finditer finds a literal)."""
    at = text.find(word) if word else -1
    while at >= 0:
        yield at, at + len(word)
        at = text.find(word, at + len(word))


def delay(text: str, rules: Rules) -> str | None:
    """The first word of delay in the (normalised) return."""
    return next((w for w in rules.behind if w in text), None)


def own_verbs(task: str, rules: Rules) -> list[VerbGroup]:
    """The verb groups that name what the task itself must do (开工建设 → 开工 and 建成), not what it keeps doing."""
    task = normal(task)
    groups = []
    for group in rules.verbs:
        for word in group.task:
            if any(not task[:a].endswith(_ONGOING_TASK) for a, _ in spans(word, task)):
                groups.append(group)
                break
    return groups


def _negated(clause: str, at: int, rules: Rules) -> bool:
    before = _QUALIFIER.sub("", clause[max(0, at - 6):at])
    return any(before.endswith(n) for n in rules.negations)


def _pending(clause: str, at: int, rules: Rules) -> str | None:
    return next((w for w in rules.pending if w in clause[:at]), None)


@dataclass
class Reading:
    """What the phrases of a return say about completion."""

    done: str = ""  # the phrase that says the task is done
    unfinished: str = ""  # "未完成年度目标", "尚未出台": says plainly it is not done
    unfinished_own: bool = False  # what is not done is the task's own verb ("尚未出台")
    pending: str = ""  # done only in the future or awaiting confirmation ("预计可全面完成", "待省考核确认")
    pending_own: bool = False  # what is pending is the task's own verb ("待审议通过后印发")
    later: bool = False  # the pending completion falls after this year ("明年3月建成")
    step: str = ""  # a step that is done ("前期摸底调查已完成"), the task itself not
    partial: str = ""  # done for one part while another is under way


def _scope(clause: str, at: int, end: int) -> str:
    """What a completion word completes: its object if it has one, else its subject."""
    after = _CONJUNCTION.split(clause[end:])[0]
    return after if _CJK.search(_GENERIC.sub("", after)) else clause[:at]


def _generic(scope: str) -> bool:
    return len(_CJK.findall(_GENERIC.sub("", scope))) <= 1


def _step(clause: str, task: str, rules: Rules) -> str | None:
    return next((w for w in rules.steps if w in clause and w not in task), None)


def read(text: str, task: str, rules: Rules = DEFAULT_RULES) -> Reading:
    """The completion phrases of a (normalised) return for a task."""
    task = normal(task)
    found = Reading()
    parts = clauses(text)
    task_pairs = bigrams(task)
    groups = own_verbs(task, rules)
    for i, clause in enumerate(parts):
        claims = [(at, end, False) for w in rules.done for at, end in spans(w, clause)]
        claims += [(at, end, True) for g in groups for w in g.done for at, end in spans(w, clause)]
        for at, end, own in sorted(claims):
            word = clause[at:end]
            if _negated(clause, at, rules):
                scope = _scope(clause, at, end)
                if own or _generic(scope) or len(bigrams(scope) & task_pairs) >= 2:
                    found.unfinished = found.unfinished or clause
                    found.unfinished_own = found.unfinished_own or own
                continue
            if _pending(clause, at, rules):
                found.pending = found.pending or clause
                found.pending_own = found.pending_own or own
                found.later = found.later or bool(_LATER.search(clause))
                continue
            if not own and _DIGIT.search(clause, end):
                continue  # 已完成中心村湾建设186个: a figure, read as one
            step = _step(clause, task, rules)
            if step or any(m.group(0) not in task for m in _PARTIAL.finditer(clause)):
                found.step = found.step or clause
                continue
            if own:
                related = len(bigrams(clause) & task_pairs) >= 1 or len(_CJK.findall(clause)) <= len(word) + 4
            else:
                scope = _scope(clause, at, end)
                related = _generic(scope) or len(bigrams(scope) & task_pairs) >= 1
            if not related:
                found.step = found.step or clause
                continue
            awaiting = _AWAITING.search("，".join(parts[i:i + 2]))
            if awaiting:
                found.pending = found.pending or awaiting.group(0)
                continue
            if _other_part_going(parts, i, task_pairs):
                found.partial = found.partial or clause
                continue
            found.done = found.done or clause
    if found.done and found.pending:  # "已完成静态验收…计划年底前建成通车": the end is still ahead
        found.partial, found.done = found.done, ""
    return found


def _other_part_going(parts: list[str], i: int, task_pairs: set[str]) -> bool:
    mine = bigrams(parts[i])
    for j, other in enumerate(parts):
        going = j != i and any(w in other for w in _STILL_GOING)
        if going and len((bigrams(other) & task_pairs) - mine) >= 2:
            return True
    return False
