"""Zip archives (xlsx, docx) written in one piece: each member deflated once, laid out as zipfile lays it out.

A round writes hundreds of workbooks and letters whose parts are mostly the same bytes (theme, styles,
relationships, a template's pictures); a member made once is reused, and the archive is one write
instead of zipfile's header, data and seek-back per member. Members are deflated by zlib-ng, which at
level 1 takes a quarter of zlib's time for a tenth more bytes; any inflater reads them.
"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from dataclasses import dataclass
from functools import lru_cache

from zlib_ng import zlib_ng

UNIX_FILE = 0o644 << 16      # external attributes: a regular file, rw-r--r--
MADE_ON_UNIX = 3
PLAIN_ZIP_MAX = 0xFFFFFFFF   # sizes and offsets beyond this need zip64, which nothing here comes near
# The records of PKWARE's APPNOTE.TXT (4.3.7 local file header, 4.3.12 central directory header, 4.3.16 end of
# central directory), as zipfile writes them: our own copy, not zipfile's private names (tests compare the two).
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
LOCAL_MAGIC = b"PK\x03\x04"
CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
CENTRAL_MAGIC = b"PK\x01\x02"
END_RECORD = struct.Struct("<4s4H2LH")
END_MAGIC = b"PK\x05\x06"
VERSION = 20                 # 2.0: deflate, as zipfile's DEFAULT_VERSION
REMEMBER_MAX = 16 * 1024     # members up to this size are remembered (the ones that repeat are small)
DEFLATE_LEVEL = 1            # zlib-ng's quickest: XML deflates to about a fifth


@dataclass(frozen=True)
class Entry:
    """A zip member ready to be written: its name, flags, method, CRC and size, and its stored bytes."""

    name: bytes
    flags: int
    method: int
    crc: int
    size: int
    data: bytes

    @classmethod
    def of(cls, name: str, data: bytes, stored: bool = False) -> "Entry":
        """A member deflated (or stored as it is: pictures are compressed already)."""
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800       # the UTF-8 name flag
        if stored:
            return cls(encoded, flags, zipfile.ZIP_STORED, zlib_ng.crc32(data), len(data), data)
        deflate = zlib_ng.compressobj(DEFLATE_LEVEL, zlib_ng.DEFLATED, -15)
        return cls(encoded, flags, zipfile.ZIP_DEFLATED, zlib_ng.crc32(data), len(data),
                   deflate.compress(data) + deflate.flush())


@lru_cache(maxsize=32)
def _remembered(name: str, data: bytes) -> Entry:
    return Entry.of(name, data)


def deflated(name: str, data: bytes) -> Entry:
    """A deflated member; a small one is made once per process and reused when the same bytes come again."""
    return _remembered(name, data) if len(data) <= REMEMBER_MAX else Entry.of(name, data)


def archive(entries: list[Entry], day: dt.date) -> bytes:
    """A whole zip archive laid out byte for byte as zipfile writes it, every member dated ``day`` 00:00."""
    date = (max(day.year, 1980) - 1980) << 9 | day.month << 5 | day.day
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        fields = (e.flags, e.method, 0, date, e.crc, len(e.data), e.size, len(e.name))
        head = LOCAL_HEADER.pack(LOCAL_MAGIC, VERSION, 0, *fields, 0) + e.name
        central.append(CENTRAL_HEADER.pack(CENTRAL_MAGIC, VERSION, MADE_ON_UNIX, VERSION, 0, *fields, 0, 0, 0, 0,
                                           UNIX_FILE, offset) + e.name)
        local += (head, e.data)
        offset += len(head) + len(e.data)
        if offset > PLAIN_ZIP_MAX or e.size > PLAIN_ZIP_MAX or len(entries) > 0xFFFF:
            raise ValueError("archive too large for a plain zip (zip64 not written here)")
    directory = b"".join(central)
    end = END_RECORD.pack(END_MAGIC, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(local) + directory + end
