"""The official A4 document the letter templates start from: margins, Thai styles (fonts set for complex
script too), a lean package, page numbers, sections, and reproducible saving."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from docx_kit import (BODY, FONT, FONT_ALT, KEEP_STYLES, SECTPR_ORDER, SIG_INDENT, TABLE, add_run, mark_rpr,
                      insert_ordered, set_fonts)

def new_document() -> Document:
    """An A4 document with the official margins and Thai styles, stripped of unused parts."""
    doc = Document()
    _strip_package(doc)
    s = doc.sections[0]
    s.page_width, s.page_height = Cm(21.0), Cm(29.7)
    s.left_margin, s.right_margin = Cm(3.0), Cm(2.0)
    s.top_margin, s.bottom_margin = Cm(2.5), Cm(2.0)
    s.header_distance, s.footer_distance = Cm(1.2), Cm(1.0)
    _styles(doc)
    _settings(doc)
    _font_table(doc)
    return doc


def _strip_package(doc) -> None:
    """Drop what python-docx's default template carries and a letter does not need (smaller, faster)."""
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in ("customXml", "stylesWithEffects", "webSettings"):
            part.drop_rel(rid)
    pkg_rels = part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg_rels[rid]
            pkg_rels.related_parts.pop(rid, None)


def _styles(doc) -> None:
    styles = doc.styles
    root = styles.element
    latent = root.find(qn("w:latentStyles"))
    if latent is not None:
        root.remove(latent)
    for st in list(root.findall(qn("w:style"))):
        if st.get(qn("w:styleId")) not in KEEP_STYLES:
            root.remove(st)
        else:
            for rpr in st.findall(qn("w:rPr")):       # theme fonts would override the named font
                for f in rpr.findall(qn("w:rFonts")):
                    rpr.remove(f)
    defaults = root.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for sp in ppr.findall(qn("w:spacing")):
        ppr.remove(sp)
    ppr.append(OxmlElement("w:spacing", {qn("w:after"): "0", qn("w:line"): "240", qn("w:lineRule"): "auto"}))

    normal = styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), BODY)
    nf = normal.paragraph_format
    nf.space_before, nf.space_after, nf.line_spacing = Pt(0), Pt(0), 1.0
    nf.widow_control = True
    for name in ("Header", "Footer"):
        set_fonts(styles[name].element.get_or_add_rPr(), BODY)

    def add(name: str, size: float = BODY, bold: bool = False, **fmt):
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.quick_style = True
        set_fonts(st.element.get_or_add_rPr(), size, bold)
        f = st.paragraph_format
        for key, value in fmt.items():
            if key == "align":
                f.alignment = value
            else:
                setattr(f, key, value)
        return st

    add("Letter Part", space_before=Pt(6))
    add("Letter Body", first_line_indent=Cm(2.5), space_before=Pt(6), align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)
    add("Signature", left_indent=Cm(SIG_INDENT), align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True,
        keep_together=True)
    add("Contact")
    add("Table Text", size=TABLE)
    add("Enclosure Title", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True)
    add("Memo Heading", bold=True, first_line_indent=Cm(2.5), space_before=Pt(6), keep_with_next=True)
    add("Memo Item", first_line_indent=Cm(3.5), align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)


def _settings(doc) -> None:
    st = doc.settings.element
    for rs in st.findall(qn("w:rsids")):
        st.remove(rs)
    lang = st.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "en-US")
        lang.set(qn("w:bidi"), "th-TH")


def _font_table(doc) -> None:
    part = doc.part.part_related_by(RT.FONT_TABLE)
    from lxml import etree
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": FONT})
    for tag, val in (("altName", FONT_ALT), ("charset", "DE"), ("family", "swiss"), ("pitch", "variable")):
        etree.SubElement(font, f"{{{w}}}{tag}", {f"{{{w}}}val": val})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def page_numbers(section, first_page_blank: bool = True, restart: bool = False) -> None:
    """'- ๒ -' centred at the top from the second page (Thai digits in Word; the official form)."""
    section.different_first_page_header_footer = first_page_blank
    section.header.is_linked_to_previous = False
    if first_page_blank:
        section.first_page_header.is_linked_to_previous = False
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, "- ")
    r = add_run(p, "")
    for t in r._r.findall(qn("w:t")):
        r._r.remove(t)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("text", "๒"), ("end", None)):
        if kind in ("begin", "separate", "end"):
            e = OxmlElement("w:fldChar")
            e.set(qn("w:fldCharType"), kind)
        elif kind == "text":
            e = OxmlElement("w:t")
            e.text = text
        else:
            e = OxmlElement("w:instrText")
            e.set(qn("xml:space"), "preserve")
            e.text = text
        r._r.append(e)
    add_run(p, " -")
    pg = section._sectPr.find(qn("w:pgNumType"))
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        insert_ordered(section._sectPr, pg, SECTPR_ORDER)
    pg.set(qn("w:fmt"), "thaiNumbers")
    if restart:
        pg.set(qn("w:start"), "1")


def new_section(doc, landscape: bool = False):
    """Close the current section; the next starts on a new page (landscape for wide tables) with its own
    page numbers from its second page."""
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    carrier = doc.paragraphs[-1]          # python-docx's empty paragraph holding the previous section break
    set_fonts(mark_rpr(carrier), 2)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    page_numbers(sec, first_page_blank=True, restart=True)
    return sec


def save(doc, path: Path, title: str) -> None:
    """Save with pinned properties and fixed zip dates: rebuilding unchanged templates gives the same bytes."""
    cp = doc.core_properties
    stamp = dt.datetime(2022, 1, 1)
    cp.author = cp.last_modified_by = "kpi-report"
    cp.title = title
    cp.created = cp.modified = stamp
    cp.revision = 1
    cp.comments = "แม่แบบหนังสือ สร้างด้วย templates/letters/make_templates.py (docxtpl/jinja tags)"
    doc.save(str(path))
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2022, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
