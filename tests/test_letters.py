"""The official documents: circular, district letters and memo, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import pickle
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_TAB_LEADER
from docx.shared import Cm
from lxml import etree

from generator.problems import Problem
from generator.render.letters import LETTER_TEMPLATES, letter_file_name, write_letters
from generator.render.letters_context import indicator_names, letter_frame
from generator.render.letters_docx import CoreProps, LetterTemplateError, load_template
from generator.render.print_text import plain_problem, plain_sentence, still_to_do, trie_pattern
from generator.render.needs_text import needs_text
from generator.thai import be_date, fmt_number, thai_digits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EVIL = ("R&D <ok>", "{{ x }}", "{% if 1 %}", "<w:p>", "</w:t>")


# ----------------------------------------------------------------------------------------- helpers
def texts(doc) -> list[str]:
    """Every paragraph's text, body paragraphs and table cells in document order."""
    out = []
    for block in doc.element.body.iterchildren():
        if block.tag == W + "p":
            out.append(_ptext(block))
        elif block.tag == W + "tbl":
            out += [_ptext(p) for p in block.iter(W + "p")]
    return out


def plain(text: str) -> str:
    """Text as read: word joiners dropped, no-break spaces as spaces (print_text.KeepTogether)."""
    return text.replace("\u2060", "").replace("\u00a0", " ")


def _ptext(p) -> str:
    """A paragraph's text as read: word joiners dropped, no-break spaces as spaces (print_text.KeepTogether)."""
    parts = []
    for r in p.iter(W + "r"):
        for e in r:
            if e.tag == W + "t":
                parts.append(e.text or "")
            elif e.tag == W + "tab":
                parts.append("\t")
            elif e.tag == W + "br":
                parts.append("\n")
    return plain("".join(parts))


def index_of(lines: list[str], test, start: int = 0) -> int:
    """The index of the first line from ``start`` that passes ``test`` (a prefix or a predicate)."""
    for i in range(start, len(lines)):
        if (lines[i].startswith(test) if isinstance(test, str) else test(lines[i])):
            return i
    raise AssertionError(f"not found after line {start}: {test!r}\n" + "\n".join(lines[start:start + 40]))


def in_order(lines: list[str], tests) -> list[int]:
    """The lines passing each test, each after the previous one."""
    found, at = [], 0
    for t in tests:
        at = index_of(lines, t, at)
        found.append(at)
        at += 1
    return found


def letter_part(lines: list[str]) -> list[str]:
    """The letter itself: everything before the enclosure's title."""
    end = next(i for i, line in enumerate(lines) if line.startswith("แนบท้ายหนังสือ"))
    return lines[:end - 2]


@pytest.fixture(scope="module")
def written(synthetic_report, tmp_path_factory):
    """The letters of the sample round, written once for this module."""
    out = tmp_path_factory.mktemp("letters")
    return out, write_letters(synthetic_report, out)


@pytest.fixture(scope="module")
def circular(written):
    return Document(str(written[0] / "letters" / "circular.docx"))


@pytest.fixture(scope="module")
def memo(written):
    return Document(str(written[0] / "memo.docx"))


def district_doc(out: Path, result) -> Document:
    return Document(str(out / "letters" / letter_file_name(result.district.code, result.district.name)))


# ------------------------------------------------------------------------------------------- files
def test_files_written(written, synthetic_report):
    out, paths = written
    scored = synthetic_report.scored
    assert paths[0] == out / "letters" / "circular.docx" and paths[-1] == out / "memo.docx"
    names = sorted(p.name for p in paths[1:-1])
    assert names == sorted(f"{r.district.code}-{r.district.name}.docx" for r in scored)
    for r in synthetic_report.missing:                      # no letter without a usable submission
        assert not (out / "letters" / f"{r.district.label}.docx").exists()
    assert all(p.is_file() and zipfile.is_zipfile(p) for p in paths)
    assert not [p for p in out.rglob("*") if "partial" in p.name]


