"""Value rules: a raw cell value as a district typed it → a typed input, or a Problem naming why not."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Optional

from generator.catalog.model import Input
from generator.domain import BE_YEARS_ABOVE, DATE_EXAMPLE, EXPECTED, Severity
from generator.problems import Problem
from generator.thai import BE_OFFSET, MONTHS, MONTHS_SHORT, to_arabic

MAX_NUMBER = 1e12  # one million million: no district figure comes near it
YEARS = (2000, 2100)  # the sane window of a CE year, after the Buddhist Era is taken off
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.datetime(1904, 1, 1)


@dataclass(frozen=True)
class CellError:
    """A cached Excel error value such as #DIV/0!, #N/A, #REF!, #VALUE!."""

    text: str


@dataclass(frozen=True)
class Uncomputed:
    """A formula cell saved without its cached value (a tool that does not calculate wrote it)."""

    formula: str


class BadValue(ValueError):
    """A value that breaks its type's rule: an English code and a Thai reason for the clerk."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_DASHES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-"})
_NUMBER = re.compile(r"(?P<sign>[-+]?)(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?P<frac>\.[0-9]+)?\s*(?P<pct>%?)")
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.')


def clean(text: str) -> str:
    """Text as compared by the rules: NFKC (full-width → ASCII), Arabic digits, no invisible or outer spaces."""
    return to_arabic(unicodedata.normalize("NFKC", text).translate(_INVISIBLE)).translate(_DASHES).strip()


def is_percent_format(number_format: str) -> bool:
    """Whether an Excel number format shows the value as a percentage (a % outside quotes)."""
    return "%" in _LITERALS.sub("", number_format or "")


def from_excel(serial: float, date1904: bool = False) -> dt.datetime:
    """The datetime of an Excel serial day number (1900 or 1904 date system)."""
    try:
        return (EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH) + dt.timedelta(days=serial)
    except (OverflowError, ValueError):
        raise BadValue("bad-date", f"เลข {serial:g} ไม่ใช่วันที่ (not an Excel date serial)") from None


def seen(raw: Any) -> str:
    """The raw value as the clerk sees it, for messages."""
    if isinstance(raw, CellError):
        return raw.text
    if isinstance(raw, Uncomputed):
        return f"={raw.formula}" if raw.formula else "(สูตร)"
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    if isinstance(raw, float):
        return f"{raw:.15g}"  # 9.99e+307, not three hundred digits
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    return "" if raw is None else str(raw)


def number(raw: Any, number_format: str = "", percent: bool = False) -> Optional[float]:
    """A non-negative finite number from a numeric cell or text like ' 1,234.50 ', '๘๕', '85%'."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise BadValue("bad-number", "ต้องเป็นตัวเลข (expected a number)")
    if isinstance(raw, str):
        value = _number_text(raw, percent)
        if value is None:
            return None
    elif percent and is_percent_format(number_format) and math.isfinite(raw):
        value = float(Decimal(repr(float(raw))) * 100)
    else:
        value = float(raw)
    if math.isnan(value):
        raise BadValue("bad-number", "ต้องเป็นตัวเลข (expected a number)")
    if value < 0:
        raise BadValue("negative", "ต้องไม่ติดลบ (must not be negative)")
    if value > MAX_NUMBER:
        raise BadValue("too-large", f"ตัวเลขใหญ่เกินไป ต้องไม่เกิน {MAX_NUMBER:,.0f} (too large)")
    return value


def _number_text(raw: str, percent: bool) -> Optional[float]:
    """The number written in a text cell; None when it is blank."""
    text = clean(raw)
    if not text:
        return None
    match = _NUMBER.fullmatch(text)
    if not match or not (match["int"] or match["frac"]) or (match["pct"] and not percent):
        example = "85 หรือ 85%" if percent else "1,234.50"
        raise BadValue("bad-number", f"ต้องเป็นตัวเลข เช่น {example} (expected a number)")
    return float(f"{match['sign']}{match['int'].replace(',', '') or '0'}{match['frac'] or ''}")


def money(raw: Any, number_format: str = "") -> Optional[float]:
    """An amount of baht, ≥ 0."""
    return number(raw, number_format)


def integer(raw: Any, number_format: str = "") -> Optional[int]:
    """A whole count, ≥ 0 (1.0 is 1; 1.5 is an error)."""
    value = number(raw, number_format)
    if value is not None and not value.is_integer():
        raise BadValue("not-whole", "ต้องเป็นจำนวนเต็ม ไม่มีทศนิยม (expected a whole number)")
    return None if value is None else int(value)


def percent(raw: Any, number_format: str = "") -> Optional[float]:
    """A percentage 0–100: 85, '85%', or 0.85 in a cell formatted as percent."""
    value = number(raw, number_format, percent=True)
    if value is not None and value > 100:
        raise BadValue("pct-range", "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 (percentage out of 0–100)")
    return value


_TRUE = frozenset(map(clean, ("✓", "✔", "ใช่", "มี", "true", "1", "x")))
_FALSE = frozenset(map(clean, ("", "ไม่", "ไม่มี", "false", "0", "✗", "✘")))


def boolean(raw: Any, number_format: str = "") -> bool:
    """A tick: ✓ ✔ ใช่ มี TRUE 1 x are true; empty ไม่ ไม่มี FALSE 0 ✗ are false."""
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return raw == 1
    token = clean(raw).casefold() if isinstance(raw, str) else None
    if token in _TRUE or token in _FALSE:
        return token in _TRUE
    raise BadValue("bad-bool", "ต้องใส่ ✓ (ทำแล้ว) หรือเว้นว่าง (ยังไม่ทำ);"
                               " ใช้ได้: ✓ ใช่ มี TRUE 1 x / ว่าง ไม่ ไม่มี FALSE 0 (expected a tick)")


