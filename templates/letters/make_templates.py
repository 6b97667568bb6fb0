"""Build the letter templates (circular.docx, district.docx, memo.docx, reminder.docx) with python-docx.

Run from anywhere:   python templates/letters/make_templates.py [--placeholder]

The DOCX files are ordinary Word documents holding docxtpl/jinja tags: ``{{ value }}`` for a value,
``{%p for ... %}`` / ``{%p if ... %}`` on a paragraph of their own (the paragraph is replaced by the
tag), ``{%tr for ... %}`` in a table row of its own. A clerk may edit wording, spacing or the Garuda
picture (right click > Change Picture) in Word or LibreOffice and keep the tags; the renderer is
``generator/render/letters.py`` and the values it offers are built in ``letters_context.py``.
The layout helpers are beside this script: docx_kit.py (fonts on every run, paragraphs, tables),
docx_page.py (page, styles, sections), docx_chart.py (the memo's bar chart part), garuda_placeholder.py.

``--placeholder`` re-draws garuda-placeholder.png (needs LibreOffice and poppler's pdftoppm); the
PNG is committed, so the templates build without them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER

from docx_kit import (BODY, DATE_INDENT, GARUDA, HEAD_TAB, HERE, LINE, TABLE, TEXT_WIDTH, B, add_run,
                      cell_props, cell_text, garuda, new_table, par, row_props, tag, tag_row)
from docx_chart import add_chart
from docx_page import new_document, new_section, page_numbers, save
from garuda_placeholder import draw_placeholder

CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
THAI = WD_ALIGN_PARAGRAPH.THAI_JUSTIFY        # w:jc="thaiDistribute"
GREY, LIGHT = "D9D9D9", "F2F2F2"
TAB = WD_TAB_ALIGNMENT.LEFT


# ------------------------------------------------------------------------------- shared letter parts
def letter_heading(doc, enclosure: str) -> None:
    """Garuda, ที่ + the sender's address, date, เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย (หนังสือภายนอก)."""
    garuda(par(doc, align=CENTER), 3.0)
    par(doc, "ที่ {{ number }}\t{{ head_first }}", left=HEAD_TAB, hanging=HEAD_TAB,
        tabs=[(HEAD_TAB, TAB, WD_TAB_LEADER.SPACES)], before=4)
    tag(doc, "{%p for line in head_rest %}")
    par(doc, "{{ line }}", left=HEAD_TAB)
    tag(doc, "{%p endfor %}")
    par(doc, "{{ date }}", left=DATE_INDENT, before=LINE * 0.6)
    for label, value, width, before in (("เรื่อง", "{{ subject }}", 1.25, LINE * 0.6), ("เรียน", "{{ to }}", 1.25, 6),
                                        ("อ้างถึง", "{{ reference }}", 1.5, 6),
                                        ("สิ่งที่ส่งมาด้วย", enclosure, 2.75, 6)):
        if label == "อ้างถึง":
            tag(doc, "{%p if reference %}")
        par(doc, f"{label}\t{value}", left=width, hanging=width, tabs=[(width, TAB, 0)], before=before)
        if label == "อ้างถึง":
            tag(doc, "{%p endif %}")


def body(doc, text: str, **fmt):
    """A body paragraph: first line indented 2.5 cm, Thai distributed, 6 pt before."""
    return par(doc, text, style="Letter Body", **fmt)


def reference_paragraph(doc, otherwise: str) -> None:
    """ตามหนังสือที่อ้างถึง ... นั้น (or ตามที่ ... นั้น when there is no reference)."""
    tag(doc, "{%p if reference %}")
    body(doc, "ตามหนังสือที่อ้างถึง จังหวัด{{ province }}ได้แจ้งตัวชี้วัดและค่าเป้าหมายการประเมินผลการปฏิบัติราชการ "
              "ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }} รอบการประเมินที่ {{ round_no }} ({{ period }}) "
              "และขอให้อำเภอรายงานผลการดำเนินงานให้จังหวัดทราบ นั้น")
    tag(doc, "{%p else %}")
    body(doc, otherwise)
    tag(doc, "{%p endif %}")


