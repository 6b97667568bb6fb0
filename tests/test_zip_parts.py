"""Archives written in one piece: laid out as zipfile lays them out, members intact, small ones made once."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from generator.render import zip_parts
from generator.render.zip_parts import Entry, archive, deflated

PARTS = [("[Content_Types].xml", b"<Types/>" * 40), ("xl/ไทย.xml", "ข้อความไทย".encode() * 500),
         ("word/media/image1.png", bytes(range(256)) * 8), ("empty.xml", b"")]
DAY = dt.date(2022, 6, 9)


def test_stored_archive_is_byte_for_byte_what_zipfile_writes():
    ours = archive([Entry.of(name, data, stored=True) for name, data in PARTS], DAY)
    theirs = io.BytesIO()
    with zipfile.ZipFile(theirs, "w") as z:
        for name, data in PARTS:
            info = zipfile.ZipInfo(name, date_time=(DAY.year, DAY.month, DAY.day, 0, 0, 0))
            info.create_system, info.external_attr = 3, 0o644 << 16
            z.writestr(info, data)
    assert ours == theirs.getvalue()


def test_deflated_members_read_back_intact():
    data = archive([Entry.of(name, payload) for name, payload in PARTS], DAY)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        assert [(i.filename, z.read(i)) for i in z.infolist()] == PARTS
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}
        assert z.getinfo("xl/ไทย.xml").flag_bits & 0x800    # a non-ASCII name is flagged UTF-8
        assert z.infolist()[0].date_time == (2022, 6, 9, 0, 0, 0)


def test_a_small_member_is_deflated_once_a_large_one_each_time():
    zip_parts._remembered.cache_clear()
    small, large = b"<a/>" * 100, b"x" * (zip_parts.REMEMBER_MAX + 1)
    assert deflated("s.xml", small) is deflated("s.xml", bytes(small))
    assert deflated("l.xml", large) is not deflated("l.xml", large)
    assert deflated("l.xml", large) == deflated("l.xml", large)


def test_an_archive_too_large_for_a_plain_zip_is_refused(monkeypatch):
    monkeypatch.setattr(zip_parts, "PLAIN_ZIP_MAX", 100)
    with pytest.raises(ValueError, match="zip64"):
        archive([Entry.of("big.bin", bytes(200), stored=True)], DAY)


def test_the_record_layouts_are_zipfiles():
    """zip_parts keeps its own copy of APPNOTE's records; they must stay what zipfile (private names) writes."""
    assert (zip_parts.LOCAL_HEADER.format, zip_parts.LOCAL_MAGIC) == (zipfile.structFileHeader, zipfile.stringFileHeader)
    assert (zip_parts.CENTRAL_HEADER.format, zip_parts.CENTRAL_MAGIC) == (zipfile.structCentralDir, zipfile.stringCentralDir)
    assert (zip_parts.END_RECORD.format, zip_parts.END_MAGIC) == (zipfile.structEndArchive.decode(), zipfile.stringEndArchive)
    assert zip_parts.VERSION == zipfile.DEFAULT_VERSION
