"""The workbook's rows as sheet XML, built over whole columns with polars.

xlsxwriter writes a cell per Python call (about 7 µs: 116 s for the national indicator values).
A constant_memory worksheet streams each finished row as XML into a temporary file (`ws.fh`) and
copies that file into the sheet when the workbook closes. `write_rows` appends to that stream the
XML which `ws.write(row, col, value, fmt)` of xlsxwriter 3.3.1 would have written for every
cell of a frame, built by polars string expressions a chunk of rows at a time. xlsxwriter still
writes everything else: the package, styles, tables, column widths, panes, the header row.

What `ws.write` writes with a format (every cell here has one), and how each column becomes it:
  None, ""    <c r="B7" s="3"/>, a blank with its format
  numbers     <c r="B7" s="3"><v>17.2</v></c>. xlsxwriter prints '{:.16G}'. A float whose shortest
              round-trip text has at most 15 significant digits reads back as the same double
              either way, so polars' text is used; the others (and integers past 2**53) go through
              '{:.16G}' in Python, so that every cell holds the value xlsxwriter would have written.
              NaN and infinity are refused, as xlsxwriter refuses them.
  booleans    <c r="B7" s="3" t="b"><v>1</v></c>
  dates       the Excel serial day (1900 date system, with Excel's 29 February 1900) as a number
  text        <c r="B7" s="3" t="inlineStr"><is><t>…</t></is></c>: cut to 32,767 UTF-16 units,
              control characters as _xHHHH_ (a literal _xHHHH_ gets _x005F before it),
              xml:space="preserve" when it starts or ends with whitespace, then &, < and > escaped.
Text is never turned into a formula or a link: the workbook sets strings_to_formulas and
strings_to_urls off, so the per-cell writes (headers, small sheets) agree.

The xlsxwriter 3.3.1 internals the workbook relies on (the pin stays; tests/test_xlsx_rows.py
compares every cell with xlsxwriter's own per-cell writes, so a version that changes one fails):
here `Worksheet.fh` (the row stream), `_write_single_row` (writes the pending header row),
`previous_row` and `_check_dimensions` (the sheet's extent), `Format._get_xf_index` (a cell's style
index) and `_write_optimized_sheet_data` (StreamedWorksheet copies the stream as bytes); in
workbook.py `constant_memory` switched off around `add_table`, the table's range widened in
`Worksheet.tables`, and the `ZipFile` of xlsxwriter's workbook module given a zlib level.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from datetime import date

import polars as pl
from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

CHUNK_ROWS = 50_000
STRING_MAX = 32_767  # Excel's cell text limit in UTF-16 units (xlsxwriter's xls_strmax)
EXACT_INT = 2**53  # '{:.16G}' formats an int through float: beyond this it is not the int's digits
EXCEL_EPOCH = date(1899, 12, 31)


def _rust_class(codes: list[int]) -> str:
    return "[" + "".join(f"\\x{{{c:X}}}" for c in codes) + "]"


# The characters xlsxwriter escapes as _xHHHH_ and Python's `\s` (its whitespace test for
# xml:space="preserve"), as classes of polars' (Rust) regex syntax. No whitespace lies past U+FFFF.
CONTROL = _rust_class([*range(0x00, 0x09), *range(0x0B, 0x20), 0xFFFE, 0xFFFF])
WHITESPACE = _rust_class([c for c in range(0x10000) if re.match(r"\s", chr(c))])
CONTROL_CHARS = [*map(chr, range(0x00, 0x09)), *map(chr, range(0x0B, 0x20)), "\ufffe", "\uffff"]
ESCAPED_ESCAPE = r"_x[0-9a-fA-F]{4}_"


def _python_g(values: pl.Series) -> pl.Series:
    """xlsxwriter's own number text, value by value (only for the few values that need it)."""
    return pl.Series([None if v is None else f"{v:.16G}" for v in values.to_list()], dtype=pl.String)


def _with_python(text: pl.Series, column: pl.Series, hard: pl.Series) -> pl.Series:
    """`text`, with the `hard` rows' text made by '{:.16G}' in Python."""
    if not hard.any():
        return text
    index = hard.arg_true()
    return text.scatter(index, _python_g(column.gather(index)))


def number_text(column: pl.Series) -> pl.Series:
    """The <v> text of a numeric column (null stays null)."""
    dtype = column.dtype
    if dtype.is_float():
        if (column.is_nan() | column.is_infinite()).any():
            raise TypeError(f"column {column.name!r} holds NaN or infinity, which an xlsx cell cannot hold")
        text = column.cast(pl.String)
        # at most 16 bytes with a point: at most 15 digits (a cheap bound: "0.0001234" counts its zeros)
        hard = ((text.str.len_bytes() > 16) | text.str.contains("e", literal=True)).fill_null(False)
        return _with_python(text.str.strip_suffix(".0"), column, hard)
    if dtype.is_integer():
        hard = (column.cast(pl.Float64).abs() > EXACT_INT).fill_null(False)
        return _with_python(column.cast(pl.String), column, hard)
    raise TypeError(f"column {column.name!r}: {dtype} is not a number")