def external_letter(enclosure: str, otherwise: str):
    """A new หนังสือภายนอก up to its reference paragraph: page numbers, heading, ตามหนังสือที่อ้างถึง ... นั้น."""
    doc = new_document()
    page_numbers(doc.sections[0])
    letter_heading(doc, enclosure)
    reference_paragraph(doc, otherwise)
    return doc


def signature(doc, closing: str | None = "ขอแสดงความนับถือ", titles: str = "signer.title_lines") -> None:
    """ขอแสดงความนับถือ, room to sign, (name), position lines: one block that never splits."""
    if closing:
        par(doc, closing, style="Signature", before=LINE * 0.6)
    par(doc, "({{ signer.name }})", style="Signature", before=LINE * 2.4)
    tag(doc, "{%p for line in " + titles + " %}")
    par(doc, "{{ line }}", style="Signature")
    tag(doc, "{%p endfor %}")


def contact_block(doc) -> None:
    """ส่วนราชการเจ้าของเรื่อง, telephone and e-mail at the bottom left, kept with the signature."""
    lines = [("contact.office", "{{ contact.office }}"), ("contact.group", "{{ contact.group }}"),
             ("contact.phone", "โทร. {{ contact.phone }}"), ("contact.fax", "โทรสาร {{ contact.fax }}"),
             ("contact.email", "ไปรษณีย์อิเล็กทรอนิกส์ {{ contact.email }}")]
    for i, (key, text) in enumerate(lines):
        tag(doc, "{%p if " + key + " %}")
        par(doc, text, style="Contact", keep_next=True, before=LINE * 1.2 if i == 0 else None)
        tag(doc, "{%p endif %}")


def enclosure_title(doc, lines: list[str], memo: bool = False) -> None:
    """The centred title of an enclosure, and the letter (or memo) it belongs to."""
    for line in lines:
        par(doc, line, style="Enclosure Title")
    of = "แนบท้ายบันทึกข้อความ" if memo else "แนบท้ายหนังสือจังหวัด{{ province }}"
    par(doc, of + " ที่ {{ number }} ลงวันที่ {{ date }}", align=CENTER, after=6, keep_next=True, size=TABLE)


# ------------------------------------------------------------------------------------------ circular
LABELS = {"total": "คะแนน", "pct": "ร้อยละ", "band": "ระดับ", "rank": "ลำดับ"}


def districts_table(doc, widths: list[float], fields: tuple[str, ...], rows: str, head: float, sub_head: float,
                    size: float) -> None:
    """A table of every district (the context's ``rows``): ที่, อำเภอ, then ``fields`` of each group under its name."""
    t = new_table(doc, widths, 2)
    top, sub = t.rows
    row_props(top, header=True)
    row_props(sub, header=True)
    for i, text in ((0, "ที่"), (1, "อำเภอ")):
        m = top.cells[i].merge(sub.cells[i])
        cell_props(m, widths[i], GREY)
        cell_text(m, text, CENTER, bold=True, size=head)
    n = len(fields)
    for start, key in ((2, "team"), (2 + n, "individual")):
        m = top.cells[start].merge(top.cells[start + n - 1])
        cell_props(m, sum(widths[start:start + n]), GREY)
        cell_text(m, "{{ group_names." + key + " }}", CENTER, bold=True, size=head)
        for k, field in enumerate(fields):
            cell_props(sub.cells[start + k], widths[start + k], GREY)
            cell_text(sub.cells[start + k], LABELS[field], CENTER, bold=True, size=sub_head)
    tag_row(t, "{%tr for r in " + rows + " %}")
    row = t.add_row()
    row_props(row)
    values = ["{{ r.seq }}", "{{ r.name }}"]
    for key in ("team", "individual"):
        values += [f"{{{{ r.{key}.band if not r.missing else 'ไม่ได้ส่ง' }}}}" if f == "band" else f"{{{{ r.{key}.{f} }}}}"
                   for f in fields]
    for i, (cell, text) in enumerate(zip(row.cells, values)):
        cell_props(cell, widths[i])
        cell_text(cell, text, LEFT if i == 1 else CENTER, size=size)
    tag_row(t, "{%tr endfor %}")

CIRC_W = [1.1, 4.3, 2.5, 2.1, 3.3, 1.5, 2.5, 2.1, 3.3, 1.5]     # landscape, 16 pt: 24.2 of 24.7 cm


