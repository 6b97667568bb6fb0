"""Judge conditions and record, as data, what is missing to reach a target (render/needs_text.py words it)."""

from __future__ import annotations

import math
from typing import Any, Optional

from generator.catalog.model import Condition
from generator.score.results import ItemResult, Need
from generator.score.values import Context, compare


class DataError(Exception):
    """A value a rule needs cannot be computed (zero denominator); ``key`` is the input behind it."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def _grow(ctx: Context, key: str, need: float, op: str) -> Optional[tuple[str, float]]:
    """How much more (> 0) or less (< 0) of an input is needed to get to ``need``; None when it is there."""
    have = ctx.values[key]
    if op in (">=", ">"):
        strict = op == ">" and ctx.input_type(key) == "int"
        more = (math.floor(need) + 1 - have) if strict and float(need).is_integer() else need - have
        return (key, more) if more > 0 else None
    less = have - need
    return (key, -less) if less > 0 else None


def shortfall(ctx: Context, name: str, op: str, target: float, **where: Any) -> Need:
    """What is missing for ``name op target`` to hold (``where``: the Need's level, item or criterion)."""
    have = ctx.values.get(name)
    d = ctx.indicator.derived_by_name().get(name)
    if d is None or have is None:
        return Need("short", name, op, target, have, **where)
    args = d.args
    if d.kind == "min":
        below = tuple((a, ctx.values[a]) for a in args if not compare(ctx.values[a], op, target))
        return Need("short", name, op, target, have, below=below, **where)
    if d.kind == "ratio" and all(a in ctx.values and ctx.input_type(a) != "derived" for a in args):
        change = _grow(ctx, args[0], target * ctx.values[args[1]] / 100.0, op)
    elif d.kind == "growth":
        change = _grow(ctx, args[0], ctx.values[args[1]] * (1 + target / 100.0), op)
    elif d.kind == "reduction":
        change = _grow(ctx, args[1], ctx.values[args[0]] * (1 - target / 100.0), "<=" if op in (">=", ">") else ">=")
    else:
        change = None
    return Need("short", name, op, target, have, change=change, **where)


def judge(cond: Condition, ctx: Context, level: int, index: int) -> ItemResult:
    """Whether a condition holds; raises DataError when a value it needs is not computable."""
    def lacks(need: Need) -> ItemResult:
        return ItemResult(level, index, cond.label, need)

    if cond.tick is not None and ctx.values.get(cond.tick) is not True:
        return lacks(Need("tick", cond.tick, label=cond.label, level=level, item=index))
    if cond.value is not None:
        assert cond.op is not None and cond.target is not None  # the loader gives a value test both
        x = ctx.values.get(cond.value)
        if x is None:
            if cond.value in ctx.why and "zero denominator" in ctx.why[cond.value]:
                raise DataError(ctx.why[cond.value], ctx.culprit(cond.value))
            return lacks(Need("undefined", cond.value, why=ctx.undefined(cond.value), level=level, item=index))
        if not compare(x, cond.op, cond.target):
            return lacks(shortfall(ctx, cond.value, cond.op, cond.target, level=level, item=index))
    if cond.date is not None:
        assert cond.by is not None  # the loader gives a date item its deadline
        day = ctx.values.get(cond.date)
        if day is None:
            return lacks(Need("no-date", cond.date, by=cond.by, level=level, item=index))
        if day > cond.by:
            return lacks(Need("late", cond.date, have=day, by=cond.by, level=level, item=index))
    return ItemResult(level, index, cond.label)
