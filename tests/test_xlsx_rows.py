"""The workbook's rows are built over whole columns (orchestration/exports/xlsx_rows.py) instead of
one xlsxwriter call per cell. The reference here is xlsxwriter itself: the same workbook written
with `ws.write(row, col, value, format)` for every cell, as the exports did before. Every cell must
read back (openpyxl) with the same value, type, number format and style."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from orchestration.exports import mart_columns, read_marts, workbook, xlsx_rows


def per_cell(ws, frame: pl.DataFrame, formats: list, first_row: int = 1, chunk_rows: int = 0, prepare=None) -> None:
    """The exports' writer before xlsx_rows: one xlsxwriter call per cell."""
    for row, values in enumerate((prepare(frame) if prepare else frame).iter_rows(), start=first_row):
        for col, value in enumerate(values):
            ws.write(row, col, value, formats[col])


def cells(path: Path) -> dict[str, list[list[tuple]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [[(c.value, c.data_type, c.number_format, c.alignment.vertical, c.alignment.wrap_text, c.font.b)
                        for c in row] for row in ws.iter_rows()] for ws in book}


def layout(path: Path) -> dict[str, tuple]:
    book = openpyxl.load_workbook(path)
    return {ws.title: (ws.dimensions, ws.freeze_panes, {k: d.width for k, d in ws.column_dimensions.items()},
                       [(t.name, t.ref, t.autoFilter.ref, t.tableStyleInfo.name) for t in ws.tables.values()])
            for ws in book}


def both(tmp_path: Path, monkeypatch, write) -> tuple[Path, Path]:
    """The workbook written by `write(path)` with the column-wise rows and with per-cell writes."""
    fast, slow = tmp_path / "columns.xlsx", tmp_path / "cells.xlsx"
    write(fast)
    with monkeypatch.context() as m:
        m.setattr(xlsx_rows, "write_rows", per_cell)
        write(slow)
    return fast, slow


def test_every_cell_of_the_sample_workbook_is_what_per_cell_writes_give(built, tmp_path, monkeypatch):
    frames, docs = read_marts(built["warehouse"]), mart_columns()
    fast, slow = both(tmp_path, monkeypatch, lambda p: workbook.write(p, frames, docs))
    got, want = cells(fast), cells(slow)
    assert list(got) == ["目标跟踪", "指标数值", "指标目录", "说明", "编码说明"]
    assert got == want
    assert layout(fast) == layout(slow)
    # 375 tracking rows x 66 columns, 923 values x 21 columns, 63 indicators x 31 columns (with headers,
    # region names added): far more than a handful of cells were compared
    assert sum(len(r) for r in got["目标跟踪"]) >= 376 * 60
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(slow) as b:  # styles and tables: the same parts
        for name in ("xl/styles.xml", "xl/tables/table1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"):
            assert a.read(name) == b.read(name), name


TEXTS = ["<a & b>", 'say "hi" & \'bye\'', " lead", "trail ", "\tTab", "ctl\x01x\x1fy", "_x0041_ is literal", "cr\rlf\n",
         "=1+1", "http://example.org/a?b=1&c=2", "", None, "\u3000全角空格", "non\ufffechar", "plain 中文", "a" * 40_000,
         "\u2003", ">"]


def sample_frame() -> pl.DataFrame:
    n = len(TEXTS)
    ints = [0, -5, 2**53, 2**60, None, 7, 123456789, -(2**62)] * 3
    floats = [0.1 + 0.2, 1e-7, 1e20, 123.0, -0.5, None, 9.7020101220000007, 0.94, 1e15, 2.0**-30, 5e-324, 0.0] * 2
    days = [date(1900, 2, 28), date(1900, 3, 1), date(2024, 5, 6), None, date(1899, 12, 31), date(9999, 12, 31)] * 4
    return pl.DataFrame({"text": TEXTS, "int": ints[:n], "float": floats[:n], "flag": ([True, False, None] * n)[:n],
                         "day": days[:n]}, schema={"text": pl.String, "int": pl.Int64, "float": pl.Float64,
                                                   "flag": pl.Boolean, "day": pl.Date})


def write_sample(path: Path, frame: pl.DataFrame) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    formats = workbook.Formats(book)
    workbook.write_table(book, formats, "s", "t", frame, {}, {"bold": True})
    book.close()


def test_text_is_escaped_as_xlsxwriter_escapes_it(tmp_path, monkeypatch):
    frame = sample_frame()
    fast, slow = both(tmp_path, monkeypatch, lambda p: write_sample(p, frame))
    got = cells(fast)
    assert got == cells(slow)
    values = [row[0][0] for row in got["s"][1:]]
    assert values[:5] == ["<a & b>", 'say "hi" & \'bye\'', " lead", "trail ", "\tTab"]
    assert values[8:10] == ["=1+1", "http://example.org/a?b=1&c=2"]  # text, never a formula or a link
    assert [row[0][1] for row in got["s"][1:]][8] == "s"
    assert values[10] is None and values[11] is None  # "" and null: blank cells with the column's format
    assert len(values[15]) == 32_767  # cut at Excel's limit
    with zipfile.ZipFile(fast) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    # by hand: xml:space on leading/trailing whitespace, &<> escaped (quotes not, as xlsxwriter),
    # control characters as _xHHHH_, a literal _xHHHH_ escaped by _x005F, 29 Dec 1900 bug included
    assert '<c r="A2" s="2" t="inlineStr"><is><t>&lt;a &amp; b&gt;</t></is></c>' in xml
    assert '<t>say "hi" &amp; \'bye\'</t>' in xml
    assert '<t xml:space="preserve"> lead</t>' in xml and '<t xml:space="preserve">trail </t>' in xml
    assert '<t xml:space="preserve">\tTab</t>' in xml
    assert "<t>ctl_x0001_x_x001F_y</t>" in xml and "<t>_x005F_x0041_ is literal</t>" in xml
    assert '<t xml:space="preserve">cr_x000D_lf\n</t>' in xml  # \r is escaped, \n is whitespace kept
    assert '<t xml:space="preserve">\u3000全角空格</t>' in xml and "<t>non_xFFFE_char</t>" in xml
    assert '<c r="A12" s="2"/>' in xml and '<c r="A13" s="2"/>' in xml
    # 1900-03-01 is Excel day 61 (1 Jan 1900 = 1, plus the 29 Feb 1900 Excel counts); 2024-05-06 is 45418
    assert '<c r="E3" s="' in xml and "<v>61</v>" in xml and "<v>45418</v>" in xml


def test_numbers_read_back_as_the_same_doubles(tmp_path, monkeypatch):
    frame = sample_frame()
    fast, _ = both(tmp_path, monkeypatch, lambda p: write_sample(p, frame))
    rows = cells(fast)["s"][1:]
    # 0.1 + 0.2 is 0.30000000000000004; xlsxwriter's '{:.16G}' writes 0.3000000000000000, read back as 0.3
    assert [r[2][0] for r in rows[:5]] == [0.3, 1e-7, 1e20, 123, -0.5]
    assert rows[1][1][0] == -5 and rows[3][1][0] == float(f"{2**60:.16G}")  # xlsxwriter writes ints as '.16G'
    assert [r[3][0] for r in rows[:3]] == [True, False, None]


def test_nan_is_refused_like_xlsxwriter_refuses_it(tmp_path):
    with pytest.raises(TypeError, match="NaN"):
        write_sample(tmp_path / "nan.xlsx", pl.DataFrame({"x": [1.0, float("nan")]}))


def test_whitespace_class_is_pythons(tmp_path):
    import re
    import sys

    assert not [c for c in range(0x10000, sys.maxunicode + 1) if re.match(r"\s", chr(c))]


def test_continuation_sheets_and_chunks_match_per_cell_writes(built, tmp_path, monkeypatch):
    """Sheets of 400 rows and chunks of 7 rows: the chunk and sheet boundaries fall inside the tables."""
    monkeypatch.setattr(workbook, "ROWS_PER_SHEET", 400)
    monkeypatch.setattr(xlsx_rows, "CHUNK_ROWS", 7)
    frames, docs = read_marts(built["warehouse"]), mart_columns()
    fast, slow = both(tmp_path, monkeypatch, lambda p: workbook.write(p, frames, docs))
    got = cells(fast)
    assert list(got)[:4] == ["目标跟踪", "指标数值", "指标数值 2", "指标数值 3"]
    assert got == cells(slow) and layout(fast) == layout(slow)


def test_an_empty_table_is_its_header_as_per_cell_writes_give_it(tmp_path, monkeypatch):
    frame = sample_frame().head(0)
    fast, slow = both(tmp_path, monkeypatch, lambda p: write_sample(p, frame))
    got = cells(fast)
    assert got == cells(slow) and layout(fast) == layout(slow)
    assert [c[0] for c in got["s"][0]] == ["text", "int", "float", "flag", "day"] and len(got["s"]) == 1