def build_circular():
    """หนังสือภายนอก (เวียน) to every district, with the province's summary table as enclosure."""
    doc = external_letter("{{ enclosure or 'สรุปผลการประเมินรายอำเภอ จำนวน ๑ ชุด' }}",
                          "ตามที่ จังหวัด{{ province }}ได้ถ่ายทอดตัวชี้วัดและค่าเป้าหมายการประเมินผลการปฏิบัติราชการ "
                          "ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }} รอบการประเมินที่ {{ round_no }} ({{ period }}) "
                          "และขอให้อำเภอรายงานผลการดำเนินงานให้จังหวัดทราบ นั้น")
    body(doc, "จังหวัด{{ province }}ได้ประเมินผลจากแบบรายงานของอำเภอแล้ว มีอำเภอที่ได้รับการประเมิน "
              "{{ n_scored }} อำเภอ จากทั้งหมด {{ n_districts }} อำเภอ สรุปผลได้ ดังนี้")
    tag(doc, "{%p for g in groups %}")
    body(doc, "{{ g.index }}. {{ g.name }} อำเภอที่มีผลการประเมินสูงสุด คือ {{ g.top_names }} ร้อยละ {{ g.top_pct }} "
              "(ระดับ{{ g.top_band }}) จำแนกตามระดับ ได้แก่ {% for b in g.bands %}{{ b.name }} {{ b.count }}"
              "{% if not loop.last %} {% endif %}{% endfor %} อำเภอ", before=0)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if missing or invalid %}")
    body(doc, "{% if missing %}อำเภอที่ยังไม่ได้ส่งแบบรายงาน {% if missing_listed %}ได้แก่ {{ missing_listed }}"
              "{% else %}จำนวน {{ n_missing }} อำเภอ{% endif %}{% if invalid %} และ{% endif %}{% endif %}"
              "{% if invalid %}อำเภอที่รายงานข้อมูลบางตัวชี้วัดไม่ถูกต้องหรือไม่ครบถ้วน จำนวน {{ n_invalid }} อำเภอ "
              "(ตัวชี้วัดนั้นยังไม่ได้รับคะแนน){% endif %} ขอให้รายงานหรือแก้ไขข้อมูลให้จังหวัดทราบโดยเร็ว")
    tag(doc, "{%p endif %}")
    body(doc, "รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย ส่วนผลการประเมินรายตัวชี้วัด จังหวัดได้แจ้งให้อำเภอทราบเป็นรายอำเภอแล้ว")
    body(doc, "จึงเรียนมาเพื่อโปรดทราบ และแจ้งพัฒนาการอำเภอดำเนินการในส่วนที่เกี่ยวข้องต่อไป", keep_next=True)
    signature(doc)
    contact_block(doc)
    new_section(doc, landscape=True)

    enclosure_title(doc, ["สรุปผลการประเมินผลการปฏิบัติราชการระดับอำเภอ จังหวัด{{ province }}",
                          "ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }} รอบการประเมินที่ {{ round_no }} ({{ period }})"])
    districts_table(doc, CIRC_W, ("total", "pct", "band", "rank"), "table", BODY, TABLE, BODY)
    par(doc, "หมายเหตุ  ๑. คะแนนเต็ม {{ max_score }} (ค่าเฉลี่ยถ่วงน้ำหนัก) ร้อยละ = คะแนน × {{ pct_factor }}  "
             "ลำดับที่ซ้ำกันคือได้คะแนนเท่ากัน{% if mode != 'step' %}  คิดคะแนนแบบเทียบสัดส่วนระหว่างระดับ{% endif %}",
        size=TABLE, before=6, keep_next=True)
    par(doc, "๒. ระดับผลการประเมินตามร้อยละของคะแนน {% for b in band_rules %}{{ b.name }} "
             "{% if b.below %}ต่ำกว่า {{ b.below }}{% else %}{{ b.min }} ขึ้นไป{% endif %}"
             "{% if not loop.last %}  {% endif %}{% endfor %}", size=TABLE)
    return doc


