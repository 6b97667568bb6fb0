"""The domain words: every severity and status has its Thai label, BE dates become CE, a district's label."""

from __future__ import annotations

import datetime as dt
from typing import get_args

from generator import domain


def test_every_severity_and_status_has_one_thai_label():
    assert set(domain.SEVERITY_TH) == set(get_args(domain.Severity))
    assert set(domain.STATUS_TH) == set(get_args(domain.Status))
    assert set(domain.MODES) == set(get_args(domain.Mode)) and set(domain.RULE_KINDS) == set(get_args(domain.RuleKind))


def test_a_year_above_2400_is_buddhist_era():
    assert domain.ce_date(dt.date(2565, 9, 30)) == dt.date(2022, 9, 30)
    assert domain.ce_date(dt.date(2401, 1, 1)) == dt.date(1858, 1, 1)
    assert domain.ce_date(dt.date(2400, 1, 1)) == dt.date(2400, 1, 1)
    assert domain.ce_date(dt.date(2022, 9, 30)) == dt.date(2022, 9, 30)


def test_a_districts_label_is_code_dash_name():
    assert domain.District("3101", "เมืองบุรีรัมย์").label == "3101-เมืองบุรีรัมย์"
