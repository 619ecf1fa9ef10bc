"""The scales a status is shown on, and their colours.

The four statuses are the tracker's colours. Offices that speak of pace use the
finer scale (超进度 / 达进度 / 欠进度 / 已完成); each of its words maps onto one of
the four, so counts, colours and reports work the same on either scale.
"""

from __future__ import annotations

from xltools.vocab import (
    AHEAD,
    AT_PACE,
    BEHIND,
    BEHIND_PACE,
    DONE,
    NOT_REPORTED,
    ON_TRACK,
    SCALE_FOUR,
    SCALE_PACE,
    STATUSES,
)

SCALES = (SCALE_FOUR, SCALE_PACE)
COARSE = {AHEAD: ON_TRACK, AT_PACE: ON_TRACK, BEHIND_PACE: BEHIND} | {s: s for s in STATUSES}
_COLORS = {DONE: "C6EFCE", ON_TRACK: "FFEB9C", BEHIND: "FFC7CE", NOT_REPORTED: "D9D9D9"}
COLORS = {word: _COLORS[status] for word, status in COARSE.items()}  # every word of both scales


def coarse(word: str) -> str:
    """The four-status word for a word of either scale (a clerk's override too); other text unchanged."""
    return COARSE.get((word or "").strip(), word)


def shown(status: str, ahead: bool, scale: str) -> str:
    """The word the tracker shows for `status` on `scale`; `ahead`: clearly ahead of 序时进度."""
    if scale != SCALE_PACE:
        return status
    if status == ON_TRACK:
        return AHEAD if ahead else AT_PACE
    return BEHIND_PACE if status == BEHIND else status


def lagging_quarters(words: list[str]) -> int:
    """How many quarters in a row, up to the last of `words`, a task has been 滞后."""
    run = 0
    for word in reversed(words):
        if coarse(word) != BEHIND:
            break
        run += 1
    return run


def change(words: list[str]) -> str:
    """What changed in the last of a task's quarterly statuses (either scale): 连续2个季度滞后, 新滞后,
    由滞后转为序时推进, 本季度完成, or ""."""
    four = [coarse(w) for w in words]
    if (run := lagging_quarters(words)) >= 2:
        return f"连续{run}个季度滞后"
    if len(four) < 2:
        return ""
    before, now = four[-2], four[-1]
    if now == BEHIND:
        return "新滞后"
    if before == BEHIND and now in (ON_TRACK, DONE):
        return f"由滞后转为{now}"
    return "本季度完成" if now == DONE and before != DONE else ""


def roll_up(words: list[str], scale: str) -> str:
    """A task's status from its 分项' words (either scale): 已完成 only when every 分项 is, 滞后 when
    any is, 未报送 when none reported, else 序时推进 (超进度 when every 分项 is done or ahead)."""
    four = [coarse(w) for w in words]
    if all(w == DONE for w in four):
        return DONE
    if BEHIND in four:
        return shown(BEHIND, False, scale)
    if all(w == NOT_REPORTED for w in four):
        return NOT_REPORTED
    return shown(ON_TRACK, all(w in (DONE, AHEAD) for w in words), scale)
