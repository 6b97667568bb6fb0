"""The cover sheet (ปก) of the collection workbook: who, which round, how to fill in, whom to ask."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from generator.catalog.model import Catalog
from generator.config import Round
from generator.domain import District
from generator.render.forms_style import Styles
from generator.render.text_height import LINE_PT, row_height
from generator.domain import BE_YEARS_ABOVE
from generator.thai import BE_OFFSET, be_date, be_date_short, fmt_number, thai_digits

WIDTHS = (22.0, 51.0)
CONTACT_LABELS = {"person": "ผู้ประสานงาน", "group": "กลุ่มงาน", "office": "หน่วยงาน", "phone": "โทรศัพท์",
                  "email": "อีเมล", "fax": "โทรสาร", "line": "LINE"}


def round_label(rnd: Round, short: bool = False) -> str:
    """รอบการประเมินที่ ๒ ปีงบประมาณ พ.ศ. ๒๕๖๕ (short: รอบที่ ๒ ปีงบประมาณ ๒๕๖๕)."""
    year = thai_digits(rnd.fiscal_year if rnd.fiscal_year > BE_YEARS_ABOVE else rnd.fiscal_year + BE_OFFSET)
    if short:
        return f"รอบที่ {thai_digits(rnd.number)} ปีงบประมาณ {year}"
    return f"รอบการประเมินที่ {thai_digits(rnd.number)} ปีงบประมาณ พ.ศ. {year}"


def instructions(rnd: Round, sheets: list[str]) -> list[str]:
    """How to fill in the form, in Thai, with example dates taken from the round."""
    day = rnd.period_end
    typed = f"{day.day}/{day.month}/{day.year + BE_OFFSET}"
    listed = " และ ".join(f"“{s}”" for s in sheets)
    return [
        f"กรอกข้อมูลในแผ่นงาน {listed} เฉพาะช่องสีเหลือง ช่องอื่นล็อกไว้ ช่องสีฟ้าคือข้อมูลที่จังหวัดกรอกไว้ให้ "
        "โปรดตรวจสอบ และแก้ไขได้หากไม่ถูกต้อง",
        "ตัวเลข: กรอกเฉพาะตัวเลข ไม่ต้องใส่หน่วย (หน่วยอยู่ในคอลัมน์ขวามือ) จำนวนเงินเป็นบาท "
        "ร้อยละกรอกเป็นตัวเลข 0–100 เช่น 85",
        "รายการที่ดำเนินการแล้ว: คลิกที่ช่องแล้วเลือกเครื่องหมาย ✓ จากรายการ หากยังไม่ได้ดำเนินการให้เว้นว่างไว้",
        f"วันที่: พิมพ์ วัน/เดือน/ปี พ.ศ. เช่น {typed} หรือ {be_date_short(day, thai=False)}",
        "หลักฐานอ้างอิง / หมายเหตุ: ระบุเลขที่หนังสือ ชื่อไฟล์ หรือที่จัดเก็บหลักฐาน เพื่อให้จังหวัดตรวจสอบได้",
        "แผ่นงานป้องกันไว้โดยไม่มีรหัสผ่าน เพื่อกันการแก้ไขโครงสร้างโดยไม่ตั้งใจ กรุณาอย่าเพิ่มหรือลบแถว "
        "คอลัมน์ หรือแผ่นงาน (หากจำเป็นต้องปลดล็อก: Excel เมนู รีวิว › ยกเลิกการป้องกันแผ่นงาน, "
        "LibreOffice เมนู เครื่องมือ › ป้องกันแผ่นงาน ไม่ต้องใส่รหัสผ่าน)",
        "บันทึกเป็นไฟล์ .xlsx (Excel หรือ LibreOffice Calc) แล้วส่งคืนจังหวัด เปลี่ยนชื่อไฟล์ได้ "
        "เพราะระบบจับคู่แบบรายงานกับอำเภอจากรหัสอำเภอที่อยู่ในไฟล์",
    ]


def write_cover(ws: Worksheet, st: Styles, rnd: Round, catalog: Catalog, district: District,
                sheets: dict[str, str]) -> None:
    """Write the cover: heading, the district and round, indicator groups, instructions, contact, deadline."""
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    r = 0

    def line(text: str, fmt: str = "text", height: float | None = None) -> None:
        nonlocal r
        ws.merge_range(r, 0, r, 1, text, st[fmt])
        size = {"title": 18, "subtitle": 16, "section": 16}.get(fmt, 14)
        ws.set_row(r, height or row_height(text, sum(WIDTHS), size, bold=fmt != "text"))
        r += 1

    def pair(label: str, value: str, fmt: str = "text") -> None:
        nonlocal r
        ws.write_string(r, 0, label, st["bold"])
        ws.write_string(r, 1, value, st[fmt])
        ws.set_row(r, max(row_height(value, WIDTHS[1], bold=fmt != "text"), row_height(label, WIDTHS[0], bold=True)))
        r += 1

    line("แบบรายงานผลการดำเนินงานตามตัวชี้วัด", "title", 34)
    line(catalog.title or round_label(rnd), "subtitle")
    r += 1
    pair("อำเภอ", f"{district.name} (รหัส {district.code})", "bold")
    pair("จังหวัด", rnd.province)
    pair("ผู้ประเมิน", rnd.office)
    pair("รอบการประเมิน", round_label(rnd))
    pair("ระยะเวลาการประเมิน", f"{be_date(rnd.period_start)} – {be_date(rnd.period_end)}")
    deadline = f"ภายในวันที่ {be_date(rnd.deadline)}" if rnd.deadline else "ตามที่จังหวัดแจ้ง"
    pair("กำหนดส่งแบบรายงานคืน", deadline, "deadline")
    for g in catalog.groups:
        items = catalog.in_group(g.key)
        weight = fmt_number(sum(i.weight for i in items))
        pair(g.name, f"{thai_digits(len(items))} ตัวชี้วัด น้ำหนักรวม {weight} — กรอกในแผ่นงาน “{sheets[g.key]}”")
    r += 1
    line("วิธีกรอกแบบรายงาน", "section", LINE_PT + 10)
    for n, text in enumerate(instructions(rnd, list(sheets.values())), start=1):
        line(f"{thai_digits(n)}. {text}")
    r += 1
    line("สอบถามรายละเอียดและส่งแบบรายงานคืน", "section", LINE_PT + 10)
    for key, value in rnd.contact.items():
        pair(CONTACT_LABELS.get(key, key), value)
    r += 1
    line(f"แบบรายงานรุ่น {rnd.form_version} · รหัสรอบ {rnd.id} · รหัสอำเภอ {district.code} "
         "(ระบบใช้รหัสเหล่านี้จับคู่ไฟล์กับอำเภอ โปรดอย่าแก้ไข)", "small")
