"""The vectorised paths of the contract reader and the suite runner, against what the cell-by-cell
code did: numbers in decimal, the CSV split by polars, the frame great-expectations is given.
Expected values are worked out by hand in the comments."""

from __future__ import annotations

import csv
import io
import warnings
from decimal import Decimal

import openpyxl
import polars as pl
import pytest

from orchestration import settings
from orchestration.deliveries import Contract, DeliveryError, read_delivery, sheet_scan
from orchestration.deliveries.cells import numbers
from orchestration.deliveries.grid import _csv_fast
from orchestration.validation import _as_pandas, _needed_columns
from tests.helpers import copy_raw


def _numbers(cells: list[str | None], factor: str):
    text = pl.Series(cells, dtype=pl.String)
    values, problems = numbers(text, text.is_null(), Decimal(factor))
    return [None if v is None else str(v) for v in values], problems


def test_numbers_are_converted_in_decimal():
    # x 0.0001 (平方米 -> 万平方米): 978000 -> 97.8 (binary floating point gives 97.80000000000001);
    # U+2212 12300 -> -1.23; "1,234.5" -> 0.12345; "12%" -> 0.0012 (binary: 0.0012000000000000001);
    # 1e3 -> 0.1; "-0" -> 0.0, not -0.0; a blank cell stays null.
    values, problems = _numbers(["978000", "\u221212300", "1,234.5", "12%", "1e3", "-0", None], "0.0001")
    assert values == ["97.8", "-1.23", "0.12345", "0.0012", "0.1", "0.0", None]
    assert problems == []


def test_a_factor_with_digits_other_than_one():
    # x 0.0015 (亩 -> 万公顷 is not it; any factor 15e-4): 200 -> 0.3; 3 -> 0.0045; 1.5 -> 0.00225.
    values, _ = _numbers(["200", "3", "1.5"], "0.0015")
    assert values == ["0.3", "0.0045", "0.00225"]


def test_cells_that_are_not_numbers_are_located_by_index():
    values, problems = _numbers(["1", "abc", "nan", "+", "2"], "1")
    assert values == ["1.0", None, None, None, "2.0"]
    assert problems == [(1, "'abc' is not a number"), (2, "'nan' is not a finite number (NaN or infinity)"),
                        (3, "'+' is not a number")]


def test_long_digit_strings_round_like_decimal():
    # 32 significant digits: Decimal rounds the product to 28 digits first
    # (1234567890123456789012345678.9012 -> 1234567890123456789012345679), then to a float.
    cell = "1234567890123456789012345678.9012"
    values, _ = _numbers([cell], "1")
    assert values == [str(float(Decimal("1234567890123456789012345679")))]


