"""The local instance's SQLite event log with kept connections (orchestration/instance.py)."""

from __future__ import annotations

import subprocess
import sys
import time

from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

import orchestration.definitions  # noqa: F401  (installs the kept connections, as every run's process does)
from orchestration.instance import _connect


def entry(run_id: str, i: int) -> EventLogEntry:
    return EventLogEntry(error_info=None, level=20, user_message=f"event {i}", run_id=run_id, timestamp=time.time())


def test_loading_the_definitions_installs_the_kept_connections():
    assert SqliteEventLogStorage._connect is _connect


def test_events_are_committed_for_other_processes_and_one_connection_serves_a_file(tmp_path):
    storage = SqliteEventLogStorage(str(tmp_path))
    for i in range(50):
        storage.store_event(entry("run-a", i))
    with storage.run_connection("run-a") as conn:
        # 1 = NORMAL: in WAL mode a commit is not synced on its own, the checkpoint is
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    # one engine per file, not one per event
    assert set(storage.__dict__["_bayannur_engines"]) == {"index", "run-a"}
    # another process (a webserver, the next run) reads every event while this one still holds its connection
    read = subprocess.run(
        [sys.executable, "-c", "import sys; from dagster._core.storage.event_log.sqlite.sqlite_event_log import "
                               "SqliteEventLogStorage as S; print(len(S(sys.argv[1]).get_logs_for_run('run-a')))",
         str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert read.stdout.strip() == "50", read.stderr[-2000:]
    storage.dispose()


def test_deleting_a_run_closes_its_connection_first(tmp_path):
    storage = SqliteEventLogStorage(str(tmp_path))
    storage.store_event(entry("run-b", 0))
    storage.delete_events("run-b")
    assert storage.get_logs_for_run("run-b") == []
    storage.store_event(entry("run-b", 1))  # the file is opened again after the delete
    assert [e.user_message for e in storage.get_logs_for_run("run-b")] == ["event 1"]
    storage.dispose()
