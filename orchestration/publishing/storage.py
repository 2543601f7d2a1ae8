"""The storage version of the published warehouse, and copies of a warehouse that DuckDB 1.x clients open.

duckdb 2.0 writes a storage format that 1.5 (the newest CLI on the package index, and what most
BI drivers bundle) cannot read. DuckDB can write the older format on request: ATTACH the target
with STORAGE_VERSION 'v1.5.0' and COPY FROM DATABASE, which carries schemas, tables, views,
macros and their comments. The copy is written beside the target and renamed over it, so a
reader sees the old file or the new one.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

STORAGE_VERSION = "v1.5.0"


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def write_compatible_copy(src: Path, dst: Path, storage_version: str = STORAGE_VERSION) -> Path:
    """Copy every schema, table, view and comment of `src` into `dst` in `storage_version`."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    incoming = dst.with_name(f".{dst.name}.incoming")
    for stale in (incoming, incoming.with_name(incoming.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {_quoted(src)} AS src (READ_ONLY)")
        con.execute(f"ATTACH {_quoted(incoming)} AS dst (STORAGE_VERSION '{storage_version}')")
        con.execute("COPY FROM DATABASE src TO dst")
        con.execute("DETACH dst")
    finally:
        con.close()
    os.replace(incoming, dst)
    return dst
