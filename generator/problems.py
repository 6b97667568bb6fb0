"""Problems are values: what went wrong, where, and a Thai message for the clerk."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

from generator.domain import SEVERITY_TH, Severity


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a round, a catalog or a submission."""

    severity: Severity
    code: str
    message: str
    district: str = ""
    file: str = ""
    sheet: str = ""
    cell: str = ""
    key: str = ""
    indicator: str = ""
    value: str = ""
    expected: str = ""

    def at(self, **where: str) -> "Problem":
        """Return a copy with location fields filled in."""
        return replace(self, **cast("dict[str, Any]", where))  # location fields only, all text

    @property
    def place(self) -> str:
        """Where in a submission, in Thai: file, sheet!cell and key."""
        parts = []
        if self.file:
            parts.append(f"ไฟล์ {self.file}")
        if self.sheet or self.cell:
            parts.append(f"เซลล์ {self.sheet}!{self.cell}" if self.sheet else f"เซลล์ {self.cell}")
        if self.key:
            parts.append(f"({self.key})")
        return " ".join(parts)

    @property
    def where(self) -> str:
        """A short Thai location: district, then file, sheet!cell and key."""
        return " ".join(part for part in (f"อำเภอ {self.district}" if self.district else "", self.place) if part)

    def __str__(self) -> str:
        label = SEVERITY_TH[self.severity]
        where = self.where
        return f"{label} [{self.code}] {where}: {self.message}" if where else f"{label} [{self.code}] {self.message}"

