"""The SDMX data files written over whole columns with polars: the bytes pysdmx writes, without
its Python work per value (25 s for the national indicator values, 5.7 million values).

pysdmx (1.21) turns each value into text and each row into a line in Python. This module builds
the same lines with polars string expressions; pysdmx still writes the message's head and tail,
and the rows whose text pysdmx would change in ways not reproduced here (see `simple`).

SDMX-ML 3.0 structure-specific, one `\\t\\t<Obs A="x" B="y" />` line per row: pysdmx takes each
value as Arrow's cast to text (NaN and null become "", which is left out), escapes &, < and >,
prints it with Python's repr and then turns every ' of the data set into ". A value of printable
ASCII and common CJK without quotes or backslashes comes out as "value"; a row with any other
value is formatted by pysdmx itself.

SDMX-CSV 2.0: STRUCTURE, STRUCTURE_ID, ACTION, then the components; a null or "" is "NaN" or
"#N/A" for a required component (pysdmx's own rule, asked per component) and empty otherwise,
any other value str(value) (Python's repr of a float, which polars' text equals between 1e-4 and
1e16). pandas writes the rows with Python's csv module; rows with a field it would quote (a comma,
quote, CR or LF) are written by that module here too.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pyarrow as pa
from pysdmx.io import write_sdmx
from pysdmx.io._pd_utils import _get_value_to_write
from pysdmx.io.format import Format
from pysdmx.io.pd import PandasDataset
from pysdmx.model.dataflow import Schema
from pysdmx.model.message import Header

CHUNK_ROWS = 100_000
DATASET_OPEN, DATASET_CLOSE = "<mes:DataSet ", "</mes:DataSet>"
# Characters whose repr is themselves (str.isprintable, no quote, no backslash): printable ASCII,
# the middle dot, general punctuation (dashes, quotes), CJK punctuation, ideographs, full-width forms.
SIMPLE = (r"^[\x{20}\x{21}\x{23}-\x{26}\x{28}-\x{5B}\x{5D}-\x{7E}\x{B7}\x{2010}-\x{2027}\x{3001}-\x{303F}"
          r"\x{4E00}-\x{9FFF}\x{FF01}-\x{FF5E}]*$")
CSV_QUOTED = r'[,"\r\n]'  # what Python's csv writer (QUOTE_MINIMAL, lineterminator "\n") quotes
REPR_RANGE = (1e-4, 1e16)  # where Python's repr of a float is positional, as polars' text is


def dataset(schema: Schema, rows: pl.DataFrame) -> PandasDataset:
    return PandasDataset(structure=schema, data=rows.to_pandas())


def _numbers_as_pandas_has_them(column: pl.Series) -> pl.Series:
    """pysdmx gets the rows from pandas: a nullable integer column is float there, NaN is null."""
    if column.dtype.is_integer() and column.null_count():
        column = column.cast(pl.Float64)
    if column.dtype.is_float():
        column = column.fill_nan(None)
    return column


def xml_text(column: pl.Series) -> pl.Series:
    """pysdmx's text of each value for SDMX-ML (pysdmx.io.pd.stringify_dataframe: Arrow's cast)."""
    column = _numbers_as_pandas_has_them(column)
    if column.dtype == pl.String:
        return column
    if not column.dtype.is_numeric():
        raise TypeError(f"SDMX: column {column.name!r} of type {column.dtype} has no vectorised text")
    return pl.Series(column.name, pa.compute.cast(column.to_arrow(), pa.string()), pl.String)


def csv_text(column: pl.Series, null: str | None) -> pl.Series:
    """pysdmx's text of each value for SDMX-CSV: str(value), `null` for a null or ""."""
    column = _numbers_as_pandas_has_them(column)
    if column.dtype.is_float():
        text = column.cast(pl.String)
        outside = ~((column == 0) | column.abs().is_between(*REPR_RANGE, closed="left")).fill_null(True)
        outside &= column.is_not_null()
        if outside.any():
            index = outside.arg_true()
            text = text.scatter(index, [repr(v) for v in column.gather(index).to_list()])
    elif column.dtype.is_integer() or column.dtype == pl.String:
        text = column.cast(pl.String)
    else:
        raise TypeError(f"SDMX: column {column.name!r} of type {column.dtype} has no vectorised text")
    return pl.select(pl.when(text.is_null() | (text == "")).then(pl.lit(null, pl.String)).otherwise(text)).to_series()


