"""Judge conditions and say, in Thai, what is missing to reach a target."""

from __future__ import annotations

import math
from typing import Optional

from generator.catalog.model import Condition
from generator.score.results import ItemResult
from generator.score.values import OP_TH, Context, compare
from generator.thai import be_date, fmt_number, thai_digits


class DataError(Exception):
    """A value a rule needs cannot be computed (zero denominator); ``key`` is the input behind it."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def _amount(ctx: Context, key: str, amount: float) -> str:
    """An amount of an input, rounded the way its type counts."""
    typ = ctx.input_type(key)
    value = math.ceil(amount - 1e-9) if typ == "int" else math.ceil(amount * 100 - 1e-6) / 100
    return f"{fmt_number(value)} {ctx.unit(key)}".strip()


def _grow(ctx: Context, key: str, need: float, op: str) -> Optional[str]:
    """How much more (or less) of an input is needed to get to ``need``."""
    have = ctx.values[key]
    if op in (">=", ">"):
        strict = op == ">" and ctx.input_type(key) == "int"
        more = (math.floor(need) + 1 - have) if strict and float(need).is_integer() else need - have
        return f"{ctx.label(key)}: ต้องเพิ่มอีก {_amount(ctx, key, more)}" if more > 0 else None
    less = have - need
    return f"{ctx.label(key)}: ต้องลดลงอีก {_amount(ctx, key, less)}" if less > 0 else None


def shortfall(ctx: Context, name: str, op: str, target: float) -> str:
    """What is missing for ``name op target`` to hold, in Thai."""
    want = f"ต้องได้{ctx.label(name)} {OP_TH[op]} {fmt_number(target)} (ขณะนี้ {ctx.show(name)})"
    d = ctx.indicator.derived_by_name().get(name)
    if d is None or ctx.values.get(name) is None:
        return want
    args = d.args
    if d.kind == "min":
        low = [f"{ctx.label(a)} ({fmt_number(ctx.values[a])})" for a in args if not compare(ctx.values[a], op, target)]
        return f"{want}; ที่ยังไม่ถึง: {', '.join(low)}"
    if d.kind == "ratio" and all(a in ctx.values and ctx.input_type(a) != "derived" for a in args):
        extra = _grow(ctx, args[0], target * ctx.values[args[1]] / 100.0, op)
    elif d.kind == "growth":
        extra = _grow(ctx, args[0], ctx.values[args[1]] * (1 + target / 100.0), op)
    elif d.kind == "reduction":
        extra = _grow(ctx, args[1], ctx.values[args[0]] * (1 - target / 100.0), "<=" if op in (">=", ">") else ">=")
    else:
        extra = None
    return f"{want} — {extra}" if extra else want


def judge(cond: Condition, ctx: Context, level: int, index: int) -> ItemResult:
    """Whether a condition holds; raises DataError when a value it needs is not computable."""
    def where() -> str:
        """The level and item in words (made only when there is a reason to give)."""
        return f"ระดับ {thai_digits(level)} ข้อ {thai_digits(index)}"

    if cond.tick is not None and ctx.values.get(cond.tick) is not True:
        return ItemResult(level, index, cond.label, False, f"{where()}: ยังไม่ได้ทำเครื่องหมาย — {cond.label}")
    if cond.value is not None:
        assert cond.op is not None and cond.target is not None  # the loader gives a value test both
        x = ctx.values.get(cond.value)
        if x is None:
            if cond.value in ctx.why and "zero denominator" in ctx.why[cond.value]:
                raise DataError(ctx.why[cond.value], ctx.culprit(cond.value))
            return ItemResult(level, index, cond.label, False, f"{where()}: {ctx.undefined(cond.value)}")
        if not compare(x, cond.op, cond.target):
            return ItemResult(level, index, cond.label, False,
                              f"{where()}: {shortfall(ctx, cond.value, cond.op, cond.target)}")
    if cond.date is not None:
        assert cond.by is not None  # the loader gives a date item its deadline
        day = ctx.values.get(cond.date)
        if day is None:
            return ItemResult(level, index, cond.label, False,
                              f"{where()}: ยังไม่ได้กรอก{ctx.label(cond.date)} (ต้องภายใน {be_date(cond.by)})")
        if day > cond.by:
            return ItemResult(level, index, cond.label, False,
                              f"{where()}: {ctx.label(cond.date)} {be_date(day)} ช้ากว่ากำหนด {be_date(cond.by)}")
    return ItemResult(level, index, cond.label, True)
