"""What a rendered letter gets before it is written: its names, terms, dates and amounts held together on one
line (print_text.KeepTogether) and, when the round names one, the real ครุฑ in place of the placeholder,
at the template's height and the picture's own proportions."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from generator.render.print_text import KeepTogether

_DRAWING = re.compile(r"<w:drawing>.*?</w:drawing>", re.DOTALL)
_EXTENT = re.compile(r'(<(?:wp:extent|a:ext) cx=")(\d+)(" cy=")(\d+)(")')
_HELD = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
GARUDA_NAME = 'name="Garuda"'


def picture_size(data: bytes) -> Optional[tuple[int, int]]:
    """Width and height in pixels of a PNG or JPEG picture, or None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return w, h
            i += 2 + length
    return None


@dataclass(frozen=True)
class PrintFinish:
    """A round's finishing of rendered letters: terms held together, the emblem put in (None: the placeholder)."""

    keep: KeepTogether
    garuda: Optional[bytes] = None
    placeholder: bytes = b""        # the templates' placeholder picture, whose media parts the emblem replaces
    names: tuple[str, ...] = ()     # this document's district names, held together too

    def __call__(self, parts: dict[str, bytes], media: dict[str, bytes]) -> dict[str, bytes]:
        """The rendered parts, finished; the placeholder's media part replaced by the emblem."""
        out = {}
        for name, data in parts.items():
            if _HELD.fullmatch(name):
                text = self.keep.xml(data.decode("utf-8"), self.names)
                if self.garuda is not None and GARUDA_NAME in text:
                    text = _DRAWING.sub(lambda m: self._resize(m[0]), text)
                data = text.encode("utf-8")
            out[name] = data
        if self.garuda is not None:
            out.update({name: self.garuda for name, data in media.items() if data == self.placeholder})
        return out

    def _resize(self, drawing: str) -> str:
        """The emblem's drawing at its height with the emblem's width."""
        size = picture_size(self.garuda or b"")
        if GARUDA_NAME not in drawing or not size or not size[1]:
            return drawing
        ratio = size[0] / size[1]
        return _EXTENT.sub(lambda m: f"{m[1]}{round(int(m[4]) * ratio)}{m[3]}{m[4]}{m[5]}", drawing)


def district_names(names: Sequence[str]) -> tuple[str, ...]:
    """The ways a district is named in print: ประโคนชัย, อำเภอประโคนชัย, นายอำเภอ…, พัฒนาการอำเภอ…."""
    return tuple(f"{prefix}{n}" for n in names for prefix in ("", "อำเภอ", "นายอำเภอ", "พัฒนาการอำเภอ"))


@lru_cache(maxsize=8)
def make_finish(terms: tuple[str, ...], garuda: Optional[str], placeholder: Optional[str],
                districts: tuple[str, ...] = ()) -> PrintFinish:
    """The finishing of a round's documents (made once per process): its terms and every way its districts are
    named held together (a name is never broken, whichever letter it stands in), its emblem read once."""
    emblem = Path(garuda).read_bytes() if garuda else None
    box = Path(placeholder).read_bytes() if emblem and placeholder and Path(placeholder).is_file() else b""
    return PrintFinish(KeepTogether(terms), emblem, box, district_names(districts))
