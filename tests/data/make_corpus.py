"""Build the corpus of returned workbooks saved by real clients, and the source values each must read to.

    python tests/data/make_corpus.py        (needs openpyxl and LibreOffice's soffice; seeded, run once)

For two districts of the sample round, the values a clerk types (input_samples/make_sample.py: the plan and its
spellings) are put in the project's blank form and saved by openpyxl, then that file opened and saved again by
LibreOffice (`soffice --convert-to xlsx`); the same values are written by xlsxwriter (tests/readkit.py's form);
and written by hand in the XML shapes other clients export: Excel's (shared strings, spans, x14ac attributes of an
ignorable namespace, an mc:AlternateContent and x15's workbookPr in an extension list, the 1904 date system),
the Open XML SDK's (x: prefixes, no r on rows or cells, inline strings) and Google Sheets' (shared strings
with rich runs, numbers and text as formulas with their cached values). corpus.json holds, per
file, the district and the typed value of every input (the plan: what the clerk meant), which the reader with the
value rules must give back.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT / "input_samples"), str(HERE.parent)]

import make_sample as ms  # noqa: E402
import readkit  # noqa: E402

from generator.catalog import Catalog, load_catalog  # noqa: E402
from generator.config import load_round  # noqa: E402
from generator.render.forms import write_form  # noqa: E402

CORPUS = HERE / "corpus"
DISTRICTS = ("3101", "3104")
SAVED = dt.datetime(2022, 10, 3, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
X14AC = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
EPOCH = {False: dt.datetime(1899, 12, 30), True: dt.datetime(1904, 1, 1)}


def typed_json(value: Any) -> Any:
    """A typed input value as JSON: dates as {"date": ISO}; empty text is no value."""
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    return None if value == "" else value


def spelled(catalog: Catalog, code: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A district's cells by defined name as its clerk typed them, and the typed values (by key) they mean."""
    rnd = load_round(ROOT / "input_samples" / "2565-r2")
    plans, _ = ms.plan_round(rnd, catalog)
    cells = ms.spelled(catalog, plans[code], random.Random(f"corpus-{code}"))
    return cells, {i.key: typed_json(plans[code].get(i.key)) for i in catalog.inputs()}


def by_openpyxl(catalog: Catalog, code: str, cells: dict[str, Any], dest: Path) -> Path:
    """The project's blank form filled and saved by openpyxl (as the sample round's are)."""
    rnd = load_round(ROOT / "input_samples" / "2565-r2")
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.xlsx"
        write_form(blank, rnd, catalog, rnd.district(code))
        return ms.fill(blank, dest, cells, SAVED, "corpus")


def by_libreoffice(src: Path, dest: Path) -> Path:
    """A workbook opened and saved again by LibreOffice Calc."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=300)
        shutil.copyfile(Path(tmp) / src.name, dest)
    return dest


def by_xlsxwriter(catalog: Catalog, code: str, cells: dict[str, Any], dest: Path) -> Path:
    """The values written by xlsxwriter into the tests' form (readkit.write_form)."""
    values, formats = {}, {}
    for inp in catalog.inputs():
        value = cells[inp.name]
        if isinstance(value, tuple):
            value, formats[inp.key] = value
        values[inp.key] = value
    return readkit.write_form(dest, catalog, values, district=code, formats=formats)


