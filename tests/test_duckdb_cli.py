"""Older clients (issue 14 item 3): the DuckDB 1.x command-line client from the package index
opens a warehouse written in storage version v1.5.0.

The CLI (PyPI package duckdb-cli, the newest 1.x) is installed once into .tools/ (git-ignored)
with the project's uv; it needs the package index the first time only. It opens the published
warehouse itself (runs publish it in v1.5.0, orchestration/publishing/), and a copy made by
write_compatible_copy of a file written in DuckDB 2.0's own format.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.publishing.storage import write_compatible_copy
from tests.helpers import ROOT, query

CLI_VERSION = "1.5.6"  # the newest duckdb-cli 1.x on the package index (checked 2026-11-30)
TOOL_DIR = ROOT / ".tools" / f"duckdb-cli-{CLI_VERSION}"


@pytest.fixture(scope="session")
def duckdb1() -> Path:
    exe = TOOL_DIR / "bin" / "duckdb"
    if not exe.exists():
        uv = ROOT / ".tools" / "bin" / "uv"
        subprocess.run([str(uv), "venv", "--quiet", "--python", sys.executable, str(TOOL_DIR)], check=True, timeout=300)
        subprocess.run([str(uv), "pip", "install", "--quiet", "--python", str(TOOL_DIR / "bin" / "python"),
                        f"duckdb-cli=={CLI_VERSION}"], check=True, timeout=600)
    done = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith(f"v{CLI_VERSION}"), done.stdout + done.stderr
    return exe


def cli(exe: Path, database: Path, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(exe), "-readonly", "-noheader", "-list", str(database), "-c", sql],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def compatible(built) -> Path:
    return built["warehouse"]  # the published file, as a run left it


def test_duckdb_1x_cli_reads_the_compatible_file(duckdb1, compatible, built):
    done = cli(duckdb1, compatible, "SELECT count(*) FROM marts.fct_target_tracking")
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) == query(built["warehouse"], "SELECT count(*) FROM marts.fct_target_tracking")[0][0]
    # the comments (zh/en column docs) and the raw views come along
    done = cli(duckdb1, compatible, "SELECT comment FROM duckdb_columns() WHERE schema_name = 'marts' "
                                    "AND table_name = 'fct_target_tracking' AND column_name = 'barometer_2020'")
    assert done.stdout.strip().startswith("晴雨表")
    count = "SELECT count(*) FROM raw.statistics__regional_gdp"
    assert int(cli(duckdb1, compatible, count).stdout.strip()) == query(built["warehouse"], count)[0][0]
    # 2020 city GDP at current prices, 874.0 亿元 (the plan's figure), read by the 1.x client
    done = cli(duckdb1, compatible, "SELECT gdp_current_100m_yuan FROM marts.fct_regional_gdp "
                                    "WHERE region_code = '150800' AND year = 2020")
    assert float(done.stdout.strip()) == pytest.approx(874.0)


def test_duckdb_1x_cli_cannot_read_the_2_0_format(duckdb1, tmp_path):
    """Why the storage version matters: a file duckdb 2.0 writes by default is refused by 1.x,
    the same table written with STORAGE_VERSION 'v1.5.0' is read."""
    plain, compatible = tmp_path / "plain.duckdb", tmp_path / "compatible.duckdb"
    con = duckdb.connect(str(plain))
    con.execute("CREATE TABLE t AS SELECT 42 AS answer")
    con.close()
    done = cli(duckdb1, plain, "SELECT answer FROM t")
    assert done.returncode != 0 and "version" in done.stderr.lower()
    write_compatible_copy(plain, compatible)
    assert cli(duckdb1, compatible, "SELECT answer FROM t").stdout.strip() == "42"


def test_compatible_copy_replaces_the_target_whole(built, tmp_path):
    target = tmp_path / "serve.duckdb"
    target.write_bytes(b"an older file")
    write_compatible_copy(built["warehouse"], target)
    assert target.read_bytes()[:16] != b"an older file"[:16]
    assert not list(tmp_path.glob(".serve.duckdb.incoming*"))  # nothing left beside it
    assert query(target, "SELECT count(*) FROM marts.dim_region") == [(8,)]  # the city and seven counties
