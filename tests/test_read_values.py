"""Value rules: what a district types → typed inputs, or a Problem for that input's indicator only."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.catalog.model import Input
from generator.read.values import (
    BadValue, CellError, Uncomputed, boolean, date, integer, is_percent_format, money, parse, percent, text,
)
from generator.thai import MONTHS, MONTHS_SHORT, thai_digits

MONEY = Input("T1_spent", "money", "เบิกจ่าย/ใช้จ่ายแล้ว", "บาท", "T1")
INT = Input("T2_done", "int", "ดำเนินการแล้ว", "กิจกรรม", "T2")
PCT = Input("I6_pct", "pct", "ร้อยละ", "ร้อยละ", "I6")
BOOL = Input("T3_L1_1", "bool", "ดำเนินกิจกรรมตามแผน", "", "T3")
DATE = Input("T3_L5_date", "date", "วันที่ส่งหลักฐาน", "", "T3")
TEXT = Input("T3_evidence", "text", "หลักฐานอ้างอิง", "", "T3")
SEP_10 = dt.date(2022, 9, 10)


def code_of(fn, raw, fmt: str = "") -> str:
    """The BadValue code a rule raises for a raw value."""
    with pytest.raises(BadValue) as bad:
        fn(raw, fmt)
    return bad.value.code


# numbers ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, want", [
    (1234.5, 1234.5), (0, 0.0), ("1,234.50", 1234.5), (" 85 ", 85.0), ("๘๕", 85.0), ("๑,๒๓๔.๕๐", 1234.5),
    ("８５", 85.0), ("\u200b85\u00a0", 85.0), ("\u202f1,000,000\u2009", 1e6), (".5", 0.5), ("+12", 12.0),
])
def test_money_reads_numbers_and_number_text(raw, want):
    assert money(raw) == want


@pytest.mark.parametrize("raw", [None, "", "   ", "\u200b"])
def test_empty_number_cells_are_none(raw):
    assert money(raw) is None and integer(raw) is None and percent(raw) is None


@pytest.mark.parametrize("raw", ["abc", "1,5", "12 คน", "1.2.3", "1,23,456", "-", "TRUE", True,
                                 dt.datetime(2022, 1, 1)])
def test_number_junk_is_bad_number(raw):
    assert code_of(money, raw) == "bad-number"


@pytest.mark.parametrize("raw", [-5, -0.01, "-5", "\u22125", "-1,234.50"])
def test_negative_numbers_are_errors(raw):
    assert code_of(money, raw) == "negative"


@pytest.mark.parametrize("raw, want", [("1e15", "bad-number"), (1e15, "too-large"), (float("inf"), "too-large"),
                                       (float("nan"), "bad-number")])
def test_huge_nan_and_infinite_numbers_are_errors(raw, want):
    assert code_of(money, raw) == want


def test_int_must_be_whole():
    assert integer(1.0) == 1 and type(integer(1.0)) is int
    assert integer("1,200") == 1200
    assert code_of(integer, 1.5) == "not-whole"
    assert code_of(integer, "2.25") == "not-whole"


def test_pct_text_with_percent_sign():
    assert percent("85%") == 85.0
    assert percent(" ๘๕ % ") == 85.0
    assert code_of(money, "85%") == "bad-number"  # a percent sign in a baht cell is not a number of baht


def test_percent_formatted_cell_holding_a_fraction_is_a_percentage():
    assert percent(0.85, "0%") == 85.0  # exactly, not 85.00000000000001
    assert percent(0.075, "0.00%") == 7.5
    assert percent(1, "0%") == 100.0
    assert percent(85, "General") == 85.0
    assert percent(85, '0"%"') == 85.0  # a quoted % is literal text: the value is already 85


def test_is_percent_format():
    assert is_percent_format("0.0%") and is_percent_format("#,##0.00%;[Red]-0.00%")
    assert not is_percent_format("General") and not is_percent_format('0" %"') and not is_percent_format("0\\%")


def test_pct_must_be_0_to_100():
    assert percent(100) == 100.0 and percent(0) == 0.0
    assert code_of(percent, 100.5) == "pct-range"
    assert code_of(percent, "120%") == "pct-range"
    assert code_of(percent, 1.2, "0%") == "pct-range"


@given(st.floats(min_value=0, max_value=1e11, allow_nan=False))
def test_thousands_separated_text_round_trips(x):
    assert money(f"{x:,.2f}") == float(f"{x:.2f}")


@given(st.integers(min_value=0, max_value=10**11))
def test_thai_digits_read_as_arabic_digits(n):
    assert integer(thai_digits(f"{n:,}")) == integer(str(n)) == n


# ticks --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["✓", "✔", "ใช่", "มี", "TRUE", "true", "1", "x", "X", " ✓ ", "๑", True, 1, 1.0])
def test_true_ticks(raw):
    assert boolean(raw) is True


@pytest.mark.parametrize("raw", [None, "", "  ", "ไม่", "ไม่มี", "FALSE", "false", "0", "✗", False, 0, 0.0])
def test_false_ticks(raw):
    assert boolean(raw) is False


@pytest.mark.parametrize("raw", ["?", "ok", "✓✓", "ทำแล้ว", 2, 0.5, dt.datetime(2022, 1, 1)])
def test_unknown_tick_token_is_an_error(raw):
    assert code_of(boolean, raw) == "bad-bool"


def test_unknown_tick_problem_names_what_is_allowed():
    value, problem = parse(BOOL, "ทำแล้ว")
    assert value is None
    assert problem.code == "bad-bool" and problem.severity == "error"
    assert problem.value == "ทำแล้ว" and "✓" in problem.message and "✓" in problem.expected


# dates --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "10/9/2565", "10/09/65", "10-09-2565", "10.9.2565", "10 ก.ย. 2565", "10 ก.ย. 65", "10 กย 2565", "10ก.ย.2565",
    "๑๐ กันยายน ๒๕๖๕", "10 กันยายน พ.ศ. 2565", "2022-09-10", "2565-09-10", "10/9/2022", " 10/9/2565\u200b",
    dt.datetime(2022, 9, 10), dt.datetime(2022, 9, 10, 13, 30), SEP_10, 44814, 44814.75,
])
def test_date_forms(raw):
    assert date(raw) == SEP_10


def test_date_cell_with_buddhist_year_is_converted():
    assert date(dt.datetime(2565, 9, 10)) == SEP_10  # a Thai user typed 10/9/2565 into an Excel date cell


def test_day_month_order_is_thai():
    assert date("1/2/2565") == dt.date(2022, 2, 1)
    assert date("2565-02-01") == dt.date(2022, 2, 1)


@pytest.mark.parametrize("raw, want", [
    ("31/9/2565", "bad-date"), ("29/2/2565", "bad-date"), ("abc", "bad-date"), ("2565", "bad-date"),
    ("10 foo 2565", "bad-date"), ("10/9", "bad-date"), (True, "bad-date"), (-3, "bad-date"),
    ("10/9/1999", "date-range"), ("10/9/2400", "date-range"), (dt.datetime(1990, 1, 1), "date-range"),
    (dt.datetime(2700, 1, 1), "date-range"), (1, "date-range"), (2565, "date-range"), (1e12, "bad-date"),
])
def test_bad_dates(raw, want):
    assert code_of(date, raw) == want


def test_empty_date_is_none():
    assert date(None) is None and date("  ") is None


DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2056, 12, 31))


@given(DATES)
def test_dates_written_the_thai_ways_round_trip(day):
    be = day.year + 543
    for written in (f"{day.day}/{day.month}/{be}", f"{day.day:02d}/{day.month:02d}/{be % 100:02d}",
                    f"{day.day} {MONTHS_SHORT[day.month - 1]} {be}", f"{day.day} {MONTHS[day.month - 1]} {be % 100}",
                    day.isoformat(), dt.datetime(be, day.month, day.day).isoformat()
                    if not (day.month == 2 and day.day == 29) else day.isoformat()):
        assert date(written) == day, written
        assert date(thai_digits(written)) == day


@given(DATES)
def test_excel_serial_round_trips(day):
    assert date((day - dt.date(1899, 12, 30)).days) == day


# text, formulas, errors ----------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["=SUM(A1)", "  แฟ้ม ๑  ", "+66 81", "@x", "R&D <ok> {{ x }}"])
def test_text_is_kept_exactly(raw):
    assert text(raw) == raw
    assert parse(TEXT, raw) == (raw, None)


def test_text_of_other_cells():
    assert text(None) is None and text("") is None
    assert text(123.0) == "123" and text(dt.datetime(2022, 9, 10)) == "2022-09-10"


@pytest.mark.parametrize("inp", [MONEY, INT, PCT, BOOL, DATE])
def test_formula_without_cached_value_tells_to_save_in_excel(inp):
    value, problem = parse(inp, Uncomputed("C5*2"))
    assert value is None and problem.code == "no-cached-value"
    assert "เปิดไฟล์ใน Excel แล้วบันทึกอีกครั้ง" in problem.message and problem.value == "=C5*2"


@pytest.mark.parametrize("err", ["#DIV/0!", "#N/A", "#REF!", "#VALUE!"])
def test_cached_error_value_is_an_error_for_that_input(err):
    value, problem = parse(MONEY, CellError(err))
    assert value is None and problem.code == "cell-error" and problem.value == err and err in problem.message


def test_problem_names_key_indicator_value_and_expectation():
    value, problem = parse(MONEY, "abc")
    assert value is None
    assert (problem.severity, problem.code, problem.key, problem.indicator, problem.value) == (
        "error", "bad-number", "T1_spent", "T1", "abc")
    assert "ต้องเป็นตัวเลข" in problem.message and "เบิกจ่าย/ใช้จ่ายแล้ว" in problem.message
    assert problem.expected.startswith("จำนวนเงิน")


def test_bad_evidence_text_is_only_a_warning():
    value, problem = parse(TEXT, CellError("#REF!"))
    assert value is None and problem.severity == "warning" and problem.indicator == "T3"


def test_parse_returns_typed_values():
    assert parse(MONEY, "1,234.50") == (1234.5, None)
    assert parse(INT, 12.0) == (12, None) and type(parse(INT, 12.0)[0]) is int
    assert parse(PCT, 0.85, "0%") == (85.0, None)
    assert parse(BOOL, "✓") == (True, None)
    assert parse(DATE, "๑๐ กันยายน ๒๕๖๕") == (SEP_10, None)
