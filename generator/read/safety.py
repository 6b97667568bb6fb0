"""Untrusted files: tell what a file really is, and open an xlsx zip only within size limits."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Optional

MAX_FILE_BYTES = 50 * 2**20  # a collection workbook is well under 1 MB
MAX_UNZIPPED_BYTES = 200 * 2**20  # every member together, as declared and as enforced while reading
MAX_RATIO = 200  # uncompressed / compressed for a member over RATIO_FLOOR: more is a zip bomb
RATIO_FLOOR = 2**20
MAX_MEMBERS = 10_000

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"

# what a file that is not an xlsx workbook is, and what the clerk should do about it (Thai)
KINDS = {
    "empty": "ไฟล์ว่างเปล่า (0 ไบต์): ขอไฟล์จากอำเภอใหม่",
    "encrypted": "ไฟล์ Excel ที่ตั้งรหัสผ่านไว้ (encrypted): ให้อำเภอเอารหัสผ่านออก"
                 " (ไฟล์ > ข้อมูล > ป้องกันเวิร์กบุ๊ก) แล้วส่งใหม่",
    "xls": "ไฟล์ Excel รุ่นเก่า .xls (Excel 97-2003): เปิดใน Excel แล้วบันทึกเป็น .xlsx (บันทึกเป็น > สมุดงาน Excel)",
    "ole": "ไฟล์ Office รุ่นเก่าที่ไม่ใช่สมุดงาน Excel (เช่น .doc): ขอแบบเก็บข้อมูล .xlsx จากอำเภอ",
    "pdf": "ไฟล์ PDF ไม่ใช่สมุดงาน Excel: ขอไฟล์ .xlsx ตัวจริงจากอำเภอ (ไฟล์ PDF ใช้เป็นหลักฐานได้ แต่อ่านค่าไม่ได้)",
    "image": "ไฟล์รูปภาพ ไม่ใช่สมุดงาน Excel: ขอไฟล์ .xlsx ตัวจริงจากอำเภอ",
    "html": "ไฟล์เว็บหรือ XML (HTML, XML Spreadsheet 2003) ที่ตั้งชื่อเป็น Excel: เปิดใน Excel แล้วบันทึกเป็น .xlsx",
    "text": "ไฟล์ข้อความ/CSV ไม่ใช่สมุดงาน Excel: ใช้แบบเก็บข้อมูล .xlsx ที่จังหวัดส่งให้",
    "xlsb": "ไฟล์ Excel แบบไบนารี (.xlsb): เปิดใน Excel แล้วบันทึกเป็น .xlsx (สมุดงาน Excel)",
    "ods": "ไฟล์ LibreOffice Calc (.ods): เปิดใน LibreOffice แล้วบันทึกเป็น .xlsx (Excel 2007-365)",
    "docx": "ไฟล์ Word/PowerPoint ไม่ใช่สมุดงาน Excel: ขอแบบเก็บข้อมูล .xlsx จากอำเภอ",
    "zip": "ไฟล์ zip ที่ไม่ใช่สมุดงาน Excel: แตกไฟล์ออกแล้ววางไฟล์ .xlsx ในโฟลเดอร์ submissions",
    "unknown": "ไม่ใช่สมุดงาน Excel (.xlsx): ขอแบบเก็บข้อมูลที่จังหวัดส่งให้ ซึ่งกรอกแล้ว",
}


class Unsafe(Exception):
    """A file that is not read: an English code and a Thai message for the clerk."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def sniff(path: Path) -> str:
    """What a file is by its first bytes: zip, or one of KINDS (never by its name)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Unsafe("file-too-large", f"ไฟล์ใหญ่เกินไป ({size / 2**20:,.1f} MB เกิน {MAX_FILE_BYTES // 2**20} MB)"
                                       " แบบเก็บข้อมูลปกติไม่ถึง 1 MB: ขอไฟล์ใหม่จากอำเภอ")
    with path.open("rb") as f:
        head = f.read(512)
    if not head:
        return "empty"
    if head.startswith(ZIP):
        return "zip"
    if head.startswith(OLE):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted"
        return "xls" if any(n.encode("utf-16-le") in data for n in ("Workbook", "Book")) else "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")):
        return "image"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"mime-version")):
        return "html"
    if b"\x00" not in head:
        return "text"
    return "unknown"


def not_a_workbook(kind: str) -> Unsafe:
    """The Unsafe of a file of this kind."""
    return Unsafe(f"not-xlsx-{kind}" if kind != "encrypted" else "encrypted", KINDS[kind])


def _refusal(z: zipfile.ZipFile) -> Optional[Unsafe]:
    """Why an opened zip is not read as an xlsx workbook (a zip bomb, encrypted, another format), if it is not."""
    infos = z.infolist()
    names = {i.filename for i in infos}
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES or any(
            i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos):
        return Unsafe("zip-bomb", f"ไฟล์ขยายตัวผิดปกติเมื่อแตก zip (เกิน {MAX_UNZIPPED_BYTES // 2**20} MB หรือบีบอัด"
                                  f"เกิน {MAX_RATIO} เท่า) จึงไม่อ่าน เพื่อความปลอดภัย (zip bomb refused)")
    if any(i.flag_bits & 0x1 for i in infos):
        return not_a_workbook("encrypted")
    if "xl/workbook.bin" in names:
        return not_a_workbook("xlsb")
    if not any(n.lower().startswith("xl/") for n in names):
        mimetype = z.open("mimetype").read(100) if "mimetype" in names else b""
        return not_a_workbook("ods" if b"opendocument.spreadsheet" in mimetype else
                              "docx" if any(n.startswith(("word/", "ppt/")) for n in names) else "zip")
    return None


def open_zip(path: Path) -> zipfile.ZipFile:
    """The file as a zip of an xlsx workbook, checked against zip bombs; Unsafe otherwise."""
    kind = sniff(path)
    if kind != "zip":
        raise not_a_workbook(kind)
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise Unsafe("damaged-zip", "ไฟล์เสียหายหรือไม่สมบูรณ์ (ส่งมาไม่ครบ/ถูกตัด): ขอให้อำเภอส่งไฟล์ใหม่"
                                    " (truncated or damaged zip)") from None
    refusal = _refusal(z)
    if refusal:
        z.close()
        raise refusal
    return z