def _string_text(column: pl.Series, empty: bool) -> tuple[pl.Expr, bool | pl.Expr]:
    """The escaped text of a text column ("" is null: a blank cell, as xlsxwriter writes it) and
    whether it needs xml:space="preserve" (a bool when the column decides it for every row).
    One scan finds the columns that need any escape; most need none."""
    s: pl.Expr = pl.col(column.name)
    if (column.str.len_bytes().max() or 0) > STRING_MAX // 2:  # only then can it pass the UTF-16 limit
        column = pl.Series(column.name, [v if v is None or _utf16_len(v) <= STRING_MAX
                                         else _utf16_truncate(v, STRING_MAX) for v in column.to_list()], pl.String)
        s = pl.lit(column)
    if empty:
        s = pl.when(s != "").then(s)
    edges = f"^{WHITESPACE}|{WHITESPACE}$"
    if not column.str.contains(f"{ESCAPED_ESCAPE}|{CONTROL}|[&<>]|{edges}").any():
        return s, False
    if column.str.contains(ESCAPED_ESCAPE).any():
        s = s.str.replace_all(f"({ESCAPED_ESCAPE})", "_x005F${1}")
    if column.str.contains(CONTROL).any():
        s = s.str.replace_many(CONTROL_CHARS, [f"_x{ord(c):04X}_" for c in CONTROL_CHARS])
    preserve = s.str.contains(edges) if column.str.contains(edges).any() else False  # \r becomes _x000D_ first
    if column.str.contains("[&<>]").any():
        s = s.str.replace_many(["&", "<", ">"], ["&amp;", "&lt;", "&gt;"])
    return s, preserve


def cell_tail(column: pl.Series, xf: int) -> list[pl.Expr]:
    """What follows the row number in each cell's <c r="B7"...> element, as pieces for
    concat_str, from its format's index `xf` and the chunk's column of the same name."""
    dtype = column.dtype
    if dtype == pl.String:
        empty = bool((column == "").any())
        text, preserve = _string_text(column, empty)
        head = f'" s="{xf}" t="inlineStr"><is>'
        if isinstance(preserve, bool):
            value = [pl.lit(head + ('<t xml:space="preserve">' if preserve else "<t>")), text]
        else:
            value = [pl.lit(head), pl.when(preserve).then(pl.lit('<t xml:space="preserve">')).otherwise(pl.lit("<t>")),
                     text]
        value.append(pl.lit("</t></is></c>"))
        blank = text.is_null() if column.null_count() or empty else None
    elif dtype == pl.Boolean:
        text = pl.col(column.name)
        value = [pl.lit(f'" s="{xf}" t="b"><v>'), text.cast(pl.Int8).cast(pl.String), pl.lit("</v></c>")]
        blank = text.is_null() if column.null_count() else None
    elif dtype.is_numeric() or dtype == pl.Date:
        if dtype == pl.Date:
            days = (column - EXCEL_EPOCH).dt.total_days()
            column = days + (days > 59).cast(days.dtype)  # Excel counts a 29 February 1900
        text = pl.lit(number_text(column))
        value = [pl.lit(f'" s="{xf}"><v>'), text, pl.lit("</v></c>")]
        blank = text.is_null() if column.null_count() else None
    else:
        raise TypeError(f"column {column.name!r}: no xlsx cell writer for {dtype}; convert it before the workbook")
    if blank is None:  # no blank cell in the column: the pieces go straight into the row
        return value
    return [pl.when(blank).then(pl.lit(f'" s="{xf}"/>')).otherwise(pl.concat_str(*value))]


def write_rows(ws, frame: pl.DataFrame, formats: list, first_row: int = 1, chunk_rows: int | None = None,
               prepare: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> None:
    """Append the rows of `frame` (cell formats `formats`, one per column) from sheet row
    `first_row` (0-based) to the constant_memory stream of `ws`, after the rows written so far;
    `prepare`, if given, turns each chunk of rows into the cells' values first."""
    if frame.height == 0:
        return
    chunk_rows = chunk_rows or CHUNK_ROWS
    ws._write_single_row(first_row)  # the pending row (the header) goes out first
    xf = [f._get_xf_index() for f in formats]  # in the order the first row's cells would number them
    letters = [xl_col_to_name(c) for c in range(len(formats))]
    ws.fh.flush()  # the XML goes on after what xlsxwriter has written, straight to the file's bytes
    for start in range(0, frame.height, chunk_rows):
        chunk = frame.slice(start, chunk_rows)
        chunk = prepare(chunk) if prepare else chunk
        row = pl.int_range(first_row + start + 1, first_row + start + 1 + chunk.height).cast(pl.String)
        parts = [pl.lit('<row r="'), row, pl.lit('">')]
        for letter, x, name in zip(letters, xf, chunk.columns, strict=True):
            parts += [pl.lit(f'<c r="{letter}'), row, *cell_tail(chunk[name], x)]
        # One text per row, written as it is: no header, no quoting, nothing between rows.
        chunk.select(pl.concat_str(*parts, pl.lit("</row>")).alias("xml")).write_csv(
            ws.fh.buffer, include_header=False, quote_style="never", line_terminator="")
    last = first_row + frame.height - 1
    ws._check_dimensions(last, len(formats) - 1)
    ws.previous_row = last  # nothing is pending: the close writes no row of its own


class StreamedWorksheet(Worksheet):
    """A worksheet (`add_worksheet(name, worksheet_class=StreamedWorksheet)`) whose row stream is
    copied into the sheet's XML as bytes, 1 MB at a time: xlsxwriter decodes and encodes it again
    64 KB at a time (about 1.5 s of CPU for the national workbook's 813 MB)."""

    def _write_optimized_sheet_data(self) -> None:
        if self.dim_rowmin is None:
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self.fh.flush()
        self.row_data_fh.close()
        with open(self.row_data_filename, "rb") as rows:
            shutil.copyfileobj(rows, self.fh.buffer, 1 << 20)
        os.unlink(self.row_data_filename)
        self._xml_end_tag("sheetData")
