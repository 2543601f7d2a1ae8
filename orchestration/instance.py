"""The local Dagster instance's SQLite files: one commit per event, not one fsync per event.

Dagster writes every event of a run (about 3,000 for a full run) in its own transaction, and its
SQLite event log is in WAL mode with SQLite's default synchronous=FULL: an fsync per event, 10-30 ms
each on a busy disk, which was half of a run's time in the orchestrating process (issue 15). In WAL
mode synchronous=NORMAL syncs at checkpoints only; a crash of the process loses nothing committed,
a power cut can lose the last events but never corrupts the file (sqlite.org/pragma.html#pragma_synchronous).
Instances on PostgreSQL (dagster.postgres.yaml) are not affected.
"""

from __future__ import annotations

import sqlalchemy
from sqlalchemy.engine import Engine

SYNCHRONOUS = "NORMAL"


def _relaxed(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute(f"PRAGMA synchronous={SYNCHRONOUS}")


def relax_sqlite_sync() -> None:
    """Every SQLite connection SQLAlchemy opens in this process from now on (Dagster opens one per
    event) uses synchronous=NORMAL. Idempotent."""
    if not sqlalchemy.event.contains(Engine, "connect", _relaxed):
        sqlalchemy.event.listen(Engine, "connect", _relaxed)
