"""Serving the results (issue 6): the marts as a BI contract (comments in the warehouse), the
exports read back with pyarrow and openpyxl, dbt's documentation page, and the read-only commands
(status, barometer, deliveries, sql), including the message when a run holds the lock."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from tests.helpers import ROOT, query

MART_YAML = sorted((ROOT / "transforms" / "models" / "marts").rglob("_*__models.yml"))


def mart_docs() -> dict[str, dict[str, str]]:
    """table -> column -> description, read from the marts' YAML files (the contract)."""
    docs = {}
    for path in MART_YAML:
        for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]:
            docs[model["name"]] = {c["name"]: c.get("description", "") for c in model["columns"]}
    return docs


def cli(warehouse, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"BAYANNUR_WAREHOUSE": str(warehouse)}
    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_every_mart_has_a_contract_and_its_docs_persisted_as_comments(built):
    docs = mart_docs()
    tables = {r[0] for r in query(built["warehouse"], "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'")}
    assert tables == set(docs)
    for path in MART_YAML:
        for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]:
            assert model["config"]["contract"]["enforced"] is True, model["name"]
    comments = query(built["warehouse"], "SELECT table_name, column_name, comment FROM duckdb_columns() "
                     "WHERE schema_name = 'marts'")
    assert len(comments) == sum(len(c) for c in docs.values())
    for table, column, comment in comments:
        assert comment.strip() == docs[table][column].strip(), (table, column)
        assert comment, f"marts.{table}.{column} has no description"
    (table_comment,), = query(built["warehouse"], "SELECT comment FROM duckdb_tables() "
                              "WHERE schema_name = 'marts' AND table_name = 'fct_target_tracking'")
    assert table_comment.startswith("目标跟踪")


