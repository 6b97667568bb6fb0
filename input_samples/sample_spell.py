"""How districts type values into their forms: the spellings the reader must accept (contract.md)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from generator.catalog.model import Input
from generator.thai import BE_OFFSET, MONTHS_SHORT, be_date, thai_digits

EVIDENCE = (
    "หนังสืออำเภอ ที่ บร ๐๒๑๘/ว {n} ลงวันที่ ๕ กันยายน ๒๕๖๕",
    "แฟ้มหลักฐานตัวชี้วัด {code} ในไดรฟ์ของอำเภอ",
    "รายงานในระบบ e-Project แล้ว ({n} รายการ)",
    "=ดูแฟ้มหลักฐาน ลำดับที่ {n}",
    "+ภาพถ่ายกิจกรรม {n} ภาพ",
    "- รายงานผลเสนอนายอำเภอแล้ว",
    "@กลุ่มไลน์พัฒนากร ส่งแล้ว",
    "ผลงาน R&D <ok> ของกลุ่มอาชีพ",
    "ตามแบบ {{ x }} ที่จังหวัดกำหนด",
    "บันทึกข้อความ ที่ {n}/๒๕๖๕\nพร้อมภาพถ่ายประกอบ",
)


def evidence_text(code: str, rng: random.Random) -> str:
    """A district's evidence note for one indicator (often blank; some look like formulas or markup)."""
    if rng.random() < 0.3:
        return ""
    text = rng.choice(EVIDENCE)
    return text.replace("{code}", code).replace("{n}", str(rng.randint(3, 480)))


def _pick(rng: random.Random, weighted: list[tuple[int, Any]]) -> Any:
    """One of several spellings, by weight."""
    return rng.choices([w for _, w in weighted], [n for n, _ in weighted])[0]


def spell_date(day: dt.date, rng: random.Random) -> Any:
    """A real date cell (sometimes with the BE year typed into it) or a text date."""
    be = day.year + BE_OFFSET
    return _pick(rng, [
        (55, dt.datetime(day.year, day.month, day.day)),
        (12, dt.datetime(be, day.month, day.day)),
        (7, f"{day.day} {MONTHS_SHORT[day.month - 1]} {be}"),
        (7, be_date(day)),
        (7, f"{day.day:02d}/{day.month:02d}/{be % 100:02d}"),
        (6, f"{day.day}/{day.month}/{be}"),
        (6, day.isoformat()),
    ])


def spell_number(kind: str, value: float, rng: random.Random) -> Any:
    """A number as typed: mostly a number; some Thai digits, thousands separators, spaces, percent signs."""
    whole = float(value).is_integer()
    num: Any = int(value) if whole else float(value)
    text = f"{value:,.2f}" if kind == "money" else (f"{int(value):,}" if whole else f"{value:,}")
    plain = f"{value:g}" if kind == "pct" else (str(int(value)) if whole else f"{value:.2f}")
    options = [(80, num), (6, thai_digits(plain)), (4, f" {plain} ")]
    if kind == "pct":
        options += [(10, f"{plain}%"), (6, (value / 100, "0.00%"))]
    elif abs(value) >= 1000:
        options += [(12, text), (3, thai_digits(text))]
    return _pick(rng, options)


def spell_tick(value: bool, rng: random.Random) -> Any:
    """A tick as typed: ✓ mostly, sometimes ใช่ / x / ✔ / TRUE; false is mostly blank."""
    if value:
        return _pick(rng, [(91, "✓"), (2, "ใช่"), (2, "x"), (2, "✔"), (1, "มี"), (2, True)])
    return _pick(rng, [(90, None), (6, "ไม่"), (4, "ไม่มี")])


def spell(inp: Input, value: Any, rng: random.Random) -> Any:
    """The cell value a district leaves for one input (None: blank)."""
    if value is None or value == "":
        return None
    if inp.type == "bool":
        return spell_tick(bool(value), rng)
    if inp.type == "date":
        return spell_date(value, rng)
    if inp.type == "text":
        return str(value)
    return spell_number(inp.type, value, rng)
