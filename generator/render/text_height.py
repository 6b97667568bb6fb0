"""How tall a wrapped text stands in a spreadsheet cell: the one estimator for forms, scorecards, summary and feedback."""

from __future__ import annotations

import math
import re
from functools import lru_cache

FONT = "TH Sarabun New"        # the workbooks' body text, which the estimate is measured for
SIZE = 14
LINE_PT = 23.5                 # one line of 14 pt TH Sarabun New (or Laksaman), with its tall Thai marks
MAX_ROW_PT = 400.0             # Excel refuses rows above 409 pt
CHAR_PER_WIDTH = 0.92          # Thai letters per Excel column-width unit at 14 pt, less word-wrap slack
BOLD_WIDTH = 0.9               # a bold letter is about a tenth wider

_NARROW = re.compile("[\x00-\u0dff]")  # Latin letters, digits, punctuation: a quarter narrower than a Thai letter
_MARKS = dict.fromkeys([0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F), 0x200B, 0x2060])


@lru_cache(maxsize=4096)
def lines_needed(text: str, width: float, size: float = SIZE, bold: bool = False) -> int:
    """Lines a wrapped text needs in a cell ``width`` column units wide: a Thai letter takes about one unit at
    14 pt, a Latin letter or digit three quarters, Thai marks above and below a letter none (a safe overestimate)."""
    per_line = max(1.0, width * CHAR_PER_WIDTH * (BOLD_WIDTH if bold else 1.0) * SIZE / size)
    lines = 0
    for part in text.split("\n"):
        part = part.translate(_MARKS)
        lines += max(1, math.ceil((len(part) - 0.25 * len(_NARROW.findall(part))) / per_line))
    return lines


def row_height(text: str, width: float, size: float = SIZE, bold: bool = False) -> float:
    """The row height (points) showing a wrapped text whole, capped at Excel's limit."""
    return min(MAX_ROW_PT, lines_needed(text, width, size, bold) * LINE_PT * size / SIZE + 4)
