"""Result values of scoring: per item, per criterion, per indicator, per group and per district."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Mapping, Optional

from generator.domain import District, Status
from generator.problems import Problem

__all__ = ["CriterionResult", "District", "DistrictResult", "GroupTotal", "IndicatorResult", "ItemResult", "Need",
           "Outcome"]

NeedKind = Literal["short", "undefined", "tick", "no-date", "late", "tier"]


@dataclass(frozen=True, slots=True)
class Need:
    """One thing the next level lacks, as data (render/needs_text.py words it in Thai).

    short: value ``name`` is ``have`` and must be ``op target``; ``below``: the values of a min short of it;
    ``change``: (input, amount) the input must grow (amount > 0) or shrink (< 0) by. undefined: ``name`` has no
    value, ``why`` says why (the problem's message). tick: the item ``label`` is not ticked. no-date, late: date
    input ``name`` is empty, or ``have`` is after ``by``. tier: ``name`` = ``have`` chose the ``thresholds``.
    ``level``, ``item``: the level and item of a gate or milestone item (0: not an item); ``criterion``: the
    composite criterion's label."""

    kind: NeedKind
    name: str
    op: str = ""
    target: Optional[float] = None
    have: Any = None
    by: Optional[dt.date] = None
    label: str = ""
    below: tuple[tuple[str, float], ...] = ()
    change: Optional[tuple[str, float]] = None
    thresholds: tuple[Optional[float], ...] = ()
    why: str = ""
    level: int = 0
    item: int = 0
    criterion: str = ""


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One milestone item or gate: what it lacks (``need``), None when it held."""

    level: int
    index: int
    label: str
    need: Optional[Need] = None

    @property
    def held(self) -> bool:
        """Whether the item or gate held: it lacks nothing."""
        return self.need is None


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One composite criterion's own value and level."""

    name: str
    label: str
    value: Optional[float]
    level: Optional[int]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a rule kind decides: level, score, reasons; errors are (Thai message, input key) pairs."""

    level: Optional[int]
    score: Optional[float]
    items: tuple[ItemResult, ...] = ()
    criteria: tuple[CriterionResult, ...] = ()
    errors: tuple[tuple[str, str], ...] = ()
    needs: tuple[Need, ...] = ()


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """An indicator scored for one district."""

    code: str
    group: str
    weight: float
    status: Status
    level: Optional[int]
    score: Optional[float]
    values: Mapping[str, Any] = field(default_factory=dict)
    items: tuple[ItemResult, ...] = ()
    criteria: tuple[CriterionResult, ...] = ()
    needs: tuple[Need, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def messages(self) -> tuple[str, ...]:
        """The Thai messages of its problems."""
        return tuple(p.message for p in self.problems)

    @property
    def weighted(self) -> float:
        """weight × score (0 when not scored)."""
        return self.weight * (self.score or 0.0)

    @property
    def message(self) -> str:
        """All messages on one line."""
        return "; ".join(self.messages)


@dataclass(frozen=True, slots=True)
class GroupTotal:
    """A group's weighted average (1–5 scale), its percentage and band."""

    group: str
    total: float
    pct: float
    band: str
    unscored: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DistrictResult:
    """Everything known about one district after scoring."""

    district: District
    status: Status
    indicators: tuple[IndicatorResult, ...]
    totals: Mapping[str, GroupTotal]
    problems: tuple[Problem, ...] = ()
    inputs: Mapping[str, Any] = field(default_factory=dict)
    cells: Mapping[str, str] = field(default_factory=dict)
    file: str = ""

    def indicator(self, code: str) -> IndicatorResult:
        """The result of one indicator."""
        return next(i for i in self.indicators if i.code == code)

    def slim(self) -> "DistrictResult":
        """The result without what only its scorecard shows (inputs, their cells, computed values, items,
        criteria): what the round's summary, CSV and letters need, a fraction of the memory."""
        indicators = tuple(replace(i, values={}, items=(), criteria=()) for i in self.indicators)
        return replace(self, indicators=indicators, inputs={}, cells={})
