"""results.csv: one row per district × indicator and a TOTAL row per district × group (UTF-8 with BOM)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Optional

from generator.render.atomic import write_bytes
from generator.report import RoundReport
from generator.score.compare import NONE, DistrictChange, direction
from generator.score.results import DistrictResult

COLUMNS = ("round_id", "district_code", "district_name", "group", "indicator", "weight", "level", "score",
           "status", "message")
# OWASP CSV injection: = + - @ tab CR; also LF and NUL (OWASP ASVS 1.2.10) and the full-width forms an IME types
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: appended when the round is compared with a previous one (see README, "Comparing with the previous round")
TREND_COLUMNS = ("previous_indicator", "previous_level", "previous_score", "change", "trend")
NUMBER_COLUMNS = frozenset((COLUMNS + TREND_COLUMNS).index(c) for c in ("weight", "level", "score", "previous_level",
                                                                        "previous_score", "change"))


def safe_text(text: str) -> str:
    """Neutralise spreadsheet formula injection (OWASP): prefix a risky first character with a quote."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _safe_row(row: tuple) -> tuple:
    """Every text field of a row made safe; the number fields are ours and left as they are."""
    return tuple(v if i in NUMBER_COLUMNS else safe_text(v) for i, v in enumerate(row))


def number(value: float | None) -> str:
    """A number with '.' decimals, no thousands separator and no trailing zeros; '' for None."""
    if value is None:
        return ""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _rows(report: RoundReport, result: DistrictResult) -> list[tuple]:
    """The rows of one district."""
    base = (report.round.id, result.district.code, result.district.name)
    rows = [base + (r.group, r.code, number(r.weight), "" if r.level is None else str(r.level), number(r.score),
                    r.status, r.message) for r in result.indicators]
    for g in report.catalog.groups:
        weight = sum(r.weight for r in result.indicators if r.group == g.key)
        total = result.totals.get(g.key)
        if total is None:
            rows.append(base + (g.key, "TOTAL", number(weight), "", "", "missing", "ไม่มีแบบรายงานที่ใช้ได้"))
            continue
        note = f"ร้อยละ {total.pct:.2f} ({total.band})"
        if total.unscored:
            note += f"; ไม่ได้คะแนน (unscored, counted 0): {', '.join(total.unscored)}"
        rows.append(base + (g.key, "TOTAL", number(weight), "", number(total.total),
                            "warning" if total.unscored else "ok", note))
    return rows


def _trend(change: Optional[DistrictChange], row: tuple) -> tuple:
    """The trend columns of one row (an indicator's or a group TOTAL's)."""
    if change is None:
        return ("", "", "", "", NONE)
    if row[4] == "TOTAL":
        g = change.groups[row[3]]
        return ("TOTAL" if g.total_then is not None else "", "", number(g.total_then), number(g.total_change),
                direction(g.total_change))
    i = change.indicator(row[4])
    return (i.previous_code, "" if i.level_then is None else str(i.level_then), number(i.score_then),
            number(i.change), i.trend)


def render_results_csv(report: RoundReport) -> bytes:
    """The bytes of results.csv (with the trend columns appended when the round is compared)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    comparison = report.comparison
    writer.writerow(COLUMNS + (TREND_COLUMNS if comparison else ()))
    for result in report.results:
        rows = _rows(report, result)
        if comparison is not None:
            change = comparison.districts.get(result.district.code)
            rows = [row + _trend(change, row) for row in rows]
        writer.writerows(_safe_row(row) for row in rows)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def write_results_csv(path: Path, report: RoundReport) -> None:
    """Write results.csv atomically."""
    write_bytes(path, render_results_csv(report))
