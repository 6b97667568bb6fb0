"""Thai text helpers: Thai digits, number formatting, Buddhist Era dates."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from generator.domain import BE_OFFSET

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
          "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")

__all__ = ["be_date", "be_date_short", "fmt_number", "round_half_up", "thai_digits", "to_arabic"]


def thai_digits(text: object) -> str:
    """The text with Arabic digits (0–9) written as Thai digits (๐–๙)."""
    return _thai_digits(str(text))


@lru_cache(maxsize=4096)
def _thai_digits(text: str) -> str:
    """thai_digits of a str, remembered: a round writes the same numbers and labels thousands of times."""
    return text.translate(TO_THAI)


def to_arabic(text: str) -> str:
    """The text with Thai digits written as Arabic digits."""
    return text.translate(TO_ARABIC)


def round_half_up(value: float, places: int) -> float:
    """Round half away from zero, as a clerk rounds by hand."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=4096)
def fmt_number(value: float | int | None, places: int | None = None, thai: bool = True) -> str:
    """A number with thousands separators (and Thai digits when ``thai``); whole numbers lose '.00'
    (remembered: 1 and 1.0 give the same text, so sharing their entry is right)."""
    if value is None:
        return "-"
    if places is None:
        places = 0 if float(value).is_integer() else 2
    text = f"{round_half_up(float(value), places):,.{places}f}"
    return thai_digits(text) if thai else text


def be_date(day: dt.date, thai: bool = True) -> str:
    """A date as Thai officials write it: ๙ มิถุนายน ๒๕๖๕."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year + BE_OFFSET}"
    return thai_digits(text) if thai else text


def be_date_short(day: dt.date, thai: bool = True) -> str:
    """A short Thai date: ๙ มิ.ย. ๒๕๖๕."""
    text = f"{day.day} {MONTHS_SHORT[day.month - 1]} {day.year + BE_OFFSET}"
    return thai_digits(text) if thai else text
