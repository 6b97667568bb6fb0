"""The golden levels checked against levels derived BY HAND from the spec (../shared/spec/indicators-2565-r2.md),
not by the engine: five districts, every indicator, so every rule kind (threshold with a gate, strict `>` and
`<=`; tiered; milestone with ticks, values and deadlines; composite; cases).

How HAND was made: the cells of each submission were read as typed (openpyxl, not the project's reader), the
clerk's spelling undone by eye (Thai digits, `1,234.50`, BE and text dates, ✓/ใช่/x ticks), and each level
worked out from the spec's rule. The values that decide the numeric rules are in the comments below; a
milestone's level is the last level before its first unticked item or failed condition. The engine's golden
files (tests/golden/, input_samples/expected/) are regression records written by the engine: this table is the
independent check of what they say. See tests/golden/README.md.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "2565-r2-results.csv"
ORDER = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8",
         "I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8", "I9", "I10", "I11", "I12")
WEIGHTS = {"T1": 15, "T2": 15, "T3": 10, "T4": 15, "T5": 10, "T6": 15, "T7": 10, "T8": 10,
           "I1": 15, "I2": 5, "I3": 5, "I4": 5, "I5": 5, "I6": 15, "I7": 15, "I8": 5, "I9": 5, "I10": 5, "I11": 15, "I12": 15}

# 3101 เมืองบุรีรัมย์: T1 123,634.85/128,240 = 96.4 % (≥95), loan docs ✓ → 4; T2 54/๖๐ = 90.0 %, not > 90 → 3;
#   T3 all five ✓, sent 9 Sep 2022 (by 10 Sep 2565) → 5; T4 has default, 705,596.35/1,792,931 = 39.4 % (≥30),
#   report ๒๑ สิงหาคม ๒๕๖๕ (by 31 Aug) but Big Data not ticked → 4; T5 staff ๗ (>4: 3,6,9,12,15), lowest month 15 → 5;
#   T6 L4_2 empty → 3; T7 17/50 = 34 % → 0; T8 L3_1 'x' ✓, p = 506/๖๔๗ = 78.2 % ≥ 70, L4 needs 80 % → 3;
#   I1 247/3,215 = 7.7 % (≤15) → 5; I2 95.4 % → 5; I3 15/16 = 93.75 % → 3; I4 (537,559 − 391,342.95)/537,559
#   = 27.2 % → 4; I5 238/257 = 92.6 %, 6/6, 6/6, 6/6 → 5; I6 criteria 5,2 (6 events),5,2 (fabric +5.1 %),5 → 2;
#   I7 L3 empty → 2; I8 collected 2,558/๓๓๔๗ = 76.4 % < 95 → 2; I9 10/10 closed, 6 channels, 3 days, L5_1 'x' ✓ → 5;
#   I10 plan 37.3 % (a percent cell holding 0.373) → 5; I11 L1 empty → 0; I12 L2_1 'x' ✓, L4_2 empty → 3.
# 3104 นางรอง: T1 104.4 % → 5; T2 14/16 = 87.5 % → 3; T3 L3 empty → 2; T4 no default: level 1 needs funds
#   supported 2/40 = 5 % ≥ 20 → 0; T5 staff 6, lowest 16 → 5; T6 L2_1 empty → 1; T7 53.2 % → 1; T8 p 71.2 % → 3;
#   I1 800/4,596 = 17.4 % (≤20) → 4; I2 2,390/4,123 = 58.0 % → 3; I3 2/๕ = 40 % → 0; I4 35.6 % → 5;
#   I5 94.2 %, 14/ 14 , 11/14 → 3; I6 5,4 (13 events),5,5,5 → 4; I7 L5 empty → 4; I8 L2 empty → 1;
#   I9 1/1, 5 channels, 2 days; L4 needs 3 days → 3; I10 L1_1 empty → 0; I11 L1 empty → 0; I12 all ✓, 1 new → 5.
# 3113 นาโพธิ์: T1 97.8 % → 4; T2 38/42 = 90.5 % → 4; T3 L5 empty → 4; T4 27.9 % → 4 (report 21 Aug, no Big Data);
#   T5 staff 2 (1..5), lowest 7 → 5; T6 L3_2 'ไม่' → 2; T7 97.5 % → 5; T8 → 3 (p 74 %, L4 needs 80); I1 6.1 % → 5;
#   I2 61.5 % → 4; I3 25 % → 0; I4 20.9 % → 3; I5 97.3 % → 4; I6 all five criteria at 5 → 5; I7 → 3;
#   I8 100 %, budget 99.7 % (≥98 not 100), certified 29 Aug → 4; I9 4 channels 5 days, L3_2 empty → 2;
#   I10 plan 9.9 % < 20 → 1; I11 → 3 (uses 45 % ≥ 3 but L4_1 empty); I12 → 3.
# 3119 บ้านใหม่ไชยพจน์: T1 525,925/525,925 = 100 % → 5; T2 14/14 = 100 % > 95 → 5; T3 sent 1 Sep → 5; T4 29.1 %
#   → 4; T5 staff 2, lowest month 2 → 2; T6 96.4 % verified, all ✓ → 5; T7 65.4 % → 4; T8 p 96.4 % → 5;
#   I1 33.4 % (≤35 only) → 1; I2 64.1 % → 4; I3 89.5 % → 2; I4 13.0 % → 1; I5 68.6 % < 75 → 0;
#   I6 5,1 (4 events),5,3 (fabric +6.8 %),1 (OTOP +4.7 %) → 1; I7 → 3; I8 97.5 % but budget 49.2 % → 3;
#   I9 complaints closed 8/14 = 57 % < 80 → 0; I10 36.9 % → 5; I11 → 2; I12 L1_1 empty → 0.
# 3123 เฉลิมพระเกียรติ: T1 57,537.67/63,016 = 91.3 % → 3; T2 9/9 → 5; T3 L1_1 empty → 0; T4 79.8 %, report
#   26 Aug, Big Data ✓ → 5; T5 staff 3 (2..10), lowest 13 → 5; T6 → 5; T7 57.1 % → 2; T8 L1 empty → 0;
#   I1 1.8 % → 5; I2 81.3 % → 5; I3 93.75 % → 3; I4 39.8 % → 5; I5 10.8 % → 0; I6 5,3,2,2,5 → 2; I7 → 1;
#   I8 100 %, 100 %, certified 5 Sep → 5; I9 → 5; I10 24.8 % (L4 needs 30) → 2; I11 → 5; I12 → 5.
HAND = {
    "3101": (4, 3, 5, 4, 5, 3, 0, 3,
             5, 5, 3, 4, 5, 2, 2, 2, 5, 5, 0, 3),
    "3104": (5, 3, 2, 0, 5, 1, 1, 3,
             4, 3, 0, 5, 3, 4, 4, 1, 3, 0, 0, 5),
    "3113": (4, 4, 4, 4, 5, 2, 5, 3,
             5, 4, 0, 3, 4, 5, 3, 4, 2, 1, 3, 3),
    "3119": (5, 5, 5, 4, 2, 5, 4, 5,
             1, 4, 2, 1, 0, 1, 3, 3, 0, 5, 2, 0),
    "3123": (3, 5, 0, 5, 5, 5, 2, 0,
             5, 5, 3, 5, 0, 2, 1, 5, 5, 2, 5, 5),
}


@pytest.fixture(scope="module")
def golden():
    rows = csv.DictReader(io.StringIO(GOLDEN.read_bytes().decode("utf-8-sig")))
    return {(r["district_code"], r["indicator"], r["group"]): r for r in rows}


def group(code: str) -> str:
    return "team" if code.startswith("T") else "individual"


def test_the_table_covers_every_rule_kind_and_level():
    """Threshold, tiered (T5), milestone, composite (I6) and cases (T4, both cases) and every level 0..5."""
    assert len(ORDER) == 20 and all(len(levels) == 20 for levels in HAND.values())
    assert {level for levels in HAND.values() for level in levels} == {0, 1, 2, 3, 4, 5}


@pytest.mark.parametrize("code", HAND)
def test_golden_levels_are_the_hand_derived_levels(code, golden):
    got = tuple(int(golden[(code, indicator, group(indicator))]["level"]) for indicator in ORDER)
    assert dict(zip(ORDER, got)) == dict(zip(ORDER, HAND[code]))


@pytest.mark.parametrize("code", HAND)
def test_group_totals_are_weighted_averages_of_the_hand_levels(code, golden):
    levels = dict(zip(ORDER, HAND[code]))
    for name, prefix in (("team", "T"), ("individual", "I")):
        codes = [c for c in ORDER if c.startswith(prefix)]
        total = sum(WEIGHTS[c] * levels[c] for c in codes) / sum(WEIGHTS[c] for c in codes)
        assert float(golden[(code, "TOTAL", name)]["score"]) == pytest.approx(total, abs=5e-5)


def test_3101_totals_by_hand(golden):
    # team 4,3,5,4,5,3,0,3 → 340/100; individual 5,5,3,4,5,2,2,2,5,5,0,3 → 325/110
    assert golden[("3101", "TOTAL", "team")]["score"] == "3.4"
    assert golden[("3101", "TOTAL", "individual")]["score"] == "2.9545"
    assert golden[("3101", "TOTAL", "individual")]["message"] == "ร้อยละ 59.09 (ต้องปรับปรุง)"
