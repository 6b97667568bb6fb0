"""Result values of scoring: per item, per criterion, per indicator, per group and per district."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Optional

from generator.domain import District, Status
from generator.problems import Problem

__all__ = ["CriterionResult", "District", "DistrictResult", "GroupTotal", "IndicatorResult", "ItemResult", "Outcome"]


@dataclass(frozen=True, slots=True)
class ItemResult:
    """Whether one milestone item or gate held, and why not."""

    level: int
    index: int
    label: str
    held: bool
    reason: str = ""


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
    needs: tuple[str, ...] = ()


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
    needs: tuple[str, ...] = ()
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
