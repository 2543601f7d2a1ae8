"""End to end: `bayannur run` on the sample deliveries in a temporary directory, twice.

Expected figures are computed by hand from the published values, never read from the code.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from tests.helpers import DATASETS, query, redeliver, run_pipeline, snapshot

CITY = "150800"


def city_row(built, year):
    rows = query(built["warehouse"],
                 "SELECT gdp_current_100m_yuan, real_growth_pct, gdp_constant_100m_yuan, status, "
                 "source_file, source_sheet, source_row FROM marts.fct_regional_gdp "
                 "WHERE region_code = ? AND year = ? AND price_base_year = 2020", [CITY, year])
    assert len(rows) == 1
    return rows[0]


def test_run_prints_a_summary(built):
    out = built["first"].stdout
    assert "succeeded" in out
    assert re.search(r"marts\.fct_regional_gdp +80 rows, years 2015-2024", out)


@pytest.fixture(scope="module")
def second(built) -> dict:
    """`bayannur run` again on this worker's copy, nothing changed: its output and snapshot."""
    done = run_pipeline(built["raw"], built["warehouse"], built["dagster_home"])
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return {"run": done, "snap": snapshot(built["warehouse"])}


def test_second_run_leaves_marts_identical(built, second):
    assert built["snap1"] == second["snap"]
    raw_tables = {f"raw.{s}__{d}" for s, datasets in DATASETS.items() for d in datasets}
    vintages = {t.replace("raw.", "raw_vintages.") for t in raw_tables}
    marts = {"marts.dim_region", "marts.dim_plan", "marts.dim_indicator", "marts.fct_regional_gdp", "marts.fct_energy_carbon",
             "marts.fct_indicator_value", "marts.fct_target_tracking", "marts.dim_department",
             "marts.bridge_indicator_department", "marts.fct_department_targets", "marts.fct_target_context",
             "marts.fct_co2_sensitivity", "marts.fct_final_evaluation"}
    assert set(built["snap1"]) == marts | raw_tables | vintages


def test_second_run_keeps_the_docs_page(second):
    # the same dbt project (same manifest) as the first run, which wrote the page (test_serving.py)
    log = Path(re.search(r"full log: (\S+)", second["run"].stdout).group(1)).read_text(encoding="utf-8")
    assert "dbt docs: the project is unchanged" in log


def test_2020_constant_price_gdp_equals_current(built):
    cur, growth, const, status, *_ = city_row(built, 2020)
    assert (cur, growth, const) == (pytest.approx(874.0), pytest.approx(-1.5), pytest.approx(874.0))
    # the bulletin's preliminary row (初步核算) is revised by the plan's structure: the latest vintage
    assert status == "final"


def test_marts_show_the_revised_2020_structure(built):
    rows = query(built["warehouse"], "SELECT gdp_primary_100m_yuan, gdp_secondary_100m_yuan, gdp_tertiary_100m_yuan "
                 "FROM staging.stg_statistics__regional_gdp WHERE region_code = ? AND year = 2020", [CITY])
    assert rows == [(223.2, 258.2, 392.6)]  # 25.5 : 29.5 : 44.9 of 874.0 (the plan), not 221.5 / 256.6 / 395.9
    *_, source_file, _, _ = city_row(built, 2020)
    assert source_file == "statistics/regional_gdp_2020_rev1.xlsx"


def test_2021_city_gdp_at_2020_prices(built):
    cur, growth, const, status, *_ = city_row(built, 2021)
    assert cur == pytest.approx(982.7)
    assert growth == pytest.approx(4.3)
    assert round(const, 2) == 911.58  # 874.0 x 1.043


def test_nominal_growth_does_not_leak_into_constant_prices(built):
    cur20, _, const20, *_ = city_row(built, 2020)
    cur21, _, const21, *_ = city_row(built, 2021)
    assert cur21 / cur20 - 1 == pytest.approx(0.12437, abs=1e-5)  # 982.7 / 874.0 - 1: nominal
    assert const21 / const20 - 1 == pytest.approx(0.043, abs=1e-12)  # real


