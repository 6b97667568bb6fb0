"""Score one indicator, one district: typed inputs + catalog → results. Never touches files."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Mapping, Optional, Sequence

from generator.catalog.model import Catalog, Check, Indicator
from generator.domain import Status
from generator.problems import Problem
from generator.score.kinds import evaluate
from generator.score.results import District, DistrictResult, IndicatorResult, Outcome
from generator.score.totals import Band, group_totals
from generator.score.values import Context, build_context, compare



def _fires(check: Check, ctx: Context) -> bool:
    """Whether a consistency check fires (both sides known and the comparison holds)."""
    left = ctx.values.get(check.left)
    right = check.right if isinstance(check.right, float) else ctx.values.get(check.right)
    return left is not None and right is not None and compare(left, check.op, right)


def _worst(states: Iterable[str]) -> Status:
    """error if any error, warning if any warning, else ok."""
    seen = set(states)
    return "error" if "error" in seen else "warning" if "warning" in seen else "ok"


def _status(problems: Sequence[Problem]) -> Status:
    """The status the problems of an indicator give it."""
    return _worst(p.severity for p in problems)


def score_indicator(ind: Indicator, inputs: Mapping[str, Any], mode: str = "step",
                    input_problems: Sequence[Problem] = ()) -> IndicatorResult:
    """Score one indicator; input problems of severity error (found when parsing) leave it unscored."""
    ctx = build_context(ind, dict(inputs))
    found = list(input_problems) + [
        Problem(c.severity, f"check-{c.severity}", c.message, key=c.left, indicator=ind.code)
        for c in ind.checks if _fires(c, ctx)]
    shown = {d.name: ctx.values.get(d.name) for d in ind.derived if d.kind != "const"}

    def result(level: Optional[int], score: Optional[float], found: Iterable[Problem],
               out: Optional[Outcome] = None) -> IndicatorResult:
        problems = tuple(found)
        items, criteria, needs = (out.items, out.criteria, out.needs) if out is not None else ((), (), ())
        return IndicatorResult(ind.code, ind.group, ind.weight, _status(problems), level, score, shown,
                               items, criteria, needs, problems=problems)

    if _status(found) == "error":
        return result(None, None, found)
    if ctx.forced is not None:
        rule = ctx.forced.on_zero
        assert rule is not None and rule.level is not None  # what forced the level
        note = Problem("warning", "rule-note", rule.note, key=ctx.forced.args[0], indicator=ind.code)
        return result(rule.level, float(rule.level), found + [note])
    out = evaluate(ind.rule, ctx, mode == "interpolate")
    found += [Problem("info", "rule-note", n, indicator=ind.code) for n in ctx.notes]
    if out.errors:
        found += [Problem("error", "data-error", m, key=k, indicator=ind.code) for m, k in out.errors]
        return result(None, None, found, out)
    return result(out.level, out.score, found, out)


def score_district(catalog: Catalog, district: District, inputs: Mapping[str, Any], mode: str,
                   bands: Sequence[Band], problems: Iterable[Problem] = (), cells: Mapping[str, str] | None = None,
                   file: str = "") -> DistrictResult:
    """Score every indicator of a district; every problem (read or rule) is located and kept once."""
    cells = dict(cells or {})
    read = tuple(problems)
    results, found = [], list(read)
    for ind in catalog.indicators:
        mine = [p for p in read if p.indicator == ind.code]
        r = score_indicator(ind, inputs, mode, mine)
        located = tuple(p if p in mine else _locate(p, district, file, cells) for p in r.problems)
        found += [p for p in located if p not in mine]
        results.append(replace(r, problems=located))
    return DistrictResult(district, _worst(r.status for r in results), tuple(results), group_totals(catalog, results, bands), tuple(found),
                          dict(inputs), cells, file)


def _locate(p: Problem, district: District, file: str, cells: Mapping[str, str]) -> Problem:
    """A rule problem with its district, file and the cell of its key."""
    sheet, _, cell = cells.get(p.key, "").rpartition("!")
    return p.at(district=district.code, file=file, sheet=sheet.strip("'"), cell=cell)


def missing_district(catalog: Catalog, district: District, problems: Iterable[Problem] = (),
                     file: str = "") -> DistrictResult:
    """A district with no usable submission: every indicator missing, no totals."""
    results = tuple(IndicatorResult(i.code, i.group, i.weight, "missing", None, None) for i in catalog.indicators)
    return DistrictResult(district, "missing", results, {}, tuple(problems), file=file)
