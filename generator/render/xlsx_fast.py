"""xlsxwriter with a quicker path for plain cells: the same XML in less time.

The renderers write a few thousand text, number and blank cells per workbook; xlsxwriter spends most of a
scorecard's time on its general per-cell path (argument conversion, a type dispatch by class name and
attribute escaping for every cell). ``FastSheet`` stores those cells directly and writes ``<sheetData>``
with one f-string per cell; merged ranges and conditional-format formulas skip work that only other
kinds of data need. It falls back to xlsxwriter's own writer for any sheet it was not made for
(other cell kinds, comments, row or column formats, constant-memory mode), and a test compares its
output with xlsxwriter's byte for byte. ``FastWorkbook`` also zips the parts itself (``_Parts``, zip_parts.py):
quicker deflate, the parts that repeat between workbooks deflated once, the archive written at once.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from functools import lru_cache
from math import isfinite
from typing import BinaryIO, Optional, Union

import xlsxwriter.workbook
from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import xl_col_to_name, xl_range
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellRichStringTuple, CellStringTuple, Worksheet

from generator.render.zip_parts import Entry, archive, deflated

#: What makes xlsxwriter escape a shared string or keep its whitespace: control characters and the two
#: non-characters, their _xHHHH_ escapes, XML's special characters (and rich strings' "<r>"), leading or
#: trailing whitespace.
_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_SHORT = 16383  # shorter strings cannot exceed Excel's 32,767 UTF-16 units
_tuple = tuple.__new__  # a cell's named tuple made without the call through its generated __new__


class FastSheet(Worksheet):
    """A Worksheet whose write_string/number/blank take (row, col) only and whose sheet data is written fast."""

    def write_string(self, row: int, col: int, string: str, cell_format: Optional[Format] = None) -> int:
        """Write text (row and column numbers only, no 'A1' notation)."""
        if len(string) > _SHORT or not self._store(row, col):
            return self._write_string(row, col, string, cell_format)
        self.table[row][col] = _tuple(CellStringTuple, (self.str_table._get_shared_string_index(string), cell_format))
        return 0

    def write_number(self, row: int, col: int, number: float, cell_format: Optional[Format] = None) -> int:
        """Write a number (row and column numbers only)."""
        if number.__class__ is not float and number.__class__ is not int or not isfinite(number) or not self._store(row, col):
            return self._write_number(row, col, number, cell_format)
        self.table[row][col] = _tuple(CellNumberTuple, (number, cell_format))
        return 0

    def write_blank(self, row: int, col: int, blank: object = None, cell_format: Optional[Format] = None) -> int:
        """Write a formatted empty cell (row and column numbers only)."""
        if cell_format is None or not self._store(row, col):
            return self._write_blank(row, col, blank, cell_format)
        self.table[row][col] = _tuple(CellBlankTuple, (cell_format,))
        return 0

    def _store(self, row: int, col: int) -> bool:
        """Whether a cell can go straight into the table (inside the sheet, in-memory mode); grows the used area."""
        if self.constant_memory or not (0 <= row < self.xls_rowmax and 0 <= col < self.xls_colmax):
            return False
        if self.dim_rowmin is None:
            self.dim_rowmin = self.dim_rowmax = row
            self.dim_colmin = self.dim_colmax = col
            return True
        if row < self.dim_rowmin:
            self.dim_rowmin = row
        elif row > self.dim_rowmax:
            self.dim_rowmax = row
        if col < self.dim_colmin:
            self.dim_colmin = col
        elif col > self.dim_colmax:
            self.dim_colmax = col
        return True

    def merge_range(self, first_row: int, first_col: int, last_row: int, last_col: int, data: object,
                    cell_format: Optional[Format] = None) -> int:
        """Merge a range (row and column numbers only): ``data`` in the first cell, formatted blanks in the rest."""
        if (not isinstance(data, str) or cell_format is None or self.constant_memory or first_row > last_row
                or first_col > last_col or (first_row, first_col) == (last_row, last_col)):
            return super().merge_range(first_row, first_col, last_row, last_col, data, cell_format)
        if self._check_dimensions(first_row, first_col) or self._check_dimensions(last_row, last_col):
            return -1
        cells = [(r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)]
        if any(cell in self.merged_cells or cell in self.table_cells for cell in cells):
            return super().merge_range(first_row, first_col, last_row, last_col, data, cell_format)  # it raises
        self.merged_cells.update(dict.fromkeys(cells, xl_range(first_row, first_col, last_row, last_col)))
        self.merge.append([first_row, first_col, last_row, last_col])
        self._store(last_row, last_col)  # the corners grow the used area (the first cell's write below)
        blank, table = _tuple(CellBlankTuple, (cell_format,)), self.table
        for row, col in cells[1:]:
            table[row][col] = blank
        if data:
            return self.write_string(first_row, first_col, data, cell_format)
        return self.write_blank(first_row, first_col, data, cell_format)

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        """xlsxwriter's formula preparation (some 30 regular expressions), once per distinct formula."""
        return _prepared(formula, bool(expand_future_functions or self.use_future_functions))

    def _plain(self) -> bool:
        """Whether rows have at most a height (no formats, hidden or outline rows) and there are no comments,
        column formats or constant-memory rows: what the quick writer knows (it checks the cells as it goes)."""
        if self.constant_memory or self.comments or self.excel_version == 2010:
            return False
        if any(i.row_format or i.hidden or i.level or i.collapsed for i in self.row_info.values()):
            return False
        return not any(info.column_format for info in self.col_info.values())

    def _spans(self) -> None:
        """The spans attribute of the rows (first:last column used in each block of 16 rows), in one pass."""
        blocks: dict[int, tuple[int, int]] = {}
        for row, cells in self.table.items():
            if cells:
                low, high = min(cells), max(cells)
                seen = blocks.get(row // 16)
                blocks[row // 16] = (min(low, seen[0]), max(high, seen[1])) if seen else (low, high)
        self.row_spans = {block: f"{low + 1}:{high + 1}" for block, (low, high) in blocks.items()}

    def _row_tag(self, row: int, cells: bool) -> str:
        """A plain sheet's <row> start tag (or empty tag) as xlsxwriter's _write_row writes it."""
        info = self.row_info.get(row)
        height = self.default_row_height if info is None or info.height is None else info.height
        span = self.row_spans.get(row // 16)
        tag = f'<row r="{row + 1}"' + (f' spans="{span}"' if span else "")
        if height != self.original_row_height or height != self.default_row_height:
            tag += f' ht="{height * 0.75:.16g}" customHeight="1"'
        return tag + (">" if cells else "/>")

    def _write_sheet_data(self) -> None:
        """<sheetData> in one string per row when every cell is text, a number or a blank; else xlsxwriter's."""
        if self.dim_rowmin is None or not self._plain():
            super()._write_sheet_data()
            return
        self._spans()
        names = {col: xl_col_to_name(col) for col in range(self.dim_colmin, self.dim_colmax + 1)}
        styles = _Styles()
        out = ["<sheetData>"]
        add = out.append
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table.get(row)
            if not cells and row not in self.row_info:
                continue
            add(self._row_tag(row, bool(cells)))
            if not cells:
                continue
            number = row + 1
            for col in sorted(cells):  # each <c> exactly as xlsxwriter writes it
                cell = cells[col]
                kind = cell.__class__
                if kind is CellStringTuple:
                    add(f'<c r="{names[col]}{number}"{styles[cell[1]]} t="s"><v>{cell[0]}</v></c>')
                elif kind is CellNumberTuple:
                    add(f'<c r="{names[col]}{number}"{styles[cell[1]]}><v>{cell[0]:.16G}</v></c>')
                elif kind is CellBlankTuple:
                    add(f'<c r="{names[col]}{number}"{styles[cell[0]]}/>')
                else:  # a formula, a link, rich text…: nothing is written yet, xlsxwriter writes it all
                    super()._write_sheet_data()
                    return
            add("</row>")
        add("</sheetData>")
        self.fh.write("".join(out))

    def _write_merge_cells(self) -> None:
        """<mergeCells>, each range's ref as merge_range noted it for its first cell (refs need no escaping)."""
        if not self.merge:
            return
        refs = "".join(f'<mergeCell ref="{self.merged_cells[r1, c1]}"/>' for r1, c1, _, _ in self.merge)
        self.fh.write(f'<mergeCells count="{len(self.merge)}">{refs}</mergeCells>')


class _Styles(dict):
    """The s attribute of each format's cells (a format's index is fixed once asked for)."""

    def __missing__(self, fmt: Optional[Format]) -> str:
        made = self[fmt] = f' s="{fmt._get_xf_index()}"' if fmt else ""
        return made


@lru_cache(maxsize=256)
def _prepared(formula: str, future: bool) -> str:
    """A formula as xlsxwriter prepares it (the result depends on the text and the future-functions flag)."""
    sheet = Worksheet()
    sheet.use_future_functions = future
    return Worksheet._prepare_formula(sheet, formula)


class FastSharedStrings(SharedStrings):
    """The shared strings part, each ordinary string written directly (no escaping or whitespace to keep), and
    text that only looks like rich text written as text.

    xlsxwriter keeps a rich string (write_rich_string) in the shared strings table as its ready XML, ``<r>…</r>``,
    and copies any string that starts with ``<r>`` and ends with ``</r>`` into the part unescaped: a district's
    typed ``<r>R&D</r>`` would make the part malformed (Excel offers to repair the file). Here only the strings
    of rich cells (``rich``, their indices) are copied as XML; every other string is escaped as text."""

    rich: frozenset[int] = frozenset()

    def _write_sst_strings(self) -> None:
        """One <si> per string: straight through when nothing in it needs xlsxwriter's care."""
        out: list[str] = []
        for index, string in enumerate(self.string_table.string_array):
            si = _plain_si(string)
            if si is None:
                self.fh.write("".join(out))
                out.clear()
                if index in self.rich:
                    self._write_si(string)
                else:
                    self._write_text_si(string)
            else:
                out.append(si)
        self.fh.write("".join(out))

    def _write_text_si(self, string: str) -> None:
        """xlsxwriter's <si> for a string that is text whatever it looks like (escaped, whitespace kept)."""
        string = self._escape_control_characters(string)
        self._xml_si_element(string, [("xml:space", "preserve")] if _KEEP_SPACE.search(string) else [])


_KEEP_SPACE = re.compile(r"^\s|\s$")  # xlsxwriter's leading or trailing whitespace that needs xml:space


def _rich_indices(workbook: Workbook) -> frozenset[int]:
    """The shared-string indices of the workbook's rich-text cells (none in what kpi-report writes)."""
    return frozenset(cell.string for sheet in workbook.worksheets() for row in sheet.table.values()
                     for cell in row.values() if cell.__class__ is CellRichStringTuple)


@lru_cache(maxsize=2048)
def _plain_si(string: str) -> Optional[str]:
    """A string's <si> when it needs no escaping or kept whitespace, else None (remembered: every scorecard of a
    round repeats the catalog's texts; a scorecard has some 400 strings)."""
    return None if _SPECIAL.search(string) else f"<si><t>{string}</t></si>"


class FastPackager(Packager):
    """xlsxwriter's packager with the quicker shared strings part."""

    def _write_shared_strings_file(self) -> None:
        """xl/sharedStrings.xml (none when the workbook has no strings)."""
        if not self.workbook.str_table.count:
            return
        sst = FastSharedStrings()
        sst.string_table = self.workbook.str_table
        if any(s.startswith("<r>") for s in sst.string_table.string_array):
            sst.rich = _rich_indices(self.workbook)
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


class TextWorkbook(Workbook):
    """xlsxwriter's Workbook whose text is always text: packaged by the FastPackager (its shared strings part)."""

    def _get_packager(self) -> Packager:
        """The packager (xlsxwriter's documented place to replace it)."""
        return FastPackager()


HEADER_MAX = 255  # Excel's limit on a header or footer, its codes included (xlsxwriter drops a longer one)


def header_footer(template: str, text: str) -> str:
    """``template`` with its ``{}`` replaced by ``text`` as text (each & doubled), the text cut short with '…' so
    the whole fits Excel's 255 characters (a district name from round.toml may be any length)."""
    full = template.replace("{}", text.replace("&", "&&"))
    while len(full) > HEADER_MAX and text:
        text = text[:-1]
        full = template.replace("{}", f"{text}…".replace("&", "&&"))
    return full


class FastWorkbook(TextWorkbook):
    """A Workbook whose sheets are FastSheets, packaged by the FastPackager and zipped in one piece."""

    worksheet_class = FastSheet

    def _store_workbook(self) -> None:
        """xlsxwriter's packaging, its parts zipped by ``_Parts`` (in-memory workbooks, every one here)."""
        if not self.in_memory:
            super()._store_workbook()
            return
        plain = xlsxwriter.workbook.ZipFile
        xlsxwriter.workbook.ZipFile = _Parts
        try:
            super()._store_workbook()
        finally:
            xlsxwriter.workbook.ZipFile = plain


class _Parts:
    """Stands in for the ZipFile xlsxwriter packages an in-memory workbook into: the parts it is given are
    deflated by zlib-ng at level 1 (a tenth of the time of zlib at xlsxwriter's level 6, a file half as
    large again: 50 KB rather than 31 KB for a scorecard), the ones that repeat from workbook to workbook
    (theme, styles, relationships) only once, and the archive is written in one piece."""

    compression = zipfile.ZIP_DEFLATED

    def __init__(self, file: Union[str, os.PathLike, BinaryIO], mode: str = "w", **_options: object):
        self.file = file
        self.entries: list[Entry] = []

    def writestr(self, info: Union[zipfile.ZipInfo, str], data: bytes) -> None:
        """Add a part (xlsxwriter gives a ZipInfo dated 1980-01-01, and bytes)."""
        name = info.filename if isinstance(info, zipfile.ZipInfo) else info
        self.entries.append(deflated(name, data))

    def close(self) -> None:
        """Write the archive to the file name or file object the workbook was given."""
        data = archive(self.entries, XLSX_DAY)
        if hasattr(self.file, "write"):
            self.file.write(data)  # type: ignore[union-attr]
        else:
            with open(self.file, "wb") as f:  # type: ignore[arg-type]
                f.write(data)


XLSX_DAY = dt.date(1980, 1, 1)  # the date xlsxwriter gives in-memory parts: no 'now', same bytes every run
