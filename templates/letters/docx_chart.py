"""The memo enclosure's bar chart (a DrawingML chart part, its data written literally by the letter's render):
every district's percentage in each group, in rank order. Word and LibreOffice draw it from the XML alone,
with the letters' font and Thai digits (number format [$-D00041E]); nothing is drawn by the program."""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Cm

from docx_kit import BODY, FONT, set_fonts

CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
NS = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
THAI_DIGITS = "[$-D00041E]"     # Thai locale, native digits (D0), Gregorian: Word, Excel and LibreOffice all draw ๘๙.๐๐
COLOURS = ("4472C4", "ED7D31")


def _font(size: int, bold: bool = False) -> str:
    b = ' b="1"' if bold else ' b="0"'
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size * 100}"{b}>'
            f'<a:latin typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:defRPr></a:pPr>'
            '<a:endParaRPr lang="th-TH"/></a:p></c:txPr>')


def _series(i: int, key: str) -> str:
    """One group's series: its name, the districts (categories) and their percentages, from the memo's context."""
    return (f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:v>{{{{ group_names.{key} }}}}</c:v></c:tx>'
            f'<c:spPr><a:solidFill><a:srgbClr val="{COLOURS[i % len(COLOURS)]}"/></a:solidFill></c:spPr>'
            '<c:invertIfNegative val="0"/>'
            f'<c:dLbls><c:numFmt formatCode="{THAI_DIGITS}0.00" sourceLinked="0"/><c:spPr><a:noFill/></c:spPr>'
            f'{_font(9)}<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
            '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
            '<c:cat><c:strLit><c:ptCount val="{{ chart|length|string }}"/>{% for r in chart %}'
            '<c:pt idx="{{ loop.index0|string }}"><c:v>{{ r.name }}</c:v></c:pt>{% endfor %}</c:strLit></c:cat>'
            f'<c:val><c:numLit><c:formatCode>{THAI_DIGITS}0.00</c:formatCode><c:ptCount val="{{{{ chart|length|string }}}}"/>'
            '{% for r in chart %}{% if r.' + key + ' %}<c:pt idx="{{ loop.index0|string }}"><c:v>{{ r.' + key +
            ' }}</c:v></c:pt>{% endif %}{% endfor %}</c:numLit></c:val></c:ser>')


def chart_xml(keys: tuple[str, ...]) -> str:
    """The chart part, with the jinja loops over the memo's ``chart`` rows (name, Arabic percentages by group)."""
    series = "".join(_series(i, k) for i, k in enumerate(keys))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><c:chartSpace {NS}>'
            '<c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>'
            '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
            f'{series}<c:gapWidth val="40"/><c:axId val="101"/><c:axId val="102"/></c:barChart>'
            '<c:catAx><c:axId val="101"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/>'
            '<c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
            f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{_font(11)}<c:crossAx val="102"/>'
            '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
            '<c:noMultiLvlLbl val="0"/></c:catAx>'
            '<c:valAx><c:axId val="102"/><c:scaling><c:orientation val="minMax"/><c:max val="100"/><c:min val="0"/>'
            '</c:scaling><c:delete val="0"/><c:axPos val="t"/><c:majorGridlines/>'
            f'<c:numFmt formatCode="{THAI_DIGITS}0" sourceLinked="0"/><c:majorTickMark val="out"/>'
            f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{_font(10)}<c:crossAx val="101"/>'
            '<c:crosses val="autoZero"/><c:crossBetween val="between"/><c:majorUnit val="10"/></c:valAx>'
            '</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/>' + _font(11) + '</c:legend>'
            '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>' + _font(11) + '</c:chartSpace>')


def add_chart(doc, paragraph, keys: tuple[str, ...], width_cm: float, height_cm: float) -> None:
    """Put the chart part into the document and show it inline in ``paragraph``."""
    part = Part(PackURI("/word/charts/chart1.xml"), CHART_CT, chart_xml(keys).encode("utf-8"), doc.part.package)
    rid = doc.part.relate_to(part, RT.CHART)
    cx, cy = int(Cm(width_cm)), int(Cm(height_cm))
    drawing = parse_xml(
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:docPr id="2" name="Ranking chart" descr="แผนภูมิร้อยละของคะแนนรายอำเภอ"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing>')
    run = paragraph.add_run()
    set_fonts(run._r.get_or_add_rPr(), BODY)
    run._r.append(drawing)
