"""The reminder (หนังสือติดตาม/เร่งรัด) to the districts that have not sent a usable workbook.

    write_reminders(report, status, out_dir) -> [out_dir/reminder.docx]                 ([reminder] style = "circular")
                                             or [out_dir/<code>-<name>.docx, ...]       (style = "letters")

Made from templates/letters/reminder.docx with the letters' machinery (the same heading, signature, contact,
fonts and Thai numbering); everything printed is Thai: a problem's code, key, cell or English gloss never is.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Optional

from generator.config import Letter
from generator.render.letters import ENV, LETTER_TEMPLATES, letter_file_name
from generator.render.letters_context import LIST_MAX, common, thai_join
from generator.render.letters_docx import CoreProps, load_template
from generator.report import RoundReport
from generator.status import DistrictStatus, RoundStatus
from generator.thai import be_date, thai_digits

CIRCULAR = "reminder.docx"
GRACE = dt.timedelta(days=7)   # the date to send by, when neither [reminder] nor a deadline still ahead gives one
NOT_SENT = "ยังไม่ได้ส่งแบบรายงาน"
#: Why a workbook that came cannot be used, by the reader's problem code, in words for a นายอำเภอ.
REASONS = {
    "other-round": "เป็นแบบรายงานของรอบการประเมินอื่น",
    "form-version": "เป็นแบบรายงานรุ่นเก่า ไม่ใช่แบบที่ใช้ในรอบนี้",
    "unknown-district": "รหัสอำเภอในแบบรายงานไม่ตรงกับรายชื่ออำเภอของรอบนี้",
    "not-a-form": "ไฟล์ที่ส่งมาไม่ใช่แบบรายงานที่จังหวัดส่งให้",
    "encrypted": "ไฟล์ที่ส่งมาตั้งรหัสผ่านไว้ จังหวัดเปิดอ่านไม่ได้",
    "name-missing": "แบบรายงานถูกแก้ไขโครงสร้าง จังหวัดอ่านข้อมูลไม่ได้",
    "name-broken": "แบบรายงานถูกแก้ไขโครงสร้าง จังหวัดอ่านข้อมูลไม่ได้",
    "sheet-missing": "แบบรายงานถูกลบหรือเปลี่ยนชื่อแผ่นงาน จังหวัดอ่านข้อมูลไม่ได้",
    "meta-empty": "แบบรายงานถูกแก้ไขโครงสร้าง จังหวัดอ่านข้อมูลไม่ได้",
}
NOT_A_WORKBOOK = "ไฟล์ที่ส่งมาไม่ใช่ไฟล์แบบรายงานที่จังหวัดส่งให้"
DAMAGED = "ไฟล์ที่ส่งมาเสียหาย เปิดอ่านไม่ได้"


def reason(code: str) -> str:
    """A Thai reason for a problem code that keeps a workbook out of the round."""
    if code in REASONS:
        return REASONS[code]
    return NOT_A_WORKBOOK if code.startswith("not-xlsx") else DAMAGED


def what_is_missing(d: DistrictStatus) -> str:
    """What a district still owes, in Thai only."""
    if d.state == "missing":
        return NOT_SENT
    reasons = list(dict.fromkeys(reason(p.code) for p in d.problems if p.severity == "error" and p.file))
    return f"ส่งแบบรายงานแล้ว แต่นำมาประเมินผลไม่ได้ เนื่องจาก{thai_join(reasons) or DAMAGED}"


def needing(status: RoundStatus) -> tuple[DistrictStatus, ...]:
    """The districts the reminder is for: not sent, or sent nothing usable."""
    return tuple(d for d in status.districts if d.state in ("missing", "rejected"))


def _number(report: RoundReport) -> str:
    """[reminder] number, else the office's prefix of the round's letter number with the running number left for
    the registry to fill (ที่ บร ๐๐๑๙/)."""
    r = report.round
    if r.reminder.number:
        return r.reminder.number
    prefix = re.split(r"/", r.letter.number, maxsplit=1)[0]
    return f"{prefix}/" if prefix else ""


def reminder_context(report: RoundReport, status: RoundStatus, listed: tuple[DistrictStatus, ...],
                     circular: bool) -> dict[str, Any]:
    """The values of one reminder: to whom, what each district owes, the dates."""
    r = report.round
    day = r.reminder.date or status.today
    due = r.deadline
    deadline = r.reminder.deadline or (due if due and due > day else day + GRACE)
    subject = r.reminder.subject or (f"ขอให้ส่งแบบรายงานผลการดำเนินงานตามตัวชี้วัดการประเมินผลการปฏิบัติราชการ ประจำปี"
                                     f"งบประมาณ พ.ศ. {r.fiscal_year} รอบการประเมินที่ {r.number} (ติดตาม)")
    if circular and len(listed) > LIST_MAX:
        to = "นายอำเภอตามรายชื่อในหนังสือนี้"
    else:
        to = thai_join(f"นายอำเภอ{d.name}" for d in listed)
    letter = Letter(_number(report), day, subject, to, r.letter.reference,
                    "แบบรายงานผลการดำเนินงานตามตัวชี้วัด อำเภอละ ๑ ชุด" if circular else
                    "แบบรายงานผลการดำเนินงานตามตัวชี้วัด จำนวน ๑ ชุด")
    ctx = common(report, letter)
    whom = f"อำเภอ{listed[0].name}" if len(listed) == 1 else f"อำเภอจำนวน {thai_digits(len(listed))} อำเภอ"
    ctx.update(overdue=bool(due and due < day), due=be_date(due) if due else "ที่กำหนด", deadline=be_date(deadline),
               whom=whom, districts=[{"seq": thai_digits(i), "name": d.name, "what": thai_digits(what_is_missing(d))}
                                     for i, d in enumerate(listed, 1)])
    return ctx


def write_reminders(report: RoundReport, status: RoundStatus, out_dir: Path,
                    templates: Optional[Path] = None) -> list[Path]:
    """Write the reminder(s) into ``out_dir``: none when every district has sent a usable workbook."""
    listed = needing(status)
    if not listed:
        return []
    template = load_template(Path(templates or LETTER_TEMPLATES) / "reminder.docx", ENV)
    r = report.round
    out_dir = Path(out_dir)
    day = r.reminder.date or status.today
    if r.reminder.style == "circular":
        ctx = reminder_context(report, status, listed, circular=True)
        return [template.write(out_dir / CIRCULAR, ctx, _props(report, ctx, day, "หนังสือติดตาม"))]
    paths = []
    for d in listed:
        ctx = reminder_context(report, status, (d,), circular=False)
        paths.append(template.write(out_dir / letter_file_name(d.code, d.name), ctx,
                                    _props(report, ctx, day, f"หนังสือติดตาม อำเภอ{d.name}")))
    return paths


def _props(report: RoundReport, ctx: dict[str, Any], day: dt.date, category: str) -> CoreProps:
    """The reminder's document properties, dated by the letter."""
    return CoreProps(ctx["subject"], report.round.office, day, category, f"{report.round.id} {report.round.province}")