class Shape:
    """How a hand-written workbook spells its XML."""

    def __init__(self, prefix: str = "", r: bool = True, shared: bool = True, date1904: bool = False,
                 excel: bool = False, google: bool = False):
        self.p, self.r, self.shared, self.date1904, self.excel, self.google = prefix, r, shared, date1904, excel, google
        self.strings: list[str] = []

    def tag(self, name: str) -> str:
        """An element name with the shape's prefix."""
        return f"{self.p}{name}"

    def root(self, name: str, inner: str, extra: str = "") -> str:
        """A part's XML: declaration, root in the main namespace (prefixed or not), inner XML."""
        ns = f'xmlns{":" + self.p[:-1] if self.p else ""}="{MAIN}"'
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{self.tag(name)} {ns} xmlns:r="{REL}"'
                f'{extra}>{inner}</{self.tag(name)}>')

    def text_cell(self, ref: str, text: str, style: int = 0) -> str:
        """A cell of text: shared (Google's with a rich run now and then) or inline."""
        t, s = self.tag("t"), f' s="{style}"' if style else ""
        if not self.shared:
            return f'<{self.tag("c")}{ref}{s} t="inlineStr"><{self.tag("is")}><{t} xml:space="preserve">' \
                   f'{escape(text)}</{t}></{self.tag("is")}></{self.tag("c")}>'
        if self.google and len(text) > 3:
            cut = len(text) // 2
            self.strings.append(f'<{self.tag("r")}><{t}>{escape(text[:cut])}</{t}></{self.tag("r")}><{self.tag("r")}>'
                                f'<{self.tag("rPr")}><{self.tag("b")}/></{self.tag("rPr")}><{t} xml:space="preserve">'
                                f'{escape(text[cut:])}</{t}></{self.tag("r")}>')
        else:
            self.strings.append(f'<{t} xml:space="preserve">{escape(text)}</{t}>')
        return f'<{self.tag("c")}{ref}{s} t="s"><{self.tag("v")}>{len(self.strings) - 1}</{self.tag("v")}></{self.tag("c")}>'

    def cell(self, ref: str, value: Any) -> str:
        """A cell of an input value as its client stores it (styles: 1 date, 2 percent)."""
        c, v = self.tag("c"), self.tag("v")
        if isinstance(value, tuple):
            number, _ = value
            return f'<{c}{ref} s="2"><{v}>{number!r}</{v}></{c}>'
        if value is None:
            return f"<{c}{ref}/>"
        if isinstance(value, bool):
            return f'<{c}{ref} t="b"><{v}>{int(value)}</{v}></{c}>'
        if isinstance(value, (int, float)):
            if self.google and isinstance(value, int):  # Google exports some numbers as formulas with their values
                return f"<{c}{ref}><{self.tag('f')}>{value - 1}+1</{self.tag('f')}><{v}>{value}</{v}></{c}>"
            return f"<{c}{ref}><{v}>{value!r}</{v}></{c}>"
        if isinstance(value, dt.datetime):
            serial = (value - EPOCH[self.date1904]).days
            return f'<{c}{ref} s="1"><{v}>{serial}</{v}></{c}>'
        if self.google and str(value).startswith("แฟ้ม"):  # evidence text as a string formula with its value
            return f'<{c}{ref} t="str"><{self.tag("f")}>{escape(quoteattr(str(value)))}</{self.tag("f")}>' \
                   f'<{v}>{escape(str(value))}</{v}></{c}>'
        return self.text_cell(ref, str(value))


def content_types(strings: bool) -> str:
    """[Content_Types].xml of a hand-written workbook: two sheets, styles, shared strings if any."""
    ml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {"/xl/workbook.xml": "sheet.main", "/xl/worksheets/sheet1.xml": "worksheet",
             "/xl/worksheets/sheet2.xml": "worksheet", "/xl/styles.xml": "styles",
             **({"/xl/sharedStrings.xml": "sharedStrings"} if strings else {})}
    return ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' + "".join(
                f'<Override PartName="{name}" ContentType="{ml}.{kind}+xml"/>' for name, kind in parts.items())
            + "</Types>")


