"""generator/thai.py: Thai digits, number formatting and Buddhist Era dates, done without a third-party library."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.thai import (
    MONTHS,
    be_date,
    be_date_short,
    fmt_number,
    thai_digits,
    to_arabic,
)


@pytest.mark.parametrize("text, expected", [
    ("ที่ มท 0412/ว 123", "ที่ มท ๐๔๑๒/ว ๑๒๓"), (2565, "๒๕๖๕"), ("๑๒3", "๑๒๓"), ("no digits", "no digits"),
    ("١٢٣ ²", "١٢٣ ²"),  # only 0–9 become Thai digits: other scripts' digits are left as typed
])
def test_thai_digits(text, expected):
    assert thai_digits(text) == expected


@given(st.text())
def test_thai_and_arabic_digits_go_back_and_forth(text):
    assert to_arabic(thai_digits(to_arabic(text))) == to_arabic(text)


@pytest.mark.parametrize("day, thai, short", [
    (dt.date(2022, 6, 9), "๙ มิถุนายน ๒๕๖๕", "๙ มิ.ย. ๒๕๖๕"),
    (dt.date(2022, 9, 30), "๓๐ กันยายน ๒๕๖๕", "๓๐ ก.ย. ๒๕๖๕"),
    (dt.date(2021, 10, 1), "๑ ตุลาคม ๒๕๖๔", "๑ ต.ค. ๒๕๖๔"),
    (dt.date(2024, 2, 29), "๒๙ กุมภาพันธ์ ๒๕๖๗", "๒๙ ก.พ. ๒๕๖๗"),
])
def test_buddhist_era_dates(day, thai, short):
    assert be_date(day) == thai and be_date_short(day) == short
    assert be_date(day, thai=False) == to_arabic(thai)


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_any_date_is_day_month_and_year_plus_543(day):
    d, month, year = be_date(day, thai=False).split(" ")
    assert (int(d), MONTHS.index(month) + 1, int(year) - 543) == (day.day, day.month, day.year)


@pytest.mark.parametrize("value, places, expected", [
    (1234567, None, "๑,๒๓๔,๕๖๗"), (1234.5, None, "๑,๒๓๔.๕๐"), (2.675, 2, "๒.๖๘"), (None, None, "-"), (0.5, 0, "๑"),
])
def test_fmt_number(value, places, expected):
    assert fmt_number(value, places) == expected
