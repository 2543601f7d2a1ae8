"""`python -m scripts.benchmark.tuned_run SYNC run ...`: `bayannur run ...` with Dagster's SQLite
connections opened with `PRAGMA synchronous=SYNC` (NORMAL or OFF), to measure what the event log's
fsyncs cost a run. (Dagster's SQLite storage is in WAL mode; its default synchronous=FULL syncs on
every commit, one commit per event.) An experiment of the benchmark, not a setting of the pipeline."""

from __future__ import annotations

import sys

import sqlalchemy
from sqlalchemy.engine import Engine


def relax(sync: str):
    """Every SQLite connection SQLAlchemy opens from now on uses `synchronous=sync`; returns the
    listener (sqlalchemy.event.remove(Engine, "connect", it) undoes it)."""
    def _pragma(dbapi_connection, _record) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            dbapi_connection.execute(f"PRAGMA synchronous={sync}")

    sqlalchemy.event.listen(Engine, "connect", _pragma)
    return _pragma


if __name__ == "__main__":
    sync, *argv = sys.argv[1:]
    if sync.upper() not in ("NORMAL", "OFF", "FULL"):
        raise SystemExit(f"synchronous must be NORMAL, OFF or FULL, not {sync}")
    relax(sync.upper())
    from orchestration.cli import main

    sys.exit(main(argv))
