"""Text clean-up shared by the parsers: punctuation, noise, traditional characters.

Everything here is pure string work; nothing reads files.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

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
    text = text.translate(_TRANSLATE)
    text = "".join(_HALF_TO_FULL.get(ch, ch) for ch in text)
    return re.sub(r"(?<!\d),|,(?!\d)", "，", text)


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


# -- double-byte text read one byte out of step ---------------------------
#
# A GB2312/GBK/GB18030 line that lost one byte reads as garbage ("?。ㄒ唬┑貐^")
# from the lost byte until an ASCII character (or a replacement mark) brings
# the decoder back in step. Re-encoding the garbage and decoding it from the
# next byte gives the text back, except the character whose byte was lost and,
# when the stretch ends at a replacement mark, the character cut there; those
# two are guessed from the document's own pairs of characters, or marked lost.

LOST = "\ufffd"
_REPLACEMENTS = (LOST, "?")
_CODEC = "gb18030"
_COMMON_PUNCT = frozenset(CJK_PUNCT + "％＋—")
_RARE_PRIOR, _COMMON_PRIOR, _JUNK_PRIOR = 0.02, 2.0, 0.001
# Numbering every plan uses ("一、" "（二）" "三是"), so that a heading's numeral can be read
# back even when the document has only one heading of that number.
_NUMERALS = "一二三四五六七八九十"
_NUMBERING = "\n".join(
    f"{n}、\n（{n}）\n({n})\n{n}是" for n in _NUMERALS
)
_GARBAGE_ODDS = 20000  # a character read out of step is about any of the GBK characters
_MIN_GAIN = 6.0  # how much more plausible (log-odds) a realigned reading must be
_WEAK_GAIN = 3.0  # enough when the characters guessed at its ends are confirmed by the document
_CHOICES, _CLOSE = 4, 4.0  # near-best alignments compared again with the guessed characters in place


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    """The 3755 most used hanzi (GB2312 level 1), their traditional forms and common punctuation."""
    level1 = bytes(b for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF) for b in (lead, trail))
    simplified = set(level1.decode(_CODEC, errors="ignore"))
    others = "".join(
        bytes((lead, trail)).decode(_CODEC, errors="ignore")
        for lead in range(0x81, 0xFF)
        for trail in (*range(0x40, 0x7F), *range(0x80, 0xFF))
    )
    traditional = {a for a, b in zip(others, to_simplified(others), strict=True) if a != b and b in simplified}
    return frozenset(simplified | traditional | _COMMON_PUNCT)


@cache
def _chars_with_byte(byte: int, lead_only: bool = False) -> tuple[str, ...]:
    """Double-byte characters whose lead (or trail) byte is `byte`."""
    found = []
    for other in range(0x40, 0xFF):
        for pair in (bytes((byte, other)),) if lead_only else (bytes((byte, other)), bytes((other, byte))):
            try:
                ch = pair.decode(_CODEC)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and not ch.isascii() and not _junk(ch):
                found.append(ch)
    return tuple(dict.fromkeys(found))


def _junk(ch: str) -> bool:
    return ch == LOST or unicodedata.category(ch) in ("Co", "Cs", "Cn", "Cc")


class CharModel:
    """How plausible characters are in one document: its own counts plus a prior of common hanzi."""

    def __init__(self, texts: list[str]):
        self.text = "\n".join([*texts, _NUMBERING])
        self.counts = Counter(self.text)
        self.total = sum(self.counts.values()) + 1
        common = common_chars()
        self.known = frozenset(ch for ch, n in self.counts.items() if n >= 3 and not _junk(ch)) | common
        self._common = common
        self._pairs: Counter[str] | None = None
        self._scores: dict[str, float] = {}
        self._own: Counter[str] = Counter()  # the line being repaired: not evidence for itself
        self._own_pairs: Counter[str] = Counter()

    def exclude(self, line: str) -> None:
        """Take `line` out of the evidence (until the next call)."""
        self._own, self._own_pairs, self._scores = Counter(line), Counter(_pairs_of(line)), {}

    def count(self, ch: str) -> int:
        return max(0, self.counts[ch] - self._own[ch])

    def pair(self, two: str) -> int:
        return max(0, self.pairs()[two] - self._own_pairs[two])

    def score(self, ch: str) -> float:
        """Log-odds that `ch` is text of this document rather than a character read out of step."""
        cached = self._scores.get(ch)
        if cached is None:
            if _junk(ch):
                count, prior = 0, _JUNK_PRIOR
            else:
                count = self.count(ch)
                prior = _COMMON_PRIOR if ch.isascii() or ch in self._common else _RARE_PRIOR
            cached = self._scores[ch] = math.log((count + prior) * _GARBAGE_ODDS / self.total)
        return cached

    def pairs(self) -> Counter[str]:
        if self._pairs is None:
            self._pairs = Counter(_pairs_of(self.text))
        return self._pairs

    def suspicious(self, text: str) -> bool:
        """Does the line hold characters the document and common Chinese hardly use?"""
        return not text.isascii() and bool(set(text) - self.known - _ASCII)

    def guess(self, byte: int, before: str, after: str, lead_only: bool = False) -> str:
        """The character holding `byte` that fits between `before` and `after` best, or LOST."""
        candidates = [ch for ch in _chars_with_byte(byte, lead_only) if self.count(ch)]
        return self._best(candidates, before, after, LOST)

    def guess_pair(self, first: int, second: int, before: str, after: str) -> str:
        """Two neighbouring characters of which one byte each is known (the second's lead byte)."""
        seconds = [ch for ch in _chars_with_byte(second, True) if self.count(ch)]
        candidates = [a + b for a in _chars_with_byte(first) if self.count(a) for b in seconds if self.pair(a + b)]
        return self._best(candidates, before, after, LOST * 2)

    def _best(self, candidates: list[str], before: str, after: str, default: str) -> str:
        """The candidate the document's own pairs of characters support best (both sides seen)."""
        best, best_score = default, -math.inf
        for cand in candidates:
            seen = self._seen(before, cand[0]) + self._seen(cand[-1], after)
            if seen == 0:
                continue
            text = before + cand + after
            score = sum(self._follows(a, b) for a, b in zip(text, text[1:], strict=False)) + seen
            if score > best_score:
                best, best_score = cand, score
        return best

    def _seen(self, a: str, b: str) -> int:
        return 1 if a and b and self.pair(a + b) > 0 else 0

    def _follows(self, a: str, b: str) -> float:
        """log P(b | a) from the document's pairs, smoothed towards how often b occurs."""
        unigram = (self.count(b) + 0.5) / self.total
        return math.log((self.pair(a + b) + unigram) / (self.count(a) + 1))

    def fluency(self, text: str) -> float:
        """How well a stretch reads as this document's text (pairs of characters)."""
        return sum(_LOST_PAIR if LOST in (a, b) else self._follows(a, b) for a, b in zip(text, text[1:], strict=False))

    def confirmed(self, before: str, guessed: str, after: str) -> bool:
        """Were the guessed characters seen next to their neighbours elsewhere in the document?"""
        if not guessed or LOST in guessed:
            return False
        return all(self._seen(a, b) for a, b in ((before, guessed[0]), (guessed[-1], after)) if a and b)


_LOST_PAIR = math.log(1e-4)


def _pairs_of(text: str):
    return map(str.__add__, text, text[1:])


_ASCII = frozenset(chr(i) for i in range(128))


@dataclass
class Realignment:
    text: str  # the whole line, repaired
    spans: list[str]  # the repaired stretches, as now read


def realign_shifted(text: str, model: CharModel) -> Realignment | None:
    """Re-read stretches of a line that were decoded one byte out of step; None when none are."""
    if not model.suspicious(text):
        return None
    model.exclude(text)
    out, spans, pos = [], [], 0
    for start, end in _runs(text):
        repaired = _realign_run(text, start, end, model)
        if repaired is None:
            continue
        new, consumed_end = repaired
        out.append(text[pos:start])
        out.append(new)
        spans.append(new)
        pos = consumed_end
    if not spans:
        return None
    out.append(text[pos:])
    repaired = "".join(out)
    # a mark just before a stretch repaired at the start of the line is the rest of a lost character
    lead = re.match(r"\s*[?\ufffd](?=" + re.escape(spans[0][:1]) + ")", repaired)
    if lead and repaired.find(spans[0]) == lead.end():
        repaired = repaired[: lead.end() - 1] + repaired[lead.end() :]
    return Realignment(repaired, spans)


def _runs(text: str) -> list[tuple[int, int]]:
    """Stretches of non-ASCII characters, each with the replacement mark that ends it."""
    runs, start = [], None
    for i, ch in enumerate(text):
        if ch in _REPLACEMENTS:
            if start is not None:
                runs.append((start, i + 1))
                start = None
        elif not ch.isascii():
            if start is None:
                start = i
        elif start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(text)))
    return runs