# ------------------------------------------------------------------------------------------ district
def trend_sentence(doc) -> None:
    """One sentence on the change since the previous round (only when the round is compared with one)."""
    tag(doc, "{%p if trend %}")
    body(doc, "{% if trend.compared %}เมื่อเทียบกับ{{ trend.previous }} {% for g in trend.groups %}{{ g.name }}"
              "ได้ร้อยละ {{ g.pct_now }} {% if g.trend == 'up' %}เพิ่มขึ้น {{ g.change }} จุด{% elif g.trend == 'down' %}"
              "ลดลง {{ g.change }} จุด{% else %}เท่าเดิม{% endif %} จากร้อยละ {{ g.pct_then }}{% if g.band_move %} "
              "(จากระดับ{{ g.band_then }}เป็นระดับ{{ g.band_now }}){% endif %}{% if g.rank_change > 0 %} ลำดับดีขึ้น "
              "{{ g.rank_moved }} ลำดับ{% elif g.rank_change < 0 %} ลำดับลดลง {{ g.rank_moved }} ลำดับ{% endif %}"
              "{% if not loop.last %} และ{% endif %}{% endfor %}{% if trend.n_new or trend.n_dropped %} ทั้งนี้ "
              "รอบนี้มี{% if trend.n_new %}ตัวชี้วัดใหม่ {{ trend.n_new }} ตัวชี้วัด{% endif %}"
              "{% if trend.n_new and trend.n_dropped %}และ{% endif %}{% if trend.n_dropped %}ตัวชี้วัดที่ยกเลิก "
              "{{ trend.n_dropped }} ตัวชี้วัด{% endif %} ซึ่งไม่นำมาเปรียบเทียบรายตัวชี้วัด{% endif %}"
              "{% else %}อำเภอ{{ district }}ไม่มีผลการประเมินใน{{ trend.previous }} จึงยังไม่มีการเปรียบเทียบ"
              "กับรอบที่ผ่านมา{% endif %}")
    tag(doc, "{%p endif %}")


DIST_W = [1.3, 9.5, 1.8, 1.5, 1.9]