def test_file_names_are_windows_safe():
    assert letter_file_name("3101", "เมืองบุรีรัมย์") == "3101-เมืองบุรีรัมย์.docx"
    assert letter_file_name("9", 'a/b:c*?"<>|') == "9-a_b_c______.docx"


# ---------------------------------------------------------------------------------------- circular
def test_circular_parts_in_order(circular, synthetic_report):
    r = synthetic_report.round
    lines = texts(circular)
    in_order(lines, [
        f"ที่ {r.letter.number}\t{r.address[0]}", r.address[1], r.address[2],
        be_date(r.letter.date), "เรื่อง\t" + r.letter.subject[:20], "เรียน\tนายอำเภอทุกอำเภอ",
        "อ้างถึง\t" + r.letter.reference[:20], "สิ่งที่ส่งมาด้วย\t" + r.letter.enclosure[:20],
        "ตามหนังสือที่อ้างถึง", "จังหวัดบุรีรัมย์ได้ประเมินผล", "จึงเรียนมาเพื่อโปรดทราบ", "ขอแสดงความนับถือ",
        f"({r.signer.name})", r.signer.title_lines[0], r.signer.title_lines[1],
        r.contact["office"], r.contact["group"], "โทร. " + r.contact["phone"],
        "ไปรษณีย์อิเล็กทรอนิกส์ " + r.contact["email"], "สรุปผลการประเมินผลการปฏิบัติราชการระดับอำเภอ",
    ])


def test_circular_results_in_words(circular, synthetic_report):
    rep = synthetic_report
    body = " ".join(texts(circular))
    assert f"มีอำเภอที่ได้รับการประเมิน {thai_digits(len(rep.scored))} อำเภอ จากทั้งหมด {thai_digits(23)} อำเภอ" in body
    for g in rep.catalog.groups:
        top = rep.ranks[g.key][0]
        assert f"สูงสุด คือ อำเภอ{top.name} ร้อยละ {fmt_number(top.pct, 2)} (ระดับ{top.band})" in body
        counts = {b.name: sum(1 for d in rep.scored if d.totals[g.key].band == b.name) for b in rep.round.bands}
        assert " ".join(f"{n} {thai_digits(c)}" for n, c in counts.items()) in body
    for d in rep.missing:
        assert f"อำเภอ{d.district.name}" in body.split("ยังไม่ได้ส่งแบบรายงาน", 1)[1][:200]


def test_circular_enclosure_table(circular, synthetic_report):
    rep = synthetic_report
    [table] = circular.tables
    assert len(table.rows) == 2 + len(rep.results)          # two header rows, then every district
    for row, d in zip(table.rows[2:], rep.results):
        cells = [plain(c.text) for c in row.cells]
        assert cells[1] == d.district.name
        if d.status == "missing":
            assert cells[4] == cells[8] == "ไม่ได้ส่ง" and cells[2] == "-"
            continue
        for start, key in ((2, "team"), (6, "individual")):
            t = d.totals[key]
            rank = rep.rank_of(d.district.code, key).rank
            assert cells[start:start + 4] == [fmt_number(t.total, 4), fmt_number(t.pct, 2), t.band, thai_digits(rank)]


def test_circular_thai_digits_and_date(circular, synthetic_report):
    lines = texts(circular)
    assert be_date(synthetic_report.round.letter.date) == "๒๐ ตุลาคม ๒๕๖๕"
    assert "๒๐ ตุลาคม ๒๕๖๕" in lines
    email = synthetic_report.round.contact["email"]
    assert not [line for line in lines if re.search(r"[0-9]", line.replace(email, ""))]


def test_garuda_placeholder(circular, memo):
    assert abs(circular.inline_shapes[0].height - Cm(3)) < Cm(0.05)
    assert abs(memo.inline_shapes[0].height - Cm(1.5)) < Cm(0.05)
    first = circular.paragraphs[0]
    assert first.alignment == 1 and first._p.xpath(".//wp:docPr/@descr")[0].startswith("ตราครุฑ")


