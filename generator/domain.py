"""The round's domain words, depending on nothing: districts, result bands, severities, statuses, score modes
and rule kinds. config, score, read and render import them from here (never from one another)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

Severity = Literal["error", "warning", "info"]
#: A problem's severity in Thai, as the clerk reads it (console, scorecards, summary, letters).
SEVERITY_TH: dict[str, str] = {"error": "ข้อผิดพลาด", "warning": "คำเตือน", "info": "หมายเหตุ"}

Status = Literal["ok", "warning", "error", "missing"]
STATUSES: tuple[Status, ...] = ("ok", "warning", "error", "missing")
#: An indicator's or a district's status in Thai.
STATUS_TH: dict[str, str] = {"ok": "ปกติ", "warning": "มีคำเตือน", "error": "ข้อมูลผิดพลาด", "missing": "ไม่ได้ส่ง"}

Mode = Literal["step", "interpolate"]
MODES: tuple[Mode, ...] = ("step", "interpolate")

#: Buddhist Era = CE + 543; a year above 2400 is read as BE wherever a date is typed or configured.
BE_OFFSET = 543
BE_YEARS_ABOVE = 2400

#: How a date may be typed, as told to the district.
DATE_EXAMPLE = "เช่น 10/9/2565 หรือ 10 ก.ย. 2565"
#: What to type into an input of each type, as told to the district (problems, feedback notes).
EXPECTED: dict[str, str] = {
    "money": "จำนวนเงิน (บาท) ไม่ติดลบ เช่น 1,234.50", "int": "จำนวนเต็มไม่ติดลบ เช่น 12",
    "pct": "ร้อยละ 0–100 เช่น 85 หรือ 85%", "bool": "✓ หรือเว้นว่าง", "date": f"วันที่ {DATE_EXAMPLE}",
    "text": "ข้อความ",
}

RuleKind = Literal["threshold", "tiered", "milestone", "composite", "cases"]
RULE_KINDS: tuple[RuleKind, ...] = ("threshold", "tiered", "milestone", "composite", "cases")


def ce_date(day: dt.date) -> dt.date:
    """A date as CE: one whose year is above 2400 is BE and taken back 543 years."""
    return day.replace(year=day.year - BE_OFFSET) if day.year > BE_YEARS_ABOVE else day


@dataclass(frozen=True, slots=True)
class District:
    """A district of the round."""

    code: str
    name: str
    prefill: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``code-name``, as used in file names."""
        return f"{self.code}-{self.name}"


@dataclass(frozen=True)
class Band:
    """A result band: a group percentage at least ``min`` gets ``name``."""

    min: float
    name: str