def _realign_run(text: str, start: int, end: int, model: CharModel) -> tuple[str, int] | None:
    """The best re-reading of text[start:end] and where it ends, if it beats the reading as is."""
    run = text[start:end]
    cut = run[-1] in _REPLACEMENTS  # the stretch ended at a byte the decoder could not read
    body = run[:-1] if cut else run
    if not body or not (set(run) - model.known):
        return None
    follower = text[end : end + 1]
    variants = [(b"", end)]
    if not cut and follower and 0x40 <= ord(follower) <= 0x7E:
        variants.append((follower.encode("ascii"), end + 1))  # that character was the last trail byte
    scored = []
    for extra, stop in variants:
        as_is = sum(model.score(ch) for ch in text[start:stop])
        scored.extend((score - as_is, i, reading, stop) for score, i, reading in _alignments(body, cut, extra, model))
    top = max(gain for gain, *_ in scored)
    if top < _WEAK_GAIN:
        return None
    left = "\n" if not text[:start].strip(" \u3000?\ufffd") else text[start - 1 : start]  # line start
    choices = []
    for gain, i, reading, stop in sorted(scored, key=lambda c: -c[0])[:_CHOICES]:
        if gain < top - _CLOSE:
            break
        right = text[stop : stop + 1] or "\n"
        pieces = _fill_in(body, i, reading, left, right, model)
        choices.append((model.fluency(left + body[:i] + "".join(pieces) + right), gain, i, pieces, stop))
    _, gain, i, (head, middle, tail), stop = max(choices, key=lambda c: c[0])
    right = text[stop : stop + 1] or "\n"
    near = body[:i][-1:] or left
    if gain < _MIN_GAIN and not (model.confirmed(near, head, middle[:1] or right)
                                 and (not tail or model.confirmed(middle[-1:], tail, right))):
        return None
    return body[:i] + head + middle + tail, stop


