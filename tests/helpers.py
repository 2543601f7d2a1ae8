"""Shared test helpers: temporary landing zones, edited deliveries, warehouse snapshots."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import yaml

# The deliveries the README lists, by source slug, written out by hand.
DATASETS = {
    "statistics": ["regional_gdp", "industrial_value_added", "population"],
    "energy": ["energy_balance", "power", "industrial_energy", "gas_coverage", "key_energy_users"],
    "transport": ["bus_fleet", "fleet_vehicles", "operating_vehicles", "charging", "mode_share"],
    "agriculture": ["fertiliser", "utilisation_rates", "livestock", "farmland", "irrigation"],
    "forestry": ["forest_resources", "forest_stock", "afforestation", "grassland"],
    "housing": ["new_buildings", "retrofits", "clean_heating", "sponge_city", "low_carbon_pilots"],
    "meteorology": ["weather_service"],
    "projects": ["project_ledger", "closures"],
}

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"


def copy_raw(dest: Path) -> Path:
    shutil.copytree(RAW, dest)
    return dest


def redeliver(path: Path, edit) -> None:
    """Open a delivered workbook, apply `edit(worksheet)`, save, and record the new checksum in its
    provenance file, as a department re-sending a (bad) file with honest metadata would."""
    wb = openpyxl.load_workbook(path)
    edit(wb.active)
    wb.save(path)
    reseal(path)


def reseal(path: Path) -> None:
    prov = path.with_name(path.name + ".provenance.yml")
    spec = yaml.safe_load(prov.read_text(encoding="utf-8"))
    spec["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    prov.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")


def snapshot(warehouse: Path, exclude: tuple[str, ...] = ("_loaded_at", "loaded_at")) -> dict:
    """Every table of the raw (latest vintages), raw_vintages (all of them) and marts schemas, rows
    sorted, load timestamps left out."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        # Every table's columns in one query (a query per table was half of a snapshot's time).
        tables = con.execute(
            "SELECT t.table_schema, t.table_name, list(c.column_name ORDER BY c.ordinal_position) "
            "FROM information_schema.tables t JOIN information_schema.columns c USING (table_schema, table_name) "
            "WHERE t.table_schema IN ('raw', 'raw_vintages', 'marts') GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
        out = {}
        for schema, table, names in tables:
            cols = [name for name in names if name not in exclude]
            rows = con.execute(f'SELECT {", ".join(cols)} FROM {schema}."{table}" ORDER BY ALL').fetchall()
            out[f"{schema}.{table}"] = (cols, rows)
        return out
    finally:
        con.close()


def query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def run_pipeline(raw_dir: Path, warehouse: Path, dagster_home: Path, *args: str,
                 pdf: bool = False) -> subprocess.CompletedProcess:
    """`bayannur run` in a subprocess, on the given landing zone, warehouse and Dagster instance.
    The reports' PDFs only with `pdf` (the shared build's, which test_report reads): Chromium's
    print took 5-6 s of each run whose marts changed, and no other test reads a run's PDF."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", dagster_home / "dagster.yaml")
    env = os.environ | {
        "BAYANNUR_RAW_DIR": str(raw_dir),
        "BAYANNUR_WAREHOUSE": str(warehouse),
        "DAGSTER_HOME": str(dagster_home),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GX_ANALYTICS_ENABLED": "false",
        "BAYANNUR_REPORT_PDF": "auto" if pdf else "off",
    }
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


def run_dbt(workdir: Path, warehouse: Path, *args: str) -> subprocess.CompletedProcess:
    """A dbt command on the project against `warehouse`, with target and log paths in `workdir`
    so the project's own target/ (the manifest Dagster loads) is left alone. Through `bayannur-dbt`,
    from the project's saved parse, as a run's build: dbt parses only what changed."""
    env = os.environ | {"BAYANNUR_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    from orchestration.publishing.dbt_path import seed_partial_parse

    seed_partial_parse(workdir / "target")
    command, *rest = args
    return subprocess.run(
        [str(Path(sys.executable).parent / "bayannur-dbt"), "--quiet", command, "--project-dir", str(ROOT / "transforms"),
         "--profiles-dir", str(ROOT / "transforms"), "--target-path", str(workdir / "target"),
         "--log-path", str(workdir / "logs"), *rest],
        env=env, capture_output=True, text=True, timeout=300,
    )


def dbt_show(sql: str, workdir: Path) -> list[dict]:
    """Rows of `dbt show --inline SQL` (the project's macros available) on an empty warehouse."""
    done = run_dbt(workdir, workdir / "show.duckdb", "show", "--output", "json", "--limit", "-1", "--inline", sql)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return json.loads(done.stdout[done.stdout.index("{"):])["show"]
