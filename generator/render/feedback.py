"""Feedback to one district: its own returned workbook with every problem cell highlighted and noted, the
inputs still empty, the ticks its next level needs, and a first sheet of findings with the level each
indicator gets if the workbook is sent as it is.

What to say comes from the district's scored result (levels and what the next level needs are the score
layer's); how it goes into the workbook is feedback_xlsx.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Mapping, Optional

from generator.catalog.model import Cases, Catalog, Condition, Milestone, Rule, Threshold
from generator.config import Round
from generator.domain import EXPECTED
from generator.render.feedback_xlsx import Mark, Row, annotate_workbook
from generator.render.letters import letter_file_name
from generator.render.needs_text import need_text, words
from generator.score.results import DistrictResult
from generator.status import empty_inputs
from generator.thai import be_date

SHEET_TITLE = "ผลการตรวจจากจังหวัด"
WIDTHS = (7, 22, 12, 14, 70, 28)
SEVERITY = {"error": "ข้อผิดพลาด", "warning": "คำเตือน", "info": "หมายเหตุ"}
SUFFIX = "ตรวจแล้ว แก้ไขแล้วส่งคืน"


def feedback_file_name(code: str, name: str) -> str:
    """``<code>-<name> ตรวจแล้ว แก้ไขแล้วส่งคืน.xlsx``, safe on Windows (the letters' rule for file names)."""
    return f"{letter_file_name(code, name).removesuffix('.docx')} {SUFFIX}.xlsx"


def needs_feedback(catalog: Catalog, result: DistrictResult) -> bool:
    """A district whose used workbook has problems or wanted inputs still empty."""
    if result.status == "missing":
        return False
    mine = any(p.file == result.file and p.severity in ("error", "warning") for p in result.problems)
    return mine or bool(empty_inputs(catalog, result))


def _conditions(rule: Rule, level: int, inputs: Mapping[str, Any]) -> tuple[Condition, ...]:
    """The items and gates of the next level (``level`` + 1) of a rule, where the rule has them."""
    if isinstance(rule, Cases):
        chosen = rule.when_true if inputs.get(rule.switch) is True else rule.when_false
        return _conditions(chosen, level, inputs)
    if isinstance(rule, Milestone):
        return tuple(rule.levels.get(level + 1, ()))
    if isinstance(rule, Threshold):
        return tuple(rule.gates.get(level + 1, ()))
    return ()


def _cell(cells: Mapping[str, str], key: str) -> Optional[tuple[str, str]]:
    """(sheet, ref) of an input."""
    where = cells.get(key)
    if not where:
        return None
    sheet, _, ref = where.rpartition("!")
    return sheet.strip("'"), ref


def marks(catalog: Catalog, result: DistrictResult) -> list[Mark]:
    """Every cell to highlight: problems of the used workbook, wanted inputs still empty, the unticked items the
    next level of each indicator needs; one mark per cell (notes of a cell joined)."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for p in result.problems:
        if p.file == result.file and p.sheet and p.cell and p.severity in ("error", "warning"):
            expected = f"\nที่ถูกต้อง: {p.expected}" if p.expected else ""
            found.setdefault((p.sheet, p.cell), []).append((p.severity, f"{SEVERITY[p.severity]}: {p.message}{expected}"))
    inputs = {i.key: i for i in catalog.inputs()}
    for key in empty_inputs(catalog, result):
        place = _cell(result.cells, key)
        if place and place not in found:
            inp = inputs[key]
            unit = f" ({inp.unit})" if inp.unit else ""
            found[place] = [("empty", f"ยังไม่ได้กรอก: {inp.label}{unit}\nกรอกเป็น {EXPECTED[inp.type]}")]
    for ind, res in zip(catalog.indicators, result.indicators):
        if res.level is None or res.level >= 5:
            continue
        for cond in _conditions(ind.rule, res.level, result.inputs):
            if cond.tick is None or result.inputs.get(cond.tick) is True:
                continue
            place = _cell(result.cells, cond.tick)
            if place and place not in found:
                found[place] = [("tick", f"{ind.code} ระดับ {res.level + 1} ต้องมีรายการนี้: {cond.label}\n"
                                         "ทำแล้วให้ใส่ ✓ ในเซลล์นี้")]
    order = ("error", "warning", "empty", "tick")
    return [Mark(sheet, ref, min((k for k, _ in notes), key=order.index), "\n\n".join(n for _, n in notes))
            for (sheet, ref), notes in found.items()]


def _level_rows(catalog: Catalog, result: DistrictResult) -> list[Row]:
    """Each indicator: the level if sent as it is, and what the next level needs."""
    rows = [Row(("รหัส", "ระดับที่จะได้", "", "", "ตัวชี้วัด และสิ่งที่ต้องทำเพื่อให้ได้ระดับสูงขึ้น (หรือเหตุที่ยังคิดระดับไม่ได้)",
                 "น้ำหนัก"), "head")]
    for ind, res in zip(catalog.indicators, result.indicators):
        if res.level is None:
            level, why = "คิดระดับไม่ได้", "\n".join(p.message for p in res.problems if p.severity == "error")
        else:
            level = f"ระดับ {res.level}"
            w = words(ind)
            why = "\n".join(need_text(w, n) for n in res.needs) if res.level < 5 else "ได้ระดับสูงสุดแล้ว"
            if res.level < 5 and res.needs:
                why = f"ถ้าทำได้ตามนี้จะได้ระดับ {res.level + 1}:\n{why}"
        rows.append(Row((ind.code, level, "", "", f"{ind.title}\n{why}", f"{ind.weight:g}")))
    return rows


def findings(rnd: Round, catalog: Catalog, result: DistrictResult, now: dt.datetime) -> list[Row]:
    """The rows of the findings sheet."""
    d = result.district
    due = f" ภายในวันที่ {be_date(rnd.deadline)}" if rnd.deadline else ""
    rows = [Row((f"ผลการตรวจแบบรายงานของอำเภอ{d.name} (รหัส {d.code}) จาก{rnd.office}",), "title"),
            Row((f"ตรวจเมื่อ {be_date(now.date())} จากไฟล์ {result.file}",)),
            Row(("วิธีแก้ไข: เซลล์ที่มีสีในแผ่นงานอื่นคือเซลล์ที่ต้องแก้หรือกรอก ชี้ที่เซลล์เพื่ออ่านคำแนะนำ "
                 f"แก้ไขแล้วบันทึกไฟล์นี้ และส่งไฟล์นี้คืนจังหวัด{due} (จังหวัดไม่ได้เปลี่ยนค่าใด ๆ ที่อำเภอกรอกไว้)",)),
            Row(("สีของเซลล์: แดง = ข้อผิดพลาด ต้องแก้ไข, ส้ม = คำเตือน โปรดตรวจสอบ, เหลือง = ยังไม่ได้กรอก, "
                 "ฟ้า = รายการที่ต้องทำเพื่อให้ได้ระดับสูงขึ้น",)),
            Row(("",)), Row(("๑. ข้อมูลที่ต้องแก้ไขหรือตรวจสอบ",), "section"),
            Row(("ที่", "แผ่นงาน", "เซลล์", "ประเภท", "รายละเอียด", "ที่ถูกต้อง"), "head")]
    problems = [p for p in result.problems if p.severity in ("error", "warning")]
    for n, p in enumerate(problems, 1):
        rows.append(Row((str(n), p.sheet, p.cell, SEVERITY[p.severity], p.message, p.expected)))
    if not problems:
        rows.append(Row(("", "", "", "ไม่มี", "", "")))
    rows += [Row(("",)), Row(("๒. ช่องที่ยังไม่ได้กรอก",), "section"),
             Row(("ที่", "แผ่นงาน", "เซลล์", "ตัวชี้วัด", "รายการ", "กรอกเป็น"), "head")]
    inputs = {i.key: i for i in catalog.inputs()}
    empty = [(k, _cell(result.cells, k)) for k in empty_inputs(catalog, result)]
    for n, (key, place) in enumerate(empty, 1):
        sheet, ref = place or ("", "")
        inp = inputs[key]
        rows.append(Row((str(n), sheet, ref, inp.indicator, f"{inp.label} ({inp.unit})" if inp.unit else inp.label,
                         EXPECTED[inp.type])))
    if not empty:
        rows.append(Row(("", "", "", "ไม่มี", "", "")))
    rows += [Row(("",)), Row(("๓. ระดับของแต่ละตัวชี้วัด ถ้าส่งแบบรายงานตามที่กรอกไว้ขณะนี้ (ผลเบื้องต้น)",), "section"),
             *_level_rows(catalog, result)]
    return rows


def write_feedback(rnd: Round, catalog: Catalog, result: DistrictResult, out_dir: Path, now: dt.datetime) -> Path:
    """Write one district's feedback workbook into ``out_dir``; its path."""
    d = result.district
    return annotate_workbook(rnd.submissions / result.file, Path(out_dir) / feedback_file_name(d.code, d.name),
                             marks(catalog, result), findings(rnd, catalog, result, now), WIDTHS, SHEET_TITLE, now)