def build_district():
    """หนังสือภายนอก to one district's นายอำเภอ with its own results; the detail is the enclosure."""
    doc = external_letter("ผลการประเมินตัวชี้วัดของอำเภอ{{ district }} จำนวน ๑ ชุด",
                          "ตามที่ อำเภอ{{ district }}ได้รายงานผลการดำเนินงานตามตัวชี้วัดการประเมินผลการปฏิบัติราชการ "
                          "ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }} รอบการประเมินที่ {{ round_no }} ({{ period }}) "
                          "ให้จังหวัดทราบ นั้น")
    body(doc, "จังหวัด{{ province }}ได้ประเมินผลจากแบบรายงานของอำเภอ{{ district }}แล้ว สรุปผลได้ ดังนี้")
    tag(doc, "{%p for g in groups %}")
    body(doc, "{{ g.index }}. {{ g.name }} ได้คะแนน {{ g.total }} จาก {{ max_score }} คะแนน คิดเป็นร้อยละ {{ g.pct }} "
              "ระดับ{{ g.band }} ลำดับที่ {{ g.rank }}{% if g.tied_with %} (ร่วมกับ{{ g.tied_with }}){% endif %} "
              "จาก {{ n_scored }} อำเภอ{% if g.unscored %} โดยมีตัวชี้วัดที่ยังไม่ได้รับคะแนน {{ g.unscored }} ตัวชี้วัด"
              "{% endif %}", before=0)
    tag(doc, "{%p endfor %}")
    trend_sentence(doc)
    body(doc, "{% if below %}ตัวชี้วัดที่ยังต่ำกว่าระดับ ๓ มี {{ n_below }} ตัวชี้วัด ได้แก่ {{ below_names }} {% endif %}"
              "{% if checks or unscored %}{% if below %}และ{% endif %}มีข้อมูลในแบบรายงานที่ต้องตรวจสอบหรือแก้ไข "
              "{{ n_checks }} รายการ {% endif %}รายละเอียดและสิ่งที่ต้องดำเนินการเพื่อยกระดับผลการประเมิน"
              "ปรากฏตามสิ่งที่ส่งมาด้วย")
    body(doc, "จึงเรียนมาเพื่อโปรดทราบ และแจ้งพัฒนาการอำเภอ{{ district }}ดำเนินการในส่วนที่เกี่ยวข้องต่อไป",
         keep_next=True)
    signature(doc)
    contact_block(doc)
    new_section(doc)

    enclosure_title(doc, ["ผลการประเมินผลการปฏิบัติราชการ อำเภอ{{ district }}",
                          "ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }} รอบการประเมินที่ {{ round_no }}"])
    t = new_table(doc, DIST_W, 1)
    head = t.rows[0]
    row_props(head, header=True)
    for i, label in enumerate(("ที่", "ตัวชี้วัด", "น้ำหนัก", "ระดับ", "คะแนน")):
        cell_props(head.cells[i], DIST_W[i], GREY)
        cell_text(head.cells[i], label, CENTER, bold=True)
    tag_row(t, "{%tr for g in groups %}")
    row = t.add_row()
    row_props(row)
    m = row.cells[0].merge(row.cells[-1])
    cell_props(m, sum(DIST_W), LIGHT)
    cell_text(m, "{{ g.name }}", bold=True)
    tag_row(t, "{%tr for i in g.rows %}")
    row = t.add_row()
    row_props(row)
    for k, (text, align) in enumerate((("{{ i.seq }}", CENTER), ("{{ i.title }}", LEFT), ("{{ i.weight }}", CENTER),
                                       ("{{ i.level }}", CENTER), ("{{ i.score }}", CENTER))):
        cell_props(row.cells[k], DIST_W[k], valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)
        cell_text(row.cells[k], text, align)
    tag_row(t, "{%tr endfor %}")
    row = t.add_row()
    row_props(row)
    m = row.cells[0].merge(row.cells[1])
    cell_props(m, DIST_W[0] + DIST_W[1], LIGHT)
    cell_text(m, "รวม (ร้อยละ {{ g.pct }} ระดับ{{ g.band }})", RIGHT, bold=True)
    cell_props(row.cells[2], DIST_W[2], LIGHT)
    cell_text(row.cells[2], "{{ g.weight }}", CENTER, bold=True)
    m = row.cells[3].merge(row.cells[4])
    cell_props(m, DIST_W[3] + DIST_W[4], LIGHT)
    cell_text(m, "{{ g.total }}", CENTER, bold=True)
    tag_row(t, "{%tr endfor %}")
    par(doc, "หมายเหตุ  คะแนนรวมเป็นค่าเฉลี่ยถ่วงน้ำหนัก เต็ม {{ max_score }} คะแนน ตัวชี้วัดที่ไม่ได้รับคะแนน"
             "แสดงด้วยเครื่องหมาย - และนับเป็นศูนย์", size=TABLE, before=6)

    heading = dict(bold=True, before=12, keep_next=True)
    par(doc, "ตัวชี้วัดที่ต่ำกว่าระดับ ๓ และสิ่งที่ต้องดำเนินการ", **heading)
    tag(doc, "{%p for i in below %}")
    par(doc, "{{ i.name }} {{ i.title }} ได้ระดับ {{ i.level }}{% if i.needs %} สิ่งที่ต้องดำเนินการ ดังนี้"
             "{% elif i.lapsed %} โดยกิจกรรมที่ยังขาดอยู่พ้นกำหนดเวลาของรอบนี้แล้ว{% endif %}",
        before=3, keep_next=True)
    tag(doc, "{%p for n in i.needs %}")
    par(doc, "- {{ n }}", left=1.0, hanging=0.35, align=THAI)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not below %}")
    par(doc, "ไม่มี ทุกตัวชี้วัดที่ได้รับคะแนนอยู่ในระดับ ๓ ขึ้นไป")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if unscored %}")
    par(doc, "ตัวชี้วัดที่ยังไม่ได้รับคะแนน (ข้อมูลไม่ถูกต้องหรือไม่ครบถ้วน)", **heading)
    tag(doc, "{%p for i in unscored %}")
    par(doc, "{{ i.name }} {{ i.title }}{% if i.message %} {{ i.message }}{% endif %}", left=0.75, hanging=0.75,
        before=3, align=THAI)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if checks %}")
    par(doc, "ข้อมูลที่ต้องตรวจสอบหรือแก้ไขในแบบรายงาน", **heading)
    tag(doc, "{%p for p in checks %}")
    par(doc, "{{ loop.index }}. {{ p.message }}", left=0.75, hanging=0.75, before=3, align=THAI)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    return doc


