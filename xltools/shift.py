"""Double-byte text read one byte out of step, and how to read it back.

A GB2312/GBK/GB18030 line that lost one byte reads as garbage ("?。ㄒ唬┑貐^")
from the lost byte until an ASCII character (or a replacement mark) brings
the decoder back in step. Re-encoding the garbage and decoding it from the
next byte gives the text back, except the character whose byte was lost and,
when the stretch ends at a replacement mark, the character cut there. Each of
those two keeps one of its bytes, which leaves a few dozen candidates; the
document's own text picks one (a character n-gram model of the document, and
the rule that a line's brackets come in pairs).

Everything here is pure string work; nothing reads files.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from xltools.text import CJK_PUNCT, to_simplified

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
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ORDER = 4  # characters of the n-gram model: a character given the three before it
_BACKOFF = math.log(0.4)  # "stupid backoff" to a shorter context
_UNSEEN = 0.03  # in the n-gram model a character the document never uses is far rarer than one it uses once
# A line's brackets come in pairs: a guess that leaves one without its partner is all but ruled
# out, and one that completes a pair all but certain ("　　�2020年…》" is "　　《2020年…》").
_BRACKETS = dict(zip("《（“〈【「(", "》）”〉】」)", strict=True))
_BRACKET_CHARS = frozenset(_BRACKETS) | frozenset(_BRACKETS.values())
_UNPAIRED = math.log(10_000)  # log-odds against a reading that leaves a bracket without its partner


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
    """How plausible characters are in one document: its own text plus a prior of common hanzi."""

    def __init__(self, texts: list[str]):
        self.text = "\n".join([*texts, _NUMBERING])
        self.counts = Counter(self.text)
        self.total = sum(self.counts.values()) + 1
        common = common_chars()
        self.known = frozenset(ch for ch, n in self.counts.items() if n >= 3 and not _junk(ch)) | common
        self._common = common
        self._at: dict[str, list[int]] | None = None  # where each two and three characters occur
        self._totals: dict[str, int] = {}
        self._own, self._kept = "", ""  # the line being repaired, and what of it is evidence
        self._scores: dict[str, float] = {}
        self._with_byte: dict[tuple[int, bool], list[str]] = {}

    def exclude(self, line: str) -> None:
        """Take the garbled stretches of `line` out of the evidence (until the next call)."""
        if line and line in self.text:
            kept = _NON_ASCII.sub(lambda m: "\x00" if set(m.group()) - self.known else m.group(), line)
            self._own, self._kept = f"\n{line}\n", f"\n{kept}\n"
        else:
            self._own = self._kept = ""
        self._scores = {}

    def count(self, text: str) -> int:
        """How often `text` occurs in the document, the garbled stretches of the excluded line left out."""
        total = self._total(text)
        if not total or text not in self._own:
            return total
        return max(0, total - _occurrences(self._own, text) + _occurrences(self._kept, text))

    def _total(self, text: str) -> int:
        if len(text) == 1:
            return self.counts[text]
        found = self._totals.get(text)
        if found is None:
            if self._at is None:
                self._at = {}
                for n in (2, 3):
                    for i in range(len(self.text) - n + 1):
                        self._at.setdefault(self.text[i : i + n], []).append(i)
            starts = self._at.get(text[:3], ())
            found = len(starts) if len(text) <= 3 else sum(1 for i in starts if self.text.startswith(text, i))
            self._totals[text] = found
        return found

    def score(self, ch: str) -> float:
        """Log-odds that `ch` is text of this document rather than a character read out of step."""
        cached = self._scores.get(ch)
        if cached is None:
            if _junk(ch):
                count, prior = 0, _JUNK_PRIOR
            else:
                count, prior = self.count(ch), self._prior(ch)
            cached = self._scores[ch] = math.log((count + prior) * _GARBAGE_ODDS / self.total)
        return cached

    def _prior(self, ch: str) -> float:
        return _COMMON_PRIOR if ch.isascii() or ch in self._common else _RARE_PRIOR

    def suspicious(self, text: str) -> bool:
        """Does the line hold characters the document and common Chinese hardly use?"""
        return not text.isascii() and bool(set(text) - self.known - _ASCII)

    def guess(self, byte: int, before: str, after: str, lead_only: bool = False) -> str:
        """The character holding `byte` that reads best between `before` and `after`, or LOST."""
        candidates = [ch for ch in self._used_with_byte(byte, lead_only) if self.count(ch)]
        return self._best(candidates, before, after, LOST)

    def _used_with_byte(self, byte: int, lead_only: bool = False) -> list[str]:
        """The characters holding `byte` that the document uses (the excluded line included)."""
        used = self._with_byte.get((byte, lead_only))
        if used is None:
            used = self._with_byte[byte, lead_only] = [ch for ch in _chars_with_byte(byte, lead_only) if self.counts[ch]]
        return used

    def guess_pair(self, first: int, second: int, before: str, after: str) -> str:
        """Two neighbouring characters of which one byte each is known (the second's lead byte)."""
        seconds = [ch for ch in self._used_with_byte(second, True) if self.count(ch)]
        candidates = [a + b for a in self._used_with_byte(first) if self.count(a) for b in seconds if self.count(a + b)]
        if candidates:
            return self._best(candidates, before, after, LOST * 2)
        head = self.guess(first, before, LOST)
        return head + self.guess(second, before + head, after, lead_only=True)

    def _best(self, candidates: list[str], before: str, after: str, default: str) -> str:
        """The candidate the document's n-grams like best between `before` and `after`.

        Of the candidates never seen next to `before` or `after` only the most frequent
        can win: all else about them scores alike.
        """
        right = after.split(LOST, 1)[0]
        beside = [c for c in candidates if self.count(before[-1:] + c[0]) or self.count(c[-1] + right[:1])
                  or _BRACKET_CHARS & set(c)]
        others = [c for c in candidates if c not in beside]
        if others:
            beside.append(max(others, key=lambda c: self.count(c)))
        return max(beside, key=lambda c: self.fit(before, c, after), default=default)

    def fit(self, before: str, middle: str, after: str) -> float:
        """How well `middle` reads between `before` and `after`: log-probability of the n-grams holding it,
        less a penalty for each bracket of the line left without its partner."""
        context = _ORDER - 1
        text = before[-context:] + middle + after.split(LOST, 1)[0][:context]
        first = len(before[-context:])
        grams = sum(self._follows(text[max(0, j - context) : j], text[j]) for j in range(first, len(text)))
        return grams - _UNPAIRED * _unpaired(before, middle, after)

    def _follows(self, history: str, ch: str) -> float:
        """log P(ch | history): the longest history seen before ch, a penalty for each character dropped."""
        penalty = 0.0
        while history:
            seen = self.count(history + ch)
            if seen:
                return penalty + math.log(seen / self.count(history))
            history, penalty = history[1:], penalty + _BACKOFF
        return penalty + math.log((self.count(ch) + self._prior(ch) * _UNSEEN) / self.total)

    def confirmed(self, before: str, guessed: str, after: str) -> bool:
        """Were the guessed characters seen next to their neighbours elsewhere in the document?"""
        if not guessed or LOST in guessed:
            return False
        return all(self.count(a + b) for a, b in ((before, guessed[0]), (guessed[-1], after)) if a and b)


def _unpaired(before: str, middle: str, after: str) -> int:
    """How many brackets of the line through `middle` lack their partner."""
    line = before.rsplit("\n", 1)[-1] + middle + after.split("\n", 1)[0]
    if not _BRACKET_CHARS & set(line):
        return 0
    unpaired = sum(abs(line.count(open_) - line.count(close)) for open_, close in _BRACKETS.items())
    return max(0, unpaired - line.count(LOST))  # a character not read yet may be the partner


def _occurrences(text: str, part: str) -> int:
    """How often `part` occurs in `text`, overlapping occurrences included."""
    found, at = 0, text.find(part)
    while at >= 0:
        found, at = found + 1, text.find(part, at + 1)
    return found


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
    before = "\n" if not text[:start].strip(" \u3000?\ufffd") else "\n" + text[:start]  # line start
    if run[-1] == LOST and not body.strip("\u3000"):
        lost = _lost_after_indent(body, text[end:] + "\n", model)
        return None if lost == LOST else (body + lost, end)
    follower = text[end : end + 1]
    variants = [(b"", end)]
    if not cut and follower and 0x40 <= ord(follower) <= 0x7E:
        variants.append((follower.encode("ascii"), end + 1))  # that character was the last trail byte
    scored = []
    for extra, stop in variants:
        as_is = sum(model.score(ch) for ch in text[start:stop])
        scored.extend((score - as_is, i, reading, stop) for score, i, reading in _alignments(body, cut, extra, model))
    top = max((gain for gain, *_ in scored), default=None)
    # a byte the decoder could not read after characters the document never uses: a shift for certain
    proven = run[-1] == LOST and not all(model.count(ch) for ch in body[-2:])
    if top is None or top < (0 if proven else _WEAK_GAIN):
        return None
    choices = []
    for gain, i, reading, stop in sorted(scored, key=lambda c: -c[0])[:_CHOICES]:
        if gain < top - _CLOSE:
            break
        after = text[stop:] + "\n"
        pieces = _fill_in(before + body[:i], body[i].encode(_CODEC)[0], reading, after, model)
        choices.append((model.fit(before, body[:i] + "".join(pieces), after), gain, i, pieces, stop))
    _, gain, i, (head, middle, tail), stop = max(choices, key=lambda c: c[0])
    right = text[stop : stop + 1] or "\n"
    near = (before + body[:i])[-1]
    if not proven and gain < _MIN_GAIN and not (model.confirmed(near, head, middle[:1] or right)
                                 and (not tail or model.confirmed(middle[-1:], tail, right))):
        return None
    repaired = body[:i] + head + middle + tail
    if run[-1] == LOST and stop == len(text):
        repaired += _swallowed_digit(before + repaired, model)
    return repaired, stop


def _swallowed_digit(line: str, model: CharModel) -> str:
    """The digit that ended the line, if the document suggests one, or "".

    A lead byte left at the end of a line swallows a digit after it: GB18030 reads the
    two as the start of a four-byte character, so "附件1" one byte out of step reads "郊�".
    """
    return max(("", *"0123456789"), key=lambda digit: model.fit(line, digit, "\n"))


def _lost_after_indent(indent: str, after: str, model: CharModel) -> str:
    """The character after the indentation of which only a mark is left, or LOST.

    The line lost its first byte: the indentation, re-read one byte later, reads the same
    ("　" is A1 A1), and its last byte is the lead byte of the character after it, whose
    trail byte the decoder could not read before an ASCII character ("　　�2020年…》").
    """
    return model.guess(indent.encode(_CODEC)[-1], "\n" + indent, after, lead_only=True)


def _fill_in(before: str, lost_byte: int, reading: _Reading, after: str, model: CharModel) -> tuple[str, str, str]:
    """(guessed character that lost a byte, realigned text, guessed character cut at the end).

    `before` ends where the character that lost a byte stood. A character lost at the
    very start of a line that cannot be guessed is left out: there it is nearly always
    the line's indentation.
    """
    if reading.dangling is None:
        head = model.guess(lost_byte, before, reading.text + after)
        if before[-1] in "\n?\ufffd" and not model.confirmed("\n", head, reading.text[:1]):
            head = ""
        return head, reading.text, ""
    if not reading.text:
        return model.guess_pair(lost_byte, reading.dangling, before, after), "", ""
    head = model.guess(lost_byte, before, reading.text + LOST + after)
    tail = model.guess(reading.dangling, before + head + reading.text, after, lead_only=True)
    return head, reading.text, tail


def _alignments(body: str, cut: bool, extra: bytes, model: CharModel):
    """(score, index, reading) for every character of `body` that may have lost a byte.

    The characters that lost a byte score 0: nothing is known about them yet.
    """
    data = body.encode(_CODEC)
    prefix = 0.0
    shifted = None
    for i, offset in enumerate(_offsets(body)):
        if len(body[i].encode(_CODEC)) == 2:  # the lost character's other byte and the next one's first
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
