"""Short-lived DuckDB connections to the warehouse.

Readers open the published file (settings.WAREHOUSE_PATH) read-only and locked down: no file
access outside the database, no ATTACH, no COPY TO, settings locked. Writers inside a run that
publishes write the run's working file (orchestration/publishing/); elsewhere (a unit test, a
run without the publish asset) they write the path they are given or the published file.
DuckDB lets one process hold a file read-write; Dagster's "duckdb" pool (limit 1) keeps writing
steps from overlapping.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from orchestration import settings

# What every read-only connection the project opens is held to; lock_configuration stops a
# session from turning them back on (`SET enable_external_access = true` fails).
READ_ONLY_CONFIG = {"enable_external_access": False, "lock_configuration": True}


def release_memory() -> None:
    """Give freed heap back to the system (glibc's malloc_trim; nothing elsewhere).

    glibc keeps what a step freed (DuckDB's results, Arrow and pandas buffers) for reuse, so a run's
    process stays as large as its largest step. On the national load (seed 13) the process was
    0.59 GB after the exports and 0.45 GB after a trim, the RSS Chromium's 1.45 GB adds to when the
    reports are printed. A trim of that heap takes a few milliseconds."""
    gc.collect()
    libc = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None
    if trim is not None:
        trim(0)


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse's write lock."""


def write_path() -> Path:
    """Where a writer writes now: the working file of the publishing run, else the warehouse."""
    from orchestration.publishing.working import current

    return current() or settings.WAREHOUSE_PATH


@contextmanager
def connect(read_only: bool = False, path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    path = path or (settings.WAREHOUSE_PATH if read_only else write_path())
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `make run` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=READ_ONLY_CONFIG if read_only else {})
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(
                f"the warehouse {path.name} is locked by another process (a run in progress?); "
                "try again when it finishes"
            ) from exc
        raise
    try:
        yield con
    finally:
        con.close()


# Every loaded vintage of a delivery lives in raw_vintages.<table>; raw.<table> is a view of the
# latest vintage of each row (what staging and the marts read). A revision is a new row version,
# never an update, so an earlier assessment can be reproduced from the same table.
VINTAGE_SCHEMA = "raw_vintages"
VINTAGE = "_vintage"


def vintage_sql(table: str, key: tuple[str, ...] | list[str], as_of: str | None = None) -> str:
    """SELECT of the latest vintage of every row (by the contract's key) of raw_vintages.<table>,
    optionally among the vintages received on or before `as_of` (a SQL date expression).
    Ties (same key, same date) fall to the later file name, e.g. _rev2 over _rev1."""
    where = f"WHERE {VINTAGE} <= {as_of}\n" if as_of else ""
    keys = ", ".join(f'"{k}"' for k in key)
    return (f"SELECT * FROM {VINTAGE_SCHEMA}.{table}\n{where}"
            f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY {VINTAGE} DESC, _source_file DESC) = 1")


def _table_type(con, schema: str, table: str) -> str | None:
    row = con.execute("SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                      [schema, table]).fetchone()
    return row[0] if row else None


def replace_vintages(table: str, columns: dict[str, str], key: tuple[str, ...] | list[str],
                     frame: pl.DataFrame, years: list[int], con: duckdb.DuckDBPyConnection | None = None) -> int:
    """Replace the given years of raw_vintages.<table> with `frame` (every vintage delivered for
    them) and (re)create the view raw.<table> (latest vintage per key) and the table macro
    raw_vintages.<table>__as_of(date), all in one transaction; returns rows written.

    A raw.<table> written as a plain table before vintages were kept is replaced by the view when
    the run reloads every year that table holds; otherwise the run stops and says so. `con`: a
    connection to the file being written, kept open by the caller across tables (opening and
    closing the file took 40 ms a table); by default one is opened for this table.
    """
    if con is None:
        with connect() as con:
            return replace_vintages(table, columns, key, frame, years, con)
    columns = columns | {VINTAGE: "DATE"}
    ddl = ", ".join(f'"{name}" {dtype}' for name, dtype in columns.items())
    history = f"{VINTAGE_SCHEMA}.{table}"
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {VINTAGE_SCHEMA}")
    legacy = _table_type(con, "raw", table) == "BASE TABLE"
    if legacy:
        held = {r[0] for r in con.execute(f"SELECT DISTINCT year FROM raw.{table}").fetchall()}
        if not held <= set(years):
            raise RuntimeError(
                f"raw.{table} was loaded before vintages were kept and holds years {sorted(held)}: "
                "reload every year once (`bayannur run`) to move it to raw_vintages")
    con.execute(f"CREATE TABLE IF NOT EXISTS {history} ({ddl})")
    existing = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position", [VINTAGE_SCHEMA, table]
    ).fetchall()]
    if existing != list(columns):
        raise RuntimeError(
            f"{history} has columns {existing} but the contract now gives "
            f"{list(columns)}: migrate or drop the table deliberately"
        )
    con.begin()
    try:
        if legacy:
            con.execute(f"DROP TABLE raw.{table}")
        con.execute(f"DELETE FROM {history} WHERE year IN (SELECT unnest(?))", [years])
        if frame.height:
            con.register("incoming", frame.select(list(columns)).to_arrow())
            con.execute(f"INSERT INTO {history} BY NAME SELECT * FROM incoming")
            con.unregister("incoming")  # the connection may go on to the next table
        con.execute(f"CREATE OR REPLACE VIEW raw.{table} AS {vintage_sql(table, key)}")
        con.execute(f"CREATE OR REPLACE MACRO {history}__as_of(as_of) AS TABLE "
                    f"{vintage_sql(table, key, 'CAST(as_of AS DATE)')}")
        con.commit()
    except Exception:
        con.rollback()
        raise
    return frame.height


REJECTED_DDL = """
CREATE TABLE IF NOT EXISTS audit.rejected_deliveries (
    rejected_at TIMESTAMP WITH TIME ZONE,
    run_id VARCHAR,
    source VARCHAR,
    dataset VARCHAR,
    file VARCHAR,
    sha256 VARCHAR,
    problem_count INTEGER,
    problems VARCHAR
)"""


def record_rejection(run_id: str, source: str, dataset: str, file: str, sha256: str | None,
                     problems: list[str]) -> None:
    """Log a rejected delivery in audit.rejected_deliveries; the data tables are not touched."""
    with connect() as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute(REJECTED_DDL)
        con.execute(
            "INSERT INTO audit.rejected_deliveries VALUES (current_timestamp, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, source, dataset, file, sha256, len(problems), "\n".join(problems)],
        )
