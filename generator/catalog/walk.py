"""Walking a YAML tree with typed, located getters that collect faults instead of stopping at the first."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Optional

from generator.catalog.model import LEVELS, OPS
from generator.domain import ce_date
from generator.problems import Problem


class CatalogError(Exception):
    """A catalog that cannot be used; ``problems`` names every fault found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def parse_date(text: Any) -> dt.date:
    """A catalog date (``2565-09-10`` BE or ``2022-09-10`` CE, string or YAML date) as a CE date."""
    if isinstance(text, dt.date):
        day = text
    else:
        day = dt.date.fromisoformat(str(text).strip())
    return ce_date(day)


class Reader:
    """Walks the YAML tree, collecting faults instead of stopping at the first."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def fault(self, where: str, message: str, code: str = "catalog-invalid") -> None:
        """Record an error at a place of the catalog."""
        self.problems.append(Problem("error", code, f"{where}: {message}", file=self.source))

    def fields(self, raw: Any, where: str, allowed: set[str], required: set[str]) -> dict:
        """Check a mapping's keys: unknown and missing keys are faults."""
        if not isinstance(raw, dict):
            self.fault(where, f"ต้องเป็น mapping (expected a mapping), got {type(raw).__name__}")
            return {}
        for key in sorted(set(raw) - allowed, key=str):
            self.fault(where, f"ไม่รู้จักคีย์ '{key}' (unknown key; allowed: {', '.join(sorted(allowed))})")
        for key in sorted(required - set(raw)):
            self.fault(where, f"ขาดคีย์ '{key}' (missing key)")
        return raw

    def text(self, raw: Any, where: str) -> str:
        """A non-empty Thai text."""
        if not isinstance(raw, str) or not raw.strip():
            self.fault(where, "ไม่มีข้อความภาษาไทย (missing Thai text)")
            return ""
        return raw.strip()

    def number(self, raw: Any, where: str) -> Optional[float]:
        """A number, or a fault."""
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            self.fault(where, f"ต้องเป็นตัวเลข (expected a number), got {raw!r}")
            return None
        return float(raw)

    def op(self, raw: Any, where: str) -> str:
        """A comparison operator."""
        if raw not in OPS:
            self.fault(where, f"ตัวดำเนินการ {raw!r} ไม่ถูกต้อง (op must be one of {', '.join(OPS)})")
            return ">="
        return str(raw)

    def level_map(self, raw: Any, where: str, each: Callable[[Any, str], Any], full: bool) -> dict[int, Any]:
        """A mapping of levels 1..5 (all five when ``full``) to parsed values."""
        if not isinstance(raw, dict):
            self.fault(where, "ต้องเป็น mapping ของระดับ 1..5 (expected a mapping of levels)")
            return {}
        out: dict[int, Any] = {}
        for level, value in raw.items():
            if level not in LEVELS:
                self.fault(where, f"ระดับ {level!r} ไม่ถูกต้อง: ระดับต้องเป็น 1..5 (levels are 1..5)")
                continue
            out[level] = each(value, f"{where}.{level}")
        if full:
            for level in LEVELS:
                if level not in out:
                    self.fault(where, f"ขาดระดับ {level} (missing level {level})")
        return out
