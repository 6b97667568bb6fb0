"""The reminder letter (หนังสือติดตาม): exactly the districts that need it, Thai only, the circular's letter checks."""

from __future__ import annotations

import re
import runpy
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.shared import Cm
from lxml import etree
from test_letters import ORDERS, W, texts

from generator.api import reminder_round
from generator.cli import cli
from generator.render import pdf
from generator.render.letters import LETTER_TEMPLATES
from generator.render.reminder import NOT_SENT
from generator.thai import THAI_DIGITS

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "input_samples" / "2565-r2-problems"
SAMPLE = ROOT / "input_samples" / "2565-r2"
NEEDED = {"3105": "หนองกี่", "3109": "พุทไธสง"}
EMAIL = "saraban_buriram@cdd.mail.go.th"
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
               "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


def round_with(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """A copy of the problems round with round.toml changed."""
    folder = tmp_path / "round"
    shutil.copytree(PROBLEMS, folder)
    toml = folder / "round.toml"
    text = toml.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    toml.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def circular(tmp_path_factory):
    out = tmp_path_factory.mktemp("reminder") / "reminder"
    return reminder_round(PROBLEMS, out, jobs=1)


def lines_of(path: Path) -> list[str]:
    return texts(Document(str(path)))


def test_one_circular_naming_exactly_the_districts(circular, sample_round):
    assert [p.name for p in circular.files] == ["reminder.docx"]
    text = "\n".join(lines_of(circular.files[0]))
    named = {d.code for d in sample_round.districts if f"อำเภอ{d.name}" in text}
    assert named == set(NEEDED)
    assert "เรียน\tนายอำเภอหนองกี่ และนายอำเภอพุทไธสง" in text
    assert f"๑. อำเภอหนองกี่ {NOT_SENT}" in text
    assert "๒. อำเภอพุทไธสง ส่งแบบรายงานแล้ว แต่นำมาประเมินผลไม่ได้ เนื่องจากเป็นแบบรายงานของรอบการประเมินอื่น" in text
    assert "ที่ บร ๐๐๑๙/ว ๓๗๐๒" in text and "๑๑ ตุลาคม ๒๕๖๕" in text
    assert "เลยกำหนดส่งแบบรายงานวันที่ ๑๐ ตุลาคม ๒๕๖๕ มาแล้ว" in text and "ภายในวันที่ ๑๔ ตุลาคม ๒๕๖๕" in text
    assert "อ้างถึง\tหนังสือจังหวัดบุรีรัมย์ ที่ บร ๐๐๑๙/ว ๓๒๖๒" in text
    assert "โทร. ๐ ๔๔๖๖ ๖๕๑๒" in text and EMAIL in text


def test_thai_only_in_print(circular):
    for path in circular.files:
        text = "\n".join(lines_of(path)).replace(EMAIL, "")
        assert not re.search(r"[A-Za-z0-9]", text), re.findall(r".{0,20}[A-Za-z0-9].{0,20}", text)


def test_the_circulars_letter_checks(circular):
    """The checks the circular passes: complex-script Thai font and size on every run, Thai month and Thai-digit
    year, เรื่อง/เรียน, children in schema order, Garuda, A4 with the official margins."""
    path = circular.files[0]
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml")
        names = z.namelist()
    root = etree.fromstring(xml)
    runs = list(root.iter(W + "r"))
    assert len(runs) > 20
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(W + "cs", "").startswith("TH Sarabun")
        assert r.find(f"{W}rPr/{W}szCs") is not None
    for tag, order in ORDERS.items():
        for el in root.iter(W + tag):
            ranks = [order.index(c.tag.rsplit("}", 1)[-1]) for c in el if c.tag.startswith(W)]
            assert ranks == sorted(ranks), tag
    text = "".join(lines_of(path))
    assert any(m in text for m in THAI_MONTHS) and re.search(f"[{THAI_DIGITS}]{{4}}", text)
    assert "เรื่อง" in text and "เรียน" in text
    assert any(n.startswith("word/media/") for n in names)                          # the Garuda
    doc = Document(str(path))
    s = doc.sections[0]
    assert abs(s.left_margin - Cm(3)) < Cm(0.01) and abs(s.top_margin - Cm(2.5)) < Cm(0.01)
    closing = next(p for p in doc.paragraphs if p.text.startswith("จึงเรียนมา"))
    assert closing.paragraph_format.keep_with_next


def test_one_letter_each(tmp_path, sample_round):
    folder = round_with(tmp_path, ('style = "circular"', 'style = "letters"'))
    result = reminder_round(folder, tmp_path / "out", jobs=1)
    assert [p.name for p in result.files] == ["3105-หนองกี่.docx", "3109-พุทไธสง.docx"]
    for path, (code, name) in zip(result.files, NEEDED.items()):
        text = "\n".join(lines_of(path))
        assert {d.code for d in sample_round.districts if f"อำเภอ{d.name}" in text} == {code}
        assert f"เรียน\tนายอำเภอ{name}" in text and f"จากอำเภอ{name} ดังนี้" in text


def test_defaults_number_date_and_a_deadline_ahead(tmp_path):
    """Without [reminder] keys: the office prefix for the registry's number, today, a week on once the deadline
    has passed."""
    folder = round_with(tmp_path, ('number = "บร ๐๐๑๙/ว ๓๗๐๒"\ndate = 2565-10-11\ndeadline = 2565-10-14\n', ""))
    import datetime as dt

    result = reminder_round(folder, tmp_path / "out", today=dt.date(2022, 10, 20), jobs=1)
    text = "\n".join(lines_of(result.files[0]))
    assert "ที่ บร ๐๐๑๙/\t" in text and "๒๐ ตุลาคม ๒๕๖๕" in text and "ภายในวันที่ ๒๗ ตุลาคม ๒๕๖๕" in text


def test_no_reminder_when_every_district_sent(tmp_path):
    r = CliRunner().invoke(cli, ["reminder", str(SAMPLE), "--out", str(tmp_path / "r"), "--jobs", "1"])
    assert r.exit_code == 0 and "ไม่ต้องมีหนังสือติดตาม" in r.output
    assert not list((tmp_path / "r").glob("*.docx"))


def test_cli(tmp_path):
    r = CliRunner().invoke(cli, ["reminder", str(PROBLEMS), "--out", str(tmp_path / "r"), "--jobs", "1"])
    assert r.exit_code == 1, r.output
    assert "เขียนหนังสือติดตาม 1 ฉบับ ถึง 3105 หนองกี่, 3109 พุทไธสง" in r.output
    assert (tmp_path / "r" / "reminder.docx").is_file()


def test_bad_style_is_a_config_error(tmp_path):
    folder = round_with(tmp_path, ('style = "circular"', 'style = "fax"'))
    r = CliRunner().invoke(cli, ["reminder", str(folder)])
    assert r.exit_code == 2 and "'reminder.style' ต้องเป็น circular หรือ letters" in r.output


def test_template_matches_its_script(tmp_path):
    """The committed reminder.docx is what make_templates.py builds (regenerate it after editing the script)."""
    script = runpy.run_path(str(LETTER_TEMPLATES / "make_templates.py"))
    built = tmp_path / "reminder.docx"
    script["save"](script["build_reminder"](), built, "reminder")
    assert texts(Document(str(built))) == texts(Document(str(LETTER_TEMPLATES / "reminder.docx")))


@pytest.mark.soffice
@pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_it(circular, tmp_path):
    made, _ = pdf.convert_to_pdf(circular.files, tmp_path / "pdf")
    assert [p.name for p in made] == ["reminder.pdf"] and made[0].stat().st_size > 1000
