"""The golden results re-derived by hand from the spec's formulas, independently of the engine, for five
districts: 3101 เมืองบุรีรัมย์, 3104 นางรอง, 3113 นาโพธิ์, 3119 บ้านใหม่ไชยพจน์, 3123 เฉลิมพระเกียรติ."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator.api import load
from generator.read import read_round

GOLDEN = Path(__file__).parent / "golden" / "2565-r2-results.csv"
CHECKED = ("3101", "3104", "3113", "3119", "3123")
WEIGHTS = {"T1": 15, "T2": 15, "T3": 10, "T4": 15, "T5": 10, "T6": 15, "T7": 10, "T8": 10,
           "I1": 15, "I2": 5, "I3": 5, "I4": 5, "I5": 5, "I6": 15, "I7": 15, "I8": 5, "I9": 5, "I10": 5, "I11": 15, "I12": 15}


def highest(x, thresholds, op=">="):
    """The highest level whose threshold holds, cumulatively, written out plainly."""
    level = 0
    for k, t in enumerate(thresholds, start=1):
        if (op == ">=" and x >= t) or (op == ">" and x > t) or (op == "<=" and x <= t):
            level = k
        else:
            break
    return level


def by_hand(v):
    """The threshold-kind levels of the spec, from the typed inputs."""
    staff = v["T5_staff"]
    tiers = [1, 2, 3, 4, 5] if staff <= 2 else [2, 4, 6, 8, 10] if staff <= 4 else [3, 6, 9, 12, 15]
    i6 = [highest(100 * v["I6_new_online"] / v["I6_registered"], [1, 2, 3, 4, 5]),
          highest(v["I6_events"], [4, 6, 8, 12, 16]),
          highest(100 * v["I6_online_otop"] / v["I6_online_total"], [11, 12, 13, 14, 15]),
          highest(100 * (v["I6_fabric_now"] - v["I6_fabric_prev"]) / v["I6_fabric_prev"], [4, 4, 6, 8, 10]),
          highest(100 * (v["I6_otop_now"] - v["I6_otop_prev"]) / v["I6_otop_prev"], [4, 5, 5, 5.5, 6])]
    return {
        "T1": highest(100 * v["T1_spent"] / v["T1_allocated"], [80, 85, 90, 95, 100]) if v["T1_loan_docs"] else 0,
        "T2": highest(100 * v["T2_done"] / v["T2_planned"], [75, 80, 85, 90, 95], ">"),
        "T5": highest(min(v[f"T5_news_0{m}"] for m in range(4, 10)), tiers),
        "T7": highest(100 * v["T7_sent"] / v["T7_assigned"], [50, 55, 60, 65, 70]),
        "I1": highest(100 * v["I1_below"] / v["I1_target"], [35, 30, 25, 20, 15], "<="),
        "I2": highest(100 * v["I2_restructured"] / v["I2_selected"], [45, 50, 55, 60, 65]),
        "I3": highest(100 * v["I3_villages_up"] / v["I3_villages"], [80, 85, 90, 95, 100]),
        "I4": 5 if v["I4_overdue_start"] == 0 else highest(
            100 * (v["I4_overdue_start"] - v["I4_overdue_now"]) / v["I4_overdue_start"], [10, 15, 20, 25, 30]),
        "I6": min(i6),
    }


@pytest.fixture(scope="module")
def golden():
    rows = csv.DictReader(io.StringIO(GOLDEN.read_bytes().decode("utf-8-sig")))
    return {(r["district_code"], r["indicator"], r["group"]): r for r in rows}


@pytest.fixture(scope="module")
def typed_inputs():
    loaded = load(None)
    return read_round(loaded.round, loaded.catalog).submissions


@pytest.mark.parametrize("code", CHECKED)
def test_threshold_levels_match_a_hand_derivation(code, golden, typed_inputs):
    group = {c: ("team" if c.startswith("T") else "individual") for c in WEIGHTS}
    for indicator, level in by_hand(typed_inputs[code].inputs).items():
        assert golden[(code, indicator, group[indicator])]["level"] == str(level), indicator


@pytest.mark.parametrize("code", CHECKED)
def test_group_totals_are_weighted_averages_of_the_golden_levels(code, golden):
    for group, prefix in (("team", "T"), ("individual", "I")):
        codes = [c for c in WEIGHTS if c.startswith(prefix)]
        total = sum(WEIGHTS[c] * int(golden[(code, c, group)]["level"]) for c in codes) / sum(WEIGHTS[c] for c in codes)
        assert float(golden[(code, "TOTAL", group)]["score"]) == pytest.approx(total, abs=5e-5)


def test_3101_totals_by_hand(golden):
    # team 4,3,5,4,5,3,0,3 → 340/100; individual 5,5,3,4,5,2,2,2,5,5,0,3 → 325/110
    assert golden[("3101", "TOTAL", "team")]["score"] == "3.4"
    assert golden[("3101", "TOTAL", "individual")]["score"] == "2.9545"
    assert golden[("3101", "TOTAL", "individual")]["message"] == "ร้อยละ 59.09 (ต้องปรับปรุง)"
