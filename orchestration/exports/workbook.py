"""The tracking workbook, written with xlsxwriter in constant_memory mode.

One sheet per tracking table as an Excel table (header filters, banded rows), column widths from
the contents, number formats by type, the header row frozen: the layout polars' write_excel gave
it before, but streamed (constant_memory holds one row, not every cell of the book: at national
scale the indicator values alone took 4 GB that way), the rows' XML built by xlsx_rows.py a chunk
at a time rather than a Python call per cell. A table longer than an Excel sheet
(1,048,575 rows under the header) goes on over sheets "<sheet> 2", "<sheet> 3" ..., each a table
with the same header, so every row is in the workbook. Readers see Chinese: headers are the
columns' `meta.label_zh`, coded values (green, illustrative, level_at_least ...) their labels from
the seed code_labels, booleans 是/否, and a 地区名称 column beside every region code. Two sheets
explain the rest: 说明 (each header's column and description) and 编码说明 (each code's wording).
"""

from __future__ import annotations

import functools
import os
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import xlsxwriter
from xlsxwriter.utility import xl_range

from orchestration.exports import xlsx_rows
from orchestration.exports.docs import code_labels

NAME = "tracking.xlsx"
# Tables of the workbook and their sheet names, in order.
SHEETS = {"fct_target_tracking": "目标跟踪", "fct_indicator_value": "指标数值", "dim_indicator": "指标目录"}
REGION_NAME = ("region_name_zh", "地区名称", "地区名称 Region name (dim_region), added in the workbook.")
FORMATS = {pl.Float64: "#,##0.00##", pl.Float32: "#,##0.00##", pl.Int64: "0", pl.Int32: "0", pl.Int16: "0"}
# polars' write_excel defaults for the types FORMATS leaves out (in a table, without the [Red] part).
DEFAULT_FORMATS = {pl.Date: "yyyy-mm-dd;@", pl.Datetime: "yyyy-mm-dd hh:mm:ss", pl.Time: "hh:mm:ss;@"}
ROWS_PER_SHEET = 1_048_575  # Excel's 1,048,576 rows less the header
DEFLATE_LEVEL = 3  # zlib level of the package (see deflate_level)


def build_date() -> datetime:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention), else 1980-01-01: never the clock."""
    return datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), UTC).replace(tzinfo=None)


def text_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text.split("\n")[0])


def readable(frame: pl.DataFrame, regions: pl.DataFrame | None, labels: dict[str, dict[str, dict]]) -> pl.DataFrame:
    """Codes to Chinese labels, booleans to 是/否, lists joined, region names beside the codes."""
    out = frame.with_columns(
        [pl.col(c).list.join("; ") for c, t in frame.schema.items() if isinstance(t, pl.List)]
        + [pl.col(c).replace({k: v["zh"] for k, v in labels[c].items()}) for c in frame.columns if c in labels]
        + [pl.when(pl.col(c)).then(pl.lit("是")).otherwise(pl.lit("否")).alias(c)
           for c, t in frame.schema.items() if t == pl.Boolean]
    )
    if regions is not None and "region_code" in out.columns:
        names = regions.select("region_code", pl.col("name_zh").alias(REGION_NAME[0]))
        position = out.columns.index("region_code") + 1
        out = out.join(names, on="region_code", how="left", maintain_order="left")
        order = out.columns[:position] + [REGION_NAME[0]] + [c for c in out.columns[position:] if c != REGION_NAME[0]]
        out = out.select(order)
    return out


def _shown(rows: pl.DataFrame, regions: pl.DataFrame | None, labels: dict, names: dict[str, str]) -> pl.DataFrame:
    return readable(rows, regions, labels).rename(names)


def headers(columns: list[str], docs: dict[str, dict]) -> dict[str, str]:
    """column -> Chinese header; a label used twice gets the column name in brackets."""
    labels = {c: (docs.get(c) or {}).get("label_zh") or (REGION_NAME[1] if c == REGION_NAME[0] else c) for c in columns}
    taken = [labels[c] for c in columns]
    return {c: f"{label}（{c}）" if taken.count(label) > 1 else label for c, label in labels.items()}


def widths(frame: pl.DataFrame) -> dict[str, int]:
    """Column widths in pixels (what write_excel takes): the 90th percentile of the cells' text
    width (a CJK character counts 2), at least the header's, between 8 and 60 characters."""
    out = {}
    for column in frame.columns:
        cells = [text_width(v) for v in frame[column].head(500).to_list()] + [text_width(column)]
        cells.sort()
        out[column] = 7 * min(max(cells[int(len(cells) * 0.9)], text_width(column), 8) + 2, 60)
    return out


