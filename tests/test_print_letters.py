"""The letters and memo as a Thai official signs and sends them: the print font, page counts, nothing split
across lines, Thai only, own numbers and the right signer (issue 12). The PDF tests run LibreOffice."""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.api import run_round
from generator.cli import cli
from generator.config import load_round
from generator.problems import Problem
from generator.render import pdf
from generator.render.letters import letter_file_name, write_letters
from generator.render.letters_context import letter_numbers
from generator.render.print_text import NBSP, WJ, KeepTogether, plain_problem, side_by_side, still_to_do

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input_samples" / "2565-r2"
PROBLEMS = ROOT / "input_samples" / "2565-r2-problems"
LETTERS = ("3107-ประโคนชัย", "3101-เมืองบุรีรัมย์", "3104-นางรอง")   # ประโคนชัย is the one that used to split
PRINT_MARKS = (pytest.mark.soffice, pytest.mark.slow,
               pytest.mark.skipif(pdf.find_soffice() is None or shutil.which("pdftotext") is None
                                  or shutil.which("pdffonts") is None,
                                  reason="LibreOffice (soffice) and poppler-utils are not installed"))


def needs_print(test):
    """Marks a test that prints with LibreOffice and reads the PDF with poppler."""
    for mark in PRINT_MARKS:
        test = mark(test)
    return test


def docx_text(path: Path) -> str:
    """The printed text of a DOCX: every w:t of its body, headers and footers, without word joiners."""
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                      if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n))
    found = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>|(</w:p>|<w:br/>|<w:tab/>)", xml)
    text = "".join(t or (" " if end == "<w:tab/>" else "\n") for t, end in found)
    return html.unescape(text).replace(WJ, "").replace(NBSP, " ")


# --------------------------------------------------------------------------------------- no PDF needed
@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The sample round and the problems round run (no PDF): their output folders."""
    out = tmp_path_factory.mktemp("print")
    run_round(SAMPLE, out / "sample", jobs=1)
    run_round(PROBLEMS, out / "problems", jobs=1)
    return out


def allowed_latin(rnd) -> set[str]:
    """The Latin words the round's and the catalog's own Thai texts use (OTOP, Big Data, …) and the e-mail."""
    words = set(re.findall(r"[A-Za-z][A-Za-z.]*", (ROOT / "templates" / "catalogs" / "2565-r2.yaml")
                           .read_text(encoding="utf-8").split("indicators:", 1)[1]))
    for line in (rnd.directory / "round.toml").read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            value = line.split("=", 1)[1]
            words |= set(re.findall(r"[A-Za-z][A-Za-z.]*", "".join(re.findall(r'"([^"]*)"', value))))
    words.add(rnd.contact.get("email", ""))
    return words


LATIN_WORD = re.compile(r"[A-Za-z0-9_.@-]*[A-Za-z][A-Za-z0-9_.@-]*")
CODES = re.compile(r"\b[TI]\d{1,2}\b|[A-Z]{1,2}\d+!|\b[a-z]+_[a-z_0-9]+\b|ข้อผิดพลาด|คำเตือน|\d{4}-\d\d-\d\d")


@pytest.mark.parametrize("round_dir", ["sample", "problems"])
def test_printed_text_has_no_latin_but_the_email_and_the_catalogs_own_words(written, round_dir):
    """No indicator codes, keys, cell references, file names or English glosses in the letters and the memo."""
    rnd = load_round(SAMPLE if round_dir == "sample" else PROBLEMS)
    allowed = allowed_latin(rnd)
    folder = written / round_dir
    docs = sorted((folder / "letters").glob("*.docx")) + [folder / "memo.docx"]
    assert len(docs) > 20
    for doc in docs:
        text = docx_text(doc).replace(rnd.contact.get("email", ""), "")
        stray = {w for w in LATIN_WORD.findall(text) if w not in allowed and not any(w in a for a in allowed)}
        assert not stray, (doc.name, sorted(stray)[:10])
        assert not CODES.search(text), (doc.name, CODES.search(text)[0])
        assert re.search(r"[0-9]", text) is None, doc.name


def test_problems_round_letters_tell_problems_in_plain_thai(written):
    """The district warned twice is told in Thai sentences, with the indicator's Thai name."""
    text = docx_text(written / "problems" / "letters" / letter_file_name("3104", "นางรอง"))
    assert "ข้อมูลที่ต้องตรวจสอบหรือแก้ไขในแบบรายงาน" in text
    assert "ตัวชี้วัดรายทีมที่" in text
    assert "(spent" not in text and "xlsx" not in text


