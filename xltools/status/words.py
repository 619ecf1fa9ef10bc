"""The word lists status rules read, as the office edits them in 设置.

Each list is one cell of 设置: words separated by "、". The task verbs are groups
separated by "；", each "what the task says：what the return says when it is done",
e.g. "开工：开工、动工" — a task to 开工建设 is done when the return says it has 开工.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xltools.status.scale import SCALES
from xltools.vocab import SCALE_FOUR

DEFAULT_DONE = "已完成、已全面完成、全面完成、全部完成、已全部完成、圆满完成、超额完成、提前完成、完成全年、完成年度、已实现、全面实现"
DEFAULT_BEHIND = ("滞后、进度缓慢、进展缓慢、推进缓慢、推进困难、难以完成、无法完成、不能按期、未达序时、低于序时、"
                  "落后于序时、慢于预期、进度偏慢、未达预期、未达到预期、延期、延后、推迟、暂缓、暂停、搁置、停滞、"
                  "未启动、尚未启动、暂未启动、未开展、暂无进展、无进展、无新进展、无实质性进展")
DEFAULT_NEGATION = "尚未、未能、仍未、没有、暂未、未、不能、无法"
DEFAULT_PENDING = "预计、可望、有望、力争、争取、计划、拟、将于、待、等待、基本、可全面、可全部"
DEFAULT_STEPS = ("方案、初稿、起草、前期、摸底、调查、立项、招标、初步设计、施工图设计、规划设计、设计方案、选址、论证、"
                 "可研、征求意见、评审、采样、框架、入库、储备、申报材料、确定、谋划")
DEFAULT_NOT_REPORTS = "无、同上、同上季度、同前、略、待补充、待填报、未填写、见附件、详见附件、不涉及、不适用"
DEFAULT_VERBS = ("出台、印发、制定、制订、发布：印发、出台、发布、施行；"
                 "建成、建设、投用、投运：建成、投用、投入使用、投入运营、竣工、完工、通车、开放、上线、验收；"
                 "开工：开工、动工、开建；"
                 "举办、办好、召开、承办、举行、参与、参加、筹办：举办、举行、召开、开幕、闭幕、落幕、播出；"
                 "获批、争创、创建、申创、申办：获批、批复、批准、入选、挂牌、授牌、命名、获得；"
                 "申报、报批：申报、上报、报送、报批、已报；"
                 "实现：实现")


def words(text: str) -> tuple[str, ...]:
    """A 设置 cell's words, longest first (so 尚未 is tried before 未)."""
    return tuple(sorted({w.strip() for w in re.split(r"[、，,;；\s]+", text or "") if w.strip()}, key=len, reverse=True))


@dataclass(frozen=True)
class VerbGroup:
    """A task's own verb: `task` words in the task text, `done` words in a return that has done it."""

    task: tuple[str, ...]
    done: tuple[str, ...]


def verb_groups(text: str) -> tuple[VerbGroup, ...]:
    groups = []
    for part in re.split(r"[；;\n]+", text or ""):
        task, sep, done = part.partition("：") if "：" in part else part.partition(":")
        if sep and words(task) and words(done):
            groups.append(VerbGroup(words(task), words(done)))
    return tuple(groups)


@dataclass(frozen=True)
class Rules:
    """The words of 设置 the status is judged by; immutable and hashable, so a judgement can be remembered."""

    done: tuple[str, ...]
    behind: tuple[str, ...]
    negations: tuple[str, ...]
    pending: tuple[str, ...] = field(default_factory=lambda: words(DEFAULT_PENDING))
    steps: tuple[str, ...] = field(default_factory=lambda: words(DEFAULT_STEPS))
    not_reports: tuple[str, ...] = field(default_factory=lambda: words(DEFAULT_NOT_REPORTS))
    verbs: tuple[VerbGroup, ...] = field(default_factory=lambda: verb_groups(DEFAULT_VERBS))
    scale: str = SCALE_FOUR

    @classmethod
    def from_text(cls, done: str = DEFAULT_DONE, behind: str = DEFAULT_BEHIND, negations: str = DEFAULT_NEGATION,
                  pending: str = DEFAULT_PENDING, steps: str = DEFAULT_STEPS, not_reports: str = DEFAULT_NOT_REPORTS,
                  verbs: str = DEFAULT_VERBS, scale: str = SCALE_FOUR) -> Rules:
        return cls(words(done), words(behind), words(negations), words(pending), words(steps),
                   words(not_reports), verb_groups(verbs), scale if scale in SCALES else SCALE_FOUR)


DEFAULT_RULES = Rules.from_text()