# ---------------------------------------------------------------------------------------- district
def test_district_letter_parts_and_figures(written, synthetic_report):
    rep = synthetic_report
    for result in rep.scored:
        lines = texts(district_doc(written[0], result))
        name = result.district.name
        in_order(lines, ["ที่ ", be_date(rep.round.letter.date), "เรื่อง\t", f"เรียน\tนายอำเภอ{name}", "อ้างถึง\t",
                         f"สิ่งที่ส่งมาด้วย\tผลการประเมินตัวชี้วัดของอำเภอ{name}", "ตามหนังสือที่อ้างถึง",
                         "จึงเรียนมาเพื่อโปรดทราบ", "ขอแสดงความนับถือ", f"({rep.round.signer.name})",
                         "ไปรษณีย์อิเล็กทรอนิกส์", f"ผลการประเมินผลการปฏิบัติราชการ อำเภอ{name}"])
        for i, g in enumerate(rep.catalog.groups, 1):
            t = result.totals[g.key]
            rank = rep.rank_of(result.district.code, g.key)
            line = lines[index_of(lines, f"{thai_digits(i)}. {g.name} ได้คะแนน")]
            m = re.match(rf"{thai_digits(i)}\. {g.name} ได้คะแนน (\S+) จาก ๕ คะแนน คิดเป็นร้อยละ (\S+) ระดับ(\S+) "
                         rf"ลำดับที่ (\S+)", line)
            assert m, line
            assert m.groups() == (fmt_number(t.total, 4), fmt_number(t.pct, 2), t.band, thai_digits(rank.rank))
            tied = [r.name for r in rep.ranks[g.key] if r.rank == rank.rank and r.code != rank.code]
            assert all(f"อำเภอ{n}" in line for n in tied) and (("ร่วมกับ" in line) == bool(tied))
        letter = letter_part(lines)
        assert not [x for x in letter if re.search(r"[0-9]", re.sub(r"\b[TI]\d+\b|saraban\S+", "", x))]


def test_a_tie_is_said(written, synthetic_report):
    rep = synthetic_report
    tied = next(r for r in rep.ranks["team"] if r.tied)
    other = next(r for r in rep.ranks["team"] if r.rank == tied.rank and r.code != tied.code)
    result = next(d for d in rep.results if d.district.code == tied.code)
    assert f"ลำดับที่ {thai_digits(tied.rank)} (ร่วมกับอำเภอ{other.name})" in "\n".join(
        texts(district_doc(written[0], result)))


def test_district_enclosure_table_and_needs(written, synthetic_report):
    rep = synthetic_report
    result = rep.scored[5]
    doc = district_doc(written[0], result)
    [table] = doc.tables
    rows = [[plain(c.text) for c in row.cells] for row in table.rows[1:]]
    for res in result.indicators:
        ind = rep.catalog.indicator(res.code)
        row = next(r for r in rows if r[1] == thai_digits(ind.title))
        assert row == [thai_digits(ind.number), thai_digits(ind.title), fmt_number(ind.weight), fmt_number(res.level),
                       fmt_number(res.score, 2)]
    text = "\n".join(texts(doc))
    below = [r for r in result.indicators if r.level is not None and r.level < 3]
    assert below
    names = indicator_names(rep)
    for r in below:
        assert f"{names[r.code]} {thai_digits(rep.catalog.indicator(r.code).title)} ได้ระดับ {thai_digits(r.level)}" in text
        steps = (plain_sentence(thai_digits(n)) for n in needs_text(rep.catalog, r))
        assert all(n in text for n in still_to_do(steps, rep.round.letter.date))
    for p in result.problems:
        assert plain_problem(p, names.get(p.indicator, "")) in text and (not p.cell or p.cell not in text)


