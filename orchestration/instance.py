"""The local Dagster instance's SQLite event log, made cheap per event.

Dagster writes every event of a run in its own transaction, about 2,100 for a full run and 3 to 5
writes each for an asset check. Its SQLite event log (`SqliteEventLogStorage`, WAL mode) creates a
new engine and connection for every one of them and closes it after the commit; closing the last
connection to a WAL database checkpoints it, with an fsync, and SQLite's default synchronous=FULL
syncs every commit as well. That was 40-50 % of the orchestrating process's time in a run (issue 15).

Here, in every process that loads the definitions (`bayannur run`, the run workers of the UI and
the daemon), the storage keeps one engine and connection per database file (the index and the
run's file, a few at most) and opens them with synchronous=NORMAL: in WAL mode a commit is then
written without an fsync and synced at checkpoints. A crash of the process loses nothing that
was committed; a power cut can lose the last events but does not corrupt the file
(sqlite.org/pragma.html#pragma_synchronous). Instances on PostgreSQL are not affected.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy.pool import StaticPool

SYNCHRONOUS = "NORMAL"
KEPT = 8  # engines kept per storage (a long-lived daemon sees many runs' files): least recently used closed


def _engine(conn_string: str) -> sqlalchemy.Engine:
    # One connection per file, shared by the storage's threads under its own lock (_db_lock).
    engine = sqlalchemy.create_engine(conn_string, poolclass=StaticPool,
                                      connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
    sqlalchemy.event.listen(engine, "connect", lambda con, _record: con.execute(f"PRAGMA synchronous={SYNCHRONOUS}"))
    return engine


@contextmanager
def _connect(self: SqliteEventLogStorage, shard: str) -> Iterator[sqlalchemy.Connection]:
    with self._db_lock:  # noqa: SLF001 - the storage's own lock, as its _connect takes it
        engines: OrderedDict = self.__dict__.setdefault("_bayannur_engines", OrderedDict())
        engine = engines.get(shard)
        if engine is None:
            engine = _engine(self.conn_string_for_shard(shard))
            if shard not in self._initialized_dbs:  # noqa: SLF001
                self._initdb(engine)  # noqa: SLF001
                self._initialized_dbs.add(shard)  # noqa: SLF001
            engines[shard] = engine
            while len(engines) > KEPT:
                engines.popitem(last=False)[1].dispose()
        engines.move_to_end(shard)
        with engine.connect() as conn, conn.begin():
            yield conn


def _closing(method):
    """wipe, delete_events and dispose remove or leave the files: close the kept connections first."""

    def closed_first(self: SqliteEventLogStorage, *args, **kwargs):
        with self._db_lock:  # noqa: SLF001
            engines = self.__dict__.pop("_bayannur_engines", {})
            for engine in engines.values():
                engine.dispose()
        return method(self, *args, **kwargs)

    closed_first.__wrapped__ = method
    return closed_first


def keep_event_log_connections() -> None:
    """Install the kept connections on Dagster's SQLite event log storage (idempotent)."""
    if SqliteEventLogStorage._connect is _connect:  # noqa: SLF001
        return
    SqliteEventLogStorage._connect = _connect  # noqa: SLF001
    for name in ("wipe", "delete_events", "dispose"):
        setattr(SqliteEventLogStorage, name, _closing(getattr(SqliteEventLogStorage, name)))
