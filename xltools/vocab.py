"""The words a user sees, in one place: sheet names, column headers, roles, forms, quarters.

Every module takes its labels from here, so a sheet name or a header is
spelled once (tests/test_vocabulary.py fails when one is typed elsewhere).
The wording follows the notices and their 附表. Also here: `TaskId`, how a
task (or a 分项 of it) is named inside workbooks and forms.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- the master workbook (督办台账) ------------------------------------------------------
CONSOLE = "控制台"
README = "说明"
SETTINGS = "设置"
DIRECTORY = "单位名录"
STATS = "分工统计"
WARNINGS = "导入提示"
MASTER_SHEETS = (README, SETTINGS, DIRECTORY, STATS, WARNINGS)
XLWINGS_CONF_SHEETS = ("xlwings.conf", "_xlwings.conf")
RESULT_LABEL = "运行结果"  # the 控制台 cell the buttons write their result beside
# the year's steps: the captions of the .xlsm's buttons and the names of the launchers (.cmd) beside a ledger
IMPORT_STEP, REFRESH_STEP, FORMS_STEP, MERGE_STEP, STATUS_STEP = "导入方案", "刷新分工", "生成附表", "合并回收表", "刷新状态"

# plan sheets and unit sheets
KEY = "编号"
PART = "部分"
SECTION = "章节"
THEME = "主题"
TASK = "责任事项"
LEAD = "牵头单位"
UNITS = "责任单位"
CITY_LEAD = "市级牵头单位"
CITY_UNITS = "市级责任单位"
DEADLINE = "完成时限"
NOTE = "备注"
PLAN = "方案"
ROLE = "本单位角色"
PLAN_COLUMNS = (KEY, PART, SECTION, THEME, TASK, LEAD, UNITS, DEADLINE, NOTE)
CITY_COLUMNS = (CITY_LEAD, CITY_UNITS)
UNIT_COLUMNS = (PLAN, KEY, TASK, ROLE, LEAD, UNITS, DEADLINE)
ROW_KEYS = (PLAN, KEY)  # what identifies a task's row on unit sheets and in 汇总
UNIT_TITLE = "承担任务清单"

# roles of a unit in a task
ROLE_LEAD = "牵头"
ROLE_SHARE = "责任"

# 单位名录
UNIT_NAME = "单位名称"
SHORT = "简称"
ALIASES = "别名"
KIND = "类别"
GROUPS = "所属分组"
FORMER_NAMES = "曾用名"  # "市科技局（至2023年）": older names with the years they were in use
FIRST_YEAR = "起始年度"  # the years a body existed: which units a group covers in a plan of a given year
LAST_YEAR = "终止年度"
DIRECTORY_COLUMNS = (UNIT_NAME, SHORT, ALIASES, FORMER_NAMES, KIND, GROUPS, FIRST_YEAR, LAST_YEAR, NOTE)
NAME_UNITS = "需指定具体单位"  # a placeholder ("有关单位", "…成员单位") that names no unit
GROUP_KIND = "分组"
UNKNOWN_KIND = "待确认"

# 设置: the quarter and plan blocks inside the sheet
QUARTER = "季度"
QUARTER_HEADER = (QUARTER, "报送截止日期", README)
PLAN_SHEET = "方案工作表"
PLANS_HEADER = (PLAN_SHEET, "方案名称", "来源文件")

# named cell styles of every workbook the tool writes (look.py says how they look)
STYLE_TITLE, STYLE_INFO, STYLE_HEADER, STYLE_BODY, STYLE_PLAIN = "标题", "说明文字", "表头", "正文", "正文无框"

# -- quarters ---------------------------------------------------------------------------------
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
QUARTER_WORDS = {1: "一季度", 2: "上半年", 3: "前三季度", 4: "全年"}  # what a 附表3 of quarter N covers
WHOLE_YEAR = QUARTER_WORDS[4]
COMPLETION_TIMES = (*QUARTERS, WHOLE_YEAR)  # the 完成时间 choices of 附表1


def quarter_column(quarter: int, what: str) -> str:
    """A per-quarter column or label: quarter_column(1, PROGRESS) → 第一季度完成情况."""
    return f"{QUARTERS[quarter - 1]}{what}"


# -- forms (附表) -------------------------------------------------------------------------------
FORM_NAMES = {1: "附表1", 2: "附表2", 3: "附表3"}
DISTRICT_FORM_NAMES = {1: "附表1", 2: "附件4", 3: "附件5"}
FORM_TITLES = {1: "办理方案", 2: "督办工作人员名单", 3: "完成情况"}
SERIAL = "序号"
TASK_NUMBER = "任务编号"
PROGRESS = "完成情况"
CONTENT = "具体工作内容"
COMPLETION_TIME = "完成时间"
LEADER = "分管负责人"
OFFICE = "责任处室"
NAME = "姓名"
POST = "职务"
OFFICE_PHONE = "办公电话"
MOBILE = "手机"
# contact roles as 附表2 names them, and the words units write instead
CONTACT_LEADER = LEADER
CONTACT_OFFICE_HEAD = "督办处室负责人"
CONTACT = "联络员"
CONTACT_ROLES = (CONTACT_LEADER, CONTACT_OFFICE_HEAD, CONTACT)
CONTACT_ROLE_WORDS = {
    LEADER: CONTACT_LEADER, "分管领导": CONTACT_LEADER,
    "督办处室或者综合协调处室负责人": CONTACT_OFFICE_HEAD, "办公室或者综合协调科室负责人": CONTACT_OFFICE_HEAD,
    "督办人员（联络员）": CONTACT, "经办人": CONTACT, CONTACT: CONTACT,
}

# the identity a form carries (hidden sheet, document properties, hidden column)
UNIT = "单位"
YEAR = "年度"
FORMS = "附表"
META_SHEET = "_来源"
ID_HEADER = "任务标识"
ID_UNIT = UNIT
ID_YEAR = YEAR
ID_FORMS = FORMS
ID_QUARTER = QUARTER
ID_VERSION = "版本"
ID_MADE = "生成时间"

# how a returned form's unit was recognised (文件清单 识别方式)
FOUND_BY_TITLE, FOUND_BY_FILE_NAME = "标题", "文件名"

# -- the tracker (汇总台账) --------------------------------------------------------------------
TRACKER_FILE = "汇总台账.xlsx"
DASHBOARD = "总览"
SUMMARY = "汇总"
QUARTERLY = "季度对比"  # each task's status quarter by quarter, and what changed
CHANGE = "变化"
SCORING = "考核"  # year-end scores per responsible unit, formulas over the rules in 设置
REPORTING = "报送情况"
REMINDERS = "催报名单"
PLANS_SUMMARY = "办理方案汇总"
CONTACTS = "联络员名录"
FILES = "文件清单"
PROBLEMS = "问题清单"
TRACKER_SHEETS = (DASHBOARD, SUMMARY, QUARTERLY, SCORING, REPORTING, REMINDERS, PLANS_SUMMARY, CONTACTS, FILES, PROBLEMS)
STAFF_NOTE = "督办意见"
OVERRIDE = "人工判定状态"
STAFF_COLUMNS = (STAFF_NOTE, OVERRIDE)
OTHER_REPORTS = "其他单位报送"  # per quarter in 汇总: what units other than the lead reported
STATUS = "状态"  # per quarter in 汇总
REPORTED_BY = "报送单位"  # 汇总: the units whose words a row shows
CURRENT_STATUS = "当前状态"  # a task's status after staff overrides
# 报送情况: where a unit's form stands
SUBMITTED, LATE, MISSING, NOT_DUE, NOT_NEEDED = "已报", "逾期", "未报", "未到期", "—"
SIGNED = "已附签字件"  # a scan (PDF, picture) of the signed, stamped form beside the Excel one: normal, not a wrong file
SIGNED_COLUMN = "签字件"

# -- status of a task in a quarter (xltools.status judges it) ---------------------------------
DONE, ON_TRACK, BEHIND, NOT_REPORTED = "已完成", "序时推进", "滞后", "未报送"
STATUSES = (DONE, ON_TRACK, BEHIND, NOT_REPORTED)  # the four colours, in the order counts are shown
AHEAD, AT_PACE, BEHIND_PACE = "超进度", "达进度", "欠进度"  # the finer scale many offices use
PACE_STATUSES = (DONE, AHEAD, AT_PACE, BEHIND_PACE, NOT_REPORTED)
SCALE_FOUR = "、".join(STATUSES)  # 设置 状态分级: the two scales by name
SCALE_PACE = "、".join(PACE_STATUSES)
BASIS = "判定依据"  # per quarter in 汇总, beside the status: the rule and the numbers


# -- task identity -----------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class TaskId:
    """A task, or one 分项 of it, as forms and trackers name it: ``sheet|key`` or ``sheet|key#n``.

    `plan` is the plan's sheet name in the master, `key` the task's number
    as the plan sheet shows it (二-80), `item` the 分项 (1, 2 …; 0 for the
    task as a whole). Forms sent out before 分项 existed carry ``sheet|key``,
    which parses to item 0, so they keep merging.
    """

    plan: str
    key: str
    item: int = 0

    SEPARATOR = "|"
    ITEM_MARK = "#"

    def __str__(self) -> str:
        base = f"{self.plan}{self.SEPARATOR}{self.key}"
        return f"{base}{self.ITEM_MARK}{self.item}" if self.item else base

    @classmethod
    def parse(cls, text: str) -> TaskId | None:
        """The id written in a form's hidden column, or None for anything else (typed over, garbage)."""
        plan, sep, rest = (text or "").strip().rpartition(cls.SEPARATOR)
        key, mark, item = rest.partition(cls.ITEM_MARK)
        plan, key, item = plan.strip(), key.strip(), item.strip()
        if not sep or not plan or not key or mark and not (item.isdigit() and len(item) <= 3):
            return None
        return cls(plan, key, int(item) if mark else 0)

    def task(self) -> TaskId:
        """The whole task this id (or 分项) belongs to."""
        return TaskId(self.plan, self.key) if self.item else self

    @property
    def label(self) -> str:
        """The number a clerk reads: 二-80, or 二-80-2 for its second 分项."""
        return item_key(self.key, self.item) if self.item else self.key


