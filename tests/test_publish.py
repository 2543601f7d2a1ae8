"""Write, audit, publish: the published file, the atomic swap, the audit gate, read-only lockdown
and the command line's input checks. The end-to-end kill tests are in test_faults.py."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from dagster import AssetCheckResult, AssetCheckSpec, DagsterInstance, MaterializeResult, asset, materialize

from orchestration import settings
from orchestration.running import dagster_home as _dagster_home
from orchestration.cli import main as cli
from orchestration.publishing import working
from orchestration.publishing.publish import PublishRefused, audit, publish
from orchestration.warehouse import connect
from tests.helpers import query


@pytest.fixture
def published(tmp_path, monkeypatch):
    """A small published warehouse (v1.5.0 storage) with one mart, wired into the settings."""
    path = tmp_path / "wh" / "bayannur.duckdb"
    path.parent.mkdir()
    working.create_empty(path)
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.t (k INTEGER PRIMARY KEY, v DOUBLE)")
    con.execute("INSERT INTO marts.t VALUES (2, 1.5), (1, 7.0)")
    con.close()
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", path)
    return path


def test_publish_swaps_in_one_rename_and_an_open_reader_keeps_its_file(published):
    work = working.begin("run-a")
    assert work.parent == published.parent / ".work"
    con = duckdb.connect(str(work))
    con.execute("UPDATE marts.t SET v = -0.0 WHERE k = 1")  # -0.0 must come out as 0.0
    con.execute("INSERT INTO marts.t VALUES (0, 3.0)")
    con.close()
    reader = duckdb.connect(str(published), read_only=True)  # a BI tool holding the file open
    try:
        publish(work)
        # The reader still reads the file it opened: the old rows, unchanged.
        assert reader.execute("SELECT k, v FROM marts.t ORDER BY k").fetchall() == [(1, 7.0), (2, 1.5)]
    finally:
        reader.close()
    assert not work.exists()
    # New readers see the new file: rows in key order (sorted on publish) and 0.0 with no sign bit.
    assert query(published, "SELECT k, v, signbit(v) FROM marts.t") == [
        (0, 3.0, False), (1, 0.0, False), (2, 1.5, False)]
    assert query(published, "SELECT tags['storage_version'] FROM duckdb_databases() "
                            "WHERE database_name = current_database()")[0][0].startswith("v1.5.0")


def test_publish_refuses_when_another_run_published_meanwhile(published):
    first, second = working.begin("run-a"), working.begin("run-b")
    publish(first)
    before = published.read_bytes()
    with pytest.raises(PublishRefused, match="published by another run"):
        publish(second)
    assert published.read_bytes() == before


def test_a_v2_warehouse_is_converted_to_v1_5_on_copy(tmp_path, monkeypatch):
    path = tmp_path / "bayannur.duckdb"
    con = duckdb.connect(str(path))  # duckdb 2.0's own format, as before publishing existed
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT 1 AS k; CREATE VIEW marts.v AS SELECT * FROM marts.t")
    con.close()
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", path)
    work = working.begin("run-c")
    assert query(work, "SELECT tags['storage_version'] FROM duckdb_databases() "
                       "WHERE database_name = current_database()")[0][0].startswith("v1.5.0")
    assert query(work, "SELECT k FROM marts.v") == [(1,)]


def test_audit_sees_a_failed_blocking_check():
    @asset(check_specs=[AssetCheckSpec("rows_add_up", asset="counted", blocking=True)])
    def counted():
        return MaterializeResult(check_results=[AssetCheckResult(check_name="rows_add_up", passed=False)])

    instance = DagsterInstance.ephemeral()
    result = materialize([counted], instance=instance, raise_on_error=False)
    # A failed blocking check also fails its step: both are reasons not to publish.
    assert sorted(audit(instance, result.run_id)) == ["check rows_add_up on counted failed", "step counted failed"]


# --- read-only means read-only ------------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "COPY marts.t TO '{tmp}/out.csv'",
    "ATTACH '{tmp}/other.duckdb' AS other",
    "SELECT * FROM read_csv('/etc/passwd')",
    "EXPORT DATABASE '{tmp}/dump'",
])
def test_read_only_connections_cannot_touch_files(published, tmp_path, statement):
    with connect(read_only=True) as con:
        with pytest.raises(duckdb.PermissionException, match="disabled by configuration"):
            con.execute(statement.format(tmp=tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wh"]  # nothing written


def test_read_only_settings_are_locked(published):
    with connect(read_only=True) as con:
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            con.execute("SET enable_external_access = true")
        assert con.execute("SELECT count(*) FROM marts.t").fetchone() == (2,)


def test_sql_command_says_why_a_copy_fails(published, tmp_path, capsys):
    assert cli(["sql", f"COPY marts.t TO '{tmp_path}/out.csv'"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bayannur sql: Permission Error") and "disabled by configuration" in err
    assert not (tmp_path / "out.csv").exists()


# --- command-line input -------------------------------------------------------------------------

# the pipeline's years come from the plans (settings.YEARS): one past the last is refused
AFTER = int(settings.YEARS[-1]) + 1


@pytest.mark.parametrize("argv, expected", [
    (["run", "--years", "2025-2021"], "bayannur run: --years 2025-2021 is reversed"),
    (["run", "--years", str(AFTER)], f"bayannur run: --years {AFTER}: {AFTER} is not a year of the pipeline "
                                      f"({settings.YEARS[0]}-{settings.YEARS[-1]})"),
    (["run", "--years", "21-23"], "bayannur run: --years 21-23: 21 is not a year of the pipeline"),
    (["overdue", "--today", "2026-02-30"], "bayannur overdue: --today '2026-02-30' is not a date"),
    (["barometer", "--year", "1999"], "bayannur barometer: --year 1999 is not a year of the pipeline"),
    (["status", "energy", "--region", "999999"], "bayannur status: --region 999999 is not a region"),
])
def test_bad_command_line_input_is_one_line_and_exit_2(published, argv, expected, capsys):
    con = duckdb.connect(str(published))
    con.execute("CREATE TABLE marts.dim_region AS SELECT '150800' AS region_code")
    con.close()
    assert cli(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected), err
    assert err.count("\n") == 1


def test_dagster_home_defaults_to_the_projects_dagster_folder(tmp_path, monkeypatch):
    (tmp_path / "orchestration").mkdir()
    shutil.copy(settings.PROJECT_ROOT / "orchestration" / "dagster.yaml", tmp_path / "orchestration")
    monkeypatch.setattr(settings, "PROJECT_ROOT", tmp_path)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    _dagster_home()
    import os

    assert os.environ["DAGSTER_HOME"] == str(tmp_path / ".dagster")
    assert "run_monitoring" in (tmp_path / ".dagster" / "dagster.yaml").read_text()
    monkeypatch.delenv("DAGSTER_HOME")


# --- what a full run published (the session's shared warehouse) ---------------------------------

def test_published_warehouse_is_readable_by_duckdb_1_x_and_its_marts_sorted(built):
    wh = built["warehouse"]
    assert query(wh, "SELECT tags['storage_version'] FROM duckdb_databases() "
                     "WHERE database_name = current_database()")[0][0].startswith("v1.5.0")
    assert not (wh.parent / ".work").exists() or not any(
        p.suffix == ".duckdb" for p in (wh.parent / ".work").iterdir())
    con = duckdb.connect(str(wh), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'marts' AND table_type = 'BASE TABLE'").fetchall()]
        assert len(tables) >= 6
        for table in tables:
            stored = con.execute(f"SELECT * FROM marts.{table}").fetchall()
            assert stored == con.execute(f"SELECT * FROM marts.{table} ORDER BY ALL").fetchall(), table
            floats = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' "
                "AND table_name = ? AND data_type = 'DOUBLE'", [table]).fetchall()]
            for col in floats:
                assert con.execute(f"SELECT count(*) FROM marts.{table} WHERE {col} = 0 AND signbit({col})"
                                   ).fetchone() == (0,), f"{table}.{col} holds -0.0"
    finally:
        con.close()
