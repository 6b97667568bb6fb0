"""One safe file name for every file the project writes (forms, scorecards, letters, PDFs).

A name from round.toml (``<code>-<district name>``) may hold anything. ``safe_name`` gives a single path
component that Windows, macOS and Linux all accept and that never leaves the folder it is joined to:
path separators and the characters Windows forbids become ``_``; control, line-separator and bidi-override
characters too; ``..`` is broken up and leading or trailing dots and spaces go (Windows drops trailing ones);
a reserved device name (CON, PRN, AUX, NUL, COM0–9, LPT0–9, CONIN$, CONOUT$) gets a leading ``_``; and the
name is cut to ``MAX_NAME_BYTES`` of UTF-8 (a short digest of the full name kept, so two long names stay
apart), well inside Linux's 255 bytes and Windows' 255 characters per name and 260 per path.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterable

from generator.problems import Problem

#: A name's bytes in UTF-8 with its suffix: a Thai letter takes 3, so some 35 Thai letters after the code, and
#: room left for the temporary names (``.<name>.<id>.partial``) and a Windows path of ~130 characters.
MAX_NAME_BYTES = 120
_DIGEST = 6
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]')
_DOTS = re.compile(r"\.{2,}")
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789¹²³")}


def _fix_ends(stem: str) -> str:
    """A stem without leading or trailing dots and spaces; ``_`` when nothing is left."""
    return stem.strip(" .") or "_"


def _clean(stem: str) -> str:
    """Forbidden and invisible-control characters replaced, dot runs broken up, the ends fixed, reserved avoided."""
    stem = _FORBIDDEN.sub("_", unicodedata.normalize("NFC", stem))
    stem = "".join("_" if unicodedata.category(c) == "Cc" else c for c in stem)
    stem = _fix_ends(_DOTS.sub("_", stem))
    return f"_{stem}" if stem.split(".")[0].rstrip(" ").upper() in _RESERVED else stem


def safe_name(stem: str, suffix: str = "", limit: int = MAX_NAME_BYTES) -> str:
    """``stem + suffix`` as a safe single file name of at most ``limit`` UTF-8 bytes (``suffix`` is ours: '.xlsx')."""
    clean = _clean(stem)
    if len((clean + suffix).encode("utf-8")) <= limit:
        return clean + suffix
    digest = hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:_DIGEST]
    room = limit - len(suffix.encode("utf-8")) - _DIGEST - 1
    cut = clean.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f"{_fix_ends(cut)}~{digest}{suffix}"


def changed_names(labels: Iterable[tuple[str, str]], suffix: str) -> list[Problem]:
    """A warning for each (district code, label) whose file name had to change, and an error for two districts
    whose file names would be the same (Windows and macOS ignore case)."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for code, label in labels:
        name = safe_name(label, suffix)
        if name != label + suffix:
            problems.append(Problem("warning", "file-name-changed",
                                    f"ชื่อไฟล์ของอำเภอนี้มีอักขระที่ใช้ในชื่อไฟล์ไม่ได้หรือยาวเกินไป จึงใช้ชื่อ {name}"
                                    " (file name made safe)", district=code, value=label + suffix, expected=name))
        other = seen.setdefault(name.casefold(), code)
        if other != code:
            problems.append(Problem("error", "file-name-clash",
                                    f"อำเภอ {other} และอำเภอ {code} ได้ชื่อไฟล์เดียวกัน ({name}): แก้รหัสหรือชื่ออำเภอใน"
                                    " round.toml (two districts get the same file name)", district=code, value=name))
    return problems
