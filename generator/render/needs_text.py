"""What the next level needs, in Thai: the score layer's Need values worded with the catalog's labels and units."""

from __future__ import annotations

import math
from typing import Any, Mapping

from generator.catalog.model import Catalog, Indicator
from generator.score.results import IndicatorResult, Need
from generator.thai import be_date, fmt_number, thai_digits

OP_TH = {">=": "ไม่น้อยกว่า", ">": "มากกว่า", "<=": "ไม่เกิน", "<": "น้อยกว่า", "==": "เท่ากับ"}


#: What words the values of one indicator: value name → (Thai label, unit, input type or "derived").
Words = Mapping[str, tuple[str, str, str]]


def words(ind: Indicator) -> Words:
    """The labels, units and types of an indicator's numbers, dates and derived values: what a Need names (a tick
    carries its item's label; text is never judged). Small, as it travels to the workers with the letter frame."""
    out = {d.name: (d.label, d.unit, "derived") for d in ind.derived}
    out.update({i.key: (i.label, i.unit, i.type) for i in ind.inputs if i.type not in ("bool", "text")})
    return out


def _show(w: Words, name: str, value: Any) -> str:
    """A value with its unit (ร้อยละ before the number)."""
    unit = w[name][1]
    number = fmt_number(value)
    return f"ร้อยละ {number}" if unit == "ร้อยละ" else f"{number} {unit}".strip()


def _amount(w: Words, key: str, amount: float) -> str:
    """An amount of an input, rounded up the way its type counts."""
    value = math.ceil(amount - 1e-9) if w[key][2] == "int" else math.ceil(amount * 100 - 1e-6) / 100
    return f"{fmt_number(value)} {w[key][1]}".strip()


def _short(w: Words, need: Need) -> str:
    """A value short of its target: what it must be, what it is, and the input to change or the values short."""
    assert need.target is not None  # a shortfall always has its target
    want = f"ต้องได้{w[need.name][0]} {OP_TH[need.op]} {fmt_number(need.target)} (ขณะนี้ {_show(w, need.name, need.have)})"
    if need.below:
        return f"{want}; ที่ยังไม่ถึง: {', '.join(f'{w[a][0]} ({fmt_number(v)})' for a, v in need.below)}"
    if need.change is not None:
        key, amount = need.change
        verb = "ต้องเพิ่มอีก" if amount > 0 else "ต้องลดลงอีก"
        return f"{want} — {w[key][0]}: {verb} {_amount(w, key, abs(amount))}"
    return want


def need_text(w: Words, need: Need) -> str:
    """One Need as the sentence the scorecard, the feedback and the letters show."""
    if need.kind == "short":
        text = _short(w, need)
    elif need.kind == "undefined":
        text = need.why
    elif need.kind == "tick":
        text = f"ยังไม่ได้ทำเครื่องหมาย — {need.label}"
    elif need.kind == "no-date":
        assert need.by is not None  # a date item has its deadline
        text = f"ยังไม่ได้กรอก{w[need.name][0]} (ต้องภายใน {be_date(need.by)})"
    elif need.kind == "late":
        assert need.by is not None
        text = f"{w[need.name][0]} {be_date(need.have)} ช้ากว่ากำหนด {be_date(need.by)}"
    else:  # tier
        shown = ", ".join(fmt_number(t) for t in need.thresholds)
        text = f"เกณฑ์สำหรับ{w[need.name][0]} {fmt_number(need.have)} {w[need.name][1]}: {shown}"
    if need.criterion:
        text = f"{need.criterion}: {text}"
    if need.item:
        text = f"ระดับ {thai_digits(need.level)} ข้อ {thai_digits(need.item)}: {text}"
    return text


def needs_text(catalog: Catalog, res: IndicatorResult) -> tuple[str, ...]:
    """What an indicator's next level needs, one Thai sentence each."""
    if not res.needs:
        return ()
    w = words(catalog.indicator(res.code))
    return tuple(need_text(w, n) for n in res.needs)
