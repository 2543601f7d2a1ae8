"""A delivered sheet or CSV as rows of text cells, with where its first cell sits, and the cells
whose text cannot be trusted (error values, formulas saved without their result)."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
import fastexcel
import openpyxl
from openpyxl.utils import get_column_letter

from orchestration.deliveries.contract import Contract
from orchestration.deliveries.problems import Problem


@dataclass(frozen=True)
class Grid:
    rows: list[list[str | None]]
    first_row: int  # 1-based row (or CSV line) of rows[0]
    first_col: int  # 1-based column of rows[i][0]
    sheet: str  # sheet name, or the CSV file's name
    # (row index, column index) in `rows` -> what the cell holds instead of a value: calamine
    # gives no text for an error cell (#DIV/0!) or a formula saved without its cached result.
    untrusted: dict[tuple[int, int], str] = field(default_factory=dict)

    def row_number(self, i: int) -> int:
        return self.first_row + i

    def column_letter(self, j: int) -> str:
        return get_column_letter(self.first_col + j)


def _sheet_scan(path: Path, sheet: str) -> tuple[int, int, dict[tuple[int, int], str]]:
    """(first row, first column) of the used range, 1-based, and every error or formula cell.

    fastexcel (calamine) returns the used range only and reads cached formula results; openpyxl
    (not data_only) tells which cells are formulas or errors."""
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


def read_grid(contract: Contract, path: Path, display: str) -> tuple[Grid | None, list[Problem]]:
    if contract.format == "csv":
        return _read_csv_grid(contract, path, display)
    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:  # calamine raises its own error types for zip and XML damage
        return None, [Problem(display, f"cannot be opened as an xlsx workbook (truncated or not xlsx?): {exc}")]
    if contract.sheet not in reader.sheet_names:
        return None, [Problem(display, f"has no sheet '{contract.sheet}'; its sheets are {reader.sheet_names}")]
    try:
        cells = reader.load_sheet(contract.sheet, header_row=None, dtypes="string").to_polars()
        first_row, first_col, odd = _sheet_scan(path, contract.sheet)
    except Exception as exc:
        return None, [Problem(display, f"sheet cannot be read (truncated?): {exc}", contract.sheet)]
    rows = [[None if v is None else str(v) for v in r] for r in cells.iter_rows()]
    # Only cells calamine left empty: a formula with its cached result is read as that result.
    untrusted = {}
    for (r, c), what in odd.items():
        i, j = r - first_row, c - first_col
        if 0 <= i < len(rows) and 0 <= j < len(rows[i]) and rows[i][j] is None:
            untrusted[(i, j)] = what
    return Grid(rows, first_row, first_col, contract.sheet, untrusted), []


def _read_csv_grid(contract: Contract, path: Path, display: str) -> tuple[Grid | None, list[Problem]]:
    data = path.read_bytes()
    if not data.strip():
        return None, [Problem(display, "is empty")]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not contract.encoding.startswith("utf-16"):
        return None, [Problem(display, "is UTF-16 text: deliver UTF-8 (with BOM) or GB18030, as the contract reads")]
    if contract.encoding != "auto":
        encoding = contract.encoding
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            return None, [Problem(display, "cannot tell the text encoding (not UTF-8, GB18030 or another known one)")]
        # GB2312 and GBK are subsets of GB18030: decode with the superset.
        encoding = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(display, f"is not valid {encoding}: byte {exc.start} cannot be decoded", None, line)]
    except LookupError:
        return None, [Problem(display, f"encoding '{encoding}' named by the contract is unknown")]
    if "\x00" in text:
        return None, [Problem(display, "holds NUL bytes: not a text CSV (a binary file, or UTF-16?)")]
    # The csv module keeps blank lines as empty rows, so row i is line i + 1 of the file.
    try:
        rows = [[v.strip() or None for v in r] for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        return None, [Problem(display, f"cannot be parsed as CSV: {exc}")]
    return Grid(rows, 1, 1, path.name), []
