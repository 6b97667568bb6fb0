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
from generator.render.letters_docx import CoreProps, LetterTemplateError, load_template, make_env
from generator.report import RoundReport

__all__ = ["LetterTemplateError", "LETTER_TEMPLATES", "letter_file_name", "write_letters"]

LETTER_TEMPLATES = TEMPLATES / "letters"
ENV = make_env(num, {"join_th": thai_join})
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def letter_file_name(code: str, name: str) -> str:
    """``<code>-<name>.docx``, safe on Windows (Thai kept; reserved characters become '_')."""
    stem = _UNSAFE.sub("_", f"{code}-{name}").strip(" .") or "district"
    return f"{stem}.docx"


def write_letters(report: RoundReport, out_dir: Path, templates: Optional[Path] = None) -> list[Path]:
    """Write the circular, a letter to every district with a usable submission, and the memo; return their paths."""
    out_dir = Path(out_dir)
    folder = Path(templates) if templates else LETTER_TEMPLATES
    circular = load_template(folder / "circular.docx", ENV)
    district = load_template(folder / "district.docx", ENV)
    memo = load_template(folder / "memo.docx", ENV)
    r = report.round
    author, keywords = r.office, f"{r.id} {r.province}"
    written = [circular.write(out_dir / "letters" / "circular.docx", circular_context(report),
                              CoreProps(r.letter.subject, author, r.letter.date, "หนังสือเวียน", keywords))]
    for result in report.scored:
        d = result.district
        path = out_dir / "letters" / letter_file_name(d.code, d.name)
        written.append(district.write(path, district_context(report, result),
                                      CoreProps(r.letter.subject, author, r.letter.date, f"อำเภอ{d.name}", keywords)))
    written.append(memo.write(out_dir / "memo.docx", memo_context(report),
                              CoreProps(r.memo.subject, author, r.memo.date, "บันทึกข้อความ", keywords)))
    return written