def test_chain_links_over_several_years(built):
    # 2022: 874.0 x 1.043 x 1.040 = 948.04528 (2022 growth is illustrative)
    _, _, const, status, *_ = city_row(built, 2022)
    assert const == pytest.approx(948.04528, abs=1e-9)
    assert status == "illustrative"


def test_county_chain_uses_its_own_index(built):
    # 临河区 (illustrative): 2020 288.4亿元, 2021 index 104.6 -> 288.4 x 1.046 = 301.6664
    (const,) = query(built["warehouse"], "SELECT gdp_constant_100m_yuan FROM marts.fct_regional_gdp "
                     "WHERE region_code = '150802' AND year = 2021 AND price_base_year = 2020")[0]
    assert const == pytest.approx(301.6664, abs=1e-9)


def test_status_marks_county_rows_illustrative(built):
    rows = dict(query(built["warehouse"], "SELECT region_code, status FROM marts.fct_regional_gdp WHERE year = 2021"))
    assert rows.pop(CITY) == "preliminary"
    assert set(rows.values()) == {"illustrative"} and len(rows) == 7


def test_rows_trace_back_to_file_sheet_row(built):
    *_, source_file, sheet, row = city_row(built, 2021)
    assert (source_file, sheet, row) == ("statistics/regional_gdp_2021.xlsx", "地区生产总值", 5)
    raw = query(built["warehouse"], "SELECT _source_file, _source_sha256, _source_sheet, _source_row, _loaded_at "
                "FROM raw.statistics__regional_gdp WHERE region_code = ? AND year = 2021", [CITY])[0]
    delivered = built["raw"] / "statistics" / "regional_gdp_2021.xlsx"
    assert raw[1] == hashlib.sha256(delivered.read_bytes()).hexdigest()
    assert raw[1] == yaml.safe_load(delivered.with_name(delivered.name + ".provenance.yml").read_text())["sha256"]
    assert raw[4] is not None


def test_dim_region_has_the_eight_units(built):
    rows = query(built["warehouse"], "SELECT region_code, name_zh, name_en, level, parent_code FROM marts.dim_region ORDER BY 1")
    assert len(rows) == 8
    assert rows[0] == ("150800", "巴彦淖尔市", "Bayannur City", "city", "150000")
    assert ("150826", "杭锦后旗", "Hanggin Rear Banner", "county", "150800") in rows
    assert {r[4] for r in rows[1:]} == {"150800"}


def run_delivery(built, delivery: str) -> str:
    """`bayannur run --delivery` on the session's warehouse, which must succeed; its output."""
    done = run_pipeline(built["raw"], built["warehouse"], built["dagster_home"], "--delivery", delivery)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "succeeded" in done.stdout
    return done.stdout


def assets_materialised(out: str) -> int:
    return int(re.search(r"succeeded in [\d.]+ s: (\d+) assets materialised", out).group(1))


