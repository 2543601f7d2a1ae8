"""Plans as data (issue 11): a second plan tracked beside the bundled one, with no code change.

tests/fixtures/plan_15th/ holds an ILLUSTRATIVE 2026-2030 plan (catalog/plans.csv,
catalog/indicator_catalog.csv: five targets of different forms), an illustrative county
decomposition of the 14th plan (catalog/county_targets.csv) and revised deliveries carrying
2025-2027 (raw/: grassland, weather service, utilisation rates; the earlier rows as delivered).
The pipeline runs once on a copy of raw/ with those files laid over it and with
BAYANNUR_EXTRA_CATALOG_DIR naming the fixture catalog: the data-only way to add plan, catalog and
county-target rows (macros/catalog.sql; orchestration/plans.py reads the same file for the years).
Every expected value is worked out by hand from the fixture files.
"""

from __future__ import annotations

import os
import shutil

import pytest

from orchestration.plans import Plan, load_plans, tracked_years
from tests.helpers import ROOT, copy_raw, query, run_pipeline

FIXTURE = ROOT / "tests" / "fixtures" / "plan_15th"
TRACKING = "marts.fct_target_tracking"
SECOND = "sample_climate_15th"


@pytest.fixture(scope="module")
def side_by_side(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("plans")
    raw = copy_raw(base / "raw")
    shutil.copytree(FIXTURE / "raw", raw, dirs_exist_ok=True)  # the revised deliveries replace the originals
    warehouse = base / "warehouse" / "bayannur.duckdb"
    before = os.environ.get("BAYANNUR_EXTRA_CATALOG_DIR")
    os.environ["BAYANNUR_EXTRA_CATALOG_DIR"] = str(FIXTURE / "catalog")
    try:
        done = run_pipeline(raw, warehouse, base / "dagster_home")
    finally:
        if before is None:
            del os.environ["BAYANNUR_EXTRA_CATALOG_DIR"]
        else:
            os.environ["BAYANNUR_EXTRA_CATALOG_DIR"] = before
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return {"warehouse": warehouse, "stdout": done.stdout}


def row(env, plan_id: str, indicator_id: str, year: int, region: str = "150800") -> dict:
    import duckdb

    con = duckdb.connect(str(env["warehouse"]), read_only=True)
    try:
        cur = con.execute(f"SELECT * FROM {TRACKING} WHERE plan_id = ? AND indicator_id = ? AND year = ? AND region_code = ?",
                          [plan_id, indicator_id, year, region])
        rows = cur.fetchall()
        assert len(rows) == 1, (plan_id, indicator_id, year, region, rows)
        return dict(zip([d[0] for d in cur.description], rows[0]))
    finally:
        con.close()


def approx(x):
    return pytest.approx(x, rel=1e-9, abs=1e-9)


def test_years_follow_the_plans(monkeypatch):
    # 14th plan (base 2020, 2021-2025): from the previous period's base 2015 to 2030, the end of the
    # following period; with the 2026-2030 plan (base 2025) the range runs to 2035
    fourteenth = Plan("p14", "150800", 2020, 2021, 2025, 2020, "published")
    assert tracked_years([fourteenth]) == list(range(2015, 2031))
    monkeypatch.setenv("BAYANNUR_EXTRA_CATALOG_DIR", str(FIXTURE / "catalog"))
    plans = load_plans(ROOT / "transforms" / "seeds")
    assert [(p.plan_id, p.base_year, p.last_year, p.price_base_year) for p in plans] == [
        ("bayannur_climate_14th", 2020, 2025, 2020), (SECOND, 2025, 2030, 2025)]
    assert tracked_years(plans) == list(range(2015, 2036))


def test_both_plans_side_by_side(side_by_side):
    plans = query(side_by_side["warehouse"], "SELECT plan_id, base_year, first_year, last_year, mid_term_year, "
                  "price_base_year, status FROM marts.dim_plan ORDER BY plan_id")
    assert plans == [("bayannur_climate_14th", 2020, 2021, 2025, 2023, 2020, "published"),
                     (SECOND, 2025, 2026, 2030, 2028, 2025, "illustrative")]
    # second plan: four targets over 2026-2030 (5 rows each) and one due in 2027 (2 rows) = 22
    counts = dict(query(side_by_side["warehouse"], f"SELECT plan_id, count(*) FROM {TRACKING} GROUP BY 1"))
    assert counts[SECOND] == 4 * 5 + 2
    # the 14th plan: 63 targets, 5 years, each_county ones in 7 counties, plus the two county targets
    assert query(side_by_side["warehouse"], f"SELECT count(DISTINCT year), min(year), max(year) FROM {TRACKING} "
                 "WHERE plan_id = 'bayannur_climate_14th' AND target_origin NOT LIKE 'county_targets%'") == [(5, 2021, 2025)]
    # the 2026-2027 deliveries were loaded: the tracked years reach past 2025
    assert query(side_by_side["warehouse"], "SELECT value FROM marts.fct_indicator_value "
                 "WHERE indicator_id = 'weather_service_coverage' AND year = 2027") == [(96.0,)]


def test_final_verdict_completed_14th_weather_2025(side_by_side):
    # weather_service.csv: 94.5 (2024), 95.0 (2025); 达到95: met exactly in the final year -> 完成
    r = row(side_by_side, "bayannur_climate_14th", "weather_service_coverage", 2025)
    assert (r["evaluation_stage"], r["is_met"], r["first_met_year"]) == ("final", True, 2025)
    assert (r["final_verdict"], r["final_verdict_zh"]) == ("completed", "完成")
    assert r["required_value"] == approx(95.0)  # 92 + (95 - 92) x 5/5
    assert (r["projected_value"], r["required_per_remaining_year"]) == (None, None)  # no projection


def test_hold_dip_below_and_final_verdict_not_completed_14th_grassland_2025(side_by_side):
    # grassland.csv: 28.4 (2024), 27.8 (2025); 稳定在28: below 28 is not met, no 10 % band -> 未完成
    r = row(side_by_side, "bayannur_climate_14th", "grassland_vegetation_cover", 2025)
    assert (r["actual_value"], r["is_met"], r["consecutive_years_met"]) == (27.8, False, 0)
    assert (r["official_status"], r["official_rule"]) == ("red", "plan wording: hold")
    assert (r["barometer_2020"], r["barometer_2021"]) == ("red", "red")  # fell 28.4 -> 27.8 and broke the hold
    assert (r["final_verdict"], r["final_verdict_zh"]) == ("not_completed", "未完成")


def test_final_verdict_completed_early_14th_manure_2025(side_by_side):
    # utilisation_rates.csv: 91.2 (2023), 92.4 (2024), 93.0 (2025); >= 92 met in 2024, held -> 提前完成
    r = row(side_by_side, "bayannur_climate_14th", "manure_utilisation_rate", 2025)
    assert (r["is_met"], r["first_met_year"], r["consecutive_years_met"]) == (True, 2024, 2)
    assert (r["final_verdict"], r["final_verdict_zh"]) == ("completed_early", "提前完成")


def test_final_verdict_exceeded_14th_fertiliser_utilisation_2025(side_by_side):
    # utilisation_rates.csv: 42.5 (2024, not met), 43.6 (2025) against 43: beyond the number -> 超额完成
    r = row(side_by_side, "bayannur_climate_14th", "fertiliser_utilisation_rate", 2025)
    assert (r["actual_value"], r["is_met"], r["first_met_year"]) == (43.6, True, 2025)
    assert (r["final_verdict"], r["final_verdict_zh"]) == ("exceeded", "超额完成")
    assert r["open_sdg_status"] == "target_achieved" and r["unsd_status"] == "target_achieved"


def test_county_annual_target(side_by_side):
    # county_targets.csv: Dengkou (150822) piped gas 2024 annual target 90; delivered 95.08 %
    r = row(side_by_side, "bayannur_climate_14th", "piped_gas_coverage_county", 2024, region="150822")
    assert r["target_value"] == 90.0 and r["target_origin"].startswith("county_targets (illustrative)")
    assert (r["required_value"], r["is_met"]) == (90.0, True)
    assert (r["official_status"], r["official_rule"]) == ("green", "county annual target")
    # its other years keep the plan's 85 for each county
    assert row(side_by_side, "bayannur_climate_14th", "piped_gas_coverage_county", 2023, region="150822")["target_value"] == 85.0


def test_county_target_without_county_accounting(side_by_side):
    # county_targets.csv: Linhe (150802) energy per GDP 2024; energy is accounted for the city only
    r = row(side_by_side, "bayannur_climate_14th", "energy_per_gdp", 2024, region="150802")
    assert r["tracking_status"] == "not_available" and r["actual_value"] is None
    assert r["not_available_reason"].startswith("no county accounting")
    assert "no delivery" not in r["not_available_reason"] and "not delivered" not in r["not_available_reason"]


def test_second_plan_strict_bound_hit_exactly(side_by_side):
    # 超过96% (strict): 95.0 (2025 base), 95.5 (2026), 96.0 (2027): 96.0 does not exceed 96
    r = row(side_by_side, SECOND, "weather_service_coverage", 2027)
    assert (r["base_value"], r["base_year"], r["k"], r["period_years"]) == (95.0, 2025, 2, 5)
    assert r["elapsed_share"] == approx(0.4)
    assert (r["bound_strict"], r["is_met"], r["target_achieved"]) == (True, False, False)
    # before the target year it is judged on the even path: 95 + (96 - 95) x 2/5 = 95.4, passed
    assert r["required_value"] == approx(95.4)
    assert (r["official_status"], r["official_rule"]) == ("green", "even path")
    assert r["evaluation_stage"] == "annual" and r["final_verdict"] is None
    # the explanation speaks of this plan's base and target years and period, not the 14th plan's
    assert "比2025年（95.00%）" in r["explanation_zh"] and "目标为到2030年高于96%" in r["explanation_zh"]
    assert "按时间进度40.0%" in r["explanation_zh"] and "on 2025 (95.00 %)" in r["explanation_en"]
    assert "Target: above 96 % by 2030" in r["explanation_en"]


def test_second_plan_direction_rise_and_fall(side_by_side):
    # 草原综合植被盖度持续提高: 27.8 (2025), 28.1 (2026) rose -> met; 27.9 (2027) fell -> not met
    rise = row(side_by_side, SECOND, "grassland_vegetation_cover", 2026)
    fall = row(side_by_side, SECOND, "grassland_vegetation_cover", 2027)
    assert (rise["previous_value"], rise["is_met"], rise["consecutive_years_met"], rise["official_status"]) == (
        27.8, True, 1, "green")
    assert (fall["previous_value"], fall["is_met"], fall["consecutive_years_met"], fall["official_status"]) == (
        28.1, False, 0, "red")
    assert fall["official_rule"] == "plan wording: direction"


def test_second_plan_floor_met_at_base_with_a_dip(side_by_side):
    # >= 92, base 93.0 (2025): a bound; 92.6 (2026) dipped but keeps it: met, not red under any rule
    r = row(side_by_side, SECOND, "manure_utilisation_rate", 2026)
    assert (r["met_at_base"], r["required_value"], r["is_met"]) == (True, 92.0, True)
    assert r["worsened_year_on_year"] is True
    assert (r["barometer_2020"], r["barometer_2021"], r["official_status"]) == ("green", "green", "green")


def test_second_plan_target_with_its_own_target_year(side_by_side):
    # 到2027年化肥利用率达到45%: base 43.6 (2025), n = 2; 44.2 (2026), 45.5 (2027)
    r26 = row(side_by_side, SECOND, "fertiliser_utilisation_rate", 2026)
    assert r26["required_value"] == approx(43.6 + (45 - 43.6) * 1 / 2)  # 44.3
    # progress 0.6 of 0.7 required: short by 1/7 = 14.3 % > 10 % -> red (2020 rule on the even path)
    assert r26["shortfall_pct"] == approx(100 * (44.3 - 44.2) / (44.3 - 43.6))
    assert (r26["official_status"], r26["official_rule"]) == ("red", "even path")
    r27 = row(side_by_side, SECOND, "fertiliser_utilisation_rate", 2027)
    assert (r27["k"], r27["period_years"], r27["evaluation_stage"]) == (2, 2, "final")
    assert (r27["is_met"], r27["final_verdict"], r27["final_verdict_zh"]) == (True, "exceeded", "超额完成")
    assert query(side_by_side["warehouse"], f"SELECT max(year) FROM {TRACKING} WHERE plan_id = ? "
                 "AND indicator_id = 'fertiliser_utilisation_rate'", [SECOND]) == [(2027,)]


def test_second_plan_period_total(side_by_side):
    # 退化草原生态修复 50万亩 over 2026-2030: 11.0 (2026) + 10.5 (2027) = 21.5; path 50 x 2/5 = 20
    r = row(side_by_side, SECOND, "degraded_grassland_restored", 2027)
    assert (r["actual_value"], r["required_value"]) == (approx(21.5), approx(20.0))
    assert (r["is_met"], r["official_status"], r["official_rule"]) == (False, "green", "even path")
    assert r["projected_value"] == approx(21.5 * 5 / 2)
    # the mid-term year of 2026-2030 is 2028 (year 3 of 5)
    assert row(side_by_side, SECOND, "degraded_grassland_restored", 2028)["evaluation_stage"] == "mid_term"
