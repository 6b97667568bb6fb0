"""The previous round, read back from its results.csv (the stable contract) into a small typed model."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Mapping, Optional, Sequence

from generator.domain import STATUSES, Status
from generator.render.results_csv import FORMULA_STARTS
from generator.score.ranking import Rank, rank
from generator.score.results import District, DistrictResult, GroupTotal, IndicatorResult
from generator.score.totals import Band, band_of
from generator.thai import round_half_up

REQUIRED = ("round_id", "district_code", "district_name", "group", "indicator", "weight", "level", "score", "status")
TEXT_COLUMNS = ("round_id", "district_code", "district_name", "group", "indicator", "status")
ROUND, CODE, NAME, GROUP, INDICATOR, WEIGHT, LEVEL, SCORE, STATUS = range(len(REQUIRED))   # a row's fields
TOTAL = "TOTAL"
NO_VALUES: Mapping[str, object] = {}   # one empty mapping for all (never written): no computed values are read


class PreviousError(Exception):
    """A previous round's results.csv that cannot be used; the message is Thai with English beside it."""


def unquote(text: str) -> str:
    """The value written as ``'=…``: one leading quote is taken off only where the writer put it."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class PreviousRound:
    """A previous round's results: its id, the file read (path, sha256), every district's levels and totals,
    every indicator code (in its order) and each group's ranking (group → district code → Rank)."""

    round_id: str
    path: Path
    sha256: str
    results: tuple[DistrictResult, ...]
    codes: tuple[str, ...]
    places: Mapping[str, Mapping[str, Rank]]

    @cached_property
    def by_code(self) -> dict[str, DistrictResult]:
        """Results by district code."""
        return {r.district.code: r for r in self.results}

    def ranks(self, group: str) -> Mapping[str, Rank]:
        """The previous round's ranking of a group, by district code."""
        return self.places.get(group, {})

    def only(self, code: str) -> "PreviousRound":
        """The part one district's comparison needs (small, to send to a worker): its result and places."""
        mine = (self.by_code[code],) if code in self.by_code else ()
        return PreviousRound(self.round_id, self.path, self.sha256, mine, self.codes,
                             {g: {code: p[code]} if code in p else {} for g, p in self.places.items()})


def _number(text: str, line: int, column: str) -> Optional[float]:
    """A number field ('' is none)."""
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise PreviousError(f"results.csv ของรอบก่อน บรรทัด {line}: '{column}' ไม่ใช่ตัวเลข"
                            f" (not a number): {text!r}") from None


def _district(code: str, rows: Sequence[tuple[int, tuple[str, ...]]], bands: Sequence[Band]) -> DistrictResult:
    """One district's rows (fields in REQUIRED order) → its result: indicator levels and scores, group totals
    (pct and band by ``bands``)."""
    indicators, totals, missing = [], {}, False
    for line, row in rows:
        score = _number(row[SCORE], line, "score")
        status = _status(row[STATUS], line)
        if row[INDICATOR] != TOTAL:
            level = _number(row[LEVEL], line, "level")
            weight = _number(row[WEIGHT], line, "weight") or 0.0
            indicators.append(IndicatorResult(row[INDICATOR], row[GROUP], weight, status,
                                              None if level is None else int(level), score, NO_VALUES))
        elif status == "missing" or score is None:
            missing = True
        else:
            pct = round_half_up(score / 5 * 100, 2)
            totals[row[GROUP]] = GroupTotal(row[GROUP], score, pct, band_of(pct, bands))
    statuses = {i.status for i in indicators}
    overall: Status = "missing" if missing else next((s for s in _WORST_FIRST if s in statuses), "ok")
    return DistrictResult(District(code, rows[0][1][NAME]), overall, tuple(indicators), {} if missing else totals)


_WORST_FIRST: tuple[Status, ...] = ("error", "warning")


def _status(text: str, line: int) -> Status:
    """A row's status, one of the contract's."""
    for status in STATUSES:
        if text == status:
            return status
    raise PreviousError(f"results.csv ของรอบก่อน บรรทัด {line}: สถานะ {text!r} ไม่รู้จัก (unknown status)")


def read_previous(path: Path, bands: Sequence[Band]) -> PreviousRound:
    """Read a previous round's results.csv (BOM and the CSV-injection quote taken off); PreviousError if unusable."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise PreviousError(f"อ่านผลการประเมินของรอบก่อนไม่ได้ (cannot read the previous round's results.csv):"
                            f" {path}: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PreviousError(f"results.csv ของรอบก่อนต้องเป็น UTF-8 (not UTF-8): {path}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    lacking = [c for c in REQUIRED if c not in header]
    if lacking:
        raise PreviousError(f"results.csv ของรอบก่อนขาดคอลัมน์ {', '.join(lacking)} (missing columns): {path}")
    columns = [(header.index(c), c in TEXT_COLUMNS) for c in REQUIRED]   # only what the comparison reads
    by_district: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    ids = set()
    for line, raw in enumerate(reader, start=2):
        if not raw:
            continue
        cells = raw + [""] * (len(header) - len(raw))
        row = tuple(unquote(cells[i]) if quoted else cells[i].strip() for i, quoted in columns)
        ids.add(row[ROUND])
        by_district.setdefault(row[CODE], []).append((line, row))
    if len(ids) != 1:
        found = sorted(ids) or "ไม่มีข้อมูล"
        raise PreviousError(f"results.csv ของรอบก่อนต้องมีผลของรอบเดียว (one round expected), พบ {found}:"
                            f" {path}")
    results = tuple(_district(code, rows, bands) for code, rows in by_district.items())
    codes = tuple(dict.fromkeys(i.code for r in results for i in r.indicators))
    groups = dict.fromkeys(g for r in results for g in r.totals)
    places = {g: {r.code: r for r in rank(results, g)} for g in groups}
    return PreviousRound(ids.pop(), Path(path), hashlib.sha256(data).hexdigest(), results, codes, places)
