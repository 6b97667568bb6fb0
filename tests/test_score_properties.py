"""Property-based tests of the scoring kinds: monotone, bounded, interpolation within its level."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.score import Band, group_totals, score_indicator
from generator.score.results import IndicatorResult

AMOUNT = st.integers(min_value=0, max_value=10_000)
POSITIVE = st.integers(min_value=1, max_value=10_000)


@settings(max_examples=200, deadline=None)
@given(allocated=POSITIVE, spent=AMOUNT, more=AMOUNT, docs=st.booleans())
def test_more_spending_never_scores_less(catalog, allocated, spent, more, docs):
    t1 = catalog.indicator("T1")
    low = score_indicator(t1, dict(T1_allocated=allocated, T1_spent=spent, T1_loan_docs=docs))
    high = score_indicator(t1, dict(T1_allocated=allocated, T1_spent=spent + more, T1_loan_docs=docs))
    assert high.level >= low.level


@settings(max_examples=200, deadline=None)
@given(target=POSITIVE, below=AMOUNT, fewer=AMOUNT)
def test_fewer_poor_households_never_scores_less(catalog, target, below, fewer):
    below = min(below, target)
    i1 = catalog.indicator("I1")
    worse = score_indicator(i1, dict(I1_target=target, I1_below=below))
    better = score_indicator(i1, dict(I1_target=target, I1_below=max(below - fewer, 0)))
    assert better.level >= worse.level


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(["T1", "T2", "T7", "I1", "I2", "I3"]), den=POSITIVE, num=AMOUNT)
def test_interpolated_score_lies_within_its_level(catalog, code, den, num):
    ind = catalog.indicator(code)
    a, b = [i.key for i in ind.inputs if i.type in ("money", "int")][:2]
    num_key, den_key = (b, a)
    inputs = {den_key: den, num_key: min(num, den), "T1_loan_docs": True}
    step = score_indicator(ind, inputs)
    interp = score_indicator(ind, inputs, "interpolate")
    assert interp.level == step.level
    assert step.level <= interp.score < step.level + 1 or interp.score == step.level == 5


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=5)), min_size=8, max_size=8))
def test_group_total_stays_within_0_and_5(catalog, scores):
    results = [IndicatorResult(i.code, i.group, i.weight, "ok", None if s is None else int(s), s)
               for i, s in zip(catalog.in_group("team"), scores)]
    total = group_totals(catalog, results, [Band(0, "x")])["team"]
    assert 0 <= total.total <= 5 and 0 <= total.pct <= 100


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=5, max_size=5))
def test_milestone_level_is_the_first_gap(catalog, ticks):
    keys = ["I7_L1_1", "I7_L2_1", "I7_L3_1", "I7_L4_1", "I7_L5_1"]
    inputs = dict(zip(keys, ticks))
    want = next((i for i, t in enumerate(ticks) if not t), 5)
    assert score_indicator(catalog.indicator("I7"), inputs).level == want
