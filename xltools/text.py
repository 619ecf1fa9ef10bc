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
_TRANSLATE = str.maketrans(_VARIANTS)

_PAGE_NUMBER = re.compile(r"[—–-]{1,2}\s*\d{1,3}\s*[—–-]{1,2}(?!\d)|\s\d{1,3}\s*[—–]{1,2}\s*$")
_TAGS = re.compile(r"</?(p|br|span|div|strong|b|font|td|tr)\b[^>]*>", re.I)
_LEAD_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+(?=\S)|>\s*|\*\*)+")
_SUP = re.compile(r"\^\{([^}]*)\}")
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
    text = text.translate(_TRANSLATE)
    text = "".join(_HALF_TO_FULL.get(ch, ch) for ch in text)
    return re.sub(r"(?<!\d),|,(?!\d)", "，", text)


def strip_noise(text: str) -> str:
    """Remove layout noise: page numbers, markup, bullets, stray spaces."""
    text = _TAGS.sub(" ", text)
    text = _SUP.sub(r"\1", text)
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
