"""Official Thai documents of a round: the circular, one letter per district, the memo to the governor.

    write_letters(report, out_dir) -> [out_dir/letters/circular.docx,
                                       out_dir/letters/<code>-<name>.docx (every district that sent a form),
                                       out_dir/memo.docx]

Templates (templates/letters/*.docx, docxtpl tags) are compiled once per process; each file is written
under a temporary name and renamed when complete; core properties are pinned to the letter's date.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from generator.config import TEMPLATES
from generator.render.letters_context import circular_context, district_context, memo_context, num, thai_join
from generator.render.letters_docx import CompiledDocx, CoreProps, LetterTemplateError, load_template, make_env
from generator.report import RoundReport
from generator.score.results import DistrictResult

__all__ = ["LetterTemplateError", "LETTER_TEMPLATES", "district_template", "letter_file_name", "write_district_letter", "write_letters",
           "write_round_letters"]

LETTER_TEMPLATES = TEMPLATES / "letters"
ENV = make_env(num, {"join_th": thai_join})
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def letter_file_name(code: str, name: str) -> str:
    """``<code>-<name>.docx``, safe on Windows (Thai kept; reserved characters become '_')."""
    stem = _UNSAFE.sub("_", f"{code}-{name}").strip(" .") or "district"
    return f"{stem}.docx"


def _templates(templates: Optional[Path]) -> Path:
    return Path(templates) if templates else LETTER_TEMPLATES


def _props(report: RoundReport, letter, category: str) -> CoreProps:
    """Pinned core properties of a document: the office as author, the letter's date."""
    r = report.round
    return CoreProps(letter.subject, r.office, letter.date, category, f"{r.id} {r.province}")


def district_template(templates: Optional[Path] = None) -> CompiledDocx:
    """The compiled district letter template (loaded once per process)."""
    return load_template(_templates(templates) / "district.docx", ENV)


def write_district_letter(report: RoundReport, result: DistrictResult, out_dir: Path,
                          templates: Optional[Path] = None) -> Path:
    """Write the letter to one district's นายอำเภอ: out_dir/letters/<code>-<name>.docx."""
    d = result.district
    return district_template(templates).write(Path(out_dir) / "letters" / letter_file_name(d.code, d.name),
                          district_context(report, result), _props(report, report.round.letter, f"อำเภอ{d.name}"))


def write_round_letters(report: RoundReport, out_dir: Path, templates: Optional[Path] = None) -> list[Path]:
    """Write the circular (out_dir/letters/circular.docx) and the memo to the governor (out_dir/memo.docx)."""
    folder, out_dir, r = _templates(templates), Path(out_dir), report.round
    circular = load_template(folder / "circular.docx", ENV)
    memo = load_template(folder / "memo.docx", ENV)
    return [circular.write(out_dir / "letters" / "circular.docx", circular_context(report),
                           _props(report, r.letter, "หนังสือเวียน")),
            memo.write(out_dir / "memo.docx", memo_context(report), _props(report, r.memo, "บันทึกข้อความ"))]


def write_letters(report: RoundReport, out_dir: Path, templates: Optional[Path] = None) -> list[Path]:
    """Write the circular, a letter to every district with a usable submission, and the memo; return their paths."""
    circular, memo = write_round_letters(report, out_dir, templates)
    return [circular, *(write_district_letter(report, r, out_dir, templates) for r in report.scored), memo]
