"""The print font: TH Sarabun New's metrics for LibreOffice, made from TLWG's Laksaman.

The letters ask for TH Sarabun New 16 pt, as Word prints them. Where that font is not installed,
LibreOffice used to take Laksaman (TLWG's GPL + font-exception derivative of TH Sarabun New) at full
size: its glyphs are drawn 1.503 times larger per em, so 16 pt printed like 24 pt (fontconfig's 0.66
"synthetic TH Sarabun" matrix is not applied by LibreOffice). Here Laksaman's regular and bold faces
are scaled by 1000/1503 (widths then equal TH Sarabun New's: ก 386, a 344, 1 362, ๑ 449 per 1000,
ascender 850, descender -250) and renamed TH Sarabun New, TH SarabunIT๙ and TH SarabunPSK, with the
licence and copyright notices kept and the change said in the copyright notice (the GPL's font
exception allows modified versions). They are made once per machine in a cache folder under the
temporary folder (never under HOME) and copied into the throw-away LibreOffice profile's
``user/fonts``, which LibreOffice reads at start.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Optional

SOURCE_ENV = "KPI_LAKSAMAN_DIR"     # a folder holding Laksaman.ttf and Laksaman-Bold.ttf, when elsewhere
SOURCE_DIRS = ("/usr/share/fonts/truetype/tlwg", "/usr/share/fonts/tlwg", "/usr/share/fonts/TTF",
               "/usr/local/share/fonts", "/usr/share/fonts/truetype")
FACES = {"Regular": "Laksaman.ttf", "Bold": "Laksaman-Bold.ttf"}
#: Family name → PostScript name prefix: the names the templates (and offices' own edits) ask for.
FAMILIES = {"TH Sarabun New": "THSarabunNew", "TH SarabunIT๙": "THSarabunIT9", "TH SarabunPSK": "THSarabunPSK"}
LAKSAMAN_UPEM = 1503                # Laksaman's glyphs per TH Sarabun New's 1000 units
VERSION = "1"                       # bump when the making changes: a new cache folder
INSTALL_HINT = ("ติดตั้งฟอนต์ Laksaman (Debian/Ubuntu: sudo apt-get install fonts-tlwg-laksaman) "
                "หรือติดตั้งฟอนต์ TH Sarabun New / TH SarabunIT๙ ในเครื่อง แล้วรันคำสั่งอีกครั้ง")


def laksaman_sources() -> Optional[dict[str, Path]]:
    """Laksaman's regular and bold files ($KPI_LAKSAMAN_DIR, the usual folders, then fontconfig), or None."""
    env = os.environ.get(SOURCE_ENV)
    folders = [Path(env)] if env else [Path(d) for d in SOURCE_DIRS] + _fc_folders()
    for folder in folders:
        found = {style: folder / name for style, name in FACES.items()}
        if all(p.is_file() for p in found.values()):
            return found
    return None


def _fc_folders() -> list[Path]:
    """The folder fontconfig knows Laksaman in (none without fc-match)."""
    fc = shutil.which("fc-match")
    if not fc:
        return []
    try:
        out = subprocess.run([fc, "-f", "%{file}", "Laksaman:style=Regular"], capture_output=True, timeout=20,
                             check=False).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [Path(out).parent] if out.endswith(FACES["Regular"]) else []


def print_fonts() -> list[Path]:
    """The scaled, renamed faces (made once per machine and Laksaman version); [] without Laksaman or fontTools."""
    sources = laksaman_sources()
    if sources is None:
        return []
    digest = hashlib.sha256(VERSION.encode())
    for path in sources.values():
        digest.update(path.read_bytes())
    cache = Path(tempfile.gettempdir()) / f"kpi-report-fonts-{_uid()}" / digest.hexdigest()[:16]
    wanted = [cache / f"{ps}-{style}.ttf" for ps in FAMILIES.values() for style in FACES]
    if all(p.is_file() for p in wanted):
        return wanted
    try:
        _make(sources, cache)
    except (ImportError, OSError, ValueError, KeyError):
        return []
    return wanted


def _uid() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")


def _make(sources: dict[str, Path], cache: Path) -> None:
    """Write every family's faces into ``cache`` (each file under a temporary name, then renamed)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    cache.mkdir(parents=True, exist_ok=True)
    for style, source in sources.items():
        font = TTFont(source)
        font["head"].unitsPerEm = LAKSAMAN_UPEM
        scale_upem(font, 1000)
        _drop_hinting(font)
        for family, ps in FAMILIES.items():
            _rename(font, family, style, ps)
            target = cache / f"{ps}-{style}.ttf"
            fd, tmp = tempfile.mkstemp(prefix=".font-", dir=cache)
            os.close(fd)
            font.save(tmp)
            os.replace(tmp, target)


def _drop_hinting(font: Any) -> None:
    """TrueType instructions were written for Laksaman's scale: dropped, the rasteriser's own hinting is used."""
    for table in ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX"):
        if table in font:
            del font[table]
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if hasattr(glyph, "program"):
            glyph.removeHinting()
    font["maxp"].maxSizeOfInstructions = 0


def _rename(font: Any, family: str, style: str, ps: str) -> None:
    """Name the face ``family`` ``style``; the copyright notice says what was changed, the licence is kept."""
    name = font["name"]
    notice = name.getDebugName(0) or ""
    full = family if style == "Regular" else f"{family} {style}"
    postscript = ps if style == "Regular" else f"{ps}-{style}"
    for name_id in (16, 17, 21, 22):
        name.removeNames(nameID=name_id)
    changed = ("Scaled to TH Sarabun New's metrics (1000/1503) and renamed by kpi-report from Laksaman "
               "(fonts-tlwg-laksaman); same licence.")
    values = {0: notice if changed in notice else f"{notice}\n\n{changed}", 1: family, 2: style,
              3: f"kpi-report:{postscript}:{VERSION}", 4: full, 6: postscript}
    for name_id, text in values.items():
        name.removeNames(nameID=name_id)
        name.setName(text, name_id, 3, 1, 0x409)
