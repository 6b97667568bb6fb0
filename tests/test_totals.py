"""Group totals, percentages, bands, unscored indicators and rankings."""

from __future__ import annotations

import pytest

from generator.score import Band, band_of, group_totals
from generator.score.ranking import rank
from generator.score.results import District, DistrictResult, GroupTotal, IndicatorResult

BANDS = (Band(90, "ดีเด่น"), Band(80, "ดีมาก"), Band(70, "ดี"), Band(60, "พอใช้"), Band(0, "ต้องปรับปรุง"))


def team_results(catalog, levels):
    """Team indicator results with the given levels (None = unscored)."""
    return [IndicatorResult(ind.code, ind.group, ind.weight, "ok" if lv is not None else "error", lv,
                            None if lv is None else float(lv))
            for ind, lv in zip(catalog.in_group("team"), levels)]


def test_team_levels_5_4_3_5_2_3_4_4_total_3_85_is_77_percent_good(catalog):
    totals = group_totals(catalog, team_results(catalog, [5, 4, 3, 5, 2, 3, 4, 4]), BANDS)
    assert totals["team"] == GroupTotal("team", 3.85, 77.0, "ดี", ())


def test_unscored_indicator_counts_zero_and_is_listed(catalog):
    totals = group_totals(catalog, team_results(catalog, [None, 4, 3, 5, 2, 3, 4, 4]), BANDS)
    assert totals["team"].total == pytest.approx((385 - 75) / 100)
    assert totals["team"].unscored == ("T1",)


def test_individual_total_divides_by_the_weight_sum_110(catalog):
    results = [IndicatorResult(i.code, i.group, i.weight, "ok", 5, 5.0) for i in catalog.in_group("individual")]
    assert group_totals(catalog, results, BANDS)["individual"].total == 5.0


def test_totals_round_to_4_and_2_decimals(catalog):
    results = [IndicatorResult(i.code, i.group, i.weight, "ok", 1, 1.0 if i.code != "I2" else 2.0)
               for i in catalog.in_group("individual")]
    t = group_totals(catalog, results, BANDS)["individual"]
    assert t.total == 1.0455 and t.pct == 20.91


@pytest.mark.parametrize("pct,band", [(90, "ดีเด่น"), (89.99, "ดีมาก"), (80, "ดีมาก"), (70, "ดี"), (60, "พอใช้"),
                                      (59.99, "ต้องปรับปรุง"), (0, "ต้องปรับปรุง")])
def test_bands_are_at_least(pct, band):
    assert band_of(pct, BANDS) == band


def _district(code, total):
    t = GroupTotal("team", total, total * 20, "", ())
    return DistrictResult(District(code, f"อำเภอ{code}"), "ok", (), {"team": t})


def test_ranking_with_ties_shares_the_place_and_skips_the_next():
    results = [_district("01", 4.0), _district("02", 4.5), _district("03", 4.0), _district("04", 3.0)]
    ranks = rank(results, "team")
    assert [(r.rank, r.code, r.tied) for r in ranks] == [(1, "02", False), (2, "01", True), (2, "03", True),
                                                         (4, "04", False)]


def test_ranking_leaves_out_missing_districts():
    missing = DistrictResult(District("09", "x"), "missing", (), {})
    assert [r.code for r in rank([_district("01", 1.0), missing], "team")] == ["01"]
