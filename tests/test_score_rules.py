"""Every level rule of the 2565-r2 indicator spec, edges included, through the catalog and the engine."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.render.needs_text import need_text, words
from generator.score import score_indicator

D = dt.date


def result(catalog, code, mode="step", **inputs):
    """Score one indicator of the sample catalog."""
    return score_indicator(catalog.indicator(code), inputs, mode)


def level(catalog, code, **inputs):
    """The step level of one indicator."""
    return result(catalog, code, **inputs).level


# T1: ratio(spent, allocated) >= 80..100, gate loan_docs on level 1

def test_t1_925k_of_1m_is_level_3_and_3_5_interpolated(catalog):
    inputs = dict(T1_allocated=1_000_000, T1_spent=925_000, T1_loan_docs=True)
    assert result(catalog, "T1", **inputs).level == 3
    assert result(catalog, "T1", **inputs).score == 3.0
    assert result(catalog, "T1", "interpolate", **inputs).score == 3.5


def test_t1_full_spend_without_loan_docs_is_level_0(catalog):
    r = result(catalog, "T1", T1_allocated=1_000_000, T1_spent=1_000_000, T1_loan_docs=False)
    assert (r.level, r.score, r.status) == (0, 0.0, "ok")


@pytest.mark.parametrize("spent,want", [(799_999, 0), (800_000, 1), (850_000, 2), (949_999, 3), (1_000_000, 5)])
def test_t1_thresholds_are_at_least(catalog, spent, want):
    assert level(catalog, "T1", T1_allocated=1_000_000, T1_spent=spent, T1_loan_docs=True) == want


def test_t1_spent_above_allocation_is_a_warning_and_still_counts(catalog):
    r = result(catalog, "T1", T1_allocated=100, T1_spent=120, T1_loan_docs=True)
    assert (r.level, r.status) == (5, "warning")
    assert "spent > allocated" in r.message


def test_t1_needs_says_how_much_more_to_spend(catalog):
    r = result(catalog, "T1", T1_allocated=1_000_000, T1_spent=925_000, T1_loan_docs=True)
    assert (r.needs[0].kind, r.needs[0].op, r.needs[0].target, r.needs[0].change) == ("short", ">=", 95, ("T1_spent", 25_000))
    assert "ต้องเพิ่มอีก ๒๕,๐๐๐ บาท" in need_text(words(catalog.indicator("T1")), r.needs[0])


def test_t1_zero_allocation_is_a_data_error_naming_the_key(catalog):
    r = result(catalog, "T1", T1_allocated=0, T1_spent=0, T1_loan_docs=True)
    assert (r.status, r.level, r.score) == ("error", None, None)
    assert r.problems[0].key == "T1_allocated" and "zero denominator" in r.message


def test_t1_empty_input_is_an_error_naming_the_key(catalog):
    r = result(catalog, "T1", T1_allocated=1000, T1_loan_docs=True)
    assert r.status == "error" and r.problems[0].key == "T1_spent"


# T2: strict > 75..95; done > planned is an error

def test_t2_exactly_85_percent_is_level_2(catalog):
    assert level(catalog, "T2", T2_planned=20, T2_done=17) == 2


@pytest.mark.parametrize("done,want", [(75, 0), (76, 1), (80, 1), (81, 2), (95, 4), (96, 5), (100, 5)])
def test_t2_thresholds_are_strict(catalog, done, want):
    assert level(catalog, "T2", T2_planned=100, T2_done=done) == want


def test_t2_done_above_planned_is_an_error(catalog):
    r = result(catalog, "T2", T2_planned=10, T2_done=11)
    assert (r.status, r.level) == ("error", None)
    assert r.problems[0].key == "T2_done"


def test_t2_interpolated_score_at_a_strict_edge_stays_below_next_level(catalog):
    r = result(catalog, "T2", "interpolate", T2_planned=20, T2_done=17)
    assert r.level == 2 and 2 <= r.score < 3


# T3: milestone with a dated last item

T3_ALL = dict(T3_L1_1=True, T3_L2_1=True, T3_L3_1=True, T3_L4_1=True, T3_L5_1=True)


def test_t3_level_5_needs_the_date_by_deadline(catalog):
    assert level(catalog, "T3", **T3_ALL, T3_L5_date=D(2022, 9, 10)) == 5


def test_t3_one_day_late_fails_the_item(catalog):
    r = result(catalog, "T3", **T3_ALL, T3_L5_date=D(2022, 9, 11))
    assert r.level == 4 and (r.needs[0].kind, r.needs[0].have, r.needs[0].by) == ("late", D(2022, 9, 11), D(2022, 9, 10))
    assert "ช้ากว่ากำหนด" in need_text(words(catalog.indicator("T3")), r.needs[0])


def test_t3_empty_date_fails_the_item(catalog):
    r = result(catalog, "T3", **T3_ALL)
    assert r.level == 4 and (r.needs[0].kind, r.needs[0].name, r.needs[0].level) == ("no-date", "T3_L5_date", 5)
    assert "ยังไม่ได้กรอก" in need_text(words(catalog.indicator("T3")), r.needs[0])


def test_t3_milestone_is_cumulative(catalog):
    assert level(catalog, "T3", T3_L1_1=True, T3_L2_1=False, T3_L3_1=True, T3_L4_1=True) == 1


def test_t3_milestone_interpolate_scores_the_integer_level(catalog):
    assert result(catalog, "T3", "interpolate", T3_L1_1=True, T3_L2_1=True).score == 2.0


# T4: cases on has_default

T4_BASE = dict(T4_funds_total=10, T4_funds_supported=3, T4_report_date=D(2022, 8, 31), T4_bigdata=True)


@pytest.mark.parametrize("recovered,want", [(9, 0), (10, 1), (15, 2), (20, 3), (25, 4), (30, 5)])
def test_t4_with_defaults_uses_recovered_ratio(catalog, recovered, want):
    assert level(catalog, "T4", T4_has_default=True, T4_tracked=100, T4_recovered=recovered, **T4_BASE) == want


def test_t4_level_4_gate_report_date(catalog):
    late = {**T4_BASE, "T4_report_date": D(2022, 9, 1)}
    assert level(catalog, "T4", T4_has_default=True, T4_tracked=100, T4_recovered=30, **late) == 3


def test_t4_level_5_gate_bigdata(catalog):
    no_bigdata = {**T4_BASE, "T4_bigdata": False}
    assert level(catalog, "T4", T4_has_default=True, T4_tracked=100, T4_recovered=30, **no_bigdata) == 4


def test_t4_with_defaults_and_nothing_tracked_is_a_data_error(catalog):
    assert result(catalog, "T4", T4_has_default=True, T4_tracked=0, T4_recovered=0, **T4_BASE).status == "error"


def test_t4_without_default_level_1_is_funds_ratio(catalog):
    assert level(catalog, "T4", T4_has_default=False, T4_tracked=100, T4_recovered=5, **T4_BASE) == 1
    low = {**T4_BASE, "T4_funds_supported": 1}
    assert level(catalog, "T4", T4_has_default=False, T4_tracked=100, T4_recovered=50, **low) == 0


def test_t4_without_default_and_nothing_tracked_stays_at_level_1(catalog):
    r = result(catalog, "T4", T4_has_default=False, T4_tracked=0, T4_recovered=0, **T4_BASE)
    assert (r.level, r.status) == (1, "ok")


def test_t4_without_default_uses_x_for_levels_2_to_5(catalog):
    assert level(catalog, "T4", T4_has_default=False, T4_tracked=100, T4_recovered=22, **T4_BASE) == 3


# T5: tiered by staff; the smallest month counts

MONTHS = ("T5_news_04", "T5_news_05", "T5_news_06", "T5_news_07", "T5_news_08", "T5_news_09")


def news(*counts):
    return dict(zip(MONTHS, counts))


def test_t5_five_staff_news_9_12_10_9_15_9_is_level_3(catalog):
    assert level(catalog, "T5", T5_staff=5, **news(9, 12, 10, 9, 15, 9)) == 3


@pytest.mark.parametrize("staff,counts,want", [
    (2, (5,) * 6, 5), (2, (4, 5, 5, 5, 5, 5), 4), (1, (0,) * 6, 0),
    (3, (10,) * 6, 5), (4, (9,) * 6, 4), (3, (1,) * 6, 0), (3, (2,) * 6, 1),
    (5, (15,) * 6, 5), (5, (2,) * 6, 0),
])
def test_t5_tiers(catalog, staff, counts, want):
    assert level(catalog, "T5", T5_staff=staff, **news(*counts)) == want


def test_t5_zero_staff_is_an_error(catalog):
    assert result(catalog, "T5", T5_staff=0, **news(*(5,) * 6)).status == "error"


# T6: milestone with dates, a ratio item and a count item

T6_L1 = dict(T6_L1_1=True, T6_L1_2=True, T6_L1_3=True, T6_L1_4=True)
T6_L2 = dict(T6_L2_1=True, T6_L2_2=True, T6_L2_2_date=D(2022, 4, 15), T6_L2_3=True, T6_L2_3_date=D(2022, 4, 20))
T6_L3 = dict(T6_L3_1=True, T6_hh_total=100, T6_hh_verified=85, T6_L3_2=True, T6_L3_3=True,
             T6_L3_3_date=D(2022, 4, 25), T6_L3_4=True, T6_L3_4_date=D(2022, 4, 30))
T6_L4 = dict(T6_L4_1=True, T6_L4_2=True, T6_L4_3=True, T6_hh_offmenu=20, T6_L4_4=True, T6_L4_5=True)
T6_L5 = {f"T6_L5_{i}": True for i in range(1, 6)}


def test_t6_all_items_is_level_5(catalog):
    assert level(catalog, "T6", **T6_L1, **T6_L2, **T6_L3, **T6_L4, **T6_L5) == 5


def test_t6_logbook_one_day_late_stops_at_level_1(catalog):
    late = {**T6_L2, "T6_L2_2_date": D(2022, 4, 16)}
    assert level(catalog, "T6", **T6_L1, **late, **T6_L3) == 1


def test_t6_verified_below_85_percent_stops_at_level_2(catalog):
    low = {**T6_L3, "T6_hh_verified": 84}
    assert level(catalog, "T6", **T6_L1, **T6_L2, **low, **T6_L4) == 2


def test_t6_offmenu_below_20_stops_at_level_3(catalog):
    low = {**T6_L4, "T6_hh_offmenu": 19}
    assert level(catalog, "T6", **T6_L1, **T6_L2, **T6_L3, **low, **T6_L5) == 3


def test_t6_zero_households_is_a_data_error(catalog):
    zero = {**T6_L3, "T6_hh_total": 0, "T6_hh_verified": 0}
    assert result(catalog, "T6", **T6_L1, **T6_L2, **zero).status == "error"


# T7

@pytest.mark.parametrize("sent,want", [(49, 0), (50, 1), (64, 3), (70, 5)])
def test_t7_thresholds(catalog, sent, want):
    assert level(catalog, "T7", T7_assigned=100, T7_sent=sent) == want


# T8: milestone with planting ratio

T8_TICKS = dict(T8_L1_1=True, T8_L1_2=True, T8_L2_1=True, T8_L3_1=True, T8_L3_2=True, T8_L4_1=True,
                T8_L4_2=True, T8_L4_3=True, T8_L5_1=True)


@pytest.mark.parametrize("planting,want", [(69, 2), (70, 3), (80, 4), (89, 4), (90, 5)])
def test_t8_planting_ratio_per_level(catalog, planting, want):
    assert level(catalog, "T8", T8_hh_total=100, T8_hh_planting=planting, **T8_TICKS) == want


# I1: lower is better

def test_i1_45_of_200_is_level_3_and_3_5_interpolated(catalog):
    assert level(catalog, "I1", I1_target=200, I1_below=45) == 3
    assert result(catalog, "I1", "interpolate", I1_target=200, I1_below=45).score == 3.5


def test_i1_27_5_percent_interpolates_to_2_5(catalog):
    assert result(catalog, "I1", "interpolate", I1_target=200, I1_below=55).score == 2.5


@pytest.mark.parametrize("below,want", [(36, 0), (35, 1), (30, 2), (25, 3), (20, 4), (15, 5), (0, 5)])
def test_i1_thresholds_are_at_most(catalog, below, want):
    assert level(catalog, "I1", I1_target=100, I1_below=below) == want


# I2, I3, I7

@pytest.mark.parametrize("code,keys,values", [
    ("I2", ("I2_selected", "I2_restructured"), [(44, 0), (45, 1), (50, 2), (55, 3), (60, 4), (65, 5)]),
    ("I3", ("I3_villages", "I3_villages_up"), [(79, 0), (80, 1), (85, 2), (90, 3), (95, 4), (100, 5)]),
])
def test_simple_ratio_thresholds(catalog, code, keys, values):
    for part, want in values:
        assert level(catalog, code, **{keys[0]: 100, keys[1]: part}) == want


def test_i7_one_item_per_level(catalog):
    assert level(catalog, "I7", I7_L1_1=True, I7_L2_1=True, I7_L3_1=True) == 3


# I4: reduction; start = 0 is level 5 with a note

@pytest.mark.parametrize("now,want", [(95, 0), (90, 1), (85, 2), (80, 3), (75, 4), (70, 5)])
def test_i4_reduction_thresholds(catalog, now, want):
    assert level(catalog, "I4", I4_overdue_start=100, I4_overdue_now=now) == want


def test_i4_nothing_overdue_at_start_is_level_5_with_a_note(catalog):
    r = result(catalog, "I4", I4_overdue_start=0, I4_overdue_now=0)
    assert (r.level, r.score, r.status) == (5, 5.0, "warning")
    assert "ไม่มีหนี้เกินกำหนดชำระ" in r.message


# I5: ratios as milestones

I5_FULL = dict(I5_people=100, I5_people_up=85, I5_groups_allocated=4, I5_groups_registered=4,
               I5_groups_funded=4, I5_reports_due=6, I5_reports_sent=6)


@pytest.mark.parametrize("change,want", [
    ({}, 5), ({"I5_people_up": 74}, 0), ({"I5_people_up": 75}, 1), ({"I5_groups_registered": 3, "I5_groups_funded": 3}, 2),
    ({"I5_groups_funded": 3}, 3), ({"I5_reports_sent": 5}, 4),
])
def test_i5_levels(catalog, change, want):
    assert level(catalog, "I5", **{**I5_FULL, **change}) == want


# I6: composite, level = smallest criterion level

def i6(c1=5.0, events=16, c3=15.0, c4=10.0, c5=6.0):
    return dict(I6_registered=100, I6_new_online=c1, I6_events=events, I6_online_total=100, I6_online_otop=c3,
                I6_fabric_prev=100, I6_fabric_now=100 + c4, I6_otop_prev=100, I6_otop_now=100 + c5)


def test_i6_criteria_levels_5_2_5_5_5_is_level_2(catalog):
    r = result(catalog, "I6", **i6(events=6))
    assert r.level == 2
    assert [c.level for c in r.criteria] == [5, 2, 5, 5, 5]


def test_i6_repeated_thresholds_never_divide_by_zero(catalog):
    r = result(catalog, "I6", "interpolate", **i6(c4=4.0))
    assert [c.level for c in r.criteria][3] == 2 and r.level == 2 and r.score == 2.0


def test_i6_level_1_needs_at_least_4_percent_growth(catalog):
    assert result(catalog, "I6", **i6(c4=3.9)).level == 0


def test_i6_zero_previous_sales_is_a_data_error(catalog):
    inputs = {**i6(), "I6_fabric_prev": 0}
    assert result(catalog, "I6", **inputs).status == "error"


# I8: milestone with ratios and a certification deadline

I8_TICKS = dict(I8_L1_1=True, I8_L1_2=True, I8_L1_3=True, I8_L2_1=True, I8_L2_2=True)


@pytest.mark.parametrize("collected,spent,day,want", [
    (94, 100, D(2022, 9, 10), 2), (95, 100, D(2022, 9, 10), 3), (100, 98, D(2022, 9, 10), 4),
    (100, 100, D(2022, 9, 10), 5), (100, 100, D(2022, 9, 11), 3), (100, 100, None, 3),
])
def test_i8_levels(catalog, collected, spent, day, want):
    inputs = dict(I8_target=100, I8_collected=collected, I8_budget=100, I8_budget_spent=spent, **I8_TICKS)
    if day:
        inputs["I8_certified_date"] = day
    assert level(catalog, "I8", **inputs) == want


# I9: complaints ratio (no complaints = 100), channels and days

I9_FULL = dict(I9_complaints=10, I9_complaints_closed=10, I9_pr_channels=3, I9_pr_days=3, I9_L1_2=True,
               I9_L3_2=True, I9_L4_1=True, I9_L5_1=True, I9_L5_2=True)


@pytest.mark.parametrize("change,want", [
    ({}, 5), ({"I9_complaints_closed": 8}, 1), ({"I9_complaints_closed": 7}, 0), ({"I9_pr_days": 1}, 1),
    ({"I9_pr_channels": 1}, 2), ({"I9_pr_channels": 2}, 3), ({"I9_L5_2": False}, 4),
])
def test_i9_levels(catalog, change, want):
    assert level(catalog, "I9", **{**I9_FULL, **change}) == want


def test_i9_no_complaints_counts_as_100(catalog):
    r = result(catalog, "I9", **{**I9_FULL, "I9_complaints": 0, "I9_complaints_closed": 0})
    assert (r.level, r.status) == (5, "ok")


# I10, I11, I12: ticks mixed with numeric conditions

I10_ALL = dict(I10_L1_1=True, I10_L1_2=True, I10_L2_1=True, I10_L3_1=True, I10_L5_1=True, I10_L5_2=True)


@pytest.mark.parametrize("pct,want", [(19.9, 1), (20, 3), (29.9, 3), (30, 5)])
def test_i10_plan_percentage(catalog, pct, want):
    assert level(catalog, "I10", I10_plan_pct=pct, **I10_ALL) == want


I11_ALL = dict(I11_L1_1=True, I11_L1_2=True, I11_L2_1=True, I11_L2_1_date=D(2021, 12, 31), I11_L2_2=True,
               I11_L3_1=True, I11_households=1000, I11_uses=30, I11_L4_1=True, I11_L5_2=True, I11_L5_3=True)


@pytest.mark.parametrize("change,want", [
    ({}, 5), ({"I11_uses": 29}, 3), ({"I11_L2_1_date": D(2022, 1, 1)}, 1), ({"I11_L5_3": False}, 4),
])
def test_i11_levels(catalog, change, want):
    assert level(catalog, "I11", **{**I11_ALL, **change}) == want


@pytest.mark.parametrize("groups,want", [(0, 3), (1, 5)])
def test_i12_new_group_needed_for_level_4(catalog, groups, want):
    ticks = dict(I12_L1_1=True, I12_L2_1=True, I12_L3_1=True, I12_L4_2=True, I12_L5_1=True)
    assert level(catalog, "I12", I12_groups_new=groups, **ticks) == want