def _fill_in(body: str, i: int, reading: _Reading, left: str, right: str, model: CharModel) -> tuple[str, str, str]:
    """(guessed character that lost a byte, realigned text, guessed character cut at the end).

    A character lost at the very start of a line that cannot be guessed is left
    out: there it is nearly always the line's indentation.
    """
    near = body[:i][-1:] or left
    lost_byte = body[i:].encode(_CODEC)[0]
    if reading.dangling is None:
        head = model.guess(lost_byte, near, reading.text[:1])
        at_start = near in "\n?\ufffd"
        if at_start and not model.confirmed("\n", head, reading.text[:1]):
            head = ""
        return head, reading.text, ""
    if not reading.text:
        return model.guess_pair(lost_byte, reading.dangling, near, right), "", ""
    head = model.guess(lost_byte, near, reading.text[:1])
    tail = model.guess(reading.dangling, reading.text[-1:], right, lead_only=True)
    return head, reading.text, tail


def _alignments(body: str, cut: bool, extra: bytes, model: CharModel):
    """(score, index, reading) for every character of `body` that may have lost a byte.

    The characters that lost a byte score 0: nothing is known about them yet.
    """
    data = body.encode(_CODEC)
    prefix = 0.0
    shifted = None
    for i, offset in enumerate(_offsets(body)):
        if shifted is None:
            reading = shifted = _Reading(data[offset + 1 :] + extra, offset + 1, cut, model)
        else:
            reading = shifted.from_offset(offset + 1) or _Reading(data[offset + 1 :] + extra, offset + 1, cut, model)
        yield prefix + reading.score, i, reading
        prefix += model.score(body[i])


def _offsets(text: str) -> list[int]:
    offsets, pos = [], 0
    for ch in text:
        offsets.append(pos)
        pos += len(ch.encode(_CODEC))
    return offsets


class _Reading:
    """Bytes decoded from some offset of a stretch, with the score of every suffix."""

    def __init__(self, data: bytes, base: int, cut: bool, model: CharModel):
        self.text, self.dangling = _decode_tail(data, cut)
        self.base = base
        self.index = {base + off: i for i, off in enumerate(_offsets(self.text))}
        self.suffix = [0.0] * (len(self.text) + 1)
        for i in range(len(self.text) - 1, -1, -1):
            self.suffix[i] = self.suffix[i + 1] + model.score(self.text[i])
        self.score = self.suffix[0]

    def from_offset(self, offset: int) -> _Reading | None:
        """The same reading started at a later byte, when that byte starts a character."""
        i = self.index.get(offset)
        if i is None:
            return None
        later = object.__new__(_Reading)
        later.text, later.dangling, later.base = self.text[i:], self.dangling, offset
        later.index, later.suffix, later.score = {}, [], self.suffix[i]
        return later


def _decode_tail(data: bytes, cut: bool) -> tuple[str, int | None]:
    """Decode re-aligned bytes; a lone lead byte left at the end is returned apart."""
    reading = data.decode(_CODEC, errors="replace")
    if reading.endswith(LOST) and cut:
        trimmed = data[:-1].decode(_CODEC, errors="replace")
        if not trimmed.endswith(LOST):
            return trimmed, data[-1]
    return reading, None


def garbled_stretch(text: str, model: CharModel) -> str | None:
    """A stretch that reads as charset garbage even without replacement characters, if any.

    Three of four characters that neither the document nor common Chinese uses (a
    name such as "珞珈" has two), or a replacement mark ("?") next to one, as in
    "出？！白叱鋈ァ？".
    """
    if not model.suspicious(text):
        return None
    odd = [not ch.isascii() and ch not in model.known for ch in text]
    marks = [ch in "?？\ufffd" for ch in text]
    for i in range(len(text)):
        window = sum(odd[i : i + 4]) >= 3
        beside_mark = odd[i] and ((i and marks[i - 1]) or (i + 1 < len(text) and marks[i + 1]))
        if window or beside_mark:
            return text[max(0, i - 4) : i + 6]
    return None


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
