"""PostgreSQL as a serving target: publish the marts, read them back with psycopg (a real client)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import psycopg
import pytest

from orchestration.serving import postgres
from tests.pg import pg_dsn, pg_server_dsn  # noqa: F401  (fixtures)

DOCS = {"fct_demo": {"indicator_id": {"label_zh": "指标标识", "description": "from YAML"},
                     "value": {"label_zh": "数值", "description": "数值 Value."}}}


def demo_warehouse(path: Path, version: int, rows: int = 2) -> Path:
    """A published file in miniature: two marts with comments, as dbt's persist_docs leaves them."""
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.fct_demo (indicator_id VARCHAR, year INTEGER, value DOUBLE, "
                "is_met BOOLEAN, tags VARCHAR[], version INTEGER)")
    for i in range(rows):
        con.execute("INSERT INTO marts.fct_demo VALUES (?, ?, ?, ?, ?, ?)",
                    [f"ind_{i}", 2021 + i, 1.5 * (i + 1), i % 2 == 0, ["甲", f"t{i}"], version])
    con.execute("CREATE TABLE marts.dim_other AS SELECT ? AS version", [version])
    con.execute("COMMENT ON TABLE marts.fct_demo IS '演示表 Demo table.'")
    con.execute("COMMENT ON COLUMN marts.fct_demo.indicator_id IS '指标标识 Stable id.'")
    con.execute("COMMENT ON COLUMN marts.fct_demo.value IS '数值 Value.'")
    con.close()
    return path


def fetch(dsn: str, query: str, params=None) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(query, params).fetchall()


def test_without_a_dsn_nothing_is_published(tmp_path, monkeypatch):
    monkeypatch.delenv(postgres.DSN_ENV, raising=False)
    # No DSN: returns before even opening the file (which does not exist).
    assert postgres.publish_to(tmp_path / "missing.duckdb", docs=DOCS) is None
    assert postgres.main([str(tmp_path / "missing.duckdb")]) == 2


def test_type_mapping():
    assert postgres.pg_type("VARCHAR[]") == "text[]"
    assert postgres.pg_type("DECIMAL(18,3)") == "numeric(18,3)"
    assert postgres.pg_type("STRUCT(a INTEGER)") == "jsonb"
    assert postgres.pg_type("STRUCT(a INTEGER)[]") == "jsonb"


def test_publish_reads_back_with_comments_and_chinese_view(pg_dsn, tmp_path):
    postgres.publish_to(demo_warehouse(tmp_path / "w.duckdb", version=1), dsn=pg_dsn, docs=DOCS)
    rows = fetch(pg_dsn, "SELECT indicator_id, year, value, is_met, tags FROM bayannur.fct_demo ORDER BY 1")
    # Row i: ind_i, 2021+i, 1.5*(i+1), i even, ['甲', 't'+i]
    assert rows == [("ind_0", 2021, 1.5, True, ["甲", "t0"]), ("ind_1", 2022, 3.0, False, ["甲", "t1"])]
    assert fetch(pg_dsn, "SELECT obj_description('bayannur.fct_demo'::regclass)") == [("演示表 Demo table.",)]
    comments = dict(fetch(pg_dsn, "SELECT attname, col_description(attrelid, attnum) FROM pg_attribute "
                                  "WHERE attrelid = 'bayannur.fct_demo'::regclass AND attnum > 0"))
    # DuckDB's comment wins over the YAML description; a column with neither has none.
    assert comments["indicator_id"] == "指标标识 Stable id."
    assert comments["year"] is None
    zh_cols = [r[0] for r in fetch(pg_dsn, "SELECT column_name FROM information_schema.columns WHERE "
                                           "table_schema = 'bayannur_zh' AND table_name = 'fct_demo' ORDER BY ordinal_position")]
    assert zh_cols == ["指标标识", "year", "数值", "is_met", "tags", "version"]
    assert fetch(pg_dsn, 'SELECT "指标标识", "数值" FROM bayannur_zh.fct_demo ORDER BY 1') == [("ind_0", 1.5), ("ind_1", 3.0)]
    assert fetch(pg_dsn, "SELECT table_name, row_count FROM bayannur._publication ORDER BY 1") == \
        [("dim_other", 1), ("fct_demo", 2)]


