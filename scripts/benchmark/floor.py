"""The floor: the same work as a run, without orchestration.

Every delivery read in one process with the project's own contract reader, then every compiled
dbt seed, model and test executed in one DuckDB connection, in dependency order. Great
expectations, exports, docs and Dagster's bookkeeping are what a run adds on top of this.
The dbt project is compiled once (`dbt compile`, into a target folder of our own) beforehand;
compiling is not part of the floor.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import polars as pl

from scripts.benchmark import compat

VINTAGE = "_vintage"


def compile_project(project_dir: Path, target_dir: Path, warehouse: Path) -> Path:
    """`dbt compile` into `target_dir` against a scratch warehouse; returns the manifest path."""
    env = os.environ | {"BAYANNUR_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run([str(dbt), "compile", "--quiet", "--profiles-dir", str(project_dir), "--project-dir",
                    str(project_dir), "--target-path", str(target_dir)], env=env, check=True)
    return target_dir / "manifest.json"


def read_all(raw_dir: Path, regions_dir: Path | None = None) -> dict[str, tuple[pl.DataFrame, tuple[str, ...]]]:
    """table -> (every delivered row with its vintage, the contract's key), through the contract reader."""
    tables = {}
    with compat.region_tree_from(regions_dir):
        for contract in compat.load_contracts():
            frames = []
            for path, year in compat.deliveries(contract, raw_dir):
                frame = compat.read_delivery(contract, path, year, raw_dir)
                frames.append(frame.with_columns(pl.lit(compat.vintage_of(path, raw_dir)).alias(VINTAGE)))
            if frames:
                tables[contract.table] = (pl.concat(frames, how="diagonal_relaxed"), tuple(contract.key))
    return tables


def load_raw(con: duckdb.DuckDBPyConnection, tables: dict) -> None:
    """raw_vintages.<table> and raw.<table> as the latest vintage per key, as the pipeline keeps them."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS raw_vintages")
    for table, (frame, key) in tables.items():
        con.register("incoming", frame.to_arrow())
        con.execute(f"CREATE OR REPLACE TABLE raw_vintages.{table} AS SELECT * FROM incoming")
        con.unregister("incoming")
        keys = ", ".join(f'"{k}"' for k in key)
        con.execute(f"CREATE OR REPLACE VIEW raw.{table} AS SELECT * FROM raw_vintages.{table} "
                    f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY {VINTAGE} DESC, _source_file DESC) = 1")


def ordered_nodes(manifest: dict) -> list[dict]:
    """Seeds, models and tests of the manifest in an order where every node follows its inputs."""
    nodes = {k: n for k, n in manifest["nodes"].items() if n["resource_type"] in ("seed", "model", "test")}
    graph = {k: [d for d in n.get("depends_on", {}).get("nodes", []) if d in nodes] for k, n in nodes.items()}
    return [nodes[k] for k in TopologicalSorter(graph).static_order()]


def _seed_sql(node: dict, project_dir: Path, overrides: dict[str, Path]) -> str:
    path = overrides.get(Path(node["original_file_path"]).name, project_dir / node["original_file_path"])
    types = node["config"].get("column_types") or {}
    spec = ", ".join(f"'{c}': '{t}'" for c, t in types.items())
    return (f"CREATE OR REPLACE TABLE {node['relation_name']} AS SELECT * FROM "
            f"read_csv('{path.as_posix()}', header = true" + (f", types = {{{spec}}})" if spec else ")"))


def execute(manifest_path: Path, project_dir: Path, database: Path, tables: dict,
            seed_overrides: dict[str, Path] | None = None) -> dict:
    """Run every seed, model and test of the compiled manifest in one connection to `database`."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes = ordered_nodes(manifest)
    timings = {"seed": 0.0, "model": 0.0, "test": 0.0}
    counts = {"seed": 0, "model": 0, "test": 0}
    failing_tests = []
    con = duckdb.connect(str(database))
    try:
        started = time.perf_counter()
        load_raw(con, tables)
        load_s = time.perf_counter() - started
        for schema in sorted({n["schema"] for n in nodes if n["resource_type"] != "test"}):
            con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        for node in nodes:
            kind, t0 = node["resource_type"], time.perf_counter()
            if kind == "seed":
                con.execute(_seed_sql(node, project_dir, seed_overrides or {}))
            elif kind == "model":
                materialized = node["config"].get("materialized")
                if materialized == "ephemeral":  # inlined into its dependants' compiled SQL
                    continue
                what = "VIEW" if materialized == "view" else "TABLE"
                con.execute(f"CREATE OR REPLACE {what} {node['relation_name']} AS {node['compiled_code']}")
            else:
                failures = con.execute(f"SELECT count(*) FROM ({node['compiled_code']}) AS t").fetchone()[0]
                if failures:
                    failing_tests.append((node["name"], failures))
            timings[kind] += time.perf_counter() - t0
            counts[kind] += 1
    finally:
        con.close()
    return {"load_raw_s": load_s, "seconds": timings, "counts": counts, "failing_tests": failing_tests}


def run_floor(raw_dir: Path, manifest_path: Path, project_dir: Path, workdir: Path,
              regions_dir: Path | None = None) -> dict:
    """Read every delivery, then execute the compiled project; timings in seconds."""
    started = time.perf_counter()
    tables = read_all(raw_dir, regions_dir)
    read_s = time.perf_counter() - started
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    database_name = next(n["database"] for n in manifest["nodes"].values() if n.get("database"))
    database = workdir / f"{database_name}.duckdb"
    database.unlink(missing_ok=True)
    overrides = {p.name: p for p in regions_dir.glob("*.csv")} if regions_dir else {}
    result = execute(manifest_path, project_dir, database, tables, overrides)
    result |= {"read_s": read_s, "rows_read": sum(f.height for f, _ in tables.values()),
               "tables": len(tables), "total_s": time.perf_counter() - started}
    return result
