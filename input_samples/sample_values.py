"""Plausible typed inputs that reach a chosen level, derived from the catalog's rules (no per-indicator code).

Each rule is seen as "level k needs these conditions" (a threshold is the condition value op t_k plus its
gates). To reach level L every condition of levels 1..L is made to hold and one condition of level L+1 is
made to fail; the value each condition tests gets an interval, and the inputs behind it (a ratio's
numerator and denominator, a growth's two sales figures, …) are drawn inside it. The scoring engine then
confirms the level; a draw that misses is drawn again.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

from generator.catalog.model import Cases, Composite, Condition, Indicator, Milestone, Threshold, Tiered
from generator.score import score_indicator

BASES = {"บาท": (60_000, 2_400_000), "ครัวเรือน": (300, 6_000), "คน": (30, 260), "กลุ่ม": (3, 25),
         "หมู่บ้าน": (4, 24), "ราย": (40, 320), "กองทุน": (6, 40), "เรื่อง": (1, 14), "ฉบับ": (4, 12)}
DEFAULT_BASE = (8, 60)
PERIOD_DAY = dt.date(2022, 9, 5)


@dataclass
class Bounds:
    """An interval for one value: lo/hi with their inclusiveness (None: open)."""

    lo: Optional[Fraction] = None
    lo_in: bool = True
    hi: Optional[Fraction] = None
    hi_in: bool = True

    def need(self, op: str, t: float, hold: bool) -> None:
        """Narrow to the values for which ``x op t`` holds (or fails)."""
        t = Fraction(t)
        if not hold:
            op = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!="}[op]
        if op in (">=", ">"):
            if self.lo is None or t > self.lo or (t == self.lo and op == ">"):
                self.lo, self.lo_in = t, op == ">="
        elif op in ("<=", "<"):
            if self.hi is None or t < self.hi or (t == self.hi and op == "<"):
                self.hi, self.hi_in = t, op == "<="
        elif op == "==":
            self.need(">=", t, True)
            self.need("<=", t, True)

    def empty(self) -> bool:
        """No value fits."""
        if self.lo is None or self.hi is None:
            return False
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_in and self.hi_in))

    def ints(self, scale: Fraction = Fraction(1)) -> tuple[Optional[int], Optional[int]]:
        """The integer range of n such that n / scale lies inside (None: unbounded)."""
        lo = hi = None
        if self.lo is not None:
            v = self.lo * scale
            lo = math.ceil(v) if self.lo_in else math.floor(v) + 1
        if self.hi is not None:
            v = self.hi * scale
            hi = math.floor(v) if self.hi_in else math.ceil(v) - 1
        return lo, hi


@dataclass
class Plan:
    """What must hold for one target level: ticks, date deadlines and value intervals."""

    ticks: dict[str, bool] = field(default_factory=dict)
    dates: dict[str, tuple[dt.date, bool]] = field(default_factory=dict)
    values: dict[str, Bounds] = field(default_factory=dict)

    def add(self, c: Condition, hold: bool) -> bool:
        """Require a condition to hold (or one of its parts to fail); False when that contradicts the plan."""
        if hold or c.tick is not None:
            if c.tick is not None:
                if self.ticks.get(c.tick, hold) != hold:
                    return False
                self.ticks[c.tick] = hold
            if not hold:
                return True
        if c.date is not None and (hold or c.value is None):
            if c.date in self.dates and self.dates[c.date] != (c.by, hold):
                return False
            self.dates[c.date] = (c.by, hold)
            if not hold:
                return True
        if c.value is not None:
            b = self.values.setdefault(c.value, Bounds())
            b.need(c.op, c.target, hold)
            return not b.empty()
        return True


def conditions(rule: Any, values: dict[str, Any]) -> dict[int, list[Condition]]:
    """The conditions of each level of a rule (a case rule follows its switch as already chosen)."""
    if isinstance(rule, Cases):
        return conditions(rule.when_true if values.get(rule.switch) is True else rule.when_false, values)
    if isinstance(rule, Tiered):
        staff = values.get(rule.tier_by) or 1
        tier = next(t for t in rule.tiers if t.max is None or staff <= t.max)
        return conditions(Threshold(rule.value, rule.op, tier.thresholds), values)
    if isinstance(rule, Threshold):
        return {k: ([Condition("", value=rule.value, op=rule.op, target=t)] if t is not None else [])
                + list(rule.gates.get(k, ())) for k, t in enumerate(rule.thresholds, start=1)}
    if isinstance(rule, Composite):
        out: dict[int, list[Condition]] = {}
        for c in rule.criteria:
            for k, conds in conditions(c.rule, values).items():
                out.setdefault(k, []).extend(conds)
        return out
    assert isinstance(rule, Milestone)
    return {k: list(v) for k, v in rule.levels.items()}


def plan_for(levels: dict[int, list[Condition]], target: int, rng: random.Random) -> Optional[Plan]:
    """A plan reaching exactly ``target``: levels 1..target hold, one condition of the next level fails."""
    base = Plan()
    for k in range(1, target + 1):
        if not all(base.add(c, True) for c in levels.get(k, ())):
            return None
    if target >= max(levels, default=0):
        return base
    candidates = list(levels.get(target + 1, ()))
    rng.shuffle(candidates)
    for c in candidates:
        trial = Plan(dict(base.ticks), dict(base.dates), {k: Bounds(**vars(b)) for k, b in base.values.items()})
        if trial.add(c, False):
            return trial
    return None


class Drawer:
    """Draws one indicator's inputs inside a plan."""

    def __init__(self, ind: Indicator, rng: random.Random, fixed: dict[str, Any]):
        self.ind, self.rng = ind, rng
        self.types = {i.key: i.type for i in ind.inputs}
        self.units = {i.key: i.unit for i in ind.inputs}
        self.values: dict[str, Any] = {k: v for k, v in fixed.items() if k in self.types}
        self.caps = {c.left: c.right for c in ind.checks if c.op == ">"}   # left > right is flagged: keep ≤

    def base(self, key: str) -> Any:
        """A plausible size for a denominator-like input."""
        lo, hi = BASES.get(self.units.get(key, ""), DEFAULT_BASE)
        if self.types[key] == "money":
            return round(self.rng.randrange(lo, hi) + self.rng.choice((0, 0, 0.5, 0.25)), 2)
        return self.rng.randint(lo, hi)

    def number(self, key: str, b: Bounds, scale: Fraction = Fraction(1)) -> Optional[float]:
        """An input value v with v / scale inside the bounds (an int when the input counts things)."""
        if self.types.get(key) == "int":
            lo, hi = b.ints(scale)
            lo = max(lo if lo is not None else 0, 0)
            hi = hi if hi is not None else lo + max(3, int(lo * 0.3))
            return None if lo > hi else self.rng.randint(lo, hi)
        lo = float(b.lo * scale) if b.lo is not None else 0.0
        hi = float(b.hi * scale) if b.hi is not None else lo * 1.25 + 5
        x = lo + (hi - lo) * self.rng.uniform(0.15, 0.85) if hi > lo else lo
        return round(x, 2 if self.types.get(key) == "money" else 1)

    def derived(self, d: Any, b: Bounds) -> bool:
        """Set the inputs behind a derived value so that it falls inside the bounds."""
        if d.kind == "min":
            lo, hi = b.ints()
            lo = max(lo or 0, 0)
            hi = hi if hi is not None else lo + 3
            if lo > hi:
                return False
            low = self.rng.randint(lo, hi)
            for a in d.args:
                self.values[a] = low + self.rng.choice((0, 0, 1, 2, 3))
            self.values[self.rng.choice(d.args)] = low
            return True
        first, second = d.args
        if d.kind == "ratio":
            if b.hi is None and (self.caps.get(first) == second or b.lo is None or b.lo <= 100):
                b.need("<=", 100, True)     # a part of a whole: at most 100 %
            den = self.values.get(second) or self.base(second)
            self.values[second] = den
            num = self.number(first, b, Fraction(den) / 100)
            self.values[first] = num
            return num is not None
        base = self.values.get(second if d.kind == "growth" else first) or self.base(second if d.kind == "growth" else first)
        shift = self.number("_", b) / 100
        if d.kind == "growth":
            self.values[second], self.values[first] = base, round(base * (1 + shift), 2)
        else:
            self.values[first], self.values[second] = base, round(base * (1 - shift), 2)
        return True

    def fill(self, plan: Plan, evidence: str) -> dict[str, Any]:
        """Every input of the indicator: planned ones inside their plan, the rest plausible."""
        by_name = self.ind.derived_by_name()
        for key, hold in plan.ticks.items():
            self.values[key] = hold
        for key, (by, hold) in plan.dates.items():
            self.values[key] = by - dt.timedelta(days=self.rng.randint(0, 12)) if hold else \
                by + dt.timedelta(days=self.rng.randint(1, 20))
        for name, b in plan.values.items():
            if name in by_name:
                if not self.derived(by_name[name], b):
                    return {}
            elif name not in self.values:
                self.values[name] = self.number(name, b)
        for d in self.ind.derived:
            if d.kind != "const" and any(a not in self.values for a in d.args):
                self.derived(d, Bounds(Fraction(40), True, Fraction(100), True))
        for inp in self.ind.inputs:
            if inp.key in self.values:
                continue
            if inp.type == "bool":
                self.values[inp.key] = self.rng.random() < 0.5
            elif inp.type == "date":
                self.values[inp.key] = PERIOD_DAY - dt.timedelta(days=self.rng.randint(0, 90))
            elif inp.type == "text":
                self.values[inp.key] = evidence
            else:
                self.values[inp.key] = self.number(inp.key, Bounds(Fraction(1), True, None))
        return self.values


def reach(ind: Indicator, target: int, rng: random.Random, fixed: dict[str, Any], evidence: str = "",
          switch: Optional[bool] = None, tries: int = 300) -> tuple[dict[str, Any], int]:
    """Inputs of one indicator whose level is ``target`` (or the nearest level drawn, if unreachable)."""
    best: tuple[dict[str, Any], int] = ({}, -99)
    for _ in range(tries):
        start = dict(fixed)
        if isinstance(ind.rule, Cases):
            start[ind.rule.switch] = switch if switch is not None else rng.random() < 0.8
        plan = plan_for(conditions(ind.rule, start), target, rng)
        if plan is None:
            continue
        values = Drawer(ind, rng, start).fill(plan, evidence)
        if not values:
            continue
        result = score_indicator(ind, values, "step")
        if result.level == target and result.status != "error":
            return values, target
        if result.level is not None and abs(result.level - target) < abs(best[1] - target):
            best = (values, result.level)
    return best
