"""Typed, immutable objects of an indicator catalog (loaded from templates/catalogs/*.yaml)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping, Optional, Union

from generator.domain import RuleKind, Severity

INPUT_TYPES = ("money", "int", "pct", "bool", "date", "text")
OPS = (">=", ">", "<=", "<", "==")
LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Input:
    """One value a district types into its collection workbook."""

    key: str
    type: str
    label: str
    unit: str = ""
    indicator: str = ""
    prefill: bool = False
    help: str = ""

    @property
    def name(self) -> str:
        """The workbook defined name of the input cell."""
        return f"in_{self.key}"


@dataclass(frozen=True)
class OnZero:
    """What a derived value becomes when its denominator (or base) is zero."""

    use: Optional[float] = None
    level: Optional[int] = None
    note: str = ""


@dataclass(frozen=True)
class Derived:
    """A value computed from inputs: ratio, growth, reduction, min, const."""

    name: str
    kind: str
    args: tuple[str, ...]
    label: str
    unit: str = "ร้อยละ"
    constant: Optional[float] = None
    on_zero: Optional[OnZero] = None


@dataclass(frozen=True)
class Condition:
    """A milestone item or a gate: a tick, a value test, a date deadline, or several at once."""

    label: str
    tick: Optional[str] = None
    value: Optional[str] = None
    op: Optional[str] = None
    target: Optional[float] = None
    date: Optional[str] = None
    by: Optional[dt.date] = None


@dataclass(frozen=True)
class Check:
    """A consistency check between two values of one indicator."""

    left: str
    op: str
    right: Union[str, float]
    severity: Severity
    message: str


@dataclass(frozen=True)
class Threshold:
    """Level k holds when value op thresholds[k-1] holds (None: no value test) and its gates hold."""

    value: str
    op: str
    thresholds: tuple[Optional[float], ...]
    gates: Mapping[int, tuple[Condition, ...]] = field(default_factory=dict)
    undefined_fails: bool = False
    kind: RuleKind = "threshold"


@dataclass(frozen=True)
class Tier:
    """The thresholds used when the tier value is at most ``max`` (None: no upper bound)."""

    max: Optional[float]
    thresholds: tuple[float, ...]


@dataclass(frozen=True)
class Tiered:
    """A threshold whose five thresholds depend on the tier of another input (T5)."""

    value: str
    op: str
    tier_by: str
    tiers: tuple[Tier, ...]
    kind: RuleKind = "tiered"


@dataclass(frozen=True)
class Milestone:
    """Level k holds when every condition of levels 1..k holds (cumulative)."""

    levels: Mapping[int, tuple[Condition, ...]]
    kind: RuleKind = "milestone"


@dataclass(frozen=True)
class Criterion:
    """One criterion of a composite rule, itself a threshold."""

    name: str
    label: str
    rule: Threshold


@dataclass(frozen=True)
class Composite:
    """All criteria at once: the level is the smallest criterion level (I6)."""

    criteria: tuple[Criterion, ...]
    kind: RuleKind = "composite"


@dataclass(frozen=True)
class Cases:
    """Pick a sub-rule by the value of a bool input (T4)."""

    switch: str
    when_true: "Rule"
    when_false: "Rule"
    kind: RuleKind = "cases"


Rule = Union[Threshold, Tiered, Milestone, Composite, Cases]


@dataclass(frozen=True)
class Indicator:
    """One KPI: its texts, weight, inputs, derived values, checks and level rule."""

    code: str
    group: str
    number: int
    title: str
    weight: float
    unit: str
    inputs: tuple[Input, ...]
    derived: tuple[Derived, ...]
    checks: tuple[Check, ...]
    rule: Rule
    levels: Mapping[int, str]

    def derived_by_name(self) -> dict[str, Derived]:
        """The derived values keyed by name."""
        return {d.name: d for d in self.derived}


@dataclass(frozen=True)
class Group:
    """A group of indicators totalled together (team, individual)."""

    key: str
    name: str


@dataclass(frozen=True)
class Catalog:
    """A round's indicators, grouped, with every input key."""

    id: str
    title: str
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    source: str = ""
    keep_together: tuple[str, ...] = ()     # terms the letters never break across lines (ค่าเป้าหมาย, ดีเด่น, …)

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code."""
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def in_group(self, group: str) -> tuple[Indicator, ...]:
        """The indicators of one group, in catalog order."""
        return tuple(i for i in self.indicators if i.group == group)

    def inputs(self) -> tuple[Input, ...]:
        """Every input of every indicator, in catalog order."""
        return tuple(inp for ind in self.indicators for inp in ind.inputs)

    def group_name(self, key: str) -> str:
        """The Thai name of a group."""
        return next(g.name for g in self.groups if g.key == key)