# ------------------------------------------------------------------------------------------ reminder
def build_reminder():
    """หนังสือภายนอก ติดตาม/เร่งรัด: to one district's นายอำเภอ, or one circular to those listed, naming what each
    has not sent (or why its workbook cannot be used), the date to send by and the contact; values from
    generator/render/reminder.py."""
    doc = external_letter("{{ enclosure }}",
                          "ตามที่ จังหวัด{{ province }}ได้แจ้งตัวชี้วัดและค่าเป้าหมายการประเมินผลการปฏิบัติราชการ "
                          "ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }} รอบการประเมินที่ {{ round_no }} ({{ period }}) "
                          "และขอให้อำเภอรายงานผลการดำเนินงานให้จังหวัดทราบ นั้น")
    body(doc, "บัดนี้ {% if overdue %}ได้เลยกำหนดส่งแบบรายงานวันที่ {{ due }} มาแล้ว{% else %}ใกล้ครบกำหนดส่ง"
              "แบบรายงานวันที่ {{ due }} แล้ว{% endif %} จังหวัด{{ province }}ตรวจสอบแล้ว ยังไม่ได้รับแบบรายงาน"
              "ที่นำมาประเมินผลได้จาก{{ whom }} ดังนี้")
    tag(doc, "{%p for d in districts %}")
    par(doc, "{{ d.seq }}. อำเภอ{{ d.name }} {{ d.what }}", left=3.25, hanging=0.75)
    tag(doc, "{%p endfor %}")
    body(doc, "เพื่อให้การประเมินผลการปฏิบัติราชการเป็นไปด้วยความเรียบร้อย จึงขอให้อำเภอส่งแบบรายงานผลการดำเนินงาน"
              "ตามแบบที่จังหวัดกำหนดให้จังหวัด{{ province }}ภายในวันที่ {{ deadline }} หากพ้นกำหนดดังกล่าว "
              "ตัวชี้วัดที่ไม่มีข้อมูลจะไม่ได้รับคะแนน")
    body(doc, "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการ", keep_next=True)
    signature(doc)
    contact_block(doc)
    return doc


# ---------------------------------------------------------------------------------------------- memo
MOVED = ("{{ m.count }} อำเภอ{% if m.names %} ได้แก่ {{ m.names }}{% if m.more %} และอื่น ๆ อีก {{ m.more }} อำเภอ"
         "{% endif %}{% endif %}")


def memo_trend(doc, item) -> None:
    """The memo's item on the change since the previous round: the province's percentages, districts that moved a band."""
    tag(doc, "{%p if trend %}")
    item("๒.{{ n_groups + 3 }} เมื่อเทียบกับ{{ trend.previous }} ร้อยละเฉลี่ยของจังหวัด{% for g in trend.groups %} "
         "{{ g.name }} จากร้อยละ {{ g.pct_then }} เป็นร้อยละ {{ g.pct_now }}{% endfor %}", keep_next=True)
    tag(doc, "{%p for g in trend.groups %}")
    item("({{ loop.index }}) {{ g.name }} อำเภอที่ระดับผลการประเมินสูงขึ้น {% with m = g.up %}" + MOVED +
         "{% endwith %} อำเภอที่ระดับผลการประเมินต่ำลง {% with m = g.down %}" + MOVED + "{% endwith %}", first=4.25)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")


