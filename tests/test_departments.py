"""Departments (issue 13 item 4): the catalog's lead and supporting lists resolved through the
reviewed seed department_aliases to canonical departments (市能源局 under 市发展和改革委员会),
the bridge to every target counted by hand from the catalog, and `bayannur departments`."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.departments import summarise
from tests.compiled import compile_models

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "transforms" / "seeds"
MODELS = ["int_indicator_departments_listed", "bridge_indicator_department", "dim_department"]


@pytest.fixture(scope="module")
def bridge(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """The department models compiled by dbt and run on the seeds as they are in the repository."""
    workdir = tmp_path_factory.mktemp("departments")
    models = compile_models(MODELS, workdir)
    con = duckdb.connect(str(workdir / "bayannur.duckdb"))
    seeds = {"indicator_catalog": SEEDS / "catalog" / "indicator_catalog.csv",
             "departments": SEEDS / "departments" / "departments.csv",
             "department_aliases": SEEDS / "departments" / "department_aliases.csv"}
    for schema in ("reference", "intermediate", "marts"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for name, path in seeds.items():
        con.execute(f"CREATE TABLE reference.{name} AS SELECT * FROM read_csv(?, all_varchar = true, header = true)",
                    [str(path)])
    # the bundled plan's catalog is dim_indicator here (no extra catalog directory)
    con.execute("CREATE VIEW marts.dim_indicator AS SELECT * FROM reference.indicator_catalog")
    for name in MODELS:  # parents first
        schema = "intermediate" if name.startswith("int_") else "marts"
        con.execute(f"CREATE TABLE {schema}.{name} AS {models[name]['sql']}")
    return con


def test_every_name_in_the_catalog_is_a_reviewed_department(bridge):
    unmapped = bridge.execute("SELECT DISTINCT name_as_written_zh FROM intermediate.int_indicator_departments_listed "
                              "WHERE department_id IS NULL").fetchall()
    assert unmapped == []
    # 63 targets, each with exactly one or two leads
    leads = dict(bridge.execute("SELECT indicator_id, count(*) FROM marts.bridge_indicator_department "
                                "WHERE role = 'lead' GROUP BY 1").fetchall())
    assert len(leads) == 63 and set(leads.values()) == {1, 2}


def test_lead_counts_by_hand(bridge):
    leads = dict(bridge.execute("SELECT department_id, count(*) FROM marts.bridge_indicator_department "
                                "WHERE role = 'lead' GROUP BY 1").fetchall())
    # counted in indicator_catalog.csv: 16 rows name 市发展和改革委员会（能源局）; 市发展和改革委员会 alone leads
    # energy_per_gdp, key_energy_users_management_centre and urban_sewage_collection_treatment (3) and
    # co-leads the 8 rows "市交通运输局、市发展和改革委员会" -> 11; 市交通运输局: 2 alone + the same 8 -> 10;
    # 市生态环境局: co2_per_gdp, low-carbon pilots, three coal-boiler targets -> 5
    assert (leads["energy_bureau"], leads["ndrc"], leads["transport"], leads["ecology_environment"]) == (16, 11, 10, 5)
    # the commission and its bureau are one tree, not two departments: 11 + 16 = 27 rolled up
    rolled = bridge.execute("SELECT count(DISTINCT b.indicator_id) FROM marts.bridge_indicator_department b "
                            "JOIN marts.dim_department d USING (department_id) "
                            "WHERE b.role = 'lead' AND d.rollup_department_id = 'ndrc'").fetchone()[0]
    assert rolled == 27
    assert bridge.execute("SELECT parent_department_id, name_zh FROM marts.dim_department "
                          "WHERE department_id = 'energy_bureau'").fetchone() == ("ndrc", "市能源局")


def test_supporting_lists_by_hand(bridge):
    supporting = [r[0] for r in bridge.execute(
        "SELECT department_id FROM marts.bridge_indicator_department WHERE indicator_id = 'energy_per_gdp' "
        "AND role = 'supporting' ORDER BY department_id").fetchall()]
    # 工业和信息化局、生态环境局、市场监督管理局、交通运输局、住房和城乡建设局、农牧局、商务局、机关事务服务中心
    assert supporting == sorted(["miit", "ecology_environment", "market_regulation", "transport", "housing",
                                 "agriculture", "commerce", "government_offices"])
    # the only catalog row naming 应急管理局 (weather-related adaptation), and 供电公司 as an enterprise
    with open(SEEDS / "catalog" / "indicator_catalog.csv", encoding="utf-8") as f:
        emergency = [r["indicator_id"] for r in csv.DictReader(f) if "应急管理局" in r["supporting_departments_zh"]]
    assert [r[0] for r in bridge.execute("SELECT indicator_id FROM marts.bridge_indicator_department "
                                         "WHERE department_id = 'emergency'").fetchall()] == emergency
    assert len(emergency) == 1


def _row(dep, parent, role, ind, status):
    return {"department_id": dep, "name_zh": dep, "name_en": dep, "parent_department_id": parent,
            "rollup_department_id": parent or dep, "role": role, "indicator_id": ind, "region_code": "150800",
            "official_status": status}


def test_the_roll_up_counts_a_bureaus_targets_once_under_its_commission():
    rows = [_row("ndrc", None, "lead", "a", "green"), _row("ndrc", None, "supporting", "b", "red"),
            _row("energy_bureau", "ndrc", "lead", "b", "red"), _row("energy_bureau", "ndrc", "lead", "c", "yellow"),
            _row("transport", None, "lead", "a", "green")]
    own, rolled = summarise(rows), summarise(rows, rolled_up=True)
    assert (own["ndrc"].lead_targets, own["energy_bureau"].lead_targets) == ({"a"}, {"b", "c"})
    assert rolled["ndrc"].lead_targets == {"a", "b", "c"}  # b is led by the bureau: counted once, as lead
    assert rolled["ndrc"].lead_status == {"green": 1, "yellow": 1, "red": 1, "not_available": 0}
    assert "energy_bureau" not in rolled and rolled["transport"].lead_targets == {"a"}


def test_bayannur_departments_lists_each_department(built):
    import os

    env = os.environ | {"BAYANNUR_WAREHOUSE": str(built["warehouse"])}
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", "departments", "--department", "ndrc"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "市发展和改革委员会 [ndrc]：牵头11项" in done.stdout
    assert "含下属单位合计：牵头27项"  # 11 + 16 in done.stdout
    assert "市能源局 [energy_bureau]（隶属市发展和改革委员会）：牵头16项" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "orchestration.cli", "departments", "--department", "nope"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "没有部门“nope”" in bad.stderr