def test_one_delivery_runs_only_what_depends_on_it(built):
    """`bayannur run --delivery FILE`: that table is reloaded and what is downstream rebuilt; the other
    raw tables are not touched."""
    loaded_at = "SELECT max(_loaded_at) FROM raw.{}"
    before_transport = query(built["warehouse"], loaded_at.format("transport__mode_share"))
    path = built["raw"] / "statistics" / "regional_gdp_2024.xlsx"
    original, prov = path.read_bytes(), path.with_name(path.name + ".provenance.yml")
    original_prov = prov.read_bytes()
    def constant(year):
        return query(built["warehouse"], "SELECT gdp_constant_100m_yuan FROM marts.fct_regional_gdp "
                     "WHERE region_code = ? AND year = ? AND price_base_year = 2020", [CITY, year])[0][0]

    # the sample's 2024 delivery: index 105.2 (previous year = 100), so 2024 = 2023 x 1.052
    assert constant(2024) / constant(2023) == pytest.approx(1.052, abs=1e-12)
    try:
        # a corrected index re-sent (F5: 地区生产总值指数): 105.3
        redeliver(path, lambda ws: ws.__setitem__("F5", 105.3))
        out = run_delivery(built, "statistics/regional_gdp_2024.xlsx")
        assert "Materialising raw/statistics/regional_gdp_2024.xlsx (statistics__regional_gdp, 2024)" in out
        # The suites' worker started with the run (great-expectations imported beside Dagster's
        # import): one small workbook's suite runs there too, not in the step after an import.
        log = Path(re.search(r"full log: (\S+)", out).group(1)).read_text(encoding="utf-8")
        assert "great-expectations runs the suites in a worker process" in log
        assert assets_materialised(out) < assets_materialised(built["first"].stdout)
        assert constant(2024) / constant(2023) == pytest.approx(1.053, abs=1e-12)
        assert query(built["warehouse"], loaded_at.format("transport__mode_share")) == before_transport
    finally:
        path.write_bytes(original)
        prov.write_bytes(original_prov)
    run_delivery(built, "statistics/regional_gdp_2024.xlsx")
    assert snapshot(built["warehouse"]) == built["snap1"]


def test_delivery_that_no_contract_reads_is_refused_in_one_line(built):
    done = run_pipeline(built["raw"], built["warehouse"], built["dagster_home"], "--delivery", "statistics/nope.xlsx")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("bayannur run: --delivery statistics/nope.xlsx: not a delivery under")


def test_bad_delivery_fails_the_run_and_changes_nothing(built, tmp_path):
    """Run last in this module: a text in a numeric cell of 2022 fails the run; nothing is published
    (write-audit-publish): no source's load time moves on, the marts are not rebuilt."""
    before = snapshot(built["warehouse"])
    loaded_at = "SELECT max(_loaded_at) FROM raw.{}"
    before_transport = query(built["warehouse"], loaded_at.format("transport__mode_share"))
    before_statistics = query(built["warehouse"], loaded_at.format("statistics__regional_gdp"))
    path = built["raw"] / "statistics" / "regional_gdp_2022.xlsx"
    original, prov = path.read_bytes(), path.with_name(path.name + ".provenance.yml")
    original_prov = prov.read_bytes()
    try:
        redeliver(path, lambda ws: ws.__setitem__("D7", "12x.5"))
        result = run_pipeline(built["raw"], built["warehouse"], built["dagster_home"])
        assert result.returncode == 1
        out = result.stdout + result.stderr
        assert "statistics/regional_gdp_2022.xlsx, sheet '地区生产总值', row 7, column D (地区生产总值/第二产业): '12x.5' is not a number" in out
        assert "Nothing was published: bayannur.duckdb is as the last successful run left it" in out
        assert snapshot(built["warehouse"]) == before
        assert query(built["warehouse"], loaded_at.format("transport__mode_share")) == before_transport
        assert query(built["warehouse"], loaded_at.format("statistics__regional_gdp")) == before_statistics
        # one line to act on: the asset, the file, the cell, the problem and the fix
        (line,) = [x for x in result.stdout.splitlines() if x.strip().startswith("FAILED")]
        assert line.strip().startswith("FAILED raw/statistics__regional_gdp: statistics/regional_gdp_2022.xlsx, "
                                       "sheet '地区生产总值', row 7, column D")
        assert line.endswith("then `bayannur run --years 2022` (every problem: audit.rejected_deliveries)")
    finally:
        path.write_bytes(original)
        prov.write_bytes(original_prov)
    # After the fix a rerun of that delivery completes, and the warehouse is as before the bad delivery.
    run_delivery(built, "statistics/regional_gdp_2022.xlsx")
    assert snapshot(built["warehouse"]) == before