# -------------------------------------------------------------------------------------------- memo
def test_memo_parts_in_order(memo, synthetic_report):
    r = synthetic_report.round
    lines = texts(memo)
    in_order(lines, ["\tบันทึกข้อความ", "ส่วนราชการ  " + r.office, f"ที่  {r.memo.number}\tวันที่  {be_date(r.memo.date)}",
                     "เรื่อง  " + r.memo.subject[:20], f"เรียน  {r.memo.to}", "๑. เรื่องเดิม", "๒. ข้อเท็จจริง",
                     "๓. ข้อพิจารณา", "๔. ข้อเสนอ", "จึงเรียนมาเพื่อโปรดทราบและพิจารณา", f"({r.memo_signer.name})",
                     "พัฒนาการจังหวัดบุรีรัมย์"])
    heading = memo.paragraphs[1:4]
    assert all(any(t.leader == WD_TAB_LEADER.DOTS for t in p.paragraph_format.tab_stops) for p in heading)
    title = next(run for run in memo.paragraphs[0].runs if "บันทึกข้อความ" in run.text)
    assert title.bold and title.font.size.pt == 29


def test_memo_summary(memo, synthetic_report):
    rep = synthetic_report
    text = "\n".join(texts(memo))
    assert f"มีอำเภอที่ได้รับการประเมิน {thai_digits(len(rep.scored))} อำเภอ" in text
    for g in rep.catalog.groups:
        ranks = rep.ranks[g.key]
        for r in ranks[:3] + ranks[-3:]:
            assert f"อำเภอ{r.name} ร้อยละ {fmt_number(r.pct, 2)}" in text
    names = indicator_names(rep)
    for w in rep.weakest[:3]:
        assert f"{names[w.code]} {thai_digits(w.title)} ได้ระดับเฉลี่ย {fmt_number(w.mean_level, 2)}" in text
    for d in rep.missing:
        assert f"อำเภอ{d.district.name}" in text
    assert "อำเภอที่มีข้อมูลบางตัวชี้วัดไม่ถูกต้อง" in text


# -------------------------------------------------------------------------------------------- form
def _parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if re.fullmatch(r"word/(document|header\d+|footer\d+|styles)\.xml", n)}


def test_fonts_on_every_run(written):
    out, paths = written
    for path in [paths[0], paths[1], paths[-1]]:
        parts = _parts(path)
        runs = [r for name, root in parts.items() if name != "word/styles.xml" for r in root.iter(W + "r")]
        assert len(runs) > 20
        for r in runs:
            fonts = r.find(f"{W}rPr/{W}rFonts")
            assert fonts is not None and fonts.get(W + "cs", "").startswith("TH Sarabun"), etree.tostring(r)[:300]
            assert fonts.get(W + "ascii") == fonts.get(W + "hAnsi") == fonts.get(W + "cs")
            assert r.find(f"{W}rPr/{W}szCs") is not None and r.find(f"{W}rPr/{W}sz") is not None
            if r.find(f"{W}rPr/{W}b") is not None:
                assert r.find(f"{W}rPr/{W}bCs") is not None          # bold Thai needs complex-script bold
        styles = parts["word/styles.xml"]
        default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        normal = styles.find(f"{W}style[@{W}styleId='Normal']/{W}rPr")
        for rpr in (default, normal):
            assert rpr.find(W + "rFonts").get(W + "cs") == "TH Sarabun New"
            assert rpr.find(W + "rFonts").get(W + "asciiTheme") is None
            assert rpr.find(W + "szCs").get(W + "val") == rpr.find(W + "sz").get(W + "val") == "32"


