"""Audit the run, then publish its working file in one rename.

The published file is only ever replaced whole: the working file is checkpointed, closed,
fsynced and renamed over it (same filesystem), then the directory is fsynced. A reader holding
the old file keeps reading the old inode; the next opener sees the new one; a crash at any point
leaves either the old or the new file, never a mix.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import duckdb

from orchestration.publishing.working import (
    STORAGE_VERSION,
    base_of,
    create_empty,
    fault,
    identity,
    published_path,
    work_dir,
    work_lock,
)

# Held while the published file is being swapped: `bayannur run` waits for it before it stops on
# a signal, so a Ctrl-C never lands between the rename and the directory fsync.
SWAP_LOCK = threading.Lock()
MARTS = "marts"


class PublishRefused(RuntimeError):
    """The run's checks did not all pass, or the published file changed under the run."""


def audit(instance, run_id: str) -> list[str]:
    """Every blocking failure of the run so far: failed steps and failed ERROR-severity checks
    (contracts and suites on ingestion, dbt tests of severity error). Empty = may publish."""
    from dagster import AssetCheckSeverity, DagsterEventType

    problems = []
    for record in instance.all_logs(run_id, of_type={DagsterEventType.STEP_FAILURE,
                                                      DagsterEventType.ASSET_CHECK_EVALUATION}):
        event = record.dagster_event
        if event.event_type == DagsterEventType.STEP_FAILURE:
            problems.append(f"step {event.step_key} failed")
        else:
            check = event.event_specific_data
            if not check.passed and check.severity == AssetCheckSeverity.ERROR:
                problems.append(f"check {check.check_name} on {check.asset_key.to_user_string()} failed")
    return problems


def normalise_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Make the marts the same bytes for the same inputs: rows rewritten in sorted order and
    -0.0 folded to 0.0 (a rerun may compute either; they compare equal but print differently)."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' "
        "ORDER BY table_name", [MARTS]).fetchall()]
    for table in tables:
        floats = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "AND data_type IN ('DOUBLE', 'FLOAT', 'REAL')", [MARTS, table]).fetchall()]
        fold = (" REPLACE (" + ", ".join(f'CASE WHEN "{c}" = 0 THEN 0 ELSE "{c}" END AS "{c}"' for c in floats)
                + ")") if floats else ""
        name = f'{MARTS}."{table}"'
        con.execute(f"CREATE OR REPLACE TEMP TABLE _sorted AS SELECT *{fold} FROM {name} ORDER BY ALL")
        con.execute(f"DELETE FROM {name}")
        con.execute(f"INSERT INTO {name} SELECT * FROM _sorted")
        con.execute("DROP TABLE _sorted")
    return tables


def storage_version(con: duckdb.DuckDBPyConnection) -> str:
    tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    return tags.get("storage_version", "")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(aside: Path, published: Path) -> None:
    """Rename `aside` over `published` (caller holds work_lock): the one step readers see."""
    _fsync(aside)
    with SWAP_LOCK:
        fault("publish")
        # A WAL beside the old file would be replayed onto the new one: it belongs to no one now.
        Path(f"{published}.wal").unlink(missing_ok=True)
        os.replace(aside, published)
        _fsync(published.parent)


def publish(working: Path, published: Path | None = None) -> dict:
    """Normalise the marts of `working`, check its storage version, and rename it over the
    published file, unless another run published since this run's copy was taken."""
    published = published or published_path()
    con = duckdb.connect(str(working))
    try:
        version = storage_version(con)
        if not version.startswith(STORAGE_VERSION):
            raise PublishRefused(f"working file {working.name} has storage version {version}, "
                                 f"not {STORAGE_VERSION}: DuckDB 1.x clients could not read it")
        con.begin()
        tables = normalise_marts(con)
        con.commit()
        con.execute("CHECKPOINT")
    finally:
        con.close()
    with work_lock(published):
        if identity(published) != base_of(working):
            raise PublishRefused(f"{published.name} was published by another run after this run started: "
                                 "nothing published; run again")
        _swap(working, published)
    Path(f"{working}.base.json").unlink(missing_ok=True)
    return {"published": str(published), "storage_version": version, "marts": len(tables),
            "bytes": published.stat().st_size}


def publish_rejections(working: Path, run_id: str, published: Path | None = None) -> int:
    """After a failed run: add its rows of audit.rejected_deliveries to the published file (a new
    copy renamed over it), so `bayannur deliveries` shows them; nothing else is changed."""
    published = published or published_path()
    if not working.exists():
        return 0
    src = duckdb.connect(str(working), read_only=True)
    try:
        has = src.execute("SELECT count(*) FROM information_schema.tables "
                          "WHERE table_schema = 'audit' AND table_name = 'rejected_deliveries'").fetchone()[0]
        rows = src.execute("SELECT * FROM audit.rejected_deliveries WHERE run_id = ?", [run_id]).fetchall() \
            if has else []
    finally:
        src.close()
    if not rows:
        return 0
    from orchestration.warehouse import REJECTED_DDL

    with work_lock(published):
        aside = work_dir(published) / f"{published.stem}.rejections-{run_id}.duckdb"
        if published.exists():
            shutil.copyfile(published, aside)
        else:
            create_empty(aside)
        con = duckdb.connect(str(aside))
        try:
            con.execute("CREATE SCHEMA IF NOT EXISTS audit")
            con.execute(REJECTED_DDL)
            con.executemany(f"INSERT INTO audit.rejected_deliveries VALUES ({', '.join('?' * len(rows[0]))})", rows)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _swap(aside, published)
    return len(rows)