def test_memo_sentences_have_no_numbers_side_by_side(written):
    """'ต่ำกว่าระดับ ๓ ๑๐ จาก ๒๓' is reworded; no sentence of the memo has two numbers next to each other."""
    for round_dir in ("sample", "problems"):
        text = docx_text(written / round_dir / "memo.docx")
        assert side_by_side(text) == [], (round_dir, side_by_side(text))
        assert "อำเภอที่มีผลการประเมินระดับต้องปรับปรุง" in text       # the districts below ดี are named


def test_memo_says_warned_districts_instead_of_none(written):
    """The memo does not say nobody reported wrongly when districts were warned."""
    text = docx_text(written / "sample" / "memo.docx")
    assert "แต่มีอำเภอที่มีข้อมูลต้องตรวจสอบ" in text


def test_district_letters_carry_own_consecutive_numbers_in_code_order(written):
    """[letter] district_numbers = "own": one number per district from the first, in code order, none shared."""
    rnd = load_round(SAMPLE)
    numbers = []
    for doc in sorted((written / "sample" / "letters").glob("3*.docx")):
        numbers.append(re.search(r"ที่ (บร [^\s]+)", docx_text(doc))[1])
    assert len(set(numbers)) == len(numbers) == 23
    assert numbers[0] == "บร ๐๐๑๙/๓๘๑๖" and numbers[-1] == "บร ๐๐๑๙/๓๘๓๘"
    assert rnd.letter.number not in numbers
    circular = docx_text(written / "sample" / "letters" / "circular.docx")
    assert f"ที่ {rnd.letter.number}" in circular


def test_district_letters_may_share_the_circulars_number(sample_round):
    """district_numbers = "circular": every letter has the circular's number."""
    rnd = dataclasses.replace(sample_round, district_numbers="circular")
    assert set(letter_numbers(rnd, ["3101", "3102"]).values()) == {rnd.letter.number}
    own = letter_numbers(sample_round, ["3102", "3101"])
    assert own == {"3101": "บร ๐๐๑๙/๓๘๑๖", "3102": "บร ๐๐๑๙/๓๘๑๗"}


def test_manifest_and_summary_list_the_letter_numbers(written):
    """The clerk finds every letter's number in manifest.json and in summary.xlsx."""
    import json

    import openpyxl

    manifest = json.loads((written / "sample" / "manifest.json").read_text(encoding="utf-8"))
    letters = manifest["letters"]
    assert letters[0]["number"] == "บร ๐๐๑๙/ว ๓๘๑๕" and letters[0]["file"] == "letters/circular.docx"
    by_code = {x.get("district_code"): x["number"] for x in letters}
    assert by_code["3107"] == "บร ๐๐๑๙/๓๘๒๒"
    wb = openpyxl.load_workbook(written / "sample" / "summary.xlsx", read_only=True)
    sheet = wb["ทะเบียนหนังสือส่ง"]
    values = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "บร ๐๐๑๙/๓๘๒๒" in values and "อำเภอประโคนชัย" in " ".join(values)


