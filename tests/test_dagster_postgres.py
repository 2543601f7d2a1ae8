"""Dagster's instance on PostgreSQL (orchestration/dagster.postgres.yaml): a run, the schedule's
state and the sensor's cursor are stored in the server and read back from a fresh instance."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterInstance, asset, build_sensor_context, materialize
from dagster._core.scheduler.instigation import InstigatorStatus, InstigatorType
from psycopg.conninfo import conninfo_to_dict

from orchestration.sensors import raw_arrivals
from tests.pg import pg_dsn, pg_server_dsn  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent


def url(dsn: str) -> str:
    p = conninfo_to_dict(dsn)
    return f"postgresql+psycopg2://{p['user']}:{p.get('password', '')}@{p.get('host', '127.0.0.1')}:{p.get('port', 5432)}/{p['dbname']}"


@pytest.fixture
def pg_instance_home(pg_dsn, tmp_path, monkeypatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "orchestration" / "dagster.postgres.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("DAGSTER_PG_URL", url(pg_dsn))
    return home


def dagster_cli(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([str(Path(sys.executable).with_name("dagster")), *args, "-m", "orchestration.definitions"],
                          cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


@asset
def tiny() -> int:
    return 3 * 7


def test_run_schedule_and_sensor_cursor_stored_in_postgres(pg_instance_home, pg_dsn):
    with DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        result = materialize([tiny], instance=instance)
        assert result.success and result.output_for_node("tiny") == 21  # 3 * 7
        run_id = result.run_id
        # The sensor's real evaluation on the bundled deliveries: its cursor maps file -> digest.
        sensor_result = raw_arrivals(build_sensor_context(instance=instance, cursor=None))
        cursor = sensor_result.cursor
    assert set(json.loads(cursor)) and all("/" in k for k in json.loads(cursor))

    # Through Dagster's own command line, as an operator of the shared deployment would.
    dagster_cli("schedule", "start", "yearly_after_bulletin")
    dagster_cli("sensor", "start", "raw_arrivals")
    dagster_cli("sensor", "cursor", "raw_arrivals", "--set", cursor)

    # Read back from a fresh instance (nothing cached in-process) ...
    with DagsterInstance.get() as instance:
        run = instance.get_run_by_id(run_id)
        assert run is not None and run.is_success
        states = {s.name: s for s in instance.all_instigator_state()}
        assert states["yearly_after_bulletin"].instigator_type == InstigatorType.SCHEDULE
        assert states["yearly_after_bulletin"].status == InstigatorStatus.RUNNING
        assert states["raw_arrivals"].status == InstigatorStatus.RUNNING
        assert states["raw_arrivals"].instigator_data.cursor == cursor
    # ... and straight from PostgreSQL's tables, so it was not a local file.
    with psycopg.connect(pg_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM runs WHERE run_id = %s AND status = 'SUCCESS'", [run_id]).fetchone() == (1,)
        # one schedule and one sensor, both started
        assert sorted(conn.execute("SELECT instigator_type, status FROM instigators").fetchall()) == \
            [("SCHEDULE", "RUNNING"), ("SENSOR", "RUNNING")]
    assert not list(pg_instance_home.glob("**/*.db"))  # no SQLite storage beside it
