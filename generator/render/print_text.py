"""Thai as it is printed and signed: indicators by Thai name, problems as plain sentences, deadlines that are
still ahead, and the words, names, dates and amounts that must never break across lines.

- ``indicator_name``: ตัวชี้วัดรายทีมที่ ๒ (the group's Thai name and the indicator's number in the catalog);
- ``plain_problem``: a Problem as a Thai sentence with no file, cell, key, code or English gloss (those stay
  in the scorecard's and summary's problem sheets);
- ``still_to_do``: the steps of a list whose Thai deadline (๑๕ เมษายน ๒๕๖๕) is not before the letter's date;
- ``KeepTogether``: put WORD JOINER (U+2060) between the letters of district names and the catalog's marked
  terms, and NO-BREAK SPACE inside dates and between a number and its unit, in a rendered DOCX part's text;
  Word and LibreOffice both honour them, and neither prints anything for U+2060;
- ``side_by_side``: numbers standing next to each other in a sentence ("ระดับ ๓ ๑๐ จาก ๒๓"), to be reworded.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Iterable, Optional, Sequence

from generator.domain import BE_OFFSET
from generator.problems import Problem
from generator.thai import MONTHS, THAI_DIGITS, thai_digits, to_arabic

#: Compound words of every letter that the line breaker would otherwise split (ลำดับ|ที่), whatever the catalog marks.
PRINT_WORDS = ("ลำดับที่", "ร้อยละ", "ได้แก่")
WJ = "\u2060"
NBSP = "\u00a0"
#: Thai characters that belong to the letter before them (vowels above and below, tone marks, sara am).
_ATTACHED = frozenset("\u0e31\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_GLOSS = re.compile(r"\s*\([^()]*[A-Za-z][^()]*\)")
_QUOTED_LATIN = re.compile(r'\s*(?:พบ\s*)?["“][^"”]*[A-Za-z=<>{}][^"”]*["”]')   # a typed value in a program's words
_LATIN_TAIL = re.compile(r"\s*(?:;\s*|\()[A-Za-z][A-Za-z0-9 ,.'>=<_-]*\)?\s*$")
_DIGIT = f"[0-9{THAI_DIGITS}]"
_DATE = re.compile(rf"({_DIGIT}{{1,2}}) ({'|'.join(MONTHS)}) ({_DIGIT}{{4}})")
UNITS = ("อำเภอ", "ตัวชี้วัด", "คะแนน", "ชุด", "รายการ", "บาท", "วัน", "ครั้ง", "คน", "หมู่บ้าน", "ครัวเรือน", "แห่ง",
         "กลุ่ม", "ไฟล์")
_AMOUNT = re.compile(rf"({_DIGIT}[0-9{THAI_DIGITS},.]*) ({'|'.join(UNITS)})")
_BEFORE_NUMBER = re.compile(rf"(ร้อยละ|ระดับ|ลำดับที่|ที่|จำนวน|จาก|ข้อ|พ\.ศ\.) ({_DIGIT})")
_SIDE_BY_SIDE = re.compile(rf"{_DIGIT}[0-9{THAI_DIGITS},.]*[ {NBSP}]+{_DIGIT}")
_ANY_DIGIT = re.compile(_DIGIT)
_TEXT_NODE = re.compile(r"(<w:t(?: [^>]*)?>)([^<]+)(</w:t>)")

#: Problems whose own message speaks of programs and files: what the district is told instead.
_UNREADABLE = "จังหวัดอ่านข้อมูลจากไฟล์ที่อำเภอส่งไม่ได้ ขอให้ส่งแบบรายงานที่กรอกข้อมูลแล้วมาใหม่"
_CHANGED = "แบบรายงานถูกแก้ไขโครงสร้าง ขอให้กรอกข้อมูลในแบบรายงานฉบับที่จังหวัดส่งให้"
PLAIN = {
    **dict.fromkeys(("not-xlsx-pdf", "unreadable", "damaged-zip", "bad-xml", "missing-part"), _UNREADABLE),
    **dict.fromkeys(("sheet-missing", "name-missing", "meta-empty"), _CHANGED),
    "other-round": "แบบรายงานที่ส่งเป็นแบบของรอบการประเมินอื่น ขอให้กรอกแบบรายงานของรอบนี้",
    "duplicate-submission": "อำเภอส่งแบบรายงานมากกว่าหนึ่งครั้ง จังหวัดใช้แบบรายงานที่บันทึกครั้งล่าสุด",
    "no-cached-value": "ช่องที่เป็นสูตรคำนวณยังไม่มีค่า ขอให้เปิดแบบรายงานแล้วบันทึกอีกครั้งก่อนส่ง",
    "merged-input": "ช่องกรอกข้อมูลถูกผสานเซลล์ ขอให้ใช้แบบรายงานฉบับที่จังหวัดส่งให้",
    "form-version": "แบบรายงานเป็นฉบับเก่า ขอให้ใช้แบบรายงานฉบับที่จังหวัดส่งให้",
}


def indicator_name(group_name: str, number: int) -> str:
    """ตัวชี้วัดรายทีมที่ ๒: the group's Thai name and the indicator's number in its group."""
    return f"{group_name}ที่ {thai_digits(number)}"


def plain_problem(p: Problem, indicator: str = "") -> str:
    """A problem as a Thai sentence for the district: no file, cell, key, code or English (the value typed,
    when it has no Latin letters, is quoted)."""
    text = PLAIN.get(p.code) or plain_sentence(p.message)
    if p.value and not re.search("[A-Za-z=]", p.value) and p.code not in PLAIN:
        text = text if f"“{p.value}”" in text or f'"{p.value}"' in text else f"{text} (ค่าที่กรอก “{p.value}”)"
    text = thai_digits(text)
    return f"{indicator} {text}" if indicator else text


def plain_sentence(message: str) -> str:
    """A program's Thai message as plain Thai: English glosses in brackets and quoted values with Latin letters
    or markup dropped, ':' ';' '—' as spaces."""
    text = _QUOTED_LATIN.sub("", _GLOSS.sub("", message))
    text = _LATIN_TAIL.sub("", text)
    text = re.sub(r"\s*(?:[—;]|:(?=\s))\s*", " ", text)
    return re.sub(r"\s{2,}", " ", text).strip()


@lru_cache(maxsize=512)
def deadlines(text: str) -> tuple[dt.date, ...]:
    """The Thai dates in a text (๙ มิถุนายน ๒๕๖๕), as dates."""
    out = []
    for day, month, year in _DATE.findall(text):
        try:
            out.append(dt.date(int(to_arabic(year)) - BE_OFFSET, MONTHS.index(month) + 1, int(to_arabic(day))))
        except ValueError:
            continue
    return tuple(out)


def still_to_do(steps: Iterable[str], today: dt.date) -> list[str]:
    """The steps whose deadlines, if any, are not before ``today`` (a passed deadline is no longer a to-do)."""
    return [s for s in steps if all(day >= today for day in deadlines(s))]


def side_by_side(text: str) -> list[str]:
    """Places where two numbers stand next to each other with only a space between them."""
    return [m[0] for m in _SIDE_BY_SIDE.finditer(text)]


def joined(term: str) -> str:
    """A term whose letters are held together with WORD JOINER (never before a vowel or mark of the letter
    before it); its spaces become NO-BREAK SPACE."""
    out = []
    for i, ch in enumerate(term):
        if ch == " ":
            out.append(NBSP)
            continue
        if i and ch not in _ATTACHED and out[-1] != NBSP:
            out.append(WJ)
        out.append(ch)
    return "".join(out)


class KeepTogether:
    """What a round's printed documents never break: its names and marked terms, dates, amounts with units."""

    def __init__(self, terms: Sequence[str]):
        unique = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
        self._terms = {t: joined(t) for t in unique}
        self._pattern = re.compile(trie_pattern(unique)) if unique else None

    def text(self, text: str, names: Optional[re.Pattern] = None) -> str:
        """Plain text with its terms, dates and amounts held together (``names``: more terms, see ``names``)."""
        if names is not None:
            text = names.sub(lambda m: joined(m[0]), text)
        if _ANY_DIGIT.search(text):  # dates and amounts have digits; most runs of a letter have none
            text = _DATE.sub(lambda m: f"{m[1]}{NBSP}{m[2]}{NBSP}{m[3]}", text)
            text = _AMOUNT.sub(lambda m: f"{m[1]}{NBSP}{m[2]}", text)
            text = _BEFORE_NUMBER.sub(lambda m: f"{m[1]}{NBSP}{m[2]}", text)
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._terms[m[0]], text)
        return text

    def xml(self, xml: str, names: Sequence[str] = ()) -> str:
        """A WordprocessingML part with the text of every <w:t> held together; ``names`` are held together first
        (a letter's own district names, which the round-wide terms do not list)."""
        extra = _names_pattern(tuple(names)) if names else None
        return _TEXT_NODE.sub(lambda m: m[1] + self.text(m[2], extra) + m[3], xml)


@lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    """The names' pattern, compiled once per process (a round's: all its districts)."""
    return re.compile(trie_pattern(n for n in set(names) if n))


def trie_pattern(terms: Iterable[str]) -> str:
    """A regular expression matching the longest of ``terms`` at each place, as the alternation of the terms
    longest first does, with the terms merged by their common beginnings: with a round's hundreds of district
    names, the regex engine then tries a few letters at each place instead of every name."""
    trie: dict[str, dict] = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}                                   # a term ends here

    def alternation(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + alternation(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # longer terms first, then the one ending here

    return alternation(trie)
