"""The values the letter templates show about the change since the previous round (numbers formatted, Thai names).

A renderer decides nothing: every figure comes from the report's RoundComparison (score/compare.py).
"""

from __future__ import annotations

import re
from typing import Any, Optional

from generator.render.letters_context import LIST_MAX, PCT_PLACES, num, thai_join, year
from generator.report import RoundReport
from generator.score.compare import DistrictChange, RoundComparison

_ROUND_ID = re.compile(r"(\d{4})-r(\d+)")


def round_label(round_id: str) -> str:
    """'รอบการประเมินที่ ๒ ปีงบประมาณ พ.ศ. ๒๕๖๕' for an id like 2565-r2, else 'รอบการประเมินที่ผ่านมา'."""
    m = _ROUND_ID.fullmatch(round_id)
    if not m:
        return "รอบการประเมินที่ผ่านมา"
    return f"รอบการประเมินที่ {year(int(m[2]))} ปีงบประมาณ พ.ศ. {year(int(m[1]))}"


def _signed(value: Optional[float], places: int) -> str:
    """The size of a change, without its sign (the words say up or down)."""
    return num(abs(value) if value is not None else None, places)


def compare_facts(comparison: Optional[RoundComparison]) -> Optional[dict[str, str]]:
    """What every letter says of the comparison: the previous round in words, how many indicators are new or dropped."""
    if comparison is None:
        return None
    return {"previous": round_label(comparison.previous_id),
            "n_new": num(len(comparison.new)) if comparison.new else "",
            "n_dropped": num(len(comparison.dropped)) if comparison.dropped else ""}


def district_trend(change: Optional[DistrictChange], facts: Optional[dict[str, str]],
                   group_names: dict[str, str]) -> Optional[dict[str, Any]]:
    """A district letter's sentence on the change: each group's percentage then and now, its band and rank moves
    (``facts``: compare_facts of the round)."""
    if change is None or facts is None:
        return None
    groups = []
    for key, g in change.groups.items():
        if g.pct_now is None:
            continue
        groups.append({"name": group_names.get(key, key), "trend": g.trend, "pct_now": num(g.pct_now, PCT_PLACES),
                       "pct_then": num(g.pct_then, PCT_PLACES), "change": _signed(g.change, PCT_PLACES),
                       "band_move": g.band_move, "band_then": g.band_then, "band_now": g.band_now,
                       "rank_change": g.rank_change or 0, "rank_moved": num(abs(g.rank_change or 0))})
    return {**facts, "compared": change.previous, "groups": groups}


def _moved(comparison: RoundComparison, group: str, move: int) -> dict[str, str]:
    """Districts that moved a band, named with their bands then and now (at most LIST_MAX named)."""
    moved = comparison.moved(group, move)
    names = [f"อำเภอ{d.name} ({d.groups[group].band_then}เป็น{d.groups[group].band_now})" for d in moved[:LIST_MAX]]
    more = len(moved) - LIST_MAX
    named = " ".join(names) if more > 0 else thai_join(names)   # '… และอื่น ๆ อีก n อำเภอ' ends the list
    return {"count": num(len(moved)), "names": named, "more": num(more) if more > 0 else ""}


def memo_trend(report: RoundReport) -> Optional[dict[str, Any]]:
    """The memo's paragraph on the change: the province's percentage then and now, districts that moved a band."""
    comparison = report.comparison
    if comparison is None:
        return None
    then, now = comparison.province
    groups: list[dict[str, Any]] = [{"name": g.name, "pct_then": num(then.pct.get(g.key), PCT_PLACES),
               "pct_now": num(now.pct.get(g.key), PCT_PLACES), "up": _moved(comparison, g.key, 1),
               "down": _moved(comparison, g.key, -1)} for g in report.catalog.groups]
    return {**(compare_facts(comparison) or {}), "groups": groups,
            "moved": any(g["up"]["names"] or g["down"]["names"] for g in groups)}
