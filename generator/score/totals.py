"""Group totals Σ(w·s)/Σw on the 1–5 scale, percentages and result bands."""

from __future__ import annotations

from typing import Sequence

from generator.catalog.model import Catalog
from generator.domain import Band
from generator.score.results import GroupTotal, IndicatorResult
from generator.thai import round_half_up

__all__ = ["Band", "band_of", "group_totals"]


def band_of(pct: float, bands: Sequence[Band]) -> str:
    """The name of the highest band whose minimum the percentage reaches."""
    for b in sorted(bands, key=lambda b: -b.min):
        if pct >= b.min:
            return b.name
    return ""


def group_totals(catalog: Catalog, results: Sequence[IndicatorResult], bands: Sequence[Band]) -> dict[str, GroupTotal]:
    """Each group's weighted average score, percentage and band; unscored indicators count 0."""
    out = {}
    for g in catalog.groups:
        mine = [r for r in results if r.group == g.key]
        weight = sum(r.weight for r in mine)
        total = round_half_up(sum(r.weighted for r in mine) / weight, 4) if weight else 0.0
        pct = round_half_up(total / 5 * 100, 2)
        unscored = tuple(r.code for r in mine if r.score is None)
        out[g.key] = GroupTotal(g.key, total, pct, band_of(pct, bands), unscored)
    return out
