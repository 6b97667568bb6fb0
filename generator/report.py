"""A scored round gathered for the renderers: results, rankings, weakest indicators, problems."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple, Optional, Protocol, Sequence

from generator.catalog.model import Catalog
from generator.config import Round
from generator.problems import Problem
from generator.score.compare import RoundComparison, compare_round
from generator.score.ranking import IndicatorStat, Rank, rank, weakest
from generator.score.results import DistrictResult

if TYPE_CHECKING:
    from generator.previous import PreviousRound


class RoundInfo(Protocol):
    """What names the round in every output: its config, catalog and scoring mode (a RoundFrame or a report)."""

    @property
    def round(self) -> Round: ...

    @property
    def catalog(self) -> Catalog: ...

    @property
    def mode(self) -> str: ...


class RoundFrame(NamedTuple):
    """The round without its results: what a district's scorecard needs besides the district's own result."""

    round: Round
    catalog: Catalog
    mode: str


@dataclass(frozen=True)
class RoundReport:
    """Everything the renderers need; they decide no level and compute no score."""

    round: Round
    catalog: Catalog
    mode: str
    results: tuple[DistrictResult, ...]
    problems: tuple[Problem, ...]
    ranks: dict[str, list[Rank]]
    weakest: list[IndicatorStat]
    comparison: Optional[RoundComparison] = None

    @cached_property
    def scored(self) -> tuple[DistrictResult, ...]:
        """The districts with a usable submission."""
        return tuple(r for r in self.results if r.status != "missing")

    @cached_property
    def missing(self) -> tuple[DistrictResult, ...]:
        """The districts with no usable submission."""
        return tuple(r for r in self.results if r.status == "missing")

    def all_problems(self) -> list[Problem]:
        """Round-level problems, then every district's, in district order."""
        return list(self.problems) + [p for r in self.results for p in r.problems]

    def rank_of(self, code: str, group: str) -> Rank | None:
        """A district's place in a group's ranking."""
        return self._rank_by_code[group].get(code)

    @cached_property
    def _rank_by_code(self) -> dict[str, dict[str, Rank]]:
        """Every group's ranks by district code (built once: the circular looks up every district)."""
        return {group: {r.code: r for r in ranks} for group, ranks in self.ranks.items()}


def build_report(round_: Round, catalog: Catalog, mode: str, results: Sequence[DistrictResult],
                 problems: Sequence[Problem] = (), previous: Optional[PreviousRound] = None) -> RoundReport:
    """Gather scored results with their rankings (per group), the weakest indicators and, given the previous
    round, the comparison with it."""
    results = tuple(results)
    ranks = {g.key: rank(results, g.key) for g in catalog.groups}
    comparison = None
    if previous is not None and round_.compare is not None:
        comparison = compare_round(previous, catalog, round_.compare.map, round_.bands, round_.id, results, ranks)
    return RoundReport(round_, catalog, mode, results, tuple(problems), ranks, weakest(catalog, results), comparison)
