"""The 设置 sheet: what the office configures once a year.

Defaults come from the notice itself where it says them ("每个季度第1个月的20日前",
"各牵头单位…报市人民政府督查室"), so a fresh master is right for that notice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from xltools.status.words import (
    DEFAULT_BEHIND,
    DEFAULT_DONE,
    DEFAULT_NEGATION,
    DEFAULT_NOT_REPORTS,
    DEFAULT_PENDING,
    DEFAULT_STEPS,
    DEFAULT_VERBS,
    Rules,
)
from xltools.vocab import PROGRESS, QUARTER, QUARTERS, SCALE_FOUR, SCALE_PACE, YEAR

RULE_LEAD = "牵头单位报送"
RULE_ALL = "责任单位均报送"
PRESET_CITY = "市级（附表1-3）"
PRESET_DISTRICT = "区级（附件4-5）"
PLAN_FORMS_ALL = "全部责任单位"  # who fills 附表1 办理方案: every unit with a task …
PLAN_FORMS_LEAD = "仅牵头单位"  # … or the lead units only (the 2025 notice: "各牵头单位…制订办理方案")


@dataclass
class PlanEntry:
    """One row of the 方案列表 in 设置: which sheet holds which plan."""

    sheet: str
    title: str
    source: str = ""


@dataclass
class Settings:
    year: int
    office: str = "市人民政府督查室"
    rule: str = RULE_LEAD
    plan_forms: str = PLAN_FORMS_ALL
    preset: str = PRESET_CITY
    contact: str = ""
    phone: str = ""
    password: str = ""
    outbox: str = "分发"
    inbox: str = "回收"
    plan_files: str = ""  # what the Excel button 导入方案 reads
    deadlines: dict[str, dt.date] = field(default_factory=dict)
    plan_deadline: dt.date | None = None  # 附表1、2 (办理方案, 人员名单)
    as_of: dt.date | None = None  # the day statuses and deadlines are judged for; None: today
    done_words: str = DEFAULT_DONE
    behind_words: str = DEFAULT_BEHIND
    negations: str = DEFAULT_NEGATION
    pending_words: str = DEFAULT_PENDING
    step_words: str = DEFAULT_STEPS
    not_reports: str = DEFAULT_NOT_REPORTS
    task_verbs: str = DEFAULT_VERBS
    scale: str = SCALE_FOUR
    on_time_points: float = 40  # 考核: points for reporting on time, by the share of forms on time
    completion_points: float = 60  # … for completion, by the share of a unit's tasks done or on track
    lag_penalty: float = 2  # … taken off per task 滞后 two quarters running
    circular: str = "否"  # "是": each merge also drafts a 通报 for circulation
    plans: list[PlanEntry] = field(default_factory=list)

    def today(self, given: dt.date | None = None) -> dt.date:
        """The day to judge for: `given` (a --today option), else 判定日期, else today."""
        return given or self.as_of or dt.date.today()

    def deadline(self, quarter: int) -> dt.date:
        return self.deadlines[QUARTERS[quarter - 1]]

    @property
    def drafts_circular(self) -> bool:
        return self.circular.strip() in ("是", "生成")

    def rules(self) -> Rules:
        return Rules.from_text(self.done_words, self.behind_words, self.negations, self.pending_words,
                               self.step_words, self.not_reports, self.task_verbs, self.scale)

    # label in the 设置 sheet → attribute; the sheet is read by these labels, not by address
    LABELS = {
        YEAR: "year",
        "附表1、2截止日期": "plan_deadline",
        "督查室": "office",
        "报送规则": "rule",
        "附表1填报单位": "plan_forms",
        "附表样式": "preset",
        "督查室联系人": "contact",
        "联系电话": "phone",
        "附表保护密码": "password",
        "分发文件夹": "outbox",
        "回收文件夹": "inbox",
        "方案文件": "plan_files",
        "已完成的说法": "done_words",
        "滞后的说法": "behind_words",
        "否定词": "negations",
        "尚未完成的说法": "pending_words",
        "阶段性工作的说法": "step_words",
        "不算报送的内容": "not_reports",
        "任务动词": "task_verbs",
        "状态分级": "scale",
        "判定日期": "as_of",
        "考核：按时报送分值": "on_time_points",
        "考核：完成分值": "completion_points",
        "考核：连续滞后扣分": "lag_penalty",
        "生成通报稿": "circular",
    }
    HINTS = {
        YEAR: "方案所属年度",
        "附表1、2截止日期": "办理方案和督办工作人员名单的报送截止日期",
        "督查室": "附表上写的收件单位",
        "报送规则": f"“{RULE_LEAD}”：只有牵头单位报附表3；“{RULE_ALL}”：每个责任单位都报",
        "附表1填报单位": f"“{PLAN_FORMS_ALL}”：每个承担任务的单位都填办理方案；“{PLAN_FORMS_LEAD}”：只有牵头单位填，"
                    "只参与的单位不发附表1",
        "附表样式": f"“{PRESET_CITY}”或“{PRESET_DISTRICT}”",
        "督查室联系人": "印在附表2备注中",
        "联系电话": "印在附表2备注中",
        "附表保护密码": "留空表示保护工作表但不设密码",
        "分发文件夹": "生成的附表放在这里（相对台账所在文件夹）",
        "回收文件夹": "各单位交回的表放在这里",
        "方案文件": "Excel 中点“导入方案”时读取的方案文件（相对台账所在文件夹），多个用“、”分隔",
        "已完成的说法": "完成情况中出现这些词、且说的是任务本身（不是前期等阶段性工作，前面没有否定词）判为“已完成”，用“、”分隔",
        "滞后的说法": "出现这些词判为“滞后”；写了数字的先与任务目标和序时进度（一季度25%、1-11月91.7%…）比较",
        "否定词": "紧挨在“已完成的说法”或任务动词前面时表示没有完成（如“尚未完成”“尚未出台”）",
        "尚未完成的说法": "出现在完成的说法前面时表示还没完成（如“预计可全面完成”“计划10月开幕”）",
        "阶段性工作的说法": "完成的只是这些工作（如“前期摸底调查已完成”）时不算任务完成，其数字也不与目标比较",
        "不算报送的内容": "完成情况只写这些（或只有公式、链接、符号，或照抄任务原文）判为“未报送”",
        "任务动词": "“；”分隔各组，每组“任务中的词：做到时完成情况中的词”，如“开工：开工、动工”——任务要“开工”，报送“已开工”即完成",
        "状态分级": f"“{SCALE_FOUR}”或“{SCALE_PACE}”（超进度、达进度同序时推进的颜色，欠进度同滞后）",
        "判定日期": "留空为今天；填日期则按这一天判断逾期、季度和状态（补做或核对以前的季度时用）",
        "考核：按时报送分值": "年终考核中按时报送的满分，按各单位按时报送附表的比例得分",
        "考核：完成分值": "年终考核中任务完成的满分，按单位牵头任务（没有牵头任务的按参与任务）已完成或序时推进的比例得分",
        "考核：连续滞后扣分": "每有一项任务连续两个季度滞后扣的分；总分最低为 0。汇总台账“考核”表中也可直接改分值",
        "生成通报稿": "填“是”时，每次合并另生成一份通报稿（各单位报送情况和滞后任务，供修改后印发）；填“否”不生成",
    }


# what the office edited for status rules: kept when a plan is imported again
STATUS_SETTINGS = ("done_words", "behind_words", "negations", "pending_words", "step_words", "not_reports",
                   "task_verbs", "scale")
SCORING_SETTINGS = ("on_time_points", "completion_points", "lag_penalty")  # numbers in 设置
REPORT_SETTINGS = ("circular",)


def quarter_deadlines(year: int, day: int = 20) -> dict[str, dt.date]:
    """Report for quarter N by the given day of the first month of the next quarter."""
    months = [(year, 4), (year, 7), (year, 10), (year + 1, 1)]
    return {q: dt.date(y, m, day) for q, (y, m) in zip(QUARTERS, months, strict=True)}


def settings_from_notice(notice: list[str], titles: list[str]) -> Settings:
    """Defaults read from the notice's text and the plans' titles."""
    text = "".join(notice)
    years = [int(m) for t in titles for m in re.findall(r"(20\d\d)\s*年", t)]
    year = years[0] if years else dt.date.today().year
    day = re.search(r"每个?季度第\s*[1一]\s*个月的\s*(\d{1,2})\s*日前", text)
    explicit = re.search(r"分别于.*?4\s*月\s*(\d{1,2})\s*日", text)
    report_day = int(day.group(1)) if day else int(explicit.group(1)) if explicit else 20
    settings = Settings(year=year, deadlines=quarter_deadlines(year, report_day),
                        plan_deadline=dt.date(year, 2, 15))
    first = re.search(r"于\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日前[^。]*(办理方案|名单)", text)
    if first:
        settings.plan_deadline = dt.date(int(first.group(1)), int(first.group(2)), int(first.group(3)))
    quarterly = next((s for s in re.split(r"[。]", text) if QUARTER in s and PROGRESS in s), "")
    if "各责任单位" in quarterly and "各牵头单位" not in quarterly:
        settings.rule = RULE_ALL
    office = re.search(r"报((?:市|区)[\u4e00-\u9fff]{0,6}督查室)", text)
    if office:
        settings.office = office.group(1)
    if settings.office.startswith("区"):
        settings.preset = PRESET_DISTRICT
    contact = re.search(r"联系人[：:]\s*([\u4e00-\u9fff]{2,4})\s*([\d\-]{7,})", text)
    if contact:
        settings.contact, settings.phone = contact.group(1), contact.group(2)
    return settings
