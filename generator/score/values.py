"""Derived values (ratio, growth, reduction, min, const) and the context a rule is judged in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from generator.catalog.model import Derived, Indicator

def compare(x: float, op: str, target: float) -> bool:
    """x op target."""
    if op == ">=":
        return x >= target
    if op == ">":
        return x > target
    if op == "<=":
        return x <= target
    if op == "<":
        return x < target
    return x == target


@dataclass
class Context:
    """The typed inputs and derived values of one indicator for one district."""

    indicator: Indicator
    values: dict[str, Any]
    why: dict[str, str] = field(default_factory=dict)
    why_key: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    forced: Optional[Derived] = None

    def label(self, name: str) -> str:
        """The Thai label of an input or derived value."""
        for inp in self.indicator.inputs:
            if inp.key == name:
                return inp.label
        return self.indicator.derived_by_name()[name].label

    def input_type(self, name: str) -> str:
        """The type of an input ('derived' for a derived value)."""
        return next((i.type for i in self.indicator.inputs if i.key == name), "derived")

    def undefined(self, name: str) -> str:
        """Why a value is undefined, in Thai, naming the input behind it."""
        return self.why.get(name, f"ไม่มีค่า {self.label(name)} ({name})")

    def culprit(self, name: str) -> str:
        """The input key behind an undefined value."""
        return self.why_key.get(name, name)


def _missing(ctx: Context, key: str) -> str:
    return f"ยังไม่ได้กรอก {ctx.label(key)} ({key})"


def _derive(d: Derived, ctx: Context) -> None:
    """Compute one derived value into the context, or record why it is undefined."""
    if d.kind == "const":
        ctx.values[d.name] = d.constant
        return
    args: list[Any] = [ctx.values.get(a) for a in d.args]
    for key, v in zip(d.args, args):
        if v is None:
            ctx.values[d.name] = None
            ctx.why[d.name] = ctx.why.get(key) or _missing(ctx, key)
            ctx.why_key[d.name] = ctx.why_key.get(key, key)
            return
    if d.kind == "min":
        ctx.values[d.name] = min(args)
        return
    a, b = args
    base = b if d.kind == "ratio" else a if d.kind == "reduction" else b
    if base == 0:
        if d.on_zero is None:
            ctx.values[d.name] = None
            base_key = d.args[1] if d.kind in ("ratio", "growth") else d.args[0]
            ctx.why[d.name] = (f"คำนวณ{d.label}ไม่ได้ เพราะ {ctx.label(base_key)} ({base_key}) เป็น ๐ "
                               f"(zero denominator)")
            ctx.why_key[d.name] = base_key
            return
        ctx.values[d.name] = d.on_zero.use
        if d.on_zero.level is not None:
            ctx.forced = d
        else:
            ctx.notes.append(d.on_zero.note)
        return
    if d.kind == "ratio":
        ctx.values[d.name] = 100.0 * a / b
    elif d.kind == "growth":
        ctx.values[d.name] = 100.0 * (a - b) / b
    else:
        ctx.values[d.name] = 100.0 * (a - b) / a


def build_context(ind: Indicator, inputs: dict[str, Any]) -> Context:
    """The context of an indicator: its inputs (None when empty) and every derived value."""
    ctx = Context(ind, {i.key: inputs.get(i.key) for i in ind.inputs})
    for d in ind.derived:
        _derive(d, ctx)
    return ctx