def test_memo_is_signed_by_the_head_of_the_office_by_default(written):
    """No [memo] signer: the head of the office (พัฒนาการจังหวัด) signs, not the vice governor."""
    rnd = load_round(SAMPLE)
    text = docx_text(written / "sample" / "memo.docx")
    assert "(นายสมชาย ใจซื่อ)" in text and "พัฒนาการจังหวัดบุรีรัมย์" in text
    assert f"({rnd.signer.name})" not in text


def test_round_without_garuda_writes_drafts_and_says_so(tmp_path):
    """No [letter] garuda: run says the letters are drafts every run; check lists it."""
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(SAMPLE), "--out", str(tmp_path / "out"), "--quiet", "--jobs", "1"])
    assert result.exit_code == 0
    assert "ฉบับร่าง" in result.output and "[letter] garuda" in result.output
    check = runner.invoke(cli, ["check", str(SAMPLE)])
    assert "ฉบับร่าง" in check.output


def test_garuda_from_the_round_replaces_the_placeholder(sample_round, synthetic_report, tmp_path):
    """[letter] garuda: the emblem's bytes replace the placeholder, 3 cm high, at the emblem's proportions."""
    import struct
    import zlib

    def png(w: int, h: int) -> bytes:
        raw = b"".join(b"\x00" + b"\x00\x00\x00" * w for _ in range(h))
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    emblem = tmp_path / "garuda.png"
    emblem.write_bytes(png(20, 40))
    report = dataclasses.replace(synthetic_report, round=dataclasses.replace(sample_round, garuda=emblem))
    paths = write_letters(report, tmp_path / "out")
    for path in (paths[0], paths[1], paths[-1]):
        with zipfile.ZipFile(path) as z:
            media = [n for n in z.namelist() if n.startswith("word/media/")]
            assert media and all(z.read(n) == emblem.read_bytes() for n in media), path.name
            xml = z.read("word/document.xml").decode("utf-8")
        cx, cy = map(int, re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"', xml).groups())
        assert abs(cx / cy - 0.5) < 0.01
        assert round(cy / 360000, 1) in (3.0, 1.5)


def test_garuda_that_is_not_a_png_is_a_config_error(tmp_path):
    """A missing or non-PNG emblem is refused with the key named."""
    from generator.config import ConfigError

    text = (SAMPLE / "round.toml").read_text(encoding="utf-8").replace('# garuda = "garuda.png"', 'garuda = "ครุฑ.jpg"')
    (tmp_path / "round.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="letter.garuda"):
        load_round(tmp_path)
    (tmp_path / "ครุฑ.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(ConfigError, match="PNG"):
        load_round(tmp_path)


def test_keep_together_joins_names_terms_dates_and_amounts():
    """Word joiners inside names and marked terms (never before a mark), no-break spaces in dates and amounts."""
    keep = KeepTogether(["อำเภอประโคนชัย", "ค่าเป้าหมาย"])
    out = keep.text("นายอำเภอประโคนชัย ค่าเป้าหมาย ลงวันที่ ๙ มิถุนายน ๒๕๖๕ จำนวน ๑ ชุด")
    assert out.replace(WJ, "").replace(NBSP, " ") == "นายอำเภอประโคนชัย ค่าเป้าหมาย ลงวันที่ ๙ มิถุนายน ๒๕๖๕ จำนวน ๑ ชุด"
    assert f"ป{WJ}ร{WJ}ะ{WJ}โ{WJ}ค{WJ}น{WJ}ชั{WJ}ย" in out and f"{WJ}\u0e31" not in out
    assert f"๙{NBSP}มิถุนายน{NBSP}๒๕๖๕" in out and f"๑{NBSP}ชุด" in out


def test_plain_problem_and_passed_deadlines():
    """Problems lose their English glosses and codes; a passed deadline is no longer to do."""
    import datetime as dt

    p = Problem("warning", "check-warning", "เบิกจ่ายมากกว่างบประมาณ (spent > allocated) ยังคิดระดับให้", file="a.xlsx",
                sheet="ตัวชี้วัดรายทีม", cell="C12", key="T1_spent", indicator="T1")
    assert plain_problem(p, "ตัวชี้วัดรายทีมที่ ๑") == "ตัวชี้วัดรายทีมที่ ๑ เบิกจ่ายมากกว่างบประมาณ ยังคิดระดับให้"
    dup = Problem("warning", "duplicate-submission", "ใช้ไฟล์ล่าสุด x.xlsx (บันทึก 2022-10-03 05:27)")
    assert "2022" not in plain_problem(dup) and "xlsx" not in plain_problem(dup)
    steps = ["ส่งรายงานภายใน ๑๕ เมษายน ๒๕๖๕", "ส่งรายงานภายใน ๓๑ ตุลาคม ๒๕๖๕", "จัดประชุม"]
    assert still_to_do(steps, dt.date(2022, 10, 20)) == steps[1:]


# ------------------------------------------------------------------------------------------- the PDFs
def pages(path: Path) -> list[str]:
    """The text of each page of a PDF in reading order (pdftotext -raw), word joiners and NBSP as written."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                             check=True).stdout.decode())[1])
    return [subprocess.run(["pdftotext", "-raw", "-f", str(i), "-l", str(i), str(path), "-"], capture_output=True,
                           check=True).stdout.decode("utf-8").replace(WJ, "").replace(NBSP, " ")
            for i in range(1, count + 1)]


def page_of(texts: list[str], needle: str) -> int:
    """The first page (from 1) whose text holds ``needle``."""
    return next(i for i, t in enumerate(texts, 1) if needle in t)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The sample round run with --pdf: the output folder."""
    out = tmp_path_factory.mktemp("printed") / "out"
    result = run_round(SAMPLE, out, pdf=True, jobs=2)
    assert not result.pdf_refused, result.messages
    return out


@needs_print
@pytest.mark.parametrize("name", ["circular", "memo", *LETTERS])
def test_pdf_prints_th_sarabun_regular_and_bold(printed, name):
    """pdffonts names TH Sarabun New faces (TH Sarabun's metrics), a regular and a real bold."""
    pytest.importorskip("fontTools")
    out = subprocess.run(["pdffonts", str(printed / "pdf" / f"{name}.pdf")], capture_output=True, check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in out.decode().splitlines()[2:]}
    assert names == {"THSarabunNew", "THSarabunNew-Bold"}, names


@needs_print
def test_pdf_page_counts_and_unbroken_text(printed):
    """The circular's and each letter's body end on page 1 or 2 before the enclosure, the memo's body is at most
    2 pages; no district name or marked term is split across lines; the Thai sentences extract unbroken."""
    rnd = load_round(SAMPLE)
    from generator.api import load
    from generator.render.letters_context import print_terms
    from generator.report import build_report

    loaded = load(SAMPLE)
    terms = [t for t in print_terms(build_report(rnd, loaded.catalog, "step", ())) if len(t) > 3]
    folder = printed / "pdf"
    circular = pages(folder / "circular.pdf")
    assert page_of(circular, f"({rnd.signer.name})") <= 2
    assert page_of(circular, f"({rnd.signer.name})") < page_of(circular, "สรุปผลการประเมินผลการปฏิบัติราชการระดับอำเภอ")
    memo = pages(folder / "memo.pdf")
    assert page_of(memo, "(นายสมชาย ใจซื่อ)") <= 2 and page_of(memo, "ลำดับผลการประเมินผลการปฏิบัติราชการ") == 3
    assert "อำเภอที่มีผลการประเมินระดับต้องปรับปรุง" in "".join(memo)
    for name in LETTERS:
        letter = pages(folder / f"{name}.pdf")
        assert page_of(letter, "ขอแสดงความนับถือ") <= 2, name
        assert page_of(letter, "ผลการประเมินผลการปฏิบัติราชการ อำเภอ") <= 3, name
        district = name.split("-", 1)[1]
        assert f"จังหวัดบุรีรัมย์ได้ประเมินผลจากแบบรายงานของอำเภอ{district}แล้ว สรุปผลได้ ดังนี้" in \
            " ".join(letter).replace("\n", ""), name
    for path in [folder / "circular.pdf", folder / "memo.pdf", *(folder / f"{n}.pdf" for n in LETTERS)]:
        for text in pages(path):
            lines = [line.strip() for line in text.splitlines()]
            for term in terms:
                whole = "".join(lines).count(term)
                kept = sum(line.count(term) for line in lines)
                assert whole == kept, (path.name, term)


def header_words(pdf_file: Path, page: int) -> list[tuple[str, float]]:
    """The words in the top 60 pt of a PDF page (the header), with their widths as drawn (``pdftotext -bbox``)."""
    xml = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf_file), "-"],
                         capture_output=True, text=True, check=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', xml)
    return [(text, float(x1) - float(x0)) for x0, y0, x1, text in words if float(y0) < 60]


def advance(char: str) -> float:
    """The print font's advance width of a character, in font units."""
    from fontTools.ttLib import TTFont

    from generator.render.print_font import print_fonts

    font = TTFont(next(f for f in print_fonts() if f.name == "THSarabunNew-Regular.ttf"))
    return font["hmtx"][font.getBestCmap()[ord(char)]][0]


@needs_print
def test_pdf_page_numbers_are_thai_digits(printed):
    """Page two of a letter is numbered '- ๒ -', as Word prints w:pgNumType thaiNumbers. LibreOffice 7.4 draws it with
    its Context numerals (set in the converter's profile) while its text layer keeps the field's '2', so the test
    measures the glyph drawn: its width against the dash's is ๒'s (449/216 units), not 2's (362/216)."""
    words = header_words(printed / "pdf" / f"{LETTERS[0]}.pdf", 2)
    assert [w for w, _ in words] in (["-", "2", "-"], ["-", "๒", "-"]), words
    (_, dash), (_, number), _ = words
    thai, arabic = advance("๒") / advance("-"), advance("2") / advance("-")
    assert abs(number / dash - thai) < abs(number / dash - arabic), (number / dash, thai, arabic)
    assert number / dash == pytest.approx(thai, rel=0.03)


@needs_print
def test_memo_chart_numbers_print_in_thai_digits_with_two_decimals(printed):
    """The chart's axis and every bar's label in Thai digits, as Word draws them ([$-D00041E]): LibreOffice
    ignored the Buddhist-calendar variant [$-D07041E] and printed 89 beside 52.73."""
    chart = pages(printed / "pdf" / "memo.pdf")[-1].split("\n", 1)[1]  # below the page number's line
    numbers = [t for t in chart.split() if re.fullmatch(r"[0-9๐-๙.]+", t)]
    labels = [t for t in numbers if "." in t]
    assert not [t for t in numbers if re.search("[0-9]", t)], numbers
    assert len(labels) == 2 * 23 and all(re.fullmatch("[๐-๙]+\\.[๐-๙]{2}", t) for t in labels), labels
    assert "๑๐๐" in numbers


@needs_print
def test_pdf_without_the_print_font_exits_2_and_keeps_the_docx(tmp_path, monkeypatch):
    """No Laksaman to make the print font from (and no TH Sarabun installed): exit 2 with a Thai message that says
    what to install; the DOCX, XLSX and the rest are still written."""
    monkeypatch.setenv("KPI_LAKSAMAN_DIR", str(tmp_path / "no-fonts"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(SAMPLE), "--out", str(out), "--pdf", "--quiet", "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert "ไม่ได้สร้างไฟล์ PDF" in result.output and "fonts-tlwg-laksaman" in result.output
    assert (out / "memo.docx").is_file() and (out / "letters" / "circular.docx").is_file()
    assert len(list((out / "letters").glob("3*.docx"))) == 23 and (out / "summary.xlsx").is_file()
    assert not (out / "pdf").exists()
