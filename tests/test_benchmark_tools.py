"""The benchmark tools of issue 15 on tiny sizes: the synthetic generator, the floor runner, the
process measurement. (The benchmarks themselves run the pipeline: `python -m scripts.benchmark`.)"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
import yaml

from scripts.benchmark import compat, procs
from scripts.benchmark.floor import execute, ordered_nodes
from scripts.synthetic.generate import _years, generate
from scripts.synthetic.tree import build_tree
from scripts.synthetic.writer import Writer, _running_total


@pytest.fixture(scope="module")
def tiny_load(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    generate(out, counties=3, years=2, energy_users=20, seed=7, project_tree=False)
    return out


def _parse_all(load: Path) -> dict[str, pl.DataFrame]:
    raw = load / "raw"
    frames: dict[str, list[pl.DataFrame]] = {}
    with compat.region_tree_from(load / "regions"):
        for contract in compat.load_contracts():
            for path, year in compat.deliveries(contract, raw):
                frames.setdefault(contract.table, []).append(compat.read_delivery(contract, path, year, raw))
    return {t: pl.concat(fs, how="diagonal_relaxed") for t, fs in frames.items()}


def test_tree_has_the_asked_number_of_counties_in_gb_t_2260_shape():
    tree = build_tree(3, seed=7)
    counties = tree.filter(pl.col("level") == "county")
    assert counties.height == 3
    assert tree.filter(pl.col("level") == "city").height == 1  # 3 counties fit in the first city (4-14 each)
    assert tree.filter(pl.col("level") == "province").height == 1
    city = tree.filter(pl.col("level") == "city")["region_code"][0]
    province = tree.filter(pl.col("level") == "province")["region_code"][0]
    assert province.endswith("0000") and city.endswith("00") and city[:2] == province[:2]
    assert all(c[:4] == city[:4] and not c.endswith("00") for c in counties["region_code"])
    assert set(counties["parent_code"]) == {city}
    assert all(n.startswith("Synthetic ") for n in tree["name_en"])
    # Without province rows (as the project's seed is today) the city still names its province.
    flat = build_tree(3, seed=7, provinces=False)
    assert sorted(flat["level"]) == ["city", "county", "county", "county"]
    assert flat.filter(pl.col("level") == "city")["parent_code"][0] == province


def test_tree_embeds_the_project_tree_and_is_reproducible():
    base = compat.region_tree()
    wanted = base.filter(pl.col("level") == "county").height + 40
    tree = build_tree(wanted, seed=3, base=base)
    assert tree.filter(pl.col("level") == "county").height == wanted
    assert set(base["region_code"]) <= set(tree["region_code"])
    assert tree["region_code"].n_unique() == tree.height and tree["name_zh"].n_unique() == tree.height
    assert tree.equals(build_tree(wanted, seed=3, base=base))
    assert not tree.equals(build_tree(wanted, seed=4, base=base))


def test_every_generated_delivery_passes_its_contract(tiny_load):
    frames = _parse_all(tiny_load)
    meta = yaml.safe_load((tiny_load / "SYNTHETIC.yml").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["seed"] == 7
    assert set(meta["generated"]) <= set(frames)
    tree = pl.read_csv(tiny_load / "regions" / "regions.csv", infer_schema=False)
    counties = set(tree.filter(pl.col("level") == "county")["region_code"])
    city = tree.filter(pl.col("level") == "city")["region_code"][0]
    gdp = frames["statistics__regional_gdp"]
    # 3 counties + their city's total row, for each of the 2 years: 8 rows.
    assert gdp.height == 8
    assert set(gdp["region_code"]) == counties | {city}
    # 2 years ending at the sample's last year of regional GDP (raw/statistics/regional_gdp_2024.xlsx).
    assert sorted(set(gdp["year"])) == [2023, 2024]
    # The city row is the sum of its counties (amounts are scaled copies of sample counties).
    for year in (2023, 2024):
        rows = gdp.filter(pl.col("year") == year)
        county_sum = rows.filter(pl.col("region_code") != city)["gdp_current_100m_yuan"].sum()
        assert rows.filter(pl.col("region_code") == city)["gdp_current_100m_yuan"][0] == pytest.approx(county_sum, rel=1e-6)
    users = frames["energy__key_energy_users"]
    assert users.height == 40  # 20 units a year, 2 years
    assert users["unit_name"].n_unique() == 20 and set(users["region_code"]) <= counties
    assert set(users["status"]) == {"illustrative"}


def test_every_generated_delivery_passes_its_suite(tiny_load):
    frames = _parse_all(tiny_load)
    meta = yaml.safe_load((tiny_load / "SYNTHETIC.yml").read_text(encoding="utf-8"))
    contracts = {c.table: c for c in compat.load_contracts()}
    with compat.region_tree_from(tiny_load / "regions"):
        failed = {t: compat.validate(frames[t], contracts[t].suite_path).problems[:3] for t in meta["generated"]}
    assert {t: p for t, p in failed.items() if p} == {}
    # Afforestation's suite starts later than the tracked years: its 2 years lie inside its range
    # and end at the sample's last year (raw/forestry/afforestation_2024.xlsx).
    assert sorted(set(frames["forestry__afforestation"]["year"])) == [2023, 2024]


def test_years_stay_inside_the_suite_range_and_end_with_the_sample():
    # 10 years ending at the sample's 2024 fit in 2015-2030: 2015..2024.
    assert _years(10, None, (2015, 2030), [2020, 2024]) == list(range(2015, 2025))
    # A suite from 2021: ending at 2024 would start in 2015, so 2021..2030 instead.
    assert _years(10, None, (2021, 2030), [2021, 2024]) == list(range(2021, 2031))
    assert _years(3, None, (2015, 2030), [2020, 2024]) == [2022, 2023, 2024]
    # More years than the range holds: the whole range (2021..2030, 10 years).
    assert _years(20, None, (2021, 2030), [2021]) == list(range(2021, 2031))
    # An explicit first year before the range moves into it.
    assert _years(2, 2010, (2015, 2030), []) == [2015, 2016]


def _writer(tmp_path, tree_rows):
    tree = pl.DataFrame(tree_rows, schema={c: pl.String for c in compat.REGION_COLUMNS}, orient="row")
    return Writer(tmp_path, tree, seed=1)


def test_county_factor_is_fitted_to_the_suite_bounds(tmp_path):
    w = _writer(tmp_path, [("110000", "甲省", "p", "province", None), ("110100", "乙市", "c", "city", "110000"),
                           ("110101", "丙区", "x", "county", "110100")])
    numbers = {"area_10k_mu": {"name": "area_10k_mu", "unit": "万亩"}, "share_pct": {"name": "share_pct", "unit": "%"}}
    records = [{"area_10k_mu": 120.0, "share_pct": 99.0}, {"area_10k_mu": 80.0, "share_pct": 10.0}]
    limits = {"area_10k_mu": (10, 300), "share_pct": (0, 100)}
    w.factor["110101"] = 3.0  # 120 * 3 = 360 > 300: at most 300 / 120 = 2.5
    assert w._fitted("110101", records, numbers, limits) == pytest.approx(2.5)
    w.factor["110101"] = 0.05  # 80 * 0.05 = 4 < 10: at least 10 / 80 = 0.125
    assert w._fitted("110101", records, numbers, limits) == pytest.approx(0.125)
    w.factor["110101"] = 1.7  # inside: kept (shares are not scaled, so 99 % does not bound it)
    assert w._fitted("110101", records, numbers, limits) == pytest.approx(1.7)


def test_city_counties_scaled_together_when_their_total_passes_a_maximum(tmp_path):
    w = _writer(tmp_path, [("110100", "乙市", "c", "city", "110000"), ("110101", "丙区", "x", "county", "110100"),
                           ("110102", "丁区", "y", "county", "110100")])
    spec = {"key": ["year", "region_code"], "plausibility": {}}
    numbers = {"area_10k_mu": {"name": "area_10k_mu", "unit": "万亩"}, "site_count": {"name": "site_count", "unit": "个"}}
    rows = {2024: [{"region_code": "110101", "year": 2024, "area_10k_mu": 60.0, "site_count": 3},
                   {"region_code": "110102", "year": 2024, "area_10k_mu": 60.0, "site_count": 4}]}
    w._fit_cities(rows, "region_code", numbers, spec, {"area_10k_mu": (0, 100), "site_count": (0, 5)})
    # Totals 120 > 100 and 7 > 5: scale min(0.95 * 100 / 120, 0.95 * 5 / 7) = 0.95 * 5 / 7 = 0.678571...
    # areas 60 * 0.678571 = 40.714 each; counts round(3 * 0.678571 = 2.04) = 2, round(4 * 0.678571 = 2.71) = 3.
    got = {r["region_code"]: (r["area_10k_mu"], r["site_count"]) for r in rows[2024]}
    assert got["110101"][0] == pytest.approx(60 * 0.95 * 5 / 7) and got["110102"][0] == pytest.approx(60 * 0.95 * 5 / 7)
    assert (got["110101"][1], got["110102"][1]) == (2, 3)
    total = w._city_totals(rows[2024], "region_code", numbers, spec, 2024)
    assert total == [{"region_code": "110100", "area_10k_mu": pytest.approx(81.43, abs=0.01), "site_count": 5, "year": 2024}]


def test_running_total_grows_by_its_increment():
    rows = {2022: [{"r": "A", "cum": 10.0, "new": 1.0}, {"r": "B", "cum": None, "new": 5.0}],
            2023: [{"r": "A", "cum": None, "new": 2.0}, {"r": "B", "cum": None, "new": 5.0}],
            2024: [{"r": "A", "cum": 20.0, "new": None}, {"r": "B", "cum": None, "new": 5.0}]}
    _running_total(rows, ["r"], "cum", "new")
    # A: 2024 keeps 20 with its empty increment as 0; 2023 = 20 - 0 = 20 (new 2); 2022 = 20 - 2 = 18 (new 1).
    assert [(rows[y][0]["cum"], rows[y][0]["new"]) for y in (2022, 2023, 2024)] == [(18.0, 1.0), (20.0, 2.0), (20.0, 0.0)]
    # B has no total in any year: no increment either (its city would add increments to no total).
    assert [rows[y][1]["new"] for y in (2022, 2023, 2024)] == [None, None, None]


def test_provenance_is_flagged_synthetic_with_the_files_sha256(tiny_load):
    provenances = sorted((tiny_load / "raw").glob("*/*.provenance.yml"))
    generated = [p for p in provenances if yaml.safe_load(p.read_text(encoding="utf-8")).get("synthetic")]
    assert generated
    for prov in generated:
        spec = yaml.safe_load(prov.read_text(encoding="utf-8"))
        delivery = prov.with_name(prov.name.removesuffix(".provenance.yml"))
        assert spec["sha256"] == hashlib.sha256(delivery.read_bytes()).hexdigest()
        assert spec["status"] == "illustrative" and spec["seed"] == 7 and "synthetic" in spec["citation"]


def test_floor_executes_seeds_models_and_tests_in_dependency_order(tmp_path):
    seed_csv = tmp_path / "codes.csv"
    seed_csv.write_text("code,factor\n001,2\n002,3\n", encoding="utf-8")
    rel = lambda schema, name: f'"floor"."{schema}"."{name}"'  # noqa: E731
    nodes = {  # listed out of order on purpose
        "test.t_fails": {"resource_type": "test", "name": "t_fails", "schema": "x", "depends_on": {"nodes": ["model.m_table"]},
                         "compiled_code": f"select * from {rel('marts', 'm_table')} where value > 5"},
        "model.m_table": {"resource_type": "model", "name": "m_table", "schema": "marts", "relation_name": rel("marts", "m_table"),
                          "config": {"materialized": "table"}, "depends_on": {"nodes": ["model.m_view"]},
                          "compiled_code": f"select code, amount * factor as value from {rel('staging', 'm_view')}"},
        "model.m_view": {"resource_type": "model", "name": "m_view", "schema": "staging", "relation_name": rel("staging", "m_view"),
                         "config": {"materialized": "view"}, "depends_on": {"nodes": ["seed.codes"]},
                         "compiled_code": f"select r.code, r.amount, s.factor from raw.things r join {rel('reference', 'codes')} s using (code)"},
        "seed.codes": {"resource_type": "seed", "name": "codes", "schema": "reference", "relation_name": rel("reference", "codes"),
                       "config": {"column_types": {"code": "varchar"}}, "original_file_path": seed_csv.name},
        "test.t_passes": {"resource_type": "test", "name": "t_passes", "schema": "x", "depends_on": {"nodes": ["model.m_view"]},
                          "compiled_code": f"select * from {rel('staging', 'm_view')} where amount is null"},
    }
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": nodes}), encoding="utf-8")
    order = [n["name"] for n in ordered_nodes({"nodes": nodes})]
    assert order.index("codes") < order.index("m_view") < order.index("m_table") < order.index("t_fails")
    things = pl.DataFrame({"code": ["001", "002", "001"], "amount": [1.0, 2.0, 3.0], "_source_file": ["a", "a", "b"],
                           "_vintage": [None, None, None]}, schema_overrides={"_vintage": pl.Date})
    # key (code): the latest vintage per code is kept; ties fall to the later file name ("b" over "a").
    result = execute(manifest, tmp_path, tmp_path / "floor.duckdb", {"things": (things, ("code",))})
    assert result["counts"] == {"seed": 1, "model": 2, "test": 2}
    # rows left: 001 -> 3.0 (file b), 002 -> 2.0; values 3*2 = 6 and 2*3 = 6, both > 5: two failing rows.
    assert result["failing_tests"] == [("t_fails", 2)]
    with duckdb.connect(str(tmp_path / "floor.duckdb"), read_only=True) as con:
        assert con.execute("select table_type from information_schema.tables where table_name = 'm_view'").fetchone()[0] == "VIEW"
        assert sorted(con.execute("select code, value from marts.m_table").fetchall()) == [("001", 6.0), ("002", 6.0)]


def test_measured_process_reports_its_memory_and_exit(tmp_path):
    # A child holding 200 MB of bytes: its peak RSS is at least that.
    code = "import time; b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); time.sleep(0.6)"
    m = procs.run([sys.executable, "-c", code], {}, tmp_path)
    assert m.returncode == 0
    assert m.max_rss_bytes >= 200 * 1024 * 1024
    assert m.tree_peak_bytes is None or m.tree_peak_bytes >= 200 * 1024 * 1024
    assert procs.run([sys.executable, "-c", "raise SystemExit(3)"], {}, tmp_path).returncode == 3


def test_tuned_run_sets_sqlite_synchronous_and_can_be_undone(tmp_path):
    import sqlalchemy
    from sqlalchemy.engine import Engine

    from scripts.benchmark.tuned_run import relax

    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'events.db'}", poolclass=sqlalchemy.pool.NullPool)
    listener = relax("NORMAL")
    try:
        with engine.connect() as con:  # SQLite: 2 = FULL (its default), 1 = NORMAL
            assert con.exec_driver_sql("PRAGMA synchronous").scalar() == 1
    finally:
        sqlalchemy.event.remove(Engine, "connect", listener)
    with engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_memory_table_attributes_samples_to_the_step_running_and_sums_the_tree():
    from scripts.benchmark.memory import GB, table

    # Two steps: raw__a from t=10 to 20, dbt_models from 20.5 to 30; samples before, in and after.
    spans = [("raw__a", 10.0, 20.0), ("dbt_models", 20.5, 30.0)]
    samples = [(5.0, {"run": 1 * GB}, 0),
               (12.0, {"run": 2 * GB, "suite worker": 1 * GB}, 2 * GB),  # tree 3 GB
               (15.0, {"run": 1 * GB, "suite worker": 2 * GB / 4}, 0),   # tree 1.5 GB: not the peak
               (25.0, {"run": 1 * GB, "dbt": 3 * GB / 2}, GB)]           # tree 2.5 GB
    lines = table(samples, spans)
    # "raw__a (ingestion)": run 2.00, worker 1.00 (peaks of each process), tree 3.00 at 12 - 5 = 7 s
    assert "raw__* (ingestion)                           run              2.00 GB" in lines
    assert "raw__* (ingestion)                           suite worker     1.00 GB" in lines
    assert any(line.startswith("raw__* (ingestion)") and "TREE" in line and "3.00 GB  (at 7 s: run 2.00, suite worker 1.00; PSS peak 2.00 GB)" in line
               for line in lines)
    assert any(line.startswith("dbt_models") and "dbt" in line and "1.50 GB" in line for line in lines)
    assert any(line.startswith("outside steps") and "TREE" in line and "1.00 GB" in line for line in lines)
