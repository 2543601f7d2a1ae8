"""Exports of the marts for people and tools that do not query the warehouse.

Each publish writes `warehouse/exports/` from the published warehouse file:
    datapackage.json         Frictionless Data Package: every file with its schema (types, zh/en
                             titles and descriptions), bytes, sha256, sources and licences
    <table>.parquet          every mart, typed (lists stay lists), column descriptions in the
                             Parquet schema's field metadata
    <table>.csv              every mart as UTF-8 with BOM, so Excel opens the Chinese intact
    tracking.xlsx            the tracking tables, Chinese headers, coded values in Chinese,
                             regions with their names, widths, number formats and filters
    sdmx/                    the indicator values and the tracking results as SDMX: structure.xml
                             (data structure definitions, code lists; SDMX-ML 3.0) and the data as
                             SDMX-CSV 2.0 and SDMX-ML 3.0

The same warehouse gives the same bytes: rows sorted, -0.0 written as 0, no clock time in any
file (dates inside the workbook and SDMX headers are SOURCE_DATE_EPOCH, default 1980-01-01).
The set is written to a temporary folder and swapped in whole, so a failed export leaves the
previous set as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from orchestration import settings
from orchestration.exports.docs import mart_columns, mart_descriptions
from orchestration.warehouse import connect, release_memory

__all__ = ["export_marts", "export_dir", "mart_columns", "publish_to", "read_mart", "read_marts"]

DATAPACKAGE = "datapackage.json"


def export_dir(warehouse: Path | None = None) -> Path:
    return (warehouse or settings.WAREHOUSE_PATH).parent / "exports"


def mart_tables(con) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1").fetchall()]


def read_mart(con, table: str) -> pl.DataFrame:
    """One mart, rows in a fixed order (ORDER BY ALL) and -0.0 folded to 0.0."""
    frame = con.sql(f'SELECT * FROM marts."{table}" ORDER BY ALL').pl()
    # -0.0 == 0.0, so the comparison maps both zeros to +0.0 and leaves the rest alone.
    return frame.with_columns(
        pl.when(pl.col(name) == 0).then(0.0).otherwise(pl.col(name)).cast(dtype).alias(name)
        for name, dtype in frame.schema.items() if dtype.is_float())


def read_marts(warehouse: Path | None = None, tables: Iterable[str] | None = None) -> dict[str, pl.DataFrame]:
    """Every mart (or those of `tables`) by table name, as read_mart reads it."""
    with connect(read_only=True, path=warehouse) as con:
        wanted = mart_tables(con) if tables is None else sorted(set(tables) & set(mart_tables(con)))
        return {table: read_mart(con, table) for table in wanted}


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV and xlsx cells hold text, not lists: join list columns with '; '."""
    return frame.with_columns(
        pl.col(name).list.join("; ") for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)
    )


def export_marts(dest: Path | None = None, warehouse: Path | None = None) -> dict:
    """Write the whole export set from `warehouse` (default: the published file); returns the
    Data Package descriptor (datapackage.json as a dict).

    The marts are read one at a time for their Parquet and CSV files; only the four that the
    workbook and SDMX show are kept (at national scale the indicator values are most of it)."""
    from orchestration.exports import datapackage, parquet, sdmx, workbook

    dest = dest or export_dir(warehouse)
    staging = dest.with_name(f".{dest.name}.incoming")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    docs, descriptions = mart_columns(), mart_descriptions()
    shown = set(workbook.SHEETS) | sdmx.tables() | {"dim_region"}
    tables: dict[str, datapackage.Table] = {}
    with connect(read_only=True, path=warehouse) as con:
        names = mart_tables(con)
    missing = sorted(set(workbook.SHEETS) - set(names))
    if missing:
        raise RuntimeError(f"marts {missing} are not in the warehouse: build them (make run) before exporting")
    frames = {}
    for table in names:
        # A connection per mart: DuckDB keeps the memory of a sorted read until it is closed.
        with connect(read_only=True, path=warehouse) as con:
            frame = read_mart(con, table)
        parquet.write(staging / f"{table}.parquet", frame, docs.get(table, {}), descriptions.get(table, ""))
        flat(frame).write_csv(staging / f"{table}.csv", include_bom=True)
        tables[table] = datapackage.Table.of(table, frame)
        if table in shown:
            frames[table] = frame
        del frame
    # SDMX is written beside the workbook: both spend their time in polars, zlib and file writes,
    # which run outside the GIL, so a second core shortens the step (about 2 s nationally).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sdmx") as pool:
        sdmx_done = pool.submit(sdmx.write, staging / sdmx.FOLDER, frames)
        workbook.write(staging / workbook.NAME, frames, docs)
        sdmx_files = sdmx_done.result()
    del frames
    release_memory()  # the step's frames are written: the reports step after it prints with Chromium
    descriptor = datapackage.write(staging / DATAPACKAGE, tables, docs, descriptions, sdmx_files)
    # Swap the whole set in: the previous exports stay until the new set is complete.
    previous = dest.with_name(f".{dest.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if dest.exists():
        dest.rename(previous)
    staging.rename(dest)
    shutil.rmtree(previous, ignore_errors=True)
    return descriptor


def publish_to(published_path: Path) -> None:
    """Publishing hook: the exports of the newly published warehouse file, beside it."""
    export_marts(dest=export_dir(published_path), warehouse=published_path)
