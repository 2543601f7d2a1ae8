"""Read one delivery as its contract describes it, into one tidy polars frame with lineage.

Every problem found is reported with the file, sheet, Excel row and column, the value and what
was expected; nothing is written anywhere by this module."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from orchestration import settings
from orchestration.deliveries.checks import check_table
from orchestration.deliveries.contract import Contract
from orchestration.deliveries.grid import read_grid
from orchestration.deliveries.parse import parse_grid, unpivot
from orchestration.deliveries.problems import DeliveryError, Problem
from orchestration.deliveries.provenance import Provenance, read_provenance

LINEAGE_COLUMNS = ["_source_file", "_source_sha256", "_source_sheet", "_source_row", "_loaded_at"]


def display_name(path: Path, raw_dir: Path | None = None) -> str:
    raw_dir = raw_dir or settings.RAW_DIR
    return path.relative_to(raw_dir).as_posix() if path.is_relative_to(raw_dir) else path.name


def read_delivery(contract: Contract, path: Path, year: str | None = None, raw_dir: Path | None = None) -> pl.DataFrame:
    """Parse one delivered file into the contract's canonical columns plus lineage.

    `year` is the year the file name gives; None for a file whose rows carry their year.
    Raises DeliveryError listing every problem found (a cell that is not a number or not
    plausible, a column that is missing, a region that maps to no code, a duplicate or missing
    row, an unreadable file, a checksum that does not match the provenance file...).
    """
    display = display_name(path, raw_dir)
    if year is None and contract.year_in_file_name:
        year = contract.year_of(path.name)
    if not path.is_file():
        raise DeliveryError([Problem(display, "is named like a delivery but is not a file (a directory?)")])
    provenance, problems = read_provenance(path, display)
    # The checksum in a thread of its own: hashlib releases the GIL while polars parses.
    with ThreadPoolExecutor(1) as pool:
        hashing = pool.submit(_sha256, path)
        grid, table, problems = _parsed(contract, path, year, display, problems)
        digest = hashing.result()

    if provenance is not None and provenance.sha256 != digest:
        problems.append(
            Problem(
                display,
                f"sha256 is {digest} but its provenance file records {provenance.spec['sha256']}: "
                "the file changed after delivery (raw deliveries are never edited; deliver a new file)",
            )
        )
    if problems:
        raise DeliveryError(problems)
    assert provenance is not None and grid is not None and table is not None

    frame = unpivot(contract, table)
    as_delivered = f"{contract.region_column.removesuffix('_code')}_name_as_delivered"
    names = frame[as_delivered] if as_delivered in frame.columns else pl.Series([None] * frame.height, dtype=pl.String)
    status = _statuses(provenance, names, frame["_source_row"])
    extra = [pl.lit(contract.region).alias("region_code")] if contract.region else []
    if year is not None:
        extra.append(pl.lit(int(year), pl.Int32).alias("year"))
    return frame.with_columns(
        *extra,
        status,
        pl.lit(display).alias("_source_file"),
        pl.lit(digest).alias("_source_sha256"),
        pl.lit(grid.sheet).alias("_source_sheet"),
        pl.lit(datetime.now(timezone.utc)).alias("_loaded_at"),
    ).with_columns(pl.col("year").cast(pl.Int32)).select(list(contract.warehouse_columns()))


def _sha256(path: Path) -> str:
    """provenance.sha256_of, streamed: the file is not held in memory a second time."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _parsed(contract: Contract, path: Path, year: str | None, display: str, problems: list[Problem]):
    grid, grid_problems = read_grid(contract, path, display)
    table, parse_problems = parse_grid(contract, grid, year, display) if grid is not None else (None, [])
    problems = grid_problems + parse_problems + problems
    # Whole-table checks run even beside bad cells (a bad cell is null there), so that one pass
    # lists every problem of the delivery.
    if table is not None and grid is not None:
        problems += check_table(contract, table, year, display, grid.sheet,
                                revision=contract.revision_of(path.name) > 0)
    return grid, table, problems


def _statuses(provenance: Provenance, names: pl.Series, rows: pl.Series) -> pl.Series:
    """provenance.row_status of every row, asked once per region name and once per row the
    provenance lists: a row it does not list has the status of any other such row of that name."""
    illustrative = provenance.spec.get("illustrative") or {}
    listed = {*(illustrative.get("rows") or []), *(illustrative.get("except_rows") or [])}
    unlisted = max([*listed, 0]) + 1
    by_name = {n: provenance.row_status(n, unlisted) for n in names.drop_nulls().unique().to_list()}
    status = names.replace_strict(by_name, default=provenance.row_status(None, unlisted), return_dtype=pl.String)
    mentioned = rows.is_in(list(listed)) if listed else pl.repeat(False, rows.len(), eager=True)
    if mentioned.any():
        where = mentioned.arg_true()
        status = status.scatter(where, [provenance.row_status(n, r)
                                        for n, r in zip(names.gather(where), rows.gather(where))])
    return status.alias("status")