def test_page_setup(circular, memo, written, synthetic_report):
    docs = [circular, memo, district_doc(written[0], synthetic_report.scored[0])]
    for doc in docs:
        for s in doc.sections:
            assert sorted([s.page_width, s.page_height]) == sorted([Cm(21), Cm(29.7)]) or \
                abs(min(s.page_width, s.page_height) - Cm(21)) < Cm(0.01)
            for got, want in ((s.left_margin, 3), (s.right_margin, 2), (s.top_margin, 2.5), (s.bottom_margin, 2)):
                assert abs(got - Cm(want)) < Cm(0.01)
        normal = doc.styles["Normal"].paragraph_format
        assert normal.line_spacing == 1.0 and normal.space_after == 0
        body = [p for p in doc.paragraphs if p.style.name == "Letter Body"]
        assert body and all(abs(p.style.paragraph_format.first_line_indent - Cm(2.5)) < Cm(0.01) for p in body)
        assert all(p.paragraph_format.first_line_indent is None for p in body)     # none overrides the style
    sig = [p for p in circular.paragraphs if p.style.name == "Signature"]
    assert all(p.style.paragraph_format.keep_with_next and p.style.paragraph_format.keep_together for p in sig)
    closing = next(p for p in circular.paragraphs if p.text.startswith("จึงเรียนมา"))
    assert closing.paragraph_format.keep_with_next                  # the signature never stands alone
    assert circular.sections[1].orientation == 1                    # the wide enclosure table is landscape


ORDERS = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
            "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
            "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"),
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
            "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
            "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
            "em", "lang", "eastAsianLayout", "specVanish", "oMath"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark"),
    "trPr": ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
             "tblHeader", "tblCellSpacing", "jc", "hidden"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"),
    "sectPr": ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
               "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
               "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings"),
}


def test_schema_order(written):
    """Children in the order the schema wants (Word refuses files LibreOffice would open)."""
    out, paths = written
    for path in [paths[0], paths[1], paths[-1]] + sorted(LETTER_TEMPLATES.glob("*.docx")):
        for name, root in _parts(path).items():
            for tag, order in ORDERS.items():
                for el in root.iter(W + tag):
                    names = [c.tag.rsplit("}", 1)[-1] for c in el if c.tag.startswith(W)]
                    ranks = [order.index(n) for n in names]
                    assert ranks == sorted(ranks), f"{path.name} {name} {tag}: {names}"


# ---------------------------------------------------------------------------------------- behaviour
def evil_report(report):
    """The sample round where a district typed markup and template syntax into its form."""
    first = report.scored[0]
    i0 = replace(first.indicators[0], status="error", level=None, score=None,
                 problems=(Problem("error", "check", "หลักฐาน R&D <ok> {{ x }} {% if 1 %} <w:p>", indicator="T1"),))
    problem = Problem("error", "bad-number", "ต้องเป็นตัวเลข R&D <ok> {% if 1 %}", district=first.district.code,
                      file="a&b <1>.xlsx", sheet="ชีต", cell="C12", key="T1_spent", indicator="T1",
                      value="{{ x }}\x0b<w:p></w:t>\nบรรทัดที่สอง", expected="<w:p>")
    evil = replace(first, indicators=(i0,) + first.indicators[1:], problems=first.problems + (problem,),
                   status="error")
    return replace(report, results=tuple(evil if r is first else r for r in report.results))