def build_memo():
    """บันทึกข้อความ to the governor summarising the round (the internal memo form)."""
    doc = new_document()
    page_numbers(doc.sections[0])
    to_margin = [(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)]
    p = par(doc, tabs=[(TEXT_WIDTH / 2, WD_TAB_ALIGNMENT.CENTER, WD_TAB_LEADER.SPACES)])
    garuda(p, 1.5)
    add_run(p, "\tบันทึกข้อความ", 29, bold=True)
    par(doc, B("ส่วนราชการ", 20), "  {{ office }}\t",
        tabs=to_margin, before=3)
    par(doc, B("ที่", 20), "  {{ number }}\t", B("วันที่", 20), "  {{ date }}\t",
        tabs=[(8.5, TAB, WD_TAB_LEADER.DOTS)] + to_margin)
    par(doc, B("เรื่อง", 20), "  {{ subject }}\t", tabs=to_margin, left=1.0, hanging=1.0)
    par(doc, "เรียน  {{ to }}", before=LINE * 0.6)

    def heading(text):
        par(doc, text, style="Memo Heading")

    def item(text, **fmt):
        par(doc, text, style="Memo Item", **fmt)

    heading("๑. เรื่องเดิม")
    tag(doc, "{%p if reference %}")
    body(doc, "ตาม{{ reference }} จังหวัด{{ province }}ได้แจ้งตัวชี้วัดและค่าเป้าหมายการประเมินผลการปฏิบัติราชการ "
              "รอบการประเมินที่ {{ round_no }} ({{ period }}) ให้อำเภอทุกอำเภอรายงานผลการดำเนินงานพร้อมหลักฐาน")
    tag(doc, "{%p else %}")
    body(doc, "จังหวัด{{ province }}ได้แจ้งตัวชี้วัดและค่าเป้าหมายการประเมินผลการปฏิบัติราชการ "
              "รอบการประเมินที่ {{ round_no }} ({{ period }}) ให้อำเภอทุกอำเภอรายงานผลการดำเนินงานพร้อมหลักฐาน")
    tag(doc, "{%p endif %}")
    heading("๒. ข้อเท็จจริง")
    body(doc, "{{ office }}ได้ประเมินผลจากแบบรายงานของอำเภอแล้ว มีอำเภอที่ได้รับการประเมิน {{ n_scored }} อำเภอ "
              "จากทั้งหมด {{ n_districts }} อำเภอ สรุปผลได้ ดังนี้")
    tag(doc, "{%p for g in groups %}")
    item("๒.{{ g.index }} {{ g.name }} จำแนกตามระดับ ได้แก่ {% for b in g.bands %}{{ b.name }} {{ b.count }}"
         "{% if not loop.last %} {% endif %}{% endfor %} อำเภอ", keep_next=True)
    item("ลำดับสูงสุด ได้แก่ {% for r in g.top %}ลำดับที่ {{ r.rank }}{% if r.tied %} (ร่วม){% endif %} "
         "อำเภอ{{ r.name }} ร้อยละ {{ r.pct }}{% if not loop.last %}  {% endif %}{% endfor %}")
    tag(doc, "{%p if g.bottom %}")
    item("ลำดับต่ำสุด ได้แก่ {% for r in g.bottom %}ลำดับที่ {{ r.rank }}{% if r.tied %} (ร่วม){% endif %} "
         "อำเภอ{{ r.name }} ร้อยละ {{ r.pct }}{% if not loop.last %}  {% endif %}{% endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for b in g.below_good %}")
    item("อำเภอที่มีผลการประเมินระดับ{{ b.name }} {% if b.names %}{{ b.count }} อำเภอ ได้แก่ {{ b.names }}"
         "{% if b.more %} และอื่น ๆ อีก {{ b.more }} อำเภอ{% endif %}{% else %}ไม่มี{% endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    item("๒.{{ n_groups + 1 }} ตัวชี้วัดที่มีผลการประเมินเฉลี่ยต่ำที่สุดของจังหวัด", keep_next=True)
    tag(doc, "{%p for w in weakest %}")
    item("({{ loop.index }}) {{ w.name }} {{ w.title }} ได้ระดับเฉลี่ย {{ w.mean }} มีอำเภอที่ได้ต่ำกว่าระดับ ๓ "
         "จำนวน {{ w.below }} อำเภอ จากที่ได้รับการประเมิน {{ w.scored }} อำเภอ", first=4.25)
    tag(doc, "{%p endfor %}")
    item("๒.{{ n_groups + 2 }} แบบรายงานที่ไม่ได้ส่งหรือมีข้อมูลไม่ถูกต้อง", keep_next=True)
    tag(doc, "{%p if missing %}")
    item("(๑) อำเภอที่ไม่ได้ส่งแบบรายงาน จำนวน {{ n_missing }} อำเภอ{% if missing_listed %} ได้แก่ "
             "{{ missing_listed }}{% endif %}", first=4.25)
    tag(doc, "{%p else %}")
    item("(๑) ทุกอำเภอส่งแบบรายงานครบถ้วน", first=4.25)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not invalid %}")
    item("(๒) ไม่มีอำเภอที่รายงานข้อมูลไม่ถูกต้องจนไม่ได้รับคะแนน{% if n_warned %} แต่มีอำเภอที่มีข้อมูลต้องตรวจสอบ "
         "จำนวน {{ n_warned }} อำเภอ{% if warned_listed %} ได้แก่ {{ warned_listed }}{% endif %}{% endif %}", first=4.25)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if invalid %}")
    item("(๒) อำเภอที่มีข้อมูลบางตัวชี้วัดไม่ถูกต้องหรือไม่ครบถ้วน (ตัวชี้วัดนั้นยังไม่ได้รับคะแนน) "
             "จำนวน {{ n_invalid }} อำเภอ ได้แก่ {% for d in invalid %}อำเภอ{{ d.name }} ({{ d.count }} ตัวชี้วัด)"
             "{% if not loop.last %} {% endif %}{% endfor %}{% if invalid_more %} และอื่น ๆ อีก {{ invalid_more }} "
             "อำเภอ{% endif %}", first=4.25)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if n_round_problems %}")
    item("(๓) ไฟล์หรือข้อมูลที่ไม่สามารถนำมาประเมินได้ จำนวน {{ n_round_problems }} รายการ "
             "(รายละเอียดในแฟ้มสรุปผลการประเมินของจังหวัด)", first=4.25)
    tag(doc, "{%p endif %}")
    memo_trend(doc, item)
    heading("๓. ข้อพิจารณา")
    body(doc, "เห็นควรแจ้งผลการประเมินให้อำเภอทุกอำเภอทราบ พร้อมแจ้งผลรายตัวชี้วัดเป็นรายอำเภอ เพื่อให้อำเภอเร่งรัด"
              "การดำเนินงานในตัวชี้วัดที่ยังต่ำกว่าระดับ ๓{% if missing or invalid %} และรายงานหรือแก้ไขข้อมูล"
              "ที่ยังไม่ครบถ้วนให้ถูกต้อง{% endif %}")
    heading("๔. ข้อเสนอ")
    body(doc, "จึงเรียนมาเพื่อโปรดทราบและพิจารณา หากเห็นชอบ โปรดลงนามในหนังสือแจ้งผลการประเมินถึงนายอำเภอทุกอำเภอ "
              "ที่เสนอมาพร้อมนี้ ทั้งนี้ ลำดับผลการประเมินของทุกอำเภอปรากฏตามเอกสารแนบ", keep_next=True)
    signature(doc, closing=None, titles="memo_titles")
    new_section(doc)
    memo_ranking(doc)
    return doc