def hand_written(catalog: Catalog, code: str, cells: dict[str, Any], dest: Path, shape: Shape) -> Path:
    """The values in a workbook written by hand in a client's XML shape: inputs in column C of sheet
    'ตัวชี้วัด' under their labels in column B, the meta values on a hidden sheet '_meta'."""
    row_tag, c = shape.tag("row"), shape.tag("c")
    names, rows = {}, []
    for n, inp in enumerate(catalog.inputs(), start=1):
        b, cc = (f' r="B{n}"', f' r="C{n}"') if shape.r else ("", "")
        label = shape.text_cell(b, inp.label)
        first = "" if shape.r else f"<{c}/>"  # without r, column A's cell is written so B and C fall in place
        attrs = (f' r="{n}"' if shape.r else "") + (' spans="1:3" x14ac:dyDescent="0.25"' if shape.excel else "")
        rows.append(f"<{row_tag}{attrs}>{first}{label}{shape.cell(cc, cells[inp.name])}</{row_tag}>")
        names[inp.name] = f"'ตัวชี้วัด'!$C${n}"
    meta_rows = []
    for n, field in enumerate(("round_id", "district_code", "form_version"), start=1):
        value = {"round_id": "2565-r2", "district_code": code, "form_version": "1"}[field]
        ref = f' r="A{n}"' if shape.r else ""
        meta_rows.append(f"<{row_tag}{f' r={chr(34)}{n}{chr(34)}' if shape.r else ''}>"
                         f"{shape.text_cell(ref, value)}</{row_tag}>")
        names[f"meta_{field}"] = f"_meta!$A${n}"
    ignorable = f' xmlns:mc="{MC}" xmlns:x14ac="{X14AC}" mc:Ignorable="x14ac"' if shape.excel else ""
    ext = (f'<{shape.tag("extLst")}><{shape.tag("ext")} uri="{{140A7094-0E35-4892-8432-C4D2E57EDEB5}}" xmlns:x15='
           f'"http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><x15:workbookPr chartTrackingRefBase="1"/>'
           f'</{shape.tag("ext")}></{shape.tag("extLst")}>' if shape.excel else "")
    alternate = (f'<mc:AlternateContent xmlns:mc="{MC}"><mc:Choice Requires="x15"><x15ac:absPath url="C:\\kpi\\" '
                 'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/></mc:Choice>'
                 "</mc:AlternateContent>" if shape.excel else "")
    pr = f'<{shape.tag("workbookPr")}{" date1904=" + chr(34) + "1" + chr(34) if shape.date1904 else ""}' \
         f'{" defaultThemeVersion=" + chr(34) + "166925" + chr(34) if shape.excel else ""}/>'
    defined = "".join(f'<{shape.tag("definedName")} name="{n}">{escape(t)}</{shape.tag("definedName")}>'
                      for n, t in sorted(names.items()))
    sheets = (f'<{shape.tag("sheet")} name="ตัวชี้วัด" sheetId="1" r:id="rId1"/>'
              f'<{shape.tag("sheet")} name="_meta" sheetId="2" state="hidden" r:id="rId2"/>')
    workbook = shape.root("workbook", f'{pr}{alternate}<{shape.tag("sheets")}>{sheets}</{shape.tag("sheets")}>'
                                      f'<{shape.tag("definedNames")}>{defined}</{shape.tag("definedNames")}>{ext}')
    sheet_data = shape.tag("sheetData")
    sheet1 = shape.root("worksheet", f"<{sheet_data}>{''.join(rows)}</{sheet_data}>", ignorable)
    sheet2 = shape.root("worksheet", f"<{sheet_data}>{''.join(meta_rows)}</{sheet_data}>", ignorable)
    fmt = shape.tag("numFmt")
    styles = shape.root("styleSheet", f'<{shape.tag("numFmts")} count="1"><{fmt} numFmtId="164" formatCode="d/m/yyyy"/>'
                                      f'</{shape.tag("numFmts")}><{shape.tag("cellXfs")} count="3">'
                                      f'<{shape.tag("xf")} numFmtId="0"/><{shape.tag("xf")} numFmtId="164" '
                                      f'applyNumberFormat="1"/><{shape.tag("xf")} numFmtId="10" applyNumberFormat="1"/>'
                                      f'</{shape.tag("cellXfs")}>')
    parts = {
        "[Content_Types].xml": content_types(bool(shape.strings)),
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                       f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": workbook, "xl/worksheets/sheet1.xml": sheet1, "xl/worksheets/sheet2.xml": sheet2,
        "xl/styles.xml": styles,
    }
    rels = [("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "worksheet", "worksheets/sheet2.xml"),
            ("rId3", "styles", "styles.xml")]
    if shape.strings:
        si = "".join(f"<{shape.tag('si')}>{s}</{shape.tag('si')}>" for s in shape.strings)
        parts["xl/sharedStrings.xml"] = shape.root("sst", si, f' count="{len(shape.strings)}"'
                                                             f' uniqueCount="{len(shape.strings)}"')
        rels.append(("rId4", "sharedStrings", "sharedStrings.xml"))
    parts["xl/_rels/workbook.xml.rels"] = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">' + "".join(
        f'<Relationship Id="{i}" Type="{REL}/{kind}" Target="{t}"/>' for i, kind, t in rels) + "</Relationships>")
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text.encode(), zipfile.ZIP_DEFLATED)
    return dest


SHAPES = {
    "excel-1904": lambda: Shape(excel=True, date1904=True),
    "sdk-x-prefix-no-r-inline": lambda: Shape(prefix="x:", r=False, shared=False),
    "google-sheets": lambda: Shape(google=True),
}


def main() -> None:
    """Write every corpus file and corpus.json."""
    catalog, _ = load_catalog(ROOT / "templates" / "catalogs" / "2565-r2.yaml")
    CORPUS.mkdir(parents=True, exist_ok=True)
    expected = {}
    for code in DISTRICTS:
        cells, values = spelled(catalog, code)
        files = [by_openpyxl(catalog, code, cells, CORPUS / f"openpyxl-{code}.xlsx")]
        files.append(by_libreoffice(files[0], CORPUS / f"libreoffice-{code}.xlsx"))
        files.append(by_xlsxwriter(catalog, code, cells, CORPUS / f"xlsxwriter-{code}.xlsx"))
        files += [hand_written(catalog, code, cells, CORPUS / f"{name}-{code}.xlsx", shape())
                  for name, shape in SHAPES.items()]
        expected.update({path.name: {"district": code, "values": values} for path in files})
    (HERE / "corpus.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")


if __name__ == "__main__":
    main()
