"""Text clean-up shared by the parsers: punctuation, noise, traditional characters.

Everything here is pure string work; nothing reads files.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width punctuation that may sit next to a removable space.
CJK_PUNCT = "，。、；：？！（）《》〈〉“”‘’【】—…·「」"

_HALF_TO_FULL = {
    "(": "（",
    ")": "）",
    ":": "：",
    ";": "；",
    "!": "！",
    "?": "？",
    "<": "〈",
    ">": "〉",
}
_VARIANTS = {
    "\u3000": " ",
    "\xa0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u200b": "",
    "\ufeff": "",
    "﹙": "（",
    "﹚": "）",
    "︰": "：",
    "∶": "：",
    "﹕": "：",
    "﹔": "；",
    "﹐": "，",
    "‘": "“",
    "’": "”",
    "＂": "\"",
    "―": "—",
    "─": "—",
    "－": "-",
    "⟨": "〈",
    "⟩": "〉",
    "•": "·",
    "∙": "·",
    "．": ".",
}
# Full-width digits and latin letters to ASCII.
_VARIANTS.update({chr(0xFF10 + i): str(i) for i in range(10)})
_VARIANTS.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_VARIANTS.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
# the variants first, then half-width marks made full-width: one table, one pass
_TRANSLATE = str.maketrans({ch: "".join(_HALF_TO_FULL.get(c, c) for c in spelled) for ch, spelled in _VARIANTS.items()}
                           | {ch: full for ch, full in _HALF_TO_FULL.items() if ch not in _VARIANTS})
_TEXT_COMMA = re.compile(r"(?<!\d),|,(?!\d)")

_PAGE_NUMBER = re.compile(r"[—–-]{1,2}\s*\d{1,3}\s*[—–-]{1,2}(?!\d)|\s\d{1,3}\s*[—–]{1,2}\s*$")
_TAGS = re.compile(r"</?(p|br|span|div|strong|b|font|td|tr)\b[^>]*>", re.I)
_LEAD_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+(?=\S)|>\s*|\*\*)+")
_SUP = re.compile(r"\^\{([^}]*)\}")
_SUB = re.compile(r"_\{([^}]*)\}")  # LaTeX subscripts left by OCR: "PM_{2.5}"
_EMPHASIS = re.compile(r"\*\*([^*]+)\*\*")
_SPACE_AROUND_CJK = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])\s+|\s+(?=[{CJK}{CJK_PUNCT}])")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC t2s); other text unchanged."""
    if not text or text.isascii():
        return text
    return _t2s().convert(text)


def unify_punctuation(text: str) -> str:
    """One spelling for every punctuation mark: full-width for Chinese text.

    Commas stay half-width between digits (1,000) and become "，" elsewhere.
    """
    return _TEXT_COMMA.sub("，", text.translate(_TRANSLATE))


def strip_noise(text: str) -> str:
    """Remove layout noise: page numbers, markup, bullets, stray spaces."""
    text = _TAGS.sub(" ", text)
    text = _SUP.sub(r"\1", text)
    text = _SUB.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = _LEAD_MARKUP.sub("", text)
    text = _PAGE_NUMBER.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _SPACE_AROUND_CJK.sub("", text)


def clean_line(text: str) -> str:
    return strip_noise(unify_punctuation(_TAGS.sub(" ", text)))


def join_lines(first: str, second: str) -> str:
    """Join two pieces of one sentence broken across lines."""
    if not first:
        return second
    if not second:
        return first
    if first[-1].isascii() and second[0].isascii() and first[-1].isalnum() and second[0].isalnum():
        return first + " " + second
    return first + second


def repair_mojibake(text: str) -> str | None:
    """Undo a wrong-charset decoding of one line (UTF-8 bytes read as GBK or Latin-1).

    Returns None when the line is not such mojibake. Chinese text re-encoded
    as GB18030 is practically never valid UTF-8, so a strict round trip that
    yields mostly Chinese characters is a reliable sign.
    """
    if text.isascii():
        return None
    for wrong in ("gb18030", "latin-1", "cp1252"):
        try:
            fixed = text.encode(wrong).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text and cjk_ratio(fixed) > 0.3:
            return fixed
    return None


def cjk_ratio(text: str) -> float:
    if not text:
        return 0.0
    return sum(1 for ch in text if re.match(f"[{CJK}]", ch)) / len(text)


def is_damaged(text: str) -> bool:
    """Text holding replacement characters or private-use/garbage symbols."""
    return "\ufffd" in text or any(unicodedata.category(ch) in ("Co", "Cs") for ch in text)


def match_key(label: str) -> str:
    """Normalised form for comparing unit names: simplified, no spaces or quotes."""
    text = to_simplified(unify_punctuation(label))
    text = re.sub(r"[\s“”\"'‘’「」]", "", text)
    return text.replace("（", "〈").replace("）", "〉")


def pair_quotes(text: str) -> str:
    """Straight double quotes as Chinese ones, opening and closing in turn: 培育"领跑者"企业 → 培育“领跑者”企业."""
    if '"' not in text:
        return text
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            opening = {"“": False, "”": True}.get(ch, opening)
            out.append(ch)
    return "".join(out)


CELL_LIMIT = 32767  # characters an Excel cell holds
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def cell_text(text: str) -> str:
    """Text fit for a cell, a Word paragraph or XML: a vertical tab (what a Word line break pastes as) is a new
    line, other control characters go."""
    return _CONTROL.sub(lambda m: "\n" if m.group(0) in "\x0b\x0c" else "", text) if _CONTROL.search(text) else text


_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def file_name_safe(name: str) -> str:
    """A name Windows accepts as a file name: quotes made Chinese, the characters it forbids removed."""
    return _NOT_IN_FILE_NAMES.sub("", pair_quotes(name)).strip().rstrip(". ") or "_"


# -- web page furniture ---------------------------------------------------

_FURNITURE = re.compile(
    r"政府网站标识码|网站标识码|ICP\s*备|ICP\s*证|公网安备|网站地图|联系我们|关于我们|[主承协]办单位\s*[：:]"
    r"|版权所有|copyright|©|技术支持\s*[：:]|发布评论|我要评论|打印本页|关闭窗口|【\s*(打印|关闭)\s*】"
    r"|分享到|扫一扫|您访问的链接即将离开|网站声明|隐私(声明|政策)|无障碍浏览|适老化|浏览次数|访问量",
    re.I,
)
_SPAM = re.compile(
    r"娱乐城|百家乐|博彩|赌场|赌博网|老虎机|真人娱乐|真人视讯|时时彩|六合彩|威尼斯人|葡京|太阳城|皇冠(体育|娱乐|赌)"
    r"|开户送|送彩金|彩金|注册送|体育投注|棋牌游戏|电子游艺|菠菜|线上赌|网赌|澳门.{0,4}(赌|娱乐|彩)"
)


def page_furniture(text: str) -> str:
    """"footer" for a web site's furniture (ICP numbers, site map…), "spam" for ads, "" for text."""
    simplified = to_simplified(text)
    if _SPAM.search(simplified):
        return "spam"
    if _FURNITURE.search(simplified):
        return "footer"
    return ""
