"""A round compared with the previous one: per indicator, per group, per district and for the province. Pure.

Districts are matched by code; indicators by the catalog's code, or through the round's declared map
(current code → previous code) where codes changed. A previous code named in the map is matched only
through it. An indicator of the current round with no match is *new*; one of the previous round that
nothing matches is *dropped*: neither is compared. Bands of both rounds are the current round's bands
(one yardstick), ranks are standard competition ranks of each round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Optional, Sequence

from generator.catalog.model import Catalog
from generator.score.ranking import Rank
from generator.score.results import DistrictResult, GroupTotal
from generator.score.totals import Band
from generator.thai import round_half_up

if TYPE_CHECKING:
    from generator.previous import PreviousRound

NEW, DROPPED, NONE, UP, DOWN, SAME = "new", "dropped", "none", "up", "down", "same"


def direction(change: Optional[float]) -> str:
    """up, down or same for a change; none when there is nothing to compare."""
    if change is None:
        return NONE
    return UP if change > 0 else DOWN if change < 0 else SAME


def _diff(now: Optional[float], then: Optional[float], places: int) -> Optional[float]:
    return None if now is None or then is None else round_half_up(now - then, places)


@dataclass(frozen=True, slots=True)
class IndicatorChange:
    """One indicator of one district, then and now; ``trend`` is up, down, same, new, dropped or none."""

    code: str                 # the current code ('' for a dropped indicator)
    previous_code: str        # the previous round's code ('' for a new indicator)
    group: str
    level_then: Optional[int]
    level_now: Optional[int]
    score_then: Optional[float]
    score_now: Optional[float]
    trend: str

    @property
    def change(self) -> Optional[float]:
        """score now − score then (4 decimals), None when not compared."""
        return None if self.trend in (NEW, DROPPED) else _diff(self.score_now, self.score_then, 4)

    @property
    def level_change(self) -> Optional[int]:
        """level now − level then, None when not compared."""
        if self.trend in (NEW, DROPPED) or self.level_now is None or self.level_then is None:
            return None
        return self.level_now - self.level_then


@dataclass(frozen=True, slots=True)
class GroupChange:
    """A group's percentage, band and rank then and now for one district."""

    group: str
    total_then: Optional[float]
    total_now: Optional[float]
    pct_then: Optional[float]
    pct_now: Optional[float]
    band_then: str
    band_now: str
    band_move: int            # +1 a better band now, −1 a worse one, 0 the same or not compared
    rank_then: Optional[int]
    rank_now: Optional[int]

    @property
    def change(self) -> Optional[float]:
        """Percentage points now − then (2 decimals)."""
        return _diff(self.pct_now, self.pct_then, 2)

    @property
    def total_change(self) -> Optional[float]:
        """Group total now − then (1–5 scale, 4 decimals)."""
        return _diff(self.total_now, self.total_then, 4)

    @property
    def trend(self) -> str:
        """up, down, same or none."""
        return direction(self.change)

    @property
    def rank_change(self) -> Optional[int]:
        """Places gained (rank then − rank now: positive is better)."""
        return None if self.rank_then is None or self.rank_now is None else self.rank_then - self.rank_now


@dataclass(frozen=True, slots=True)
class DistrictChange:
    """One district compared: its indicators (current ones in catalog order, then dropped ones) and groups."""

    code: str
    name: str
    round_then: str           # the previous round's id
    previous: bool            # the district has a scored result in the previous round
    indicators: tuple[IndicatorChange, ...]
    groups: Mapping[str, GroupChange]

    def indicator(self, code: str) -> IndicatorChange:
        """The change of a current indicator."""
        return next(i for i in self.indicators if i.code == code)

    @property
    def dropped(self) -> tuple[IndicatorChange, ...]:
        """The previous round's indicators that this round no longer has."""
        return tuple(i for i in self.indicators if i.trend == DROPPED)


@dataclass(frozen=True)
class ProvincePoint:
    """The province in one round: each group's mean percentage over its scored districts."""

    round_id: str
    pct: Mapping[str, Optional[float]]


@dataclass(frozen=True)
class RoundComparison:
    """The round compared with the previous one."""

    previous_id: str
    previous_path: str
    previous_sha256: str
    new: tuple[str, ...]              # current codes with no previous counterpart
    dropped: tuple[str, ...]          # previous codes with no current counterpart
    mapped: Mapping[str, str]         # current code → previous code, where they differ
    districts: Mapping[str, DistrictChange]
    province: tuple[ProvincePoint, ProvincePoint]

    def moved(self, group: str, move: int) -> list[DistrictChange]:
        """Districts whose band in ``group`` went up (move=1) or down (move=-1), in district order."""
        return [d for d in self.districts.values() if group in d.groups and d.groups[group].band_move == move]