def _month_key(text: str) -> str:
    """A Thai month name without dots and spaces, as looked up."""
    return re.sub(r"[.\s]", "", clean(text))


_MONTHS = {_month_key(name): i for names in (MONTHS, MONTHS_SHORT) for i, name in enumerate(names, 1)}
_DMY = re.compile(r"([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})\s*[/.-]\s*([0-9]{4}|[0-9]{2})")
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9:.]+)?")
_D_MONTH_Y = re.compile(r"([0-9]{1,2})\s*([^0-9]+?)\s*(?:พ\.?\s*ศ\.?)?\s*([0-9]{4}|[0-9]{2})")


def _ce_year(year: int, digits: int) -> int:
    """A CE year from a typed year: two digits are BE (65 → 2565), four digits above 2400 are BE."""
    if digits == 2:
        year += 2500
    return year - BE_OFFSET if year > BE_YEARS_ABOVE else year


def _date_text(raw: str) -> Optional[dt.date]:
    """The date written in a text cell; None when it is blank."""
    text = clean(raw)
    if not text:
        return None
    if match := _YMD.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DMY.fullmatch(text):
        day, month, year = match.groups()
    elif (match := _D_MONTH_Y.fullmatch(text)) and _month_key(match[2]) in _MONTHS:
        day, month, year = match[1], _MONTHS[_month_key(match[2])], match[3]
    else:
        raise BadValue("bad-date", f"ต้องเป็นวันที่ {DATE_EXAMPLE} (expected a date)")
    return _day(_ce_year(int(year), len(year)), int(month), int(day))


def _day(year: int, month: int, day: int) -> dt.date:
    """The date, or a BadValue when the calendar has no such day (31/9, 29/2 of a common year)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue("bad-date", f"ไม่มีวันที่นี้ในปฏิทิน ต้องเป็นวันที่ {DATE_EXAMPLE} (no such date)") from None


def date(raw: Any, number_format: str = "") -> Optional[dt.date]:
    """A CE date from a date cell (BE years > 2400 taken back 543), an Excel serial, or Thai/ISO text."""
    if isinstance(raw, str):
        raw = _date_text(raw)
    if raw is None:
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw) and raw > 0:
        raw = from_excel(float(raw))
    if not isinstance(raw, dt.date):
        raise BadValue("bad-date", f"ต้องเป็นวันที่ {DATE_EXAMPLE} (expected a date)")
    day = raw.date() if isinstance(raw, dt.datetime) else raw
    if day.year > BE_YEARS_ABOVE:
        day = _day(day.year - BE_OFFSET, day.month, day.day)
    if not YEARS[0] <= day.year <= YEARS[1]:
        first, last = (y + BE_OFFSET for y in YEARS)
        raise BadValue("date-range", f"ปีไม่สมเหตุสมผล ต้องอยู่ระหว่าง พ.ศ. {first}–{last} {DATE_EXAMPLE}"
                                     " (year out of range)")
    return day


def text(raw: Any, number_format: str = "") -> Optional[str]:
    """Free text exactly as typed (a number or date cell as it reads); None when empty."""
    if raw is None or raw == "":
        return None
    return raw if isinstance(raw, str) else seen(raw)


PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "money": money, "int": integer, "pct": percent, "bool": boolean, "date": date, "text": text,
}


def _in_window(day: dt.date, window: tuple[dt.date, dt.date]) -> dt.date:
    """A parsed date, if it lies in the round's plausible years (a typo like พ.ศ. 2600 does not)."""
    if not window[0] <= day <= window[1]:
        first, last = (d.year + BE_OFFSET for d in window)
        raise BadValue("date-range", f"วันที่ {day.day}/{day.month}/{day.year + BE_OFFSET} อยู่นอกช่วงปีของรอบนี้"
                                     f" (พ.ศ. {first}–{last}): ตรวจปี พ.ศ. ที่พิมพ์ (date outside the round's years)")
    return day


def parse(input: Input, raw_value: Any, number_format: str = "",
          window: Optional[tuple[dt.date, dt.date]] = None) -> tuple[Any, Optional[Problem]]:
    """The typed value of one input, or None with a Problem (for that input's indicator only); a date must
    also lie in ``window`` when one is given."""
    try:
        if isinstance(raw_value, Uncomputed):
            raise BadValue("no-cached-value", "เซลล์เป็นสูตรที่ไม่มีค่าที่คำนวณไว้: เปิดไฟล์ใน Excel แล้วบันทึกอีกครั้ง"
                                              " (formula without a cached value: open and save the file in Excel)")
        if isinstance(raw_value, CellError):
            raise BadValue("cell-error", f"เซลล์มีค่าผิดพลาด {raw_value.text}: แก้สูตรหรือพิมพ์ค่าแทน"
                                         " (the cell holds an Excel error)")
        value = PARSERS[input.type](raw_value, number_format)
        return (_in_window(value, window) if window and input.type == "date" and value else value), None
    except BadValue as bad:
        label = f"{input.label} ({input.unit})" if input.unit else input.label
        shown = seen(raw_value)
        # free text is never scored: a bad evidence cell is only a note, the indicator still scores
        severity: Severity = "warning" if input.type == "text" else "error"
        return None, Problem(severity, bad.code, f"{label}: {bad.reason}; พบ \"{shown}\"", key=input.key,
                             indicator=input.indicator, value=shown, expected=EXPECTED[input.type])