def test_district_text_is_data(synthetic_report, tmp_path):
    rep = evil_report(synthetic_report)
    write_letters(rep, tmp_path)
    first = rep.scored[0]
    doc = district_doc(tmp_path, first)                 # opens: the XML stayed well-formed
    text = "\n".join(texts(doc))
    for s in EVIL[:4]:                                  # printed with Thai digits; the typed value (Latin) is not printed
        assert thai_digits(s) in text
    assert "ต้องเป็นตัวเลข R&D <ok> {% if ๑ %}" in text
    assert "หลักฐาน R&D <ok> {{ x }} {% if ๑ %} <w:p>" in text
    assert "a&b <1>.xlsx" not in text                   # file names stay in the scorecard and the summary
    with zipfile.ZipFile(tmp_path / "letters" / letter_file_name(first.district.code, first.district.name)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "R&amp;D &lt;ok&gt;" in xml and "&lt;w:p&gt;" in xml and "\x0b" not in xml


def test_reproducible_and_pinned(synthetic_report, tmp_path):
    a, b = write_letters(synthetic_report, tmp_path / "a"), write_letters(synthetic_report, tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    r = synthetic_report.round
    for path, letter in ((a[0], r.letter), (a[1], r.letter), (a[-1], r.memo)):
        props = Document(str(path)).core_properties
        assert props.author == props.last_modified_by == r.office
        day = dt.datetime(letter.date.year, letter.date.month, letter.date.day, tzinfo=dt.timezone.utc)
        assert props.created == props.modified == day
        with zipfile.ZipFile(path) as z:
            assert {i.date_time[:3] for i in z.infolist()} == {(letter.date.year, letter.date.month, letter.date.day)}


def test_archive_members_are_as_zipfile_writes_them(written):
    """Every document's members: intact, dated by the letter, regular files made on Unix, XML deflated and
    pictures stored (the layout itself is compared byte for byte with zipfile's in test_zip_parts)."""
    for path in written[1][:2] + written[1][-1:]:
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
            for info in z.infolist():
                assert (info.create_system, info.external_attr) == (3, 0o644 << 16), info.filename
                picture = info.filename.startswith("word/media/")
                assert info.compress_type == (zipfile.ZIP_STORED if picture else zipfile.ZIP_DEFLATED)


def test_district_letter_values_travel_to_workers_and_need_no_full_results(synthetic_report):
    """A letter's values come from the round's frame and the district's slim result; both survive pickling."""
    from generator.render.letters_context import district_context, letter_frame, standings

    frame, places = letter_frame(synthetic_report), standings(synthetic_report)
    for result in synthetic_report.scored:
        standing = places[result.district.code]
        here = district_context(frame, result, standing)
        sent = pickle.loads(pickle.dumps((frame, result.slim(), standing)))
        assert district_context(*sent) == here
    assert len(pickle.dumps(frame)) < 30_000  # one per chunk of letters: the catalog's words, not the districts' data


def test_failed_render_leaves_nothing(tmp_path):
    from generator.render.letters import ENV
    tpl = load_template(LETTER_TEMPLATES / "district.docx", ENV)
    target = tmp_path / "letters" / "x.docx"
    with pytest.raises(LetterTemplateError, match="undefined"):
        tpl.write(target, {"number": "1"}, CoreProps("t", "a", dt.date(2022, 10, 20)))
    assert not target.exists() and not list(tmp_path.rglob("*.docx"))


def test_templates_load_once(synthetic_report, tmp_path):
    from generator.render import letters_docx
    from generator.render.letters import ENV
    load_template(LETTER_TEMPLATES / "memo.docx", ENV)
    before = letters_docx._load.cache_info().hits
    write_letters(synthetic_report, tmp_path)
    assert letters_docx._load.cache_info().hits >= before + 3


def test_fast_path_matches_docxtpl(synthetic_report, tmp_path):
    """The one-parse renderer gives the text docxtpl's own render gives."""
    from docxtpl import DocxTemplate

    from generator.render.letters import ENV
    from generator.render.letters_context import district_context, letter_frame, letter_numbers, standings
    result = synthetic_report.scored[2]
    number = letter_numbers(synthetic_report.round, [r.district.code for r in synthetic_report.scored])[result.district.code]
    write_letters(synthetic_report, tmp_path)
    tpl = DocxTemplate(str(LETTER_TEMPLATES / "district.docx"))
    tpl.render(district_context(letter_frame(synthetic_report), result,
                                standings(synthetic_report)[result.district.code], number), jinja_env=ENV)
    tpl.save(str(tmp_path / "docxtpl.docx"))
    assert texts(Document(str(tmp_path / "docxtpl.docx"))) == texts(district_doc(tmp_path, result))


# --------------------------------------------------------------------------------------- templates
@pytest.mark.parametrize("name", ["circular", "district", "memo"])
def test_templates_are_editable_docx(name):
    path = LETTER_TEMPLATES / f"{name}.docx"
    doc = Document(str(path))                                  # a real Word document
    text = "\n".join(texts(doc))
    assert "{{ number }}" in text and "{{ date }}" in text and "{%p " in text
    s = doc.sections[0]
    assert abs(s.left_margin - Cm(3)) < Cm(0.01) and abs(s.top_margin - Cm(2.5)) < Cm(0.01)


def test_templates_match_their_script(tmp_path):
    """The committed templates are what make_templates.py builds (regenerate them after editing it)."""
    import importlib.util
    import sys

    folder = str(LETTER_TEMPLATES)
    sys.path.insert(0, folder)
    try:
        spec = importlib.util.spec_from_file_location("make_templates", LETTER_TEMPLATES / "make_templates.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name in ("circular", "district", "memo"):
            built = tmp_path / f"{name}.docx"
            module.save(getattr(module, f"build_{name}")(), built, name)
            assert texts(Document(str(built))) == texts(Document(str(LETTER_TEMPLATES / f"{name}.docx"))), name
    finally:
        sys.path.remove(folder)


def test_memo_signer_from_the_round_config(synthetic_report, tmp_path):
    """[memo] signer_name / signer_title_lines sign the memo; the letters keep the round's signer."""
    import dataclasses

    from generator.config import Signer

    rnd = dataclasses.replace(synthetic_report.round, memo_signer=Signer("นางสาวทดสอบ ใจดี", ("พัฒนาการจังหวัดบุรีรัมย์",)))
    report = dataclasses.replace(synthetic_report, round=rnd)
    write_letters(report, tmp_path)
    memo = texts(Document(str(tmp_path / "memo.docx")))
    circular = texts(Document(str(tmp_path / "letters" / "circular.docx")))
    assert "(นางสาวทดสอบ ใจดี)" in memo and "พัฒนาการจังหวัดบุรีรัมย์" in memo
    assert f"({rnd.signer.name})" in circular and "(นางสาวทดสอบ ใจดี)" not in circular


def test_trie_pattern_matches_as_the_longest_first_alternation_does():
    """The terms merged by their beginnings find the same terms at the same places as their alternation, longest
    first (names that begin alike, one name inside another, Thai and spaces)."""
    import random

    rng = random.Random(2565)
    letters = "กขคงอำเภอบุรีรัมย์ ab"
    for _ in range(2000):
        terms = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(1, 12))}
        alternation = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
        merged = re.compile(trie_pattern(terms))
        for _ in range(10):
            text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 40)))
            assert [(m.start(), m[0]) for m in merged.finditer(text)] == \
                [(m.start(), m[0]) for m in alternation.finditer(text)], (sorted(terms), text)


def test_an_indicator_whose_missing_steps_are_all_past_due_says_so(written, synthetic_report):
    """Nothing left to do this round is not "nothing to say": the letter says the steps it lacks were due already."""
    rep = synthetic_report
    frame = letter_frame(rep)
    found = 0
    for result in rep.scored:
        text = "\n".join(texts(district_doc(written[0], result)))
        for res in result.indicators:
            if res.level is None or res.level >= 3 or not res.needs:
                continue
            steps = still_to_do((plain_sentence(thai_digits(n)) for n in needs_text(rep.catalog, res)), frame.today)
            said = f"ได้ระดับ {thai_digits(res.level)} โดยกิจกรรมที่ยังขาดอยู่พ้นกำหนดเวลาของรอบนี้แล้ว"
            heading = next(line for line in text.splitlines() if thai_digits(rep.catalog.indicator(res.code).title) in line
                           and "ได้ระดับ" in line)
            assert (said in heading) == (not steps), heading
            found += not steps
    assert found  # the sample round has such an indicator (ประโคนชัย's ตัวชี้วัดรายทีมที่ ๖)