def _csv_module(text: str) -> list[list[str | None]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    width = max(len(r) for r in rows)
    return [[r[j] if j < len(r) else None for j in range(width)] for r in rows]


def test_csv_split_by_polars_is_what_the_csv_module_reads():
    # a title of one cell, quoted thousands (a comma inside quotes), an escaped quote, a blank
    # line (kept: row i stays line i + 1), a ragged short row and a quote inside a field.
    text = ('标题\r\n地区,数值,备注\r\n临河区,"1,234.5","说""明"\r\n\r\n五原县,7\r\n'
            '磴口县,8,ab"c\r\n注：说明\r\n')
    fast = _csv_fast(text.encode("utf-8"))
    assert fast is not None
    # an empty cell is "" or missing, and a line's CR stays in its last cell, until the cells are
    # stripped to None (grid._stripped)
    assert [[(v or "").strip() or None for v in r] for r in fast.iter_rows()] == \
        [[v or None for v in r] for r in _csv_module(text)]
    assert fast.row(2) == ("临河区", "1,234.5", '说"明')  # a quoted line: parsed by the csv module
    assert fast.height == 7


def test_csv_with_a_line_break_inside_quotes_goes_to_the_csv_module():
    assert _csv_fast('a,b\r\n"x\r\ny",2\r\n'.encode()) is None
    assert _csv_fast("a,b\rc,d\r\n".encode()) is None  # a lone CR ends a row for the csv module


def test_suite_frame_keeps_the_columns_it_checks_and_int64():
    frame = pl.DataFrame({"year": pl.Series([2021, 2022], dtype=pl.Int32), "region_code": ["150802", "150821"],
                          "note": ["a", "b"], "_source_row": pl.Series([5, 6], dtype=pl.Int32)})
    suite = [{"type": "expect_table_columns_to_match_set", "kwargs": {"column_set": frame.columns}},
             {"type": "expect_column_values_to_be_between", "kwargs": {"column": "year", "min_value": 2020}},
             {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["year", "region_code"]}}]
    needed = _needed_columns(suite, frame.columns)
    assert needed == {"year", "region_code"}
    pdf = _as_pandas(frame, needed)
    assert list(pdf.columns) == frame.columns  # the column set expectation sees every name
    assert str(pdf["year"].dtype) == "int64" and pdf["year"].tolist() == [2021, 2022]
    assert pdf["note"].isna().all() and pdf["_source_row"].isna().all()
    # an expectation type not known to name its columns in kwargs: every column is kept
    unknown = suite + [{"type": "expect_column_values_to_be_increasing", "kwargs": {"column": "year"}}]
    assert _needed_columns(unknown, frame.columns) == set(frame.columns)


def test_a_csv_of_only_white_space_is_empty(tmp_path):
    """Blank lines, spaces and tabs are no table (the check reads the bytes without copying them)."""
    raw = copy_raw(tmp_path / "raw")
    path = raw / "statistics" / "population.csv"
    path.write_bytes(b" \r\n\t\n  \n")
    contract = Contract.load(settings.CONTRACTS_DIR / "statistics" / "population.yml")
    with pytest.raises(DeliveryError) as error:
        read_delivery(contract, path, None, raw)
    assert "statistics/population.csv: is empty" in [str(p) for p in error.value.problems]


def _workbook(tmp_path, fill):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    fill(ws)
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def test_a_sheet_without_odd_cells_is_scanned_without_openpyxl(tmp_path, monkeypatch):
    def fill(ws):  # the used range starts at B3: openpyxl writes <dimension ref="B3:C4"/>
        ws["B3"], ws["C3"], ws["B4"], ws["C4"] = "地区", "数值", "临河区", 1.5

    path = _workbook(tmp_path, fill)
    # row 3, column B (= 2), nothing odd; openpyxl's own walk says the same
    assert sheet_scan._quick_scan(path, "表1") == (3, 2, {}) == sheet_scan._openpyxl_scan(path, "表1")
    monkeypatch.setattr(sheet_scan, "_openpyxl_scan", lambda *a: pytest.fail("openpyxl walked the sheet"))
    assert sheet_scan.sheet_scan(path, "表1") == (3, 2, {})


@pytest.mark.parametrize("what, fill, expected", [
    ("a formula", lambda ws: ws.__setitem__("A2", "=A1*2"), {(2, 1): "the formula =A1*2 saved without its result"}),
    ("an error value", lambda ws: (ws.__setitem__("A2", "#DIV/0!"), setattr(ws["A2"], "data_type", "e")),
     {(2, 1): "the error value #DIV/0!"}),
    # 10^12 days after 1900 is no date: openpyxl reads the date-styled number as the error #VALUE!
    ("a number in a date style", lambda ws: (ws.__setitem__("A2", 1e12), setattr(ws["A2"], "number_format", "yyyy-mm-dd")),
     {(2, 1): "the error value #VALUE!"}),
])
def test_a_sheet_that_may_hold_odd_cells_is_walked_by_openpyxl(tmp_path, what, fill, expected):
    path = _workbook(tmp_path, lambda ws: (ws.__setitem__("A1", 3), fill(ws)))
    assert sheet_scan._quick_scan(path, "表1") is None, what
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of the date it cannot make
        assert sheet_scan.sheet_scan(path, "表1") == (1, 1, expected)
