"""Score one indicator, one district: typed inputs + catalog → results. Never touches files."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from generator.catalog.model import Catalog, Check, Indicator
from generator.score.kinds import evaluate
from generator.score.results import District, DistrictResult, IndicatorResult
from generator.score.totals import Band, group_totals
from generator.score.values import Context, build_context, compare
from generator.problems import Problem

MODES = ("step", "interpolate")


def _check(check: Check, ctx: Context) -> bool:
    """Whether a consistency check fires (both sides known and the comparison holds)."""
    left = ctx.values.get(check.left)
    right = check.right if isinstance(check.right, float) else ctx.values.get(check.right)
    return left is not None and right is not None and compare(left, check.op, right)


def _shown_values(ind: Indicator, ctx: Context) -> dict[str, Any]:
    """The derived values worth showing, by name."""
    return {d.name: ctx.values.get(d.name) for d in ind.derived if d.kind != "const"}


def score_indicator(ind: Indicator, inputs: Mapping[str, Any], mode: str = "step",
                    input_errors: Sequence[str] = ()) -> IndicatorResult:
    """Score one indicator from typed inputs; bad inputs (already found by parsing) make it an error."""
    ctx = build_context(ind, dict(inputs))
    fired = [c for c in ind.checks if _check(c, ctx)]
    errors = list(input_errors) + [c.message for c in fired if c.severity == "error"]
    warnings = [c.message for c in fired if c.severity == "warning"]
    shown = _shown_values(ind, ctx)
    if errors:
        return IndicatorResult(ind.code, ind.group, ind.weight, "error", None, None, shown, messages=tuple(errors))
    if ctx.forced is not None:
        level = ctx.forced.level
        return IndicatorResult(ind.code, ind.group, ind.weight, "warning", level, float(level), shown,
                               messages=tuple(warnings + [ctx.forced.note]))
    out = evaluate(ind.rule, ctx, mode == "interpolate")
    if out.errors:
        return IndicatorResult(ind.code, ind.group, ind.weight, "error", None, None, shown,
                               criteria=out.criteria, messages=tuple(warnings + list(out.errors)))
    status = "warning" if warnings else "ok"
    return IndicatorResult(ind.code, ind.group, ind.weight, status, out.level, out.score, shown, out.items,
                           out.criteria, out.needs, tuple(warnings + ctx.notes))


def score_district(catalog: Catalog, district: District, inputs: Mapping[str, Any], mode: str,
                   bands: Sequence[Band], problems: Iterable[Problem] = (), cells: Mapping[str, str] | None = None,
                   file: str = "") -> DistrictResult:
    """Score every indicator of a district; input problems of severity error unscore their indicator."""
    problems = tuple(problems)
    by_indicator: dict[str, list[str]] = {}
    for p in problems:
        if p.severity == "error" and p.indicator:
            by_indicator.setdefault(p.indicator, []).append(p.message)
    results = tuple(score_indicator(ind, inputs, mode, by_indicator.get(ind.code, ())) for ind in catalog.indicators)
    status = "error" if any(r.status == "error" for r in results) else (
        "warning" if any(r.status == "warning" for r in results) else "ok")
    return DistrictResult(district, status, results, group_totals(catalog, results, bands), problems,
                          dict(inputs), dict(cells or {}), file)


def missing_district(catalog: Catalog, district: District, problems: Iterable[Problem] = (),
                     file: str = "") -> DistrictResult:
    """A district with no usable submission: every indicator missing, no totals."""
    results = tuple(IndicatorResult(i.code, i.group, i.weight, "missing", None, None) for i in catalog.indicators)
    return DistrictResult(district, "missing", results, {}, tuple(problems), file=file)
