"""Province-wide views of a round: rankings with ties, and the weakest indicators. Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from generator.catalog.model import Catalog
from generator.score.results import DistrictResult
from generator.thai import round_half_up


@dataclass(frozen=True, slots=True)
class Rank:
    """A district's place in one group's ranking; ``tied`` when it shares the place."""

    rank: int
    code: str
    name: str
    total: float
    pct: float
    band: str
    tied: bool


@dataclass(frozen=True, slots=True)
class IndicatorStat:
    """An indicator's province-wide mean level over the districts that scored it."""

    code: str
    title: str
    group: str
    mean_level: float
    scored: int
    below_3: int


def rank(results: Sequence[DistrictResult], group: str) -> list[Rank]:
    """Standard competition ranking (1, 2, 2, 4) by group total, highest first; missing districts left out."""
    scored = [r for r in results if group in r.totals]
    scored.sort(key=lambda r: (-r.totals[group].total, r.district.code))
    counts = Counter(r.totals[group].total for r in scored)
    out: list[Rank] = []
    for i, r in enumerate(scored):
        t = r.totals[group]
        place = out[-1].rank if out and out[-1].total == t.total else i + 1
        out.append(Rank(place, r.district.code, r.district.name, t.total, t.pct, t.band, counts[t.total] > 1))
    return out


def weakest(catalog: Catalog, results: Sequence[DistrictResult], count: int = 5) -> list[IndicatorStat]:
    """The indicators with the lowest mean level province-wide (ties by catalog order)."""
    stats = []
    for ind in catalog.indicators:
        levels = [lv for r in results if (lv := r.indicator(ind.code).level) is not None]
        if levels:
            stats.append(IndicatorStat(ind.code, ind.title, ind.group, round_half_up(sum(levels) / len(levels), 2),
                                       len(levels), sum(1 for lv in levels if lv < 3)))
    order = {ind.code: i for i, ind in enumerate(catalog.indicators)}
    stats.sort(key=lambda s: (s.mean_level, order[s.code]))
    return stats[:count]