class Formats:
    """One Format per distinct set of options, made in first-use order (as write_excel did)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book, self.made = book, {}

    def get(self, options: dict) -> xlsxwriter.format.Format:
        key = tuple(sorted(options.items()))
        if key not in self.made:
            self.made[key] = self.book.add_format(options)
        return self.made[key]


def cell_format(dtype: pl.DataType) -> dict:
    number = FORMATS.get(dtype) or DEFAULT_FORMATS.get(dtype.base_type())
    if number is None and dtype.is_numeric():
        number = "#,##0" if dtype.is_integer() else "#,##0.000"
    return {"num_format": number, "valign": "vcenter"} if number else {"valign": "vcenter"}


def write_table(book: xlsxwriter.Workbook, formats: Formats, sheet: str, table: str, frame: pl.DataFrame,
                widths_px: dict[str, int], header: dict, style: str | None = None,
                prepare: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> list[str]:
    """`frame` as an Excel table from A1, row by row; more sheets if it is longer than one.
    `prepare` turns rows into what the sheet shows; it is applied a chunk of rows at a time."""
    formats.get({"valign": "vcenter"})  # write_excel's default cell format, made first
    shown = prepare(frame.head(0)) if prepare else frame
    column_formats = [formats.get(cell_format(t)) for t in shown.dtypes]
    header_format = formats.get(header)
    columns = [{"header": c, "format": f, "header_format": header_format}
               for c, f in zip(shown.columns, column_formats, strict=True)]
    sheets = []
    for part in range(max(1, -(-frame.height // ROWS_PER_SHEET))):
        name = sheet if part == 0 else f"{sheet} {part + 1}"
        rows = frame.slice(part * ROWS_PER_SHEET, ROWS_PER_SHEET)
        ws = book.add_worksheet(name, worksheet_class=xlsx_rows.StreamedWorksheet)
        # add_table refuses constant_memory sheets because it writes the header row, which may
        # already be flushed; here nothing is written yet. Its header cells are shared-string
        # indexes, which a constant_memory sheet would print as text: they are written again inline.
        ws.constant_memory = False
        # The table is declared over the header and one row, then widened to every row: add_table
        # visits each cell of its range in Python to refuse overlaps (17 M cells at national
        # scale); each sheet here holds one table from A1.
        ws.add_table(0, 0, 1, shown.width - 1, {
            "style": style, "columns": columns,
            "header_row": True, "autofilter": True, "total_row": False,
            "name": table if part == 0 else f"{table}_{part + 1}"})
        whole = xl_range(0, 0, max(rows.height, 1), shown.width - 1)
        ws.tables[-1].update({"range": whole, "a_range": whole, "autofilter": whole})
        ws.constant_memory = True
        for col, title in enumerate(shown.columns):
            ws.write_string(0, col, title, header_format)
            if title in widths_px:
                ws.set_column_pixels(col, col, widths_px[title], None, {})
        xlsx_rows.write_rows(ws, rows, column_formats, prepare=prepare)  # every cell, as ws.write writes it
        ws.freeze_panes(1, 0)
        sheets.append(name)
    return sheets


def write(path: Path, frames: dict[str, pl.DataFrame], docs: dict[str, dict[str, dict]]) -> None:
    labels = code_labels()
    # Text stays text: a value starting with "=" or "http://" is not made a formula or a link.
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    book.set_properties({"title": "巴彦淖尔市应对气候变化规划目标跟踪 Bayannur climate-plan tracking",
                         "created": build_date()})
    formats = Formats(book)
    glossary, codes_used = [], {}
    for table, sheet in SHEETS.items():
        regions = frames.get("dim_region")
        head = readable(frames[table].head(500), regions, labels)  # widths come from the first 500 rows
        names = headers(head.columns, docs.get(table, {}))
        # Labels and region names are added a chunk at a time: a relabelled copy of the national
        # indicator values would be 250 MB more.
        sheets = write_table(book, formats, sheet, table, frames[table], widths(head.rename(names)),
                             {"bold": True, "text_wrap": True, "valign": "top"}, "Table Style Light 9",
                             functools.partial(_shown, regions=regions, labels=labels, names=names))
        for column in head.columns:
            doc = docs.get(table, {}).get(column) or {}
            description = doc.get("description") or (REGION_NAME[2] if column == REGION_NAME[0] else "")
            glossary.append({"工作表 sheet": "、".join(sheets), "中文列名 header": names[column], "列名 column": column,
                             "说明 description": " ".join(description.split())})
            if column in labels:
                codes_used[column] = names[column]
    glossary = pl.DataFrame(glossary)
    write_table(book, formats, "说明", "glossary", glossary, {"说明 description": 700}, {"bold": True})
    rows = pl.DataFrame([{"中文列名 header": header, "列名 column": column, "编码 code": code, "中文 label": text["zh"],
                          "英文 label_en": text["en"]}
                         for column, header in sorted(codes_used.items()) for code, text in labels[column].items()])
    write_table(book, formats, "编码说明", "code_labels", rows, dict.fromkeys(rows.columns, 200), {"bold": True})
    with deflate_level(DEFLATE_LEVEL):
        book.close()


@contextmanager
def deflate_level(level: int) -> Iterator[None]:
    """xlsxwriter zips the package at zlib's default level 6, which took 8 s of the national
    workbook's 813 MB of sheet XML; level 3 takes about a third of that for a file about 14 %
    larger. xlsxwriter has no option for it: its module's ZipFile is given the level meanwhile."""
    module = sys.modules[xlsxwriter.Workbook.__module__]
    original = module.ZipFile
    module.ZipFile = functools.partial(original, compresslevel=level)
    try:
        yield
    finally:
        module.ZipFile = original
