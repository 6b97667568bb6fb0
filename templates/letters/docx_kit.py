"""Building blocks for the letter templates (python-docx): Thai fonts on every run, paragraphs, grid tables
in schema order, the Garuda picture. Page, styles and sections are in docx_page.py. Used by make_templates.py.

Form (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ): A4, margins left 3 cm, right 2 cm, top 2.5 cm,
bottom 2 cm; TH Sarabun New 16 pt for Latin and complex script (w:cs, w:szCs) in the styles and on
every run; single line spacing; body paragraphs indented 2.5 cm on the first line.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
GARUDA = HERE / "garuda-placeholder.png"
FONT = "TH Sarabun New"          # the office may use "TH SarabunIT๙" or "TH SarabunPSK" instead
FONT_ALT = "TH SarabunPSK"
BODY = 16                        # pt
TABLE = 14                       # pt, enclosure tables
TEXT_WIDTH = 16.0                # cm: 21 − 3 − 2
HEAD_TAB = 10.0                  # cm: where the sender's address starts (ที่ ... at the left margin)
DATE_INDENT = 7.5                # cm: the date starts about under the middle of the Garuda
SIG_INDENT = 2.5                 # cm: the signature block is centred between this and the right margin
LINE = 20                        # pt: one blank line of 16 pt text
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid",
               "Header", "HeaderChar", "Footer", "FooterChar"}
ALT_TEXT = "ตราครุฑ (Garuda): คลิกขวา > เปลี่ยนรูปภาพ (Change Picture) เพื่อใส่ตราครุฑของส่วนราชการ"


# ----------------------------------------------------------------------------------------- fonts
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
             "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
             "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


# schema order of the children Word checks (LibreOffice is lenient, Word reports a damaged file)
TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
              "textDirection", "tcFitText", "vAlign", "hideMark")
TRPR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
              "tblHeader", "tblCellSpacing", "jc", "hidden")
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook")
SECTPR_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
                "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
                "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings")


def insert_ordered(parent, child, order: tuple[str, ...]) -> None:
    """Put ``child`` into ``parent`` where the schema order wants it (replacing one of the same name)."""
    local = lambda e: e.tag.rsplit("}", 1)[-1]  # noqa: E731
    name = local(child)
    for old in parent.findall(child.tag):
        parent.remove(old)
    rank = order.index(name)
    for e in parent:
        if local(e) in order and order.index(local(e)) > rank:
            e.addprevious(child)
            return
    parent.append(child)


def set_fonts(rpr, size: float, bold: bool = False) -> None:
    """Font, size and bold for Latin AND complex script (Thai) text on a w:rPr element."""
    for tag in ("w:rFonts", "w:b", "w:bCs", "w:sz", "w:szCs", "w:lang"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    new = [OxmlElement("w:rFonts", {qn(f"w:{attr}"): FONT for attr in ("ascii", "hAnsi", "eastAsia", "cs")})]
    if bold:
        new += [OxmlElement("w:b"), OxmlElement("w:bCs")]
    new += [OxmlElement(tag, {qn("w:val"): str(int(size * 2))}) for tag in ("w:sz", "w:szCs")]
    new.append(OxmlElement("w:lang", {qn("w:val"): "th-TH", qn("w:eastAsia"): "en-US", qn("w:bidi"): "th-TH"}))
    children = list(rpr) + new
    for child in list(rpr):
        rpr.remove(child)
    local = lambda e: e.tag.rsplit("}", 1)[-1]  # noqa: E731
    for child in sorted(children, key=lambda e: RPR_ORDER.index(local(e)) if local(e) in RPR_ORDER else 99):
        rpr.append(child)


def add_run(p, text: str, size: float = BODY, bold: bool = False):
    """A run with the fonts set directly on it (Word and LibreOffice both honour run fonts)."""
    r = p.add_run(text)
    set_fonts(r._r.get_or_add_rPr(), size, bold)
    for t in r._r.findall(qn("w:t")):       # jinja may put spaces at either end of a text
        t.set(qn("xml:space"), "preserve")
    return r


# ------------------------------------------------------------------------------------ paragraphs
def par(container, *parts, style: str | None = None, align=None, left: float | None = None,
        first: float | None = None, hanging: float | None = None, right: float | None = None,
        before: float | None = None, after: float | None = None, keep_next: bool = False,
        keep_together: bool = False, page_break: bool = False, tabs=(), size: float = BODY, bold: bool = False):
    """A paragraph of runs; ``parts`` are text or (text, {"bold":…, "size":…}); lengths in cm, spacing in pt."""
    p = container.add_paragraph(style=style)
    f = p.paragraph_format
    if align is not None:
        p.alignment = align
    if left is not None:
        f.left_indent = Cm(left)
    if right is not None:
        f.right_indent = Cm(right)
    if first is not None:
        f.first_line_indent = Cm(first)
    if hanging is not None:
        f.first_line_indent = Cm(-hanging)
    if before is not None:
        f.space_before = Pt(before)
    if after is not None:
        f.space_after = Pt(after)
    if keep_next:
        f.keep_with_next = True
    if keep_together:
        f.keep_together = True
    if page_break:
        f.page_break_before = True
    for pos, alignment, leader in tabs:
        f.tab_stops.add_tab_stop(Cm(pos), alignment, leader)
    for part in parts:
        text, opts = (part, {}) if isinstance(part, str) else part
        add_run(p, text, opts.get("size", size), opts.get("bold", bold))
    set_fonts(mark_rpr(p), size, bold)     # the paragraph mark carries the font too
    return p


def mark_rpr(p):
    """The paragraph mark's w:rPr (created before w:sectPr / w:pPrChange, as the schema wants)."""
    ppr = p._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        after = [e for e in ppr if e.tag in (qn("w:sectPr"), qn("w:pPrChange"))]
        if after:
            after[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    return rpr


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); it disappears when rendered."""
    return par(container, text)


def B(text: str, size: float = BODY):
    """A bold part."""
    return text, {"bold": True, "size": size}


# ---------------------------------------------------------------------------------------- tables
def cell_props(cell, width: float, fill: str | None = None, valign=WD_CELL_VERTICAL_ALIGNMENT.CENTER):
    """Width (cm), background and vertical alignment of a cell."""
    cell.width = Cm(width)
    cell.vertical_alignment = valign
    if fill:
        shd = OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
        insert_ordered(cell._tc.get_or_add_tcPr(), shd, TCPR_ORDER)


def cell_text(cell, text: str, align=WD_ALIGN_PARAGRAPH.LEFT, bold: bool = False, size: float = TABLE):
    """Put one paragraph of text in a cell (replacing the empty one)."""
    p = cell.paragraphs[0]
    p.style = "Table Text"
    p.alignment = align
    if text:
        add_run(p, text, size, bold)
    else:
        set_fonts(mark_rpr(p), size, bold)
    return p


def row_props(row, header: bool = False):
    """Rows never split across pages; header rows repeat on every page."""
    trpr = row._tr.get_or_add_trPr()
    insert_ordered(trpr, OxmlElement("w:cantSplit"), TRPR_ORDER)
    if header:
        insert_ordered(trpr, OxmlElement("w:tblHeader"), TRPR_ORDER)


def new_table(container, widths: list[float], rows: int):
    """A fixed-layout grid table of the given column widths (cm)."""
    t = container.add_table(rows=rows, cols=len(widths))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tblpr = t._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, w in (("left", 70), ("right", 70)):
        margins.append(OxmlElement(f"w:{side}", {qn("w:w"): str(w), qn("w:type"): "dxa"}))
    insert_ordered(tblpr, margins, TBLPR_ORDER)
    for col, w in zip(t.columns, widths):
        col.width = Cm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = Cm(w)
    return t


def tag_row(table, text: str):
    """A table row holding only a docxtpl row tag ({%tr ... %}) in its first cell, cells merged."""
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    cell_text(merged, text)
    return row


def garuda(p, height_cm: float) -> None:
    """The Garuda placeholder picture, to be replaced by the office's emblem (keeps its size)."""
    r = p.add_run()
    set_fonts(r._r.get_or_add_rPr(), BODY)
    r.add_picture(str(GARUDA), height=Cm(height_cm))
    doc_pr = r._r.find(".//" + qn("wp:docPr"))
    doc_pr.set("name", "Garuda")
    doc_pr.set("descr", ALT_TEXT)