def item_key(task_key: str, item: int) -> str:
    """A 分项's number as sheets and forms show it: the task's number and the 分项's (二-80-2)."""
    return f"{task_key}-{item}"


ITEMS_BELOW = "（见分项）"  # a plan sheet's unit cell of a task whose 分项 rows name the units


# -- the buttons of 督办台账.xlsm, and the launchers that offer the same steps on a WPS desk --------

LEDGER_NAME = "督办台账.xlsm"


@dataclass(frozen=True)
class Button:
    macro: str  # a Sub in xltools.bas
    label: str  # the caption, as the forms and the README name the step
    what: str


BUTTONS = (
    Button("ImportPlan", IMPORT_STEP, "读取“设置”中“方案文件”写明的方案，生成方案表、各单位表和分工统计"),
    Button("RefreshUnits", REFRESH_STEP, "改了方案表或单位名录后，重建各单位表和分工统计"),
    Button("MakeForms", FORMS_STEP, "为每个单位生成附表1、2、3，放在“分发”文件夹"),
    Button("MergeReturns", MERGE_STEP, "合并“回收”文件夹中各单位交回的表，写入汇总、报送情况等表"),
    Button("RefreshStatus", STATUS_STEP, "按今天的日期和设置中的规则重新判断状态、报送情况"),
)
