"""Properties of the value rules over anything a cell can hold: a typed value inside its rule, or a located
Problem; never an exception, never a value outside the rule."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.catalog.model import Input
from generator.read.values import MAX_NUMBER, YEARS, CellError, Uncomputed, clean, integer, money, parse, percent

INPUTS = [Input(f"K_{t}", t, f"ช่อง {t}", "หน่วย", "T9") for t in ("money", "int", "pct", "bool", "date", "text")]
WINDOW = (dt.date(2020, 1, 1), dt.date(2023, 12, 31))
RAW = st.one_of(
    st.none(), st.text(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), st.datetimes(), st.dates(),
    st.builds(CellError, st.text(max_size=8)), st.builds(Uncomputed, st.text(max_size=8)),
    st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙０１２３４５６７８９,.%-+ /\u200b\u00a0กยส", max_size=14),
)
FORMATS = st.sampled_from(["", "General", "0%", "0.00%", "d/m/yyyy", '0" %"', "#,##0.00", "[$-th-TH,107]d mmm yy"])
INVISIBLE = st.sampled_from(["", " ", "\u00a0", "\u200b", "\ufeff", "\u2009", "\t", "\u200b \u00a0"])
WIDE = str.maketrans("0123456789,.%", "０１２３４５６７８９，．％")


def inside_rule(kind: str, value) -> bool:
    """Whether a typed value keeps its type's rule."""
    if value is None:
        return kind != "bool"
    return {
        "money": lambda v: type(v) is float and 0 <= v <= MAX_NUMBER,
        "int": lambda v: type(v) is int and 0 <= v <= MAX_NUMBER,
        "pct": lambda v: type(v) is float and 0 <= v <= 100,
        "bool": lambda v: type(v) is bool,
        "date": lambda v: type(v) is dt.date and WINDOW[0] <= v <= WINDOW[1] and YEARS[0] <= v.year <= YEARS[1],
        "text": lambda v: type(v) is str and v != "",
    }[kind](value)


@settings(max_examples=400, deadline=None)
@given(RAW, FORMATS)
def test_any_raw_value_gives_a_value_inside_the_rule_or_a_located_problem(raw, fmt):
    for inp in INPUTS:
        value, problem = parse(inp, raw, fmt, WINDOW)
        if problem is None:
            assert inside_rule(inp.type, value), (inp.type, raw, fmt, value)
        else:
            assert value is None and (problem.key, problem.indicator) == (inp.key, "T9")
            assert problem.severity == ("warning" if inp.type == "text" else "error")
            assert problem.code and problem.message.startswith(f"{inp.label} ({inp.unit}): ") and problem.expected


@given(st.integers(0, 10**11), INVISIBLE, INVISIBLE, st.booleans(), st.booleans())
def test_spaces_invisible_characters_and_full_width_digits_do_not_change_a_number(n, before, after, wide, grouped):
    written = f"{n:,}" if grouped else str(n)
    typed = before + (written.translate(WIDE) if wide else written) + after
    assert money(typed) == float(n) and integer(typed) == n


@given(st.decimals(0, 100, places=2), INVISIBLE, st.booleans())
def test_percent_sign_and_percent_formatted_fractions(x, space, wide):
    text = f"{x}{space}%"
    assert percent(text.translate(WIDE) if wide else text) == float(x)
    assert math.isclose(percent(float(x) / 100, "0.00%"), float(x), abs_tol=1e-9)


@given(st.text())
def test_clean_is_idempotent(text):
    assert clean(clean(text)) == clean(text)
