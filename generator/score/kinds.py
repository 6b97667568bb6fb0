"""The generic rule kinds: threshold, tiered, milestone, composite, cases. Pure functions."""

from __future__ import annotations

from typing import Callable, Optional

from generator.catalog.model import Cases, Composite, Criterion, Milestone, Rule, Threshold, Tiered
from generator.score.needs import DataError, judge, shortfall
from generator.score.results import CriterionResult, ItemResult, Need, Outcome
from generator.score.values import Context, compare
from generator.thai import round_half_up

MAX_FRACTION = 0.9999  # an interpolated score stays below the next level


def interpolate(level: int, x: Optional[float], rule: Threshold) -> float:
    """k + (x − t_k)/(t_{k+1} − t_k) between the thresholds of the level reached and the next."""
    if level == 0 or level == 5 or x is None:
        return float(level)
    low, high = rule.thresholds[level - 1], rule.thresholds[level]
    if low is None or high is None or high == low or compare(x, rule.op, high):
        return float(level)
    fraction = min(max((x - low) / (high - low), 0.0), MAX_FRACTION)
    return round_half_up(level + fraction, 4)


def threshold(rule: Threshold, ctx: Context, interpolated: bool) -> Outcome:
    """The highest level whose threshold and gates (cumulative) hold."""
    x = ctx.values.get(rule.value)
    if x is None and not rule.undefined_fails:
        return Outcome(None, None, errors=((ctx.undefined(rule.value), ctx.culprit(rule.value)),))
    level, items, needs = 0, [], []
    for k, t in enumerate(rule.thresholds, start=1):
        try:
            gates = [judge(g, ctx, k, i) for i, g in enumerate(rule.gates.get(k, ()), start=1)]
        except DataError as e:
            return Outcome(None, None, errors=((str(e), e.key),))
        items.extend(gates)
        value_ok = t is None or (x is not None and compare(x, rule.op, t))
        if level == k - 1 and value_ok and all(g.held for g in gates):
            level = k
        elif level == k - 1:
            if not value_ok:
                needs.append(shortfall(ctx, rule.value, rule.op, t) if x is not None and t is not None
                             else Need("undefined", rule.value, why=ctx.undefined(rule.value)))
            needs.extend(g.need for g in gates if g.need is not None)
    score = interpolate(level, x, rule) if interpolated else float(level)
    return Outcome(level, score, tuple(items), needs=tuple(needs))


def tiered(rule: Tiered, ctx: Context, interpolated: bool) -> Outcome:
    """A threshold whose thresholds come from the tier of another value."""
    tier_value = ctx.values.get(rule.tier_by)
    if tier_value is None:
        return Outcome(None, None, errors=((ctx.undefined(rule.tier_by), ctx.culprit(rule.tier_by)),))
    tier = next(t for t in rule.tiers if t.max is None or tier_value <= t.max)
    chosen = Threshold(rule.value, rule.op, tier.thresholds)
    out = threshold(chosen, ctx, interpolated)
    note = Need("tier", rule.tier_by, have=tier_value, thresholds=tuple(tier.thresholds))
    return Outcome(out.level, out.score, out.items, errors=out.errors, needs=out.needs + (note,))


def milestone(rule: Milestone, ctx: Context, interpolated: bool) -> Outcome:
    """The highest k such that every item of levels 1..k holds."""
    items: list[ItemResult] = []
    try:
        for k in sorted(rule.levels):
            items.extend(judge(c, ctx, k, i) for i, c in enumerate(rule.levels[k], start=1))
    except DataError as e:
        return Outcome(None, None, errors=((str(e), e.key),))
    level = 0
    for k in sorted(rule.levels):
        if all(i.held for i in items if i.level == k):
            level = k
        else:
            break
    needs = tuple(i.need for i in items if i.need is not None and i.level == level + 1)
    return Outcome(level, float(level), tuple(items), needs=needs)


def composite(rule: Composite, ctx: Context, interpolated: bool) -> Outcome:
    """Every criterion at a level: the level is the smallest criterion level."""
    results: list[CriterionResult] = []
    errors: list[tuple[str, str]] = []
    per: list[tuple[Criterion, Outcome]] = []
    for c in rule.criteria:
        out = threshold(c.rule, ctx, False)
        results.append(CriterionResult(c.name, c.label, ctx.values.get(c.rule.value), out.level))
        errors.extend((f"{c.label}: {message}", key) for message, key in out.errors)
        per.append((c, out))
    if errors:
        return Outcome(None, None, criteria=tuple(results), errors=tuple(errors))
    level = min(out.level for _, out in per if out.level is not None)  # no errors: every criterion has one
    needs: list[Need] = []
    if level < 5:
        for c, out in per:
            if out.level == level:
                t = c.rule.thresholds[level]
                assert t is not None  # a criterion's thresholds are numbers
                needs.append(shortfall(ctx, c.rule.value, c.rule.op, t, criterion=c.label))
    return Outcome(level, float(level), criteria=tuple(results), needs=tuple(needs))


def cases(rule: Cases, ctx: Context, interpolated: bool) -> Outcome:
    """The sub-rule chosen by a bool input (empty counts as false)."""
    chosen = rule.when_true if ctx.values.get(rule.switch) is True else rule.when_false
    return evaluate(chosen, ctx, interpolated)


KINDS: dict[str, Callable[..., Outcome]] = {
    "threshold": threshold, "tiered": tiered, "milestone": milestone, "composite": composite, "cases": cases,
}


def evaluate(rule: Rule, ctx: Context, interpolated: bool) -> Outcome:
    """Apply the rule kind the catalog selected."""
    return KINDS[rule.kind](rule, ctx, interpolated)