def test_exports_read_back(built):
    exports = built["warehouse"].parent / "exports"
    package = json.loads((exports / "datapackage.json").read_text(encoding="utf-8"))
    marts = [r[0] for r in query(built["warehouse"], "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'")]
    listed = {r["path"] for r in package["resources"]}
    assert {f"{t}.{ext}" for t in marts for ext in ("parquet", "csv")} | {"tracking.xlsx"} <= listed
    for entry in package["resources"]:
        path = exports / entry["path"]
        assert "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest() == entry["hash"], entry["path"]
        assert path.stat().st_size == entry["bytes"]
    tracking_rows = query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking")[0][0]
    table = pq.read_table(exports / "fct_target_tracking.parquet")
    assert table.num_rows == tracking_rows
    assert table.schema.field("year").type == "int32" and table.schema.field("share_done").type == "double"
    values = pq.read_table(exports / "fct_indicator_value.parquet")
    datasets = values.schema.field("source_datasets").type  # lists stay lists (polars writes large lists)
    assert pa.types.is_large_list(datasets) or pa.types.is_list(datasets)
    assert pa.types.is_large_string(datasets.value_type) or pa.types.is_string(datasets.value_type)
    raw = (exports / "fct_target_tracking.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("plan_id,indicator_id,name_zh,name_en,region_code,year")
    assert "单位地区生产总值二氧化碳排放下降" in text and len(text.splitlines()) > tracking_rows  # explanations span lines
    entry = next(r for r in package["resources"] if r["path"] == "fct_target_tracking.csv")
    assert entry["rows"] == tracking_rows


def test_tracking_workbook_has_chinese_headers(built):
    book = openpyxl.load_workbook(built["warehouse"].parent / "exports" / "tracking.xlsx", read_only=True)
    assert book.sheetnames == ["目标跟踪", "指标数值", "指标目录", "说明", "编码说明"]
    rows = list(book["目标跟踪"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:7] == ("规划标识", "指标标识", "指标名称", "指标英文名称", "地区代码", "地区名称", "评估年份")
    assert "晴雨表（2020年规则）" in header and "说明（中文）" in header
    assert len(rows) - 1 == query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking")[0][0]
    co2_2024 = [r for r in rows[1:] if r[1] == "co2_per_gdp" and r[6] == 2024]
    assert len(co2_2024) == 1 and co2_2024[0][2] == "单位地区生产总值二氧化碳排放下降"
    glossary = list(book["说明"].iter_rows(values_only=True))
    assert ("目标跟踪", "晴雨表（2020年规则）", "barometer_2020") == glossary[[g[2] for g in glossary].index("barometer_2020")][:3]


def test_dbt_docs_page_opens_from_a_file(built):
    page = built["warehouse"].parent / "docs" / "static_index.html"
    html = page.read_text(encoding="utf-8")
    # the static page inlines the manifest and catalog (JSON, non-ASCII escaped): the tracking
    # mart and its Chinese column docs
    assert "fct_target_tracking" in html and json.dumps("晴雨表（2020年规则")[1:-1] in html
    assert page.stat().st_size > 500_000


def test_the_first_run_writes_the_docs_page(built):
    # kept by a second run on the same dbt project: test_pipeline.py::test_second_run_keeps_the_docs_page
    log = Path(re.search(r"full log: (\S+)", built["first"].stdout).group(1)).read_text(encoding="utf-8")
    assert "dbt docs: the project is unchanged" not in log
    assert (built["warehouse"].parent / "docs" / "static_index.html").exists()


def test_docs_reuse_the_builds_manifest_and_read_their_own_copy_each_time(built, tmp_path):
    # dbt runs in this process (dbtRunner) with --no-compile on the build's manifest; dbt-duckdb keeps
    # its database open for the process, so a second generation must still read its own scratch copy
    from orchestration.serving import dbt_docs

    # From the full run's build: a run of one delivery (test_pipeline's, on this worker's copy) leaves
    # the manifest of its selection, which the docs step rightly does not reuse.
    source = built["as_built"]
    warehouse = tmp_path / "w" / source.name
    shutil.copytree(source.parent / ".dbt", warehouse.parent / ".dbt", symlinks=True)
    shutil.copyfile(source, warehouse)
    first = dbt_docs.generate(tmp_path / "docs1", published=warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("COMMENT ON COLUMN marts.dim_region.name_zh IS 'probe-2'")
    second = dbt_docs.generate(tmp_path / "docs2", published=warehouse)
    assert first["reused_build_manifest"] and second["reused_build_manifest"]
    # and the build's saved parse (bayannur-dbt's profile hash, orchestration/dbt_cli.py): nothing parsed again
    log = (tmp_path / "docs1" / "dbt.log").read_text(encoding="utf-8")
    assert "Unable to do partial parsing" not in log and "no changes found, skipping parsing" in log
    catalogs = [json.loads((tmp_path / d / "catalog.json").read_text(encoding="utf-8")) for d in ("docs1", "docs2")]
    region = [c["nodes"]["model.bayannur.dim_region"]["columns"]["name_zh"]["comment"] for c in catalogs]
    assert region[0] != "probe-2" and region[1] == "probe-2"
    # the catalog holds the marts' columns with their types; the inlined manifest the compiled SQL
    tracking = catalogs[1]["nodes"]["model.bayannur.fct_target_tracking"]["columns"]
    assert tracking["official_status"]["type"] == "VARCHAR" and tracking["year"]["type"] == "INTEGER"
    manifest = json.loads((tmp_path / "docs2" / "manifest.json").read_text(encoding="utf-8"))
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert models and all(n["compiled_code"] for n in models)
    page = (tmp_path / "docs2" / "static_index.html").read_text(encoding="utf-8")
    assert "probe-2" in page and '"compiled_code"' in page


def test_status_barometer_and_deliveries_commands(built):
    out = cli(built["warehouse"], "status", "weather_service_coverage", "--year", "2023")
    assert out.returncode == 0, out.stderr
    (name,), = query(built["warehouse"], "SELECT name_zh FROM marts.dim_indicator WHERE indicator_id = 'weather_service_coverage'")
    assert out.stdout.startswith(f"{name}（巴彦淖尔市，2023年）：")
    en = cli(built["warehouse"], "status", "weather-service", "--year", "2023", "--lang", "en")
    assert en.returncode == 0 and "Verdict: green (even path)" in en.stdout
    many = cli(built["warehouse"], "status", "森林")
    assert "forest_cover" in many.stdout and "forest_stock" in many.stdout
    none = cli(built["warehouse"], "status", "no such target")
    assert none.returncode == 1 and "no indicator matches" not in none.stdout and "没有与“no such target”匹配的指标" in none.stderr
    barometer = cli(built["warehouse"], "barometer", "--year", "2024", "--lang", "en")
    assert barometer.returncode == 0, barometer.stderr
    counts = dict(query(built["warehouse"], "SELECT barometer_2020, count(*) FROM marts.fct_target_tracking "
                        "WHERE year = 2024 GROUP BY 1"))
    first = barometer.stdout.splitlines()[0]
    assert first.startswith(f"2024, {sum(counts.values())} targets (2020 rule):")
    assert f"green {counts['green']}" in first and f"red {counts['red']}" in first
    deliveries = cli(built["warehouse"], "deliveries", "--lang", "en")
    assert deliveries.returncode == 0 and "energy__energy_balance" in deliveries.stdout
    one = cli(built["warehouse"], "sql", "SELECT count(*) AS n FROM marts.dim_indicator")
    assert one.returncode == 0 and "63" in one.stdout  # 61 targets + the two yearless completions (issue 11)


def test_read_only_commands_say_when_a_run_holds_the_lock(built, tmp_path):
    warehouse = tmp_path / "busy.duckdb"
    warehouse.write_bytes(built["warehouse"].read_bytes())
    writer = duckdb.connect(str(warehouse))  # a writer, as a running step would be
    try:
        out = cli(warehouse, "barometer")
        assert out.returncode == 2
        assert "locked by another process (a run in progress?)" in out.stderr
        assert "Traceback" not in out.stderr
        sql = cli(warehouse, "sql", "SELECT 1")
        assert sql.returncode == 2 and "locked" in sql.stderr
    finally:
        writer.close()
    assert cli(warehouse, "sql", "SELECT 1").returncode == 0  # free again once the writer is gone


def test_sql_session_is_read_only(built):
    out = cli(built["warehouse"], "sql", "CREATE TABLE marts.scratch AS SELECT 1")
    assert out.returncode == 1 and "read-only" in out.stderr.lower()
    assert query(built["warehouse"], "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'scratch'") == [(0,)]


def test_interactive_sql_session(built):
    env = os.environ | {"BAYANNUR_WAREHOUSE": str(built["warehouse"])}
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", "sql"], cwd=ROOT, env=env, text=True,
                          input="SELECT count(*) AS n\nFROM marts.fct_target_tracking;\nSELECT nonsense;\n.quit\n",
                          capture_output=True, timeout=120)
    assert done.returncode == 0
    n = query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking")[0][0]
    assert str(n) in done.stdout and "error:" in done.stderr


def test_run_shows_phases_and_writes_the_full_log_to_a_file(built):
    out = built["first"].stdout
    lines = out.splitlines()
    phases = [line for line in lines if line.startswith("  [")]
    names = [p.split("] ", 1)[1].split("  ")[0].strip() for p in phases]
    # ingestion, then dbt, then what serves the marts, each closed with its counts
    assert names[:3] == ["deliveries read", "models built", "published"], phases
    assert re.search(r"deliveries read +30 raw tables loaded", phases[0])  # 30 deliveries (tests/helpers DATASETS)
    assert "checks so far" in phases[-1]
    assert len(lines) < 80  # not the ~1,300 lines of Dagster's console log
    (log_line,) = [line for line in lines if line.strip().startswith("full log: ")]
    log = Path(log_line.split("full log: ", 1)[1])
    # beside the warehouse it ran on (the session's build, copied here with its folder)
    assert log.parent.name == "logs" and log.parent.parent.name == "warehouse" and log.name.startswith("run-")
    text = (built["warehouse"].parent / "logs" / log.name).read_text(encoding="utf-8")
    assert "STEP_SUCCESS" in text and "reading statistics/regional_gdp_2021.xlsx" in text
    assert len(text.splitlines()) > 500  # the whole run, DEBUG events included


def test_sql_session_lists_tables_pages_writes_csv_and_keeps_history(built, tmp_path):
    history = tmp_path / "history"
    env = os.environ | {"BAYANNUR_WAREHOUSE": str(built["warehouse"]), "BAYANNUR_SQL_HISTORY": str(history)}
    out_csv = tmp_path / "tracking.csv"
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", "sql"], cwd=ROOT, env=env, text=True,
                          input=f".tables marts\n.csv {out_csv}\nSELECT indicator_id, year FROM marts.fct_target_tracking;\n"
                                "SELECT 'row-' || row_number() OVER () AS r FROM marts.fct_target_tracking;\n.quit\n",
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    n = query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking")[0][0]
    assert "marts.fct_target_tracking" in done.stdout and "marts.dim_region" in done.stdout
    assert f"{n} rows written to {out_csv}" in done.stdout
    assert out_csv.read_text(encoding="utf-8-sig").count("\n") == n + 1  # header and every row
    # the second result is not cut at 20 rows: every row is printed, the last one too
    assert all(f"row-{i} " in done.stdout for i in (1, 21, n)) and f"row-{n + 1} " not in done.stdout
    assert "SELECT indicator_id, year FROM marts.fct_target_tracking;" in history.read_text(encoding="utf-8")
    one = cli(built["warehouse"], "sql", "SELECT * FROM marts.fct_target_tracking")
    assert one.returncode == 0 and one.stdout.count("co2_per_gdp") >= 5  # all five years, not the first 20 rows


def test_dbt_models_carry_row_counts_and_columns_in_dagster(built):
    from dagster import AssetKey, DagsterInstance

    with DagsterInstance.from_config(str(built["dagster_home"])) as instance:
        event = instance.get_latest_materialization_event(AssetKey(["marts", "fct_target_tracking"]))
    metadata = event.asset_materialization.metadata
    n = query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking")[0][0]
    assert metadata["dagster/row_count"].value == n
    columns = {c.name: c for c in metadata["dagster/column_schema"].schema.columns}
    assert columns["barometer_2020"].description.startswith("晴雨表") and columns["year"].type == "INTEGER"
