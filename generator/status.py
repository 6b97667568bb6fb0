"""Where a round stands before its deadline: each district's state, file, last save, completeness and problems.

Built from a scored RoundReport (the same reading and scoring as ``run``); decides no level. The values
travel as JSON (``to_json`` / ``from_json`` round-trip) for other programs.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Optional

from generator.catalog.model import Catalog, Input
from generator.problems import Problem
from generator.report import RoundReport
from generator.score.results import DistrictResult

#: The states of a district, most urgent first, with their Thai names.
STATES = {"missing": "ยังไม่ส่ง", "rejected": "ส่งแล้วแต่ใช้ไม่ได้", "error": "มีข้อผิดพลาด",
          "warning": "มีคำเตือน", "ok": "เรียบร้อย"}
NEEDS_ATTENTION = ("missing", "rejected", "error")
WANTED_TYPES = ("money", "int", "pct", "date")  # a blank tick is an answer (not done); evidence text is optional


@dataclass(frozen=True)
class Fill:
    """How many of a group's wanted inputs hold a usable value."""

    group: str
    name: str
    filled: int
    wanted: int

    @property
    def pct(self) -> float:
        """Filled of wanted, in percent (100 when nothing is wanted)."""
        return 100.0 * self.filled / self.wanted if self.wanted else 100.0


@dataclass(frozen=True)
class DistrictStatus:
    """One district in the round so far."""

    code: str
    name: str
    state: str
    file: str = ""
    saved: str = ""                 # ISO time of the workbook's own last save, UTC
    fills: tuple[Fill, ...] = ()
    problems: tuple[Problem, ...] = ()
    empty: tuple[str, ...] = ()     # the wanted inputs still empty (keys)

    @property
    def errors(self) -> int:
        """How many errors."""
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        """How many warnings."""
        return sum(1 for p in self.problems if p.severity == "warning")

    @property
    def state_th(self) -> str:
        """The state in Thai."""
        return STATES[self.state]


@dataclass(frozen=True)
class RoundStatus:
    """Every district of a round, and the days left to its deadline."""

    round_id: str
    today: dt.date
    deadline: Optional[dt.date]
    districts: tuple[DistrictStatus, ...]
    problems: tuple[Problem, ...] = ()      # about files that name no district of the round

    @property
    def days_left(self) -> Optional[int]:
        """Days from today to the deadline (negative once it has passed); None without a deadline."""
        return None if self.deadline is None else (self.deadline - self.today).days

    def count(self, state: str) -> int:
        """How many districts are in a state."""
        return sum(1 for d in self.districts if d.state == state)

    @property
    def attention(self) -> tuple[DistrictStatus, ...]:
        """The districts that need the clerk: not sent, sent unusable, or with errors."""
        return tuple(d for d in self.districts if d.state in NEEDS_ATTENTION)

    @property
    def exit_code(self) -> int:
        """0 when every district sent a usable workbook without errors, 1 otherwise (as ``check``)."""
        return 1 if self.attention else 0

    def to_json(self) -> str:
        """The status as JSON for other programs (dates ISO, problems with every field)."""
        data = asdict(self)
        data.update(today=self.today.isoformat(), deadline=self.deadline and self.deadline.isoformat(),
                    days_left=self.days_left, exit_code=self.exit_code)
        for d, district in zip(data["districts"], self.districts):
            d.update(state_th=district.state_th, errors=district.errors, warnings=district.warnings)
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "RoundStatus":
        """A status read back from ``to_json``."""
        data = json.loads(text)
        districts = tuple(_district(d) for d in data["districts"])
        return cls(data["round_id"], dt.date.fromisoformat(data["today"]),
                   dt.date.fromisoformat(data["deadline"]) if data["deadline"] else None, districts,
                   tuple(Problem(**p) for p in data["problems"]))


def _district(d: dict[str, Any]) -> DistrictStatus:
    """A district read back from JSON."""
    return DistrictStatus(d["code"], d["name"], d["state"], d["file"], d["saved"],
                          tuple(Fill(**f) for f in d["fills"]), tuple(Problem(**p) for p in d["problems"]),
                          tuple(d["empty"]))


def wanted_inputs(catalog: Catalog, group: Optional[str] = None) -> tuple[Input, ...]:
    """The inputs a district is expected to fill (numbers and dates), of one group or all."""
    return tuple(i for ind in catalog.indicators if group in (None, ind.group)
                 for i in ind.inputs if i.type in WANTED_TYPES)


def unusable_inputs(catalog: Catalog, result: DistrictResult) -> tuple[str, ...]:
    """The wanted inputs of a scored district with no usable value (empty, or typed wrong)."""
    return tuple(i.key for i in wanted_inputs(catalog) if result.inputs.get(i.key) is None)


def empty_inputs(catalog: Catalog, result: DistrictResult) -> tuple[str, ...]:
    """The wanted inputs of a scored district left empty (no value, and no problem about what was typed)."""
    typed_wrong = {p.key for p in result.problems if p.key}
    return tuple(k for k in unusable_inputs(catalog, result) if k not in typed_wrong)


def _fills(catalog: Catalog, empty: set[str]) -> tuple[Fill, ...]:
    """Filled (with a usable value) of wanted, per group."""
    out = []
    for g in catalog.groups:
        keys = [i.key for i in wanted_inputs(catalog, g.key)]
        out.append(Fill(g.key, g.name, sum(1 for k in keys if k not in empty), len(keys)))
    return tuple(out)


def _state(result: DistrictResult) -> str:
    """missing (nothing came), rejected (files came, none usable), error, warning or ok."""
    if result.status == "missing":
        return "rejected" if any(p.file for p in result.problems) else "missing"
    severities = {p.severity for p in result.problems}
    return "error" if "error" in severities else "warning" if "warning" in severities else "ok"


def district_status(catalog: Catalog, result: DistrictResult, saved: Optional[dt.datetime]) -> DistrictStatus:
    """One district's status from its full scored result and its workbook's last save."""
    d = result.district
    state = _state(result)
    if result.status == "missing":
        files = sorted({p.file for p in result.problems if p.file})
        return DistrictStatus(d.code, d.name, state, ", ".join(files), problems=result.problems)
    stamp = saved.astimezone(dt.timezone.utc).isoformat(timespec="seconds") if saved else ""
    return DistrictStatus(d.code, d.name, state, result.file, stamp,
                          _fills(catalog, set(unusable_inputs(catalog, result))), result.problems,
                          empty_inputs(catalog, result))


def round_status(report: RoundReport, saved: dict[str, dt.datetime], today: dt.date) -> RoundStatus:
    """The round's status from its full scored report and each used workbook's last save (by file name)."""
    districts = tuple(district_status(report.catalog, r, saved.get(r.file)) for r in report.results)
    return RoundStatus(report.round.id, today, report.round.deadline, districts, report.problems)


def saved_times(folder: Path, names: list[str]) -> dict[str, dt.datetime]:
    """When each named workbook of the submissions folder was last saved, as the reader decides it: its own
    last-saved property, else the file's modification time."""
    from lxml import etree

    from generator.read.safety import Unsafe, open_zip
    from generator.read.xlsx import saved_at

    out = {}
    for name in names:
        path = folder / name
        try:
            with open_zip(path) as z:
                stamp = saved_at(z)
        except (Unsafe, OSError, ValueError, etree.LxmlError):
            stamp = None
        out[name] = stamp or dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    return out
