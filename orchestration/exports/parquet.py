"""Parquet files that carry their documentation: each field's metadata holds its description
(zh/en) and Chinese label, the schema's metadata the table's description, so a reader that gets
only the file (pyarrow, DuckDB, pandas, Spark) still knows what each column means."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq


def documented_table(frame: pl.DataFrame, columns: dict[str, dict], description: str) -> pa.Table:
    table = frame.to_arrow()
    fields = []
    for field in table.schema:
        doc = columns.get(field.name) or {}
        meta = {"description": doc.get("description") or "", "label_zh": doc.get("label_zh") or ""}
        fields.append(field.with_metadata({k: v.encode("utf-8") for k, v in meta.items() if v}))
    schema = pa.schema(fields, metadata={b"description": description.encode("utf-8")} if description else None)
    return pa.Table.from_arrays(table.columns, schema=schema)


def write(path: Path, frame: pl.DataFrame, columns: dict[str, dict], description: str) -> None:
    pq.write_table(documented_table(frame, columns, description), path, compression="zstd")