MEMO_W = [1.0, 4.0, 1.8, 2.4, 1.3, 1.8, 2.4, 1.3]     # portrait: 16.0 cm, the text width


def memo_ranking(doc) -> None:
    """The memo's enclosure: every district by rank with each group's percentage, band and rank, and the chart."""
    enclosure_title(doc, ["ลำดับผลการประเมินผลการปฏิบัติราชการระดับอำเภอ จังหวัด{{ province }}",
                          "ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }} รอบการประเมินที่ {{ round_no }}"], memo=True)
    districts_table(doc, MEMO_W, ("pct", "band", "rank"), "ranking", TABLE, TABLE, TABLE)
    par(doc, "แผนภูมิร้อยละของคะแนนรายอำเภอ เรียงตามลำดับ{{ group_names.team }}", style="Enclosure Title",
        page_break=True)
    add_chart(doc, par(doc, align=CENTER), ("team", "individual"), TEXT_WIDTH, 22.0)


# --------------------------------------------------------------------------------------------- main
def main(argv: list[str]) -> int:
    """Write circular.docx, district.docx, memo.docx and reminder.docx beside this script."""
    if "--placeholder" in argv or not GARUDA.exists():
        draw_placeholder()
    for name, build, title in (("circular", build_circular, "หนังสือเวียนแจ้งผลการประเมิน (แม่แบบ)"),
                               ("district", build_district, "หนังสือแจ้งผลการประเมินรายอำเภอ (แม่แบบ)"),
                               ("memo", build_memo, "บันทึกข้อความรายงานผลการประเมิน (แม่แบบ)"),
                               ("reminder", build_reminder, "หนังสือติดตามการส่งแบบรายงาน (แม่แบบ)")):
        out = HERE / f"{name}.docx"
        save(build(), out, title)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
