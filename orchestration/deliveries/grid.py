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
import polars as pl
from openpyxl.utils import get_column_letter

from orchestration.deliveries.cells import PY_SPACE
from orchestration.deliveries.contract import Contract
from orchestration.deliveries.problems import Problem
from orchestration.deliveries.sheet_scan import sheet_scan


@dataclass(frozen=True)
class Grid:
    # One String column per column of the used range (c0, c1, ...), null for an empty cell: the
    # table is found and typed with polars expressions, not cell by cell.
    cells: pl.DataFrame
    first_row: int  # 1-based row (or CSV line) of the first row
    first_col: int  # 1-based column of c0
    sheet: str  # sheet name, or the CSV file's name
    # (row index, column index) in `cells` -> what the cell holds instead of a value: calamine
    # gives no text for an error cell (#DIV/0!) or a formula saved without its cached result.
    untrusted: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def height(self) -> int:
        return self.cells.height

    def row(self, i: int) -> list[str | None]:
        return list(self.cells.row(i))

    def row_number(self, i: int) -> int:
        return self.first_row + i

    def column_letter(self, j: int) -> str:
        return get_column_letter(self.first_col + j)


def _named(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({old: f"c{j}" for j, old in enumerate(frame.columns)})


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
        first_row, first_col, odd = sheet_scan(path, contract.sheet)
    except Exception as exc:
        return None, [Problem(display, f"sheet cannot be read (truncated?): {exc}", contract.sheet)]
    cells = _named(cells.cast(pl.String))
    # Only cells calamine left empty: a formula with its cached result is read as that result.
    untrusted = {}
    for (r, c), what in odd.items():
        i, j = r - first_row, c - first_col
        if 0 <= i < cells.height and 0 <= j < cells.width and cells[i, j] is None:
            untrusted[(i, j)] = what
    return Grid(cells, first_row, first_col, contract.sheet, untrusted), []


def _read_csv_grid(contract: Contract, path: Path, display: str) -> tuple[Grid | None, list[Problem]]:
    data = path.read_bytes()
    if not data or data.isspace():  # as `not data.strip()`, without copying the file (0.3-0.6 s at 100 MB)
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
    body = _utf8_body(data, encoding)
    body = text.encode("utf-8") if body is None else body
    del text  # decoded again only if the csv module must read it: less memory at the peak
    cells = _csv_fast(body)
    if cells is None:  # a line break inside quotes, or a lone CR: the csv module, row by row
        try:
            rows = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
        except csv.Error as exc:
            return None, [Problem(display, f"cannot be parsed as CSV: {exc}")]
        width = max((len(r) for r in rows), default=0)
        cells = pl.DataFrame([pl.Series(f"c{j}", [r[j] if j < len(r) else None for r in rows], pl.String)
                              for j in range(width)])
    del data, body
    # Blank lines stay as empty rows, so row i is line i + 1 of the file.
    return Grid(_stripped(cells), 1, 1, path.name), []


def _stripped(cells: pl.DataFrame) -> pl.DataFrame:
    """Cells without white space at either end, an empty one null. Only the columns with such a
    cell are stripped (a scan is cheaper than a copy of every cell)."""
    padded = cells.select(pl.all().str.contains(f"^[{PY_SPACE}]|[{PY_SPACE}]$").any()).row(0) if cells.width else ()
    return cells.with_columns((pl.col(c).str.strip_chars(PY_SPACE) if p else pl.col(c)).replace("", None)
                              for c, p in zip(cells.columns, padded))


def _utf8_body(data: bytes, encoding: str) -> bytes | None:
    """The delivered bytes when they are the decoded text in UTF-8 (no copy to encode again)."""
    body = data[len(codecs.BOM_UTF8):] if encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else data
    return body if encoding in ("utf-8", "utf-8-sig") else None


def _csv_fast(body: bytes) -> pl.DataFrame | None:
    """The CSV (as UTF-8) as the csv module reads it, split by polars: every line is a row; a line
    without a quote is its fields split at commas (a CR before the line end stays in the last
    field: cells are stripped), a line with one goes through the csv module on its own. None where
    that would differ from reading the whole text: a quoted field running over a line break, a lone
    CR (a line end to the csv module), a field over the csv module's size limit."""
    if b"\x1f" in body or body.startswith(codecs.BOM_UTF8):  # the separator used to read lines; a BOM polars may drop
        return None
    lines = pl.read_csv(body, has_header=False, infer_schema=False, separator="\x1f", quote_char=None,
                        new_columns=["line"], empty_string_is_null=False, raise_if_empty=False).to_series()
    if lines.str.contains("\r.").any() or (lines.str.len_chars().max() or 0) > csv.field_size_limit():
        return None
    quoted = lines.str.contains('"', literal=True)
    plain = lines.filter(~quoted)
    parsed: list[list[str]] = []
    if quoted.any():
        # With its line end: a quote left open at the end then shows as a line break in a field.
        parsed = [next(csv.reader([line.removesuffix("\r") + "\n"]), []) for line in lines.filter(quoted).to_list()]
        if any("\n" in v or "\r" in v for r in parsed for v in r):
            return None
    split = plain.str.split(",")
    width = max([split.list.len().max() or 0, *map(len, parsed)])
    if not width:
        return pl.DataFrame()
    names = [f"c{j}" for j in range(width)]
    cells = split.list.to_struct(fields=names).struct.unnest().with_columns(i=quoted.not_().arg_true())
    if parsed:
        ours = pl.DataFrame([[*r, *[None] * (width - len(r))] for r in parsed], schema=dict.fromkeys(names, pl.String),
                            orient="row")
        cells = pl.concat([cells, ours.with_columns(i=quoted.arg_true())]).sort("i")
    return cells.drop("i")