def write_ml(path: Path, schema: Schema, data: pl.DataFrame, header: Header, chunk_rows: int | None = None) -> None:
    """`data` as one SDMX-ML 3.0 structure-specific message: pysdmx's head and tail, the rows'
    <Obs> lines built here (and by pysdmx for rows with a value outside SIMPLE)."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    text = write_sdmx(dataset(schema, data.head(0)), Format.DATA_SDMX_ML_3_0, header=header)
    body = text.index("\n", text.index(DATASET_OPEN)) + 1  # after the DataSet's opening line
    with path.open("wb") as out:
        out.write(text[:body].encode())
        for start in range(0, data.height, chunk_rows):
            chunk = data.slice(start, chunk_rows)
            values = [xml_text(chunk[c]) for c in chunk.columns]
            simple = pl.select(pl.all_horizontal([v.str.contains(SIMPLE).fill_null(True) for v in values])).to_series()
            parts = [pl.lit("\t\t<Obs ")]
            for name, value in zip(chunk.columns, values, strict=True):
                escaped = value.str.replace_many(["&", "<", ">"], ["&amp;", "&lt;", "&gt;"])
                parts.append(pl.when(pl.lit(value) != "").then(pl.concat_str(pl.lit(f'{name}="'), pl.lit(escaped),
                                                                               pl.lit('" '))).otherwise(pl.lit("")))
            lines = pl.select(pl.concat_str(*parts, pl.lit("/>\n"))).to_series()
            if not simple.all():
                index = (~simple).arg_true()
                lines = lines.scatter(index, _pysdmx_obs(schema, chunk[index], header))
            pl.DataFrame({"line": lines}).write_csv(out, include_header=False, quote_style="never", line_terminator="")
        out.write(text[body:].encode())


def _pysdmx_obs(schema: Schema, rows: pl.DataFrame, header: Header) -> list[str]:
    """pysdmx's own <Obs> line of each row."""
    text = write_sdmx(dataset(schema, rows), Format.DATA_SDMX_ML_3_0, header=header)
    body = text.index("\n", text.index(DATASET_OPEN)) + 1
    end = text.rindex("\n", 0, text.rindex(DATASET_CLOSE)) + 1
    lines = text[body:end].splitlines(keepends=True)
    assert len(lines) == rows.height, "pysdmx wrote one <Obs> line per row"
    return lines


def write_csv(path: Path, schema: Schema, data: pl.DataFrame, chunk_rows: int | None = None) -> None:
    """`data` as SDMX-CSV 2.0: pysdmx's header and structure columns, the rows built here."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    first = write_sdmx(dataset(schema, data.head(1)), Format.DATA_SDMX_CSV_2_0_0).split("\n")
    head, prefix = first[0], ",".join(first[1].split(",")[:3]) if data.height else ""
    nulls = {c.id: _get_value_to_write(None, c.required, c.dtype) for c in schema.components}
    order = head.split(",")[3:]  # pysdmx's column order: dimensions, measures, attributes
    with path.open("wb") as out:
        out.write((head + "\n").encode())
        for start in range(0, data.height, chunk_rows):
            chunk = data.slice(start, chunk_rows).select(order)
            values = [csv_text(chunk[c], nulls[c]).fill_null("") for c in order]
            lines = pl.select(pl.concat_str(pl.lit(prefix), *[pl.concat_str(pl.lit(","), pl.lit(v)) for v in values],
                                            pl.lit("\n"))).to_series()
            quoted = pl.select(pl.any_horizontal([v.str.contains(CSV_QUOTED) for v in values])).to_series()
            if quoted.any():
                index = quoted.arg_true()
                lines = lines.scatter(index, [_csv_line([*prefix.split(","), *row])
                                              for row in zip(*(v.gather(index).to_list() for v in values))])
            pl.DataFrame({"line": lines}).write_csv(out, include_header=False, quote_style="never", line_terminator="")


def _csv_line(fields: list[str]) -> str:
    """One row as pandas' to_csv writes it (Python's csv writer, QUOTE_MINIMAL, "\\n")."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(fields)
    return buffer.getvalue()
