"""Look of the collection workbook: fonts, cell formats, data validation per input type, row heights."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from generator.render.text_height import FONT, SIZE

INPUT_FILL = "#FFF2CC"     # light yellow: the district types here
PREFILL_FILL = "#DDEBF7"   # light blue: the province filled it in (still editable)
HEAD_FILL = "#1F4E78"
SUB_FILL = "#D9E1F2"
GRID = "#A6A6A6"
# Thai month names and a BE year either way: a date typed with its BE year (year > 2400, serial ≥ 182623)
# shows as typed; a real CE date shows in the Buddhist calendar (07) of the Thai locale (041E).
DATE_FORMAT = "[>=182623][$-41E]d mmm yyyy;[$-107041E]d mmm yyyy"
NUMBER_FORMATS = {"money": "#,##0.00", "int": "#,##0", "pct": "0.00", "date": DATE_FORMAT, "bool": "@", "text": "@"}
UNITS = {"bool": "✓ = ทำแล้ว", "date": "วัน/เดือน/ปี", "pct": "ร้อยละ"}
ITEM_BREAK = re.compile(r"\s+(?=[๑-๙0-9]{1,2}\.\s|-\s+[ก-ฮ])")   # " ๒. " or " - กรณี" starts an item

_BASE: dict[str, Any] = {"font_name": FONT, "font_size": SIZE, "valign": "top", "text_wrap": True}
_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 18, "align": "center", "valign": "vcenter"},
    "subtitle": {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"},
    "text": {},
    "bold": {"bold": True},
    "deadline": {"bold": True, "font_color": "#C00000"},
    "small": {"font_size": 12, "font_color": "#595959"},
    "section": {"bold": True, "font_size": 16, "bottom": 2, "bottom_color": HEAD_FILL},
    "colhead": {"bold": True, "bg_color": HEAD_FILL, "font_color": "#FFFFFF", "align": "center", "border": 1,
                "border_color": GRID, "valign": "vcenter"},
    "ind_code": {"bold": True, "font_size": 16, "bg_color": HEAD_FILL, "font_color": "#FFFFFF", "align": "center",
                 "border": 1, "border_color": GRID},
    "ind_title": {"bold": True, "font_size": 15, "bg_color": HEAD_FILL, "font_color": "#FFFFFF", "border": 1,
                  "border_color": GRID},
    "sub": {"bold": True, "bg_color": SUB_FILL, "border": 1, "border_color": GRID},
    "level": {"bold": True, "align": "center", "border": 1, "border_color": GRID},
    "criteria": {"border": 1, "border_color": GRID},
    "label": {"border": 1, "border_color": GRID, "valign": "vcenter"},
    "key": {"font_size": 10, "font_color": "#7F7F7F", "border": 1, "border_color": GRID, "shrink": True,
            "text_wrap": False, "valign": "vcenter"},
    "unit": {"font_size": 13, "border": 1, "border_color": GRID, "valign": "vcenter"},
}


@dataclass(frozen=True)
class Styles:
    """The formats of one workbook, by name, plus one input format per (type, prefilled)."""

    named: dict[str, Format]
    inputs: dict[tuple[str, bool], Format]

    def __getitem__(self, name: str) -> Format:
        return self.named[name]

    def input(self, kind: str, prefilled: bool = False) -> Format:
        """The unlocked, shaded format of an input cell of this type."""
        return self.inputs[(kind, prefilled)]


def make_styles(wb: Workbook) -> Styles:
    """Create every format the form uses, once per workbook."""
    named = {name: wb.add_format({**_BASE, **props}) for name, props in _STYLES.items()}
    inputs = {}
    for kind, num in NUMBER_FORMATS.items():
        for prefilled in (False, True):
            props = {**_BASE, "num_format": num, "locked": False, "border": 1, "border_color": GRID,
                     "bg_color": PREFILL_FILL if prefilled else INPUT_FILL, "valign": "vcenter",
                     "text_wrap": kind == "text", "align": "center" if kind in ("bool", "date") else
                     ("left" if kind == "text" else "right")}
            if kind == "bool":
                props["font_size"] = 16
            inputs[(kind, prefilled)] = wb.add_format(props)
    return Styles(named, inputs)


# Per input type: the Excel rule, the prompt's title, what a warning says, and the prompt shown on entry.
_RULES: dict[str, tuple[dict[str, Any], str, str, str]] = {
    "money": ({"validate": "decimal", "criteria": ">=", "value": 0}, "จำนวนเงิน (บาท)",
              "ค่านี้ควรเป็นตัวเลขไม่ติดลบ", "กรอกตัวเลข ไม่ต้องใส่หน่วย ทศนิยมได้ ๒ ตำแหน่ง"),
    "int": ({"validate": "integer", "criteria": ">=", "value": 0}, "จำนวนนับ",
            "ค่านี้ควรเป็นจำนวนเต็มไม่ติดลบ", "กรอกตัวเลข ไม่ต้องใส่หน่วย"),
    "pct": ({"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100}, "ร้อยละ",
            "ร้อยละควรอยู่ระหว่าง 0 ถึง 100", "กรอกเป็นตัวเลข 0–100 เช่น 85"),
    "bool": ({"validate": "list", "source": ["✓"]}, "ดำเนินการแล้วหรือไม่",
             "ช่องนี้ใช้เครื่องหมาย ✓ หรือเว้นว่าง", "เลือก ✓ ถ้าดำเนินการแล้ว เว้นว่างถ้ายังไม่ได้ดำเนินการ"),
    "date": ({"validate": "date", "criteria": "between", "minimum": dt.date(2019, 1, 1),
              "maximum": dt.date(2600, 12, 31)}, "วันที่",       # 2600: a BE year typed into a CE cell
             "ควรเป็นวันที่ เช่น 10/9/2565", "พิมพ์ วัน/เดือน/ปี พ.ศ. เช่น 10/9/2565 หรือ 10 ก.ย. 2565"),
    "text": ({"validate": "any"}, "หลักฐานอ้างอิง", "", "ระบุเลขที่หนังสือ ชื่อไฟล์ หรือที่จัดเก็บหลักฐาน"),
}


def validation(kind: str, help_text: str = "") -> dict[str, Any]:
    """The Excel data validation of an input cell: it warns but never rejects (๘๕ or 10 ก.ย. 2565 must pass)."""
    rule, title, warning, prompt = _RULES[kind]
    out = {**rule, "input_title": title, "input_message": (help_text or prompt)[:250]}
    if warning:
        out.update({"error_type": "warning", "error_title": "โปรดตรวจสอบข้อมูล",
                    "error_message": f"{warning} หากถูกต้องแล้ว กด ใช่ (Yes) หรือ ตกลง (OK) เพื่อยืนยัน"})
    return out


def paragraphs(text: str) -> str:
    """Put each numbered item ('๑. … ๒. …') of a criterion on its own line."""
    return ITEM_BREAK.sub("\n", text.strip())
