"""Where a sheet's used range starts, and which of its cells hold no value to trust (an error
value, a formula saved without its result): what fastexcel (calamine) does not say.

openpyxl (read-only, not data_only) tells both, but it reads the shared strings and styles and
then walks every cell in Python: most of an xlsx's reading time (a national load: 50 of 60 s).
A sheet whose XML holds no formula, no error cell, no ISO date cell and no cell in a date style
(the only ways openpyxl makes an odd cell) has none to find: its XML is searched as bytes, and
openpyxl walks only the sheets where one of those may be.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import XMLPullParser

import openpyxl
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.worksheet._reader import DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import ARC_STYLE
from openpyxl.xml.functions import fromstring

Scan = tuple[int, int, dict[tuple[int, int], str]]  # first row, first column, (row, column) -> what

# A formula element (<f>, <f t="shared" .../>, with or without a namespace prefix), or a cell
# typed as an error (t="e") or an ISO date (t="d", which openpyxl may turn into an error). Every
# match holds one of _HINTS, which bytes.find looks for many times faster than the expression.
_ODD = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?f[\s/>]|\st\s*=\s*["'][ed]["']""")
_HINTS = (b"<f", b":f", b'"e"', b"'e'", b'"d"', b"'d'")
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData[\s/>]")
_CHUNK = 1 << 23


def sheet_scan(path: Path, sheet: str) -> Scan:
    """(first row, first column) of the used range, 1-based, and every error or formula cell."""
    quick = _quick_scan(path, sheet)
    return quick if quick is not None else _openpyxl_scan(path, sheet)


def _openpyxl_scan(path: Path, sheet: str) -> Scan:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb[sheet]
        first_row, first_col = ws.min_row or 1, ws.min_column or 1
        odd: dict[tuple[int, int], str] = {}
        for row in ws.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "e":
                    odd[(cell.row, cell.column)] = f"the error value {cell.value}"
                elif getattr(cell, "data_type", None) == "f":
                    odd[(cell.row, cell.column)] = f"the formula {cell.value} saved without its result"
        return first_row, first_col, odd
    finally:
        wb.close()


def _quick_scan(path: Path, sheet: str) -> Scan | None:
    """_openpyxl_scan's answer for a sheet with no odd cell to find, from its XML as bytes: the
    first row and column of its <dimension> (as openpyxl's read-only sheet takes them) and no odd
    cells. None when the sheet may hold one (or is not where the workbook says)."""
    reader = ExcelReader(path, read_only=True)
    try:
        reader.read_manifest()
        reader.read_workbook()  # workbook.xml and its relations: no shared strings, no cell walk
        part = next((rel.target for s, rel in reader.parser.find_sheets() if s.name == sheet), None)
        if part is None or part not in reader.valid_files:
            return None
        dates = _date_styles(reader)
        if 0 in dates:  # the style of a cell without one: any number may be read as a date
            return None
        dated = re.compile(rb"""\ss\s*=\s*["']0*(?:%s)["']""" % "|".join(map(str, dates)).encode()) if dates else None
        head, tail = None, b""
        with reader.archive.open(part) as xml:
            while chunk := xml.read(_CHUNK):
                text = tail + chunk
                if any(hint in text for hint in _HINTS) and _ODD.search(text):
                    return None
                if dated is not None and dated.search(text):
                    return None
                if head is None:  # what comes before <sheetData>, in the first chunk (not UTF-16)
                    found = _SHEET_DATA.search(text)
                    if found is None or b"\x00" in text[: found.start()]:
                        return None
                    head = text[: found.start()]
                tail = chunk[-256:]  # a match cut at the chunk's end is found in the next search
    finally:
        reader.archive.close()
    if head is None:
        return None
    min_col, min_row = _dimensions(head)
    return min_row or 1, min_col or 1, {}


def _date_styles(reader: ExcelReader) -> set[int]:
    """The workbook's cell styles in a date format: openpyxl reads a number in one as a date, and
    one out of range as the error #VALUE!."""
    try:
        stylesheet = Stylesheet.from_tree(fromstring(reader.archive.read(ARC_STYLE)))
    except KeyError:  # no stylesheet: openpyxl's defaults, no date style
        return set()
    return set(stylesheet.date_formats) if stylesheet.cell_styles else set()


def _dimensions(head: bytes) -> tuple[int | None, int | None]:
    """(first column, first row) of the <dimension> element before <sheetData>, as openpyxl's
    parse_dimensions reads it; (None, None) without one."""
    parser = XMLPullParser(events=("end",))
    parser.feed(head)  # the start of the document only: its end is never fed
    for _, element in parser.read_events():
        if element.tag == DIMENSION_TAG:
            return SheetDimension.from_tree(element).boundaries[:2]
    return None, None