def test_failed_load_leaves_the_served_schema_as_it_was(pg_dsn, tmp_path, monkeypatch):
    postgres.publish_to(demo_warehouse(tmp_path / "w.duckdb", version=1), dsn=pg_dsn, docs=DOCS, schema="atomic")
    real_load = postgres._load

    def load_then_fail(cur, *args):
        real_load(cur, *args)
        raise RuntimeError("disk full (simulated)")
    monkeypatch.setattr(postgres, "_load", load_then_fail)
    with pytest.raises(RuntimeError, match="simulated"):
        postgres.publish_to(demo_warehouse(tmp_path / "w.duckdb", version=2, rows=5), dsn=pg_dsn, docs=DOCS, schema="atomic")
    assert fetch(pg_dsn, "SELECT count(*), max(version) FROM atomic.fct_demo") == [(2, 1)]
    assert fetch(pg_dsn, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'atomic%%__staging'") == [(0,)]


def test_readers_see_old_or_new_never_a_mix(pg_dsn, tmp_path):
    schema = "swap"
    postgres.publish_to(demo_warehouse(tmp_path / "w0.duckdb", version=0), dsn=pg_dsn, docs=DOCS, schema=schema)
    deadlocks = "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
    deadlocks_before = fetch(pg_dsn, deadlocks)
    seen: list[tuple] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def reader():
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            while not stop.is_set():
                try:
                    seen.append(conn.execute(f"SELECT (SELECT max(version) FROM {schema}.fct_demo), "
                                             f"(SELECT max(version) FROM {schema}.dim_other)").fetchone())
                except psycopg.Error as exc:  # e.g. a deadlock with the swap: a BI client's failed query
                    errors.append(exc)
    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for version in range(1, 6):
            postgres.publish_to(demo_warehouse(tmp_path / f"w{version}.duckdb", version=version),
                                dsn=pg_dsn, docs=DOCS, schema=schema)
    finally:
        stop.set()
        thread.join()
    assert errors == []  # no reader's query failed during the five publications
    time.sleep(1.5)  # a closed session's statistics reach pg_stat_database within a second
    assert fetch(pg_dsn, deadlocks) == deadlocks_before  # the swap gave way, no deadlock was ever detected
    assert seen and all(a == b for a, b in seen), [s for s in seen if s[0] != s[1]][:5]
    assert len({a for a, _ in seen}) > 1  # the reader did read across publications
    assert fetch(pg_dsn, f"SELECT max(version) FROM {schema}.dim_other") == [(5,)]


def test_published_marts_round_trip(pg_dsn, built):  # pg_dsn first: skip before building
    """The real marts: every one arrives with its rows, comments and a Chinese-labelled view."""
    postgres.publish_to(built["warehouse"], dsn=pg_dsn)
    con = duckdb.connect(str(built["warehouse"]), read_only=True)
    counts = dict(con.execute("SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'marts'").fetchall())
    counts = {t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0] for t in counts}
    (name_zh,), = con.execute("SELECT name_zh FROM marts.dim_indicator WHERE indicator_id = 'weather_service_coverage'").fetchall()
    con.close()
    assert dict(fetch(pg_dsn, "SELECT table_name, row_count FROM bayannur._publication")) == counts
    for table, n in counts.items():
        assert fetch(pg_dsn, f"SELECT count(*) FROM bayannur.{table}") == [(n,)]
        assert fetch(pg_dsn, f"SELECT count(*) FROM bayannur_zh.{table}") == [(n,)]
        assert fetch(pg_dsn, f"SELECT obj_description('bayannur.{table}'::regclass)")[0][0]
    undocumented = fetch(pg_dsn, "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                                 "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bayannur' "
                                 "AND c.relname <> '_publication' AND c.relkind = 'r' AND a.attnum > 0 "
                                 "AND NOT a.attisdropped AND col_description(a.attrelid, a.attnum) IS NULL")
    assert undocumented == []
    assert fetch(pg_dsn, 'SELECT DISTINCT "指标名称（中文）" FROM bayannur_zh.dim_indicator '
                         "WHERE \"指标标识\" = 'weather_service_coverage'") == [(name_zh,)]


def test_reader_role_reads_and_cannot_write(pg_dsn, tmp_path):
    from psycopg.conninfo import make_conninfo

    from tests.pg import unavailable
    reader = "bayannur_reader"  # created by scripts/postgres/serve
    if not fetch(pg_dsn, "SELECT 1 FROM pg_roles WHERE rolname = %s", [reader]):
        unavailable(f"the role {reader} does not exist")
    postgres.publish_to(demo_warehouse(tmp_path / "w.duckdb", version=1), dsn=pg_dsn, docs=DOCS,
                        schema="granted", reader=reader)
    as_reader = make_conninfo(pg_dsn, user=reader, password=reader)
    assert fetch(as_reader, 'SELECT count(*) FROM granted.fct_demo') == [(2,)]
    assert fetch(as_reader, 'SELECT "数值" FROM granted_zh.fct_demo ORDER BY 1') == [(1.5,), (3.0,)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        fetch(as_reader, "DELETE FROM granted.fct_demo")