def matches(catalog: Catalog, mapping: Mapping[str, str], previous_codes: Sequence[str]) -> dict[str, Optional[str]]:
    """Each current code → its previous code (None: new)."""
    mapped_away = set(mapping.values())
    out: dict[str, Optional[str]] = {}
    for ind in catalog.indicators:
        old = mapping.get(ind.code, None if ind.code in mapped_away else ind.code)
        out[ind.code] = old if old in previous_codes else None
    return out


def _band_move(then: str, now: str, bands: Sequence[Band]) -> int:
    """+1 when ``now`` is a better band than ``then``, −1 worse, 0 same or unknown."""
    floor = {b.name: b.min for b in bands}
    if then not in floor or now not in floor or floor[then] == floor[now]:
        return 0
    return 1 if floor[now] > floor[then] else -1


def _group(group: str, then: Optional[GroupTotal], now: Optional[GroupTotal], rank_then: Optional[Rank],
           rank_now: Optional[Rank], bands: Sequence[Band]) -> GroupChange:
    band_then, band_now = (then.band if then else ""), (now.band if now else "")
    return GroupChange(group, then.total if then else None, now.total if now else None,
                       then.pct if then else None, now.pct if now else None, band_then, band_now,
                       _band_move(band_then, band_now, bands) if then and now else 0,
                       rank_then.rank if rank_then else None, rank_now.rank if rank_now else None)


def compare_district(previous: PreviousRound, catalog: Catalog, mapping: Mapping[str, str], bands: Sequence[Band],
                     result: DistrictResult, ranks_now: Optional[Mapping[str, Rank]] = None) -> DistrictChange:
    """One district now against its previous result (``ranks_now``: its current rank per group, when known)."""
    code = result.district.code
    before = previous.by_code.get(code)
    scored_then = before is not None and before.status != "missing"
    then = {i.code: i for i in before.indicators} if scored_then and before else {}
    pairs = matches(catalog, mapping, previous.codes)
    changes = []
    for ind in catalog.indicators:
        now, old = result.indicator(ind.code), pairs[ind.code]
        prior = then.get(old) if old else None
        level_now = None if result.status == "missing" else now.level
        score_now = None if result.status == "missing" else now.score
        if old is None:
            changes.append(IndicatorChange(ind.code, "", ind.group, None, level_now, None, score_now, NEW))
            continue
        level_then, score_then = (prior.level, prior.score) if prior else (None, None)
        moved = None if score_now is None or score_then is None else score_now - score_then   # only its sign counts
        changes.append(IndicatorChange(ind.code, old, ind.group, level_then, level_now, score_then, score_now,
                                       direction(moved)))
    kept = {old for old in pairs.values() if old}
    for old in previous.codes:
        if old not in kept:
            prior = then.get(old)
            changes.append(IndicatorChange("", old, prior.group if prior else "", prior.level if prior else None, None,
                                           prior.score if prior else None, None, DROPPED))
    groups = {g.key: _group(g.key, before.totals.get(g.key) if scored_then and before else None,
                            result.totals.get(g.key), previous.ranks(g.key).get(code) if scored_then else None,
                            (ranks_now or {}).get(g.key), bands)
              for g in catalog.groups}
    return DistrictChange(code, result.district.name, previous.round_id, scored_then, tuple(changes), groups)


def province_pct(results: Sequence[DistrictResult], group: str) -> Optional[float]:
    """The province's percentage in a group: the mean of its scored districts' percentages (2 decimals)."""
    pcts = [r.totals[group].pct for r in results if group in r.totals]
    return round_half_up(sum(pcts) / len(pcts), 2) if pcts else None


def compare_round(previous: PreviousRound, catalog: Catalog, mapping: Mapping[str, str], bands: Sequence[Band],
                  round_id: str, results: Sequence[DistrictResult],
                  ranks: Mapping[str, Sequence[Rank]]) -> RoundComparison:
    """The whole round compared with the previous one."""
    by_code = {g: {r.code: r for r in rs} for g, rs in ranks.items()}
    districts = {r.district.code: compare_district(previous, catalog, mapping, bands, r,
                                                   {g: by_code[g][r.district.code] for g in by_code
                                                    if r.district.code in by_code[g]})
                 for r in results}
    pairs = matches(catalog, mapping, previous.codes)
    kept = {old for old in pairs.values() if old}
    groups = [g.key for g in catalog.groups]
    points = (ProvincePoint(previous.round_id, {g: province_pct(previous.results, g) for g in groups}),
              ProvincePoint(round_id, {g: province_pct(results, g) for g in groups}))
    return RoundComparison(
        previous.round_id, previous.path.as_posix(), previous.sha256,
        new=tuple(code for code, old in pairs.items() if old is None),
        dropped=tuple(code for code in previous.codes if code not in kept),
        mapped={code: old for code, old in pairs.items() if old and old != code},
        districts=districts, province=points)
