"""Indicator values and target tracking (issue 5): marts.fct_indicator_value and
marts.fct_target_tracking, built by the session pipeline run on the bundled sample.

One hand-computed tracking row per target form. The inputs are the delivered sample numbers
(written out here from raw/; only the coal share, itself the sum of a whole energy balance, is
taken from fct_indicator_value) and the expected results are worked out from them with the
formulas of shared/reference/methods.md, never read back from the tracking model.
"""

from __future__ import annotations

import math
import shutil

import duckdb
import polars as pl
import pytest

from tests.helpers import query, run_dbt
from tests.test_catalog import SEED, TABLE1

TRACKING = "marts.fct_target_tracking"
VALUES = "marts.fct_indicator_value"


def tracking_row(warehouse, indicator_id: str, year: int, region: str = "150800") -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(f"SELECT * FROM {TRACKING} WHERE indicator_id = ? AND year = ? AND region_code = ?",
                          [indicator_id, year, region])
        rows = cur.fetchall()
        assert len(rows) == 1, (indicator_id, year, region, rows)
        return dict(zip([d[0] for d in cur.description], rows[0]))
    finally:
        con.close()


def approx(x, rel=1e-6):
    return pytest.approx(x, rel=rel, abs=1e-9)


def test_cumulative_decline_central_heating_2023(built):
    # clean_heating.csv, 市区 central heating kgce/m2: 2020 22.5, 2022 21.6, 2023 21.0; target [10] %
    base, prev, cur, target = 22.5, 21.6, 21.0, 10.0
    r = tracking_row(built["warehouse"], "central_heating_energy_per_area", 2023)
    decline = 100 * (1 - cur / base)  # 6.667 %
    required = 100 * (1 - (1 - target / 100) ** (3 / 5))  # even compound path, k = 3: 6.126 %
    assert r["progress_value"] == approx(decline)
    assert r["progress_value"] == pytest.approx(6.6667, abs=1e-4)
    assert r["required_value"] == approx(required)
    assert r["required_value"] == pytest.approx(6.126, abs=1e-3)
    assert r["change_since_base_pct"] == approx(-decline)
    assert r["time_elapsed_share"] == approx(0.6)
    assert r["share_done"] == approx(math.log(cur / base) / math.log(0.9))  # 0.6548, compound terms
    assert r["required_per_remaining_year"] == approx(100 * (1 - (0.9 / (cur / base)) ** (1 / 2)))
    assert (r["barometer_2020"], r["barometer_2021"]) == ("green", "green")  # 21.6 -> 21.0 fell
    assert r["worsened_year_on_year"] is False and cur < prev
    cagr_o = (cur / base) ** (1 / 3) - 1
    cagr_r = 0.9 ** (1 / 5) - 1  # target level 22.5 x 0.9 = 20.25
    assert r["open_sdg_value"] == approx(-cagr_o / abs(cagr_r))
    assert r["open_sdg_status"] == "substantial_progress"  # ratio 1.09
    expected = cur * (1 + cagr_o) ** 2
    assert r["unsd_expected_value"] == approx(expected)
    assert r["unsd_ratio"] == approx((expected - base) / (20.25 - base))
    assert r["unsd_status"] == "on_track"
    assert r["projected_value"] == approx(100 * (1 - expected / base))
    assert (r["tracking_status"], r["data_status"], r["base_source"]) == ("tracked", "illustrative", "delivered 2020 value")
    assert "累计下降6.67%" in r["explanation_zh"] and "应累计下降6.13%" in r["explanation_zh"]
    assert "green" in r["explanation_en"] and "6.67 %" in r["explanation_en"]


def test_level_at_least_weather_service_2023(built):
    # weather_service.csv: 2020 92.0 (final, the plan's baseline), 2022 93.3, 2023 94.0; target >= 95
    r = tracking_row(built["warehouse"], "weather_service_coverage", 2023)
    assert (r["actual_value"], r["base_value"]) == (94.0, 92.0)
    assert r["required_value"] == approx(92 + (95 - 92) * 3 / 5)  # 93.8, linear even path
    assert r["share_done"] == approx((94 - 92) / (95 - 92))
    assert r["required_per_remaining_year"] == approx((95 - 94) / 2)
    assert r["change_since_base"] == approx(2.0)
    assert (r["barometer_2020"], r["barometer_2021"], r["shortfall_pct"]) == ("green", "green", 0)
    cagr_o, cagr_r = (94 / 92) ** (1 / 3) - 1, (95 / 92) ** (1 / 5) - 1
    assert r["open_sdg_value"] == approx(cagr_o / cagr_r)  # 1.117
    assert r["open_sdg_status"] == "substantial_progress"
    assert r["unsd_ratio"] == approx((94 * (1 + cagr_o) ** 2 - 92) / (95 - 92))
    assert r["unsd_status"] == "on_track"
    assert r["target_achieved"] is False
    assert "不低于95%" in r["explanation_zh"] and "应达到93.80%" in r["explanation_zh"]


def test_level_at_least_behind_the_path_is_yellow_or_red(built):
    # forest_stock: 2020 and 2024 delivered; required after 4 years = B + (291.7 - B) x 4/5
    r = tracking_row(built["warehouse"], "forest_stock", 2024)
    required = r["base_value"] + (291.7 - r["base_value"]) * 4 / 5
    assert r["required_value"] == approx(required)
    gap = 100 * ((required - r["base_value"]) - (r["actual_value"] - r["base_value"])) / (required - r["base_value"])
    assert r["actual_value"] < required and r["shortfall_pct"] == approx(gap)
    assert r["barometer_2020"] == ("yellow" if gap <= 10 else "red")


def test_level_at_most_coal_share_2024_met_at_base(built):
    # the coal share is the whole energy balance's sum: its values are inputs here
    values = dict(query(built["warehouse"], f"SELECT year, value FROM {VALUES} "
                        "WHERE indicator_id = 'coal_share_of_energy' AND year IN (2020, 2023, 2024)"))
    r = tracking_row(built["warehouse"], "coal_share_of_energy", 2024)
    assert r["target_form"] == "level_at_most" and r["target_value"] == 75.0 and r["bound_strict"] is True
    # <75 is met at the base (70.5 %): the requirement is the bound itself, never the relaxing
    # path 70.5 + (75 - 70.5) x 4/5 = 74.1
    assert values[2020] < 75 and r["met_at_base"] is True
    assert r["required_value"] == 75.0
    assert values[2024] < 75 and r["target_achieved"] is True and r["is_met"] is True
    assert (r["official_status"], r["official_rule"]) == ("green", "plan wording: bound")
    assert r["share_done"] is None  # the 2020 share (70.5 %) already met "at most 75 %"
    assert r["required_per_remaining_year"] == 0
    assert r["barometer_2020"] == "green"
    # 2021 rule: the share fell from 2023 to 2024 (an improvement for an at-most target)
    assert values[2024] < values[2023] and r["barometer_2021"] == "green"
    assert r["open_sdg_status"] == "target_achieved"
    assert r["unsd_status"] == "target_achieved"  # a met target is achieved by every method
    assert "a cap to keep every year" in r["explanation_en"] and "meets the target" in r["explanation_en"]
    assert "低于75%" in r["explanation_zh"] and "当年值已达到目标要求" in r["explanation_zh"]
    assert "不高于75" not in r["explanation_zh"] and "below 75" in r["explanation_en"]  # <75 is strict


def test_hold_grassland_cover_2023(built):
    # grassland.csv: 2020 28.0 (final), 2022 28.3, 2023 28.1; hold at 28
    r = tracking_row(built["warehouse"], "grassland_vegetation_cover", 2023)
    assert (r["actual_value"], r["required_value"], r["target_achieved"]) == (28.1, 28.0, True)
    assert r["barometer_2020"] == "green"
    # a dip (28.3 -> 28.1) that stays at or above 28 keeps the hold: not red under the 2021 rule
    assert r["barometer_2021"] == "green" and r["worsened_year_on_year"] is True
    assert (r["is_met"], r["official_status"], r["official_rule"]) == (True, "green", "plan wording: hold")
    assert (r["previous_value"], r["previous_value_year"]) == (28.3, 2022)
    assert r["evaluation_stage"] == "mid_term"  # 2023 = year 3 of 2021-2025
    assert r["open_sdg_status"] == "target_achieved"
    assert r["unsd_ratio"] is None  # base = target: r undefined
    assert r["unsd_expected_value"] == approx(28.1 * (28.1 / 28.0) ** (2 / 3))  # 28.167 >= 28
    assert r["unsd_status"] == "target_achieved"  # met now: achieved, before any projection


def test_completed_over_period_afforestation(built):
    # afforestation_20xx.xlsx, city row: 人工造林 + 飞播造林 + 封山育林 (退化林修复 excluded)
    years = {2021: 7.74 + 2.58 + 6.88, 2022: 7.58 + 2.53 + 6.74, 2023: 7.38 + 2.46 + 6.56, 2024: 7.22 + 2.41 + 6.42}
    total = sum(years.values())  # 66.50万亩
    r = tracking_row(built["warehouse"], "afforestation_area", 2024)
    assert r["actual_value"] == approx(total)
    assert r["required_value"] == approx(82.5 * 4 / 5)  # 66.0
    assert r["share_done"] == approx(total / 82.5)
    assert r["required_per_remaining_year"] == approx(82.5 - total)
    assert r["projected_value"] == approx(total * 5 / 4)
    assert (r["barometer_2020"], r["barometer_2021"]) == ("green", "green")
    assert (r["open_sdg_status"], r["unsd_status"]) == ("not_available", "not_available")
    r21 = tracking_row(built["warehouse"], "afforestation_area", 2021)
    assert r21["actual_value"] == approx(years[2021])
    assert r21["required_value"] == approx(82.5 / 5)  # 16.5 < 17.2: green
    assert r21["barometer_2020"] == "green" and r21["worsened_year_on_year"] is False


def test_completed_over_period_county_project(built):
    # project ledger P3-01a, 磴口县 (150822): 55万千瓦 of 85 completed by 2022
    r = tracking_row(built["warehouse"], "pv_storage_dengkou", 2022, region="150822")
    assert (r["actual_value"], r["required_value"]) == (55.0, approx(85 * 2 / 5))
    assert r["share_done"] == approx(55 / 85)
    assert r["required_per_remaining_year"] == approx((85 - 55) / 3)
    assert r["barometer_2020"] == "green"
    regions = query(built["warehouse"], f"SELECT DISTINCT region_code FROM {TRACKING} WHERE indicator_id = 'pv_storage_dengkou'")
    assert regions == [("150822",)]  # a county target: no city row


def test_direction_only_supply_coal_rate(built):
    # power_20xx: supply coal rate 316 (2020), 314, 312, 309, 306 gce/kWh (2024); 持续下降: a fall only
    r = tracking_row(built["warehouse"], "coal_power_supply_coal_rate", 2024)
    assert r["tracking_status"] == "tracked (direction only)"
    # 309 -> 306 fell: met; it fell in each of 2021-2024: four years in a row, first in 2021
    assert (r["is_met"], r["previous_value"], r["consecutive_years_met"], r["first_met_year"]) == (True, 309.0, 4, 2021)
    assert (r["official_status"], r["official_rule"]) == ("green", "plan wording: direction")
    assert r["target_achieved"] is None and r["final_verdict"] is None
    assert (r["barometer_2020"], r["unsd_status"]) == ("not_available", "not_available")
    assert r["open_sdg_value"] == approx(-((306 / 316) ** (1 / 4) - 1))  # 0.80 % a year
    assert r["open_sdg_status"] == "moderate_progress"


def test_targets_without_data_are_not_available_never_missing(built):
    rows = query(built["warehouse"], f"SELECT year, tracking_status, not_available_reason, explanation_zh "
                 f"FROM {TRACKING} WHERE indicator_id = 'coal_power_unit_retrofit' ORDER BY year")
    assert [r[0] for r in rows] == [2021, 2022, 2023, 2024, 2025]
    assert all(r[1] == "not_available" and r[2].startswith("no delivery carries") for r in rows)
    assert all("无法评估" in r[3] for r in rows)
    r = tracking_row(built["warehouse"], "co2_per_gdp", 2025)  # no 2025 delivery in the sample
    assert (r["tracking_status"], r["not_available_reason"]) == ("not_available", "no value delivered for 2025 (latest delivered: 2024)")
    assert r["barometer_2020"] == "not_available" and r["required_value"] == approx(16.5)


def test_every_target_has_a_row_for_each_year_and_region(built):
    catalog = pl.read_csv(SEED, schema_overrides={"region_code": pl.Utf8})
    regions_per_scope = {"city": 1, "county": 1, "each_county": 7}  # seven counties in dim_region
    expected = sum(regions_per_scope[s] for s in catalog["scope"]) * 5
    counts = query(built["warehouse"], f"SELECT count(*), count(DISTINCT indicator_id) FROM {TRACKING}")
    assert counts == [(expected, catalog.height)]
    gas = query(built["warehouse"], f"SELECT count(DISTINCT region_code) FROM {TRACKING} "
                "WHERE indicator_id = 'piped_gas_coverage_county' AND region_code <> '150800'")
    assert gas == [(7,)]


@pytest.mark.parametrize("number, indicator_id, baseline, target, category, department", TABLE1)
def test_table1_indicator_tracked_with_plan_target(built, number, indicator_id, baseline, target, category, department):
    rows = query(built["warehouse"], f"SELECT year, target_value, category, department_zh, in_table1 FROM {TRACKING} "
                 "WHERE indicator_id = ? AND region_code = '150800' ORDER BY year", [indicator_id])
    assert [r[0] for r in rows] == [2021, 2022, 2023, 2024, 2025]
    assert all((r[1], r[2], r[3], r[4]) == (target, category, department, True) for r in rows)
    tracked = [r for r in query(built["warehouse"], f"SELECT tracking_status FROM {TRACKING} "
               "WHERE indicator_id = ? AND year <= 2024", [indicator_id]) if r[0] == "tracked"]
    assert tracked, f"{indicator_id}: no year judged on the sample"


def test_values_carry_basis_status_and_lineage(built):
    bases = query(built["warehouse"], f"SELECT basis FROM {VALUES} WHERE indicator_id = 'energy_per_gdp' "
                  "AND year = 2021 ORDER BY basis")
    assert bases == [("feedstock_and_added_renewable_deducted",), ("feedstock_deducted",), ("plain_statistics",)]
    assert query(built["warehouse"], f"SELECT DISTINCT basis, judged_basis FROM {TRACKING} WHERE indicator_id = 'energy_per_gdp'") == [
        ("feedstock_and_added_renewable_deducted", "feedstock_and_added_renewable_deducted")]  # dbt var tracking_basis (the official basis); judged_basis names it
    assert query(built["warehouse"], f"SELECT DISTINCT judged_basis FROM {TRACKING} WHERE indicator_id = 'forest_cover'") == [(None,)]
    (lineage, files, status), = query(built["warehouse"], f"SELECT lineage, source_files, status FROM {VALUES} "
                                      "WHERE indicator_id = 'weather_service_coverage' AND year = 2020")
    assert files == ["meteorology/weather_service.csv"] and status == "final"
    assert lineage.startswith("meteorology__weather_service: meteorology/weather_service.csv [")
    (lineage,), = query(built["warehouse"], f"SELECT lineage FROM {VALUES} WHERE indicator_id = 'co2_per_gdp' AND year = 2021")
    assert "energy/energy_balance_2021.xlsx" in lineage and "statistics/regional_gdp_2021.xlsx" in lineage
    assert query(built["warehouse"], f"SELECT count(*) FROM {VALUES} WHERE lineage IS NULL") == [(0,)]


def test_counties_reconcile_with_the_city(built):
    # forest stock: the city row against the sum of the seven county rows as delivered
    counties = query(built["warehouse"], "SELECT sum(forest_stock_10k_m3) FROM staging.stg_forestry__forest_stock "
                     "WHERE year = 2024 AND region_code <> '150800'")[0][0]
    (value, county_sum, gap), = query(built["warehouse"], f"SELECT value, county_sum, county_gap_pct FROM {VALUES} "
                                      "WHERE indicator_id = 'forest_stock' AND year = 2024 AND region_code = '150800'")
    assert county_sum == approx(counties)
    assert gap == approx(100 * (counties - value) / value)
    # shares are not additive: no reconciliation on them
    assert query(built["warehouse"], f"SELECT count(*) FROM {VALUES} WHERE unit = '%' AND county_sum IS NOT NULL") == [(0,)]


def test_reconciliation_test_fails_when_counties_do_not_add_up(built, tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute(f"UPDATE {VALUES} SET value = value * 1.5 WHERE indicator_id = 'forest_stock' "
                "AND year = 2024 AND region_code = '150802'")
    con.close()
    done = run_dbt(tmp_path, warehouse, "test", "--select", "fct_indicator_value,test_name:counties_sum_to_city")
    assert done.returncode != 0
    assert "counties_sum_to_city" in done.stdout + done.stderr


def test_met_at_base_floor_county_piped_gas(built):
    # 各旗县区管道天然气覆盖率达到85%以上: Linhe (150802) was 99.07 % in 2020, so the requirement
    # each year is 85 itself, not the relaxing path 99.07 + (85 - 99.07) x 4/5 = 87.8
    values = dict(query(built["warehouse"], f"SELECT year, value FROM {VALUES} "
                        "WHERE indicator_id = 'piped_gas_coverage_county' AND region_code = '150802'"))
    r = tracking_row(built["warehouse"], "piped_gas_coverage_county", 2024, region="150802")
    assert values[2020] >= 85 and r["met_at_base"] is True and r["required_value"] == 85.0
    assert values[2024] >= 85 and r["is_met"] is True
    assert (r["barometer_2020"], r["barometer_2021"], r["official_status"]) == ("green", "green", "green")
    assert r["official_rule"] == "plan wording: bound"
    # Urad Middle (150824) was below 85 in 2020: judged on the path until it meets 85
    r = tracking_row(built["warehouse"], "piped_gas_coverage_county", 2023, region="150824")
    assert r["met_at_base"] is False and r["is_met"] is (values_of(built, "150824", 2023) >= 85)


def values_of(built, region: str, year: int) -> float:
    return query(built["warehouse"], f"SELECT value FROM {VALUES} WHERE indicator_id = 'piped_gas_coverage_county' "
                 "AND region_code = ? AND year = ?", [region, year])[0][0]


def test_biennial_survey_compares_with_the_previous_survey(built):
    # mode_share_2020_2024.xlsx: public transport 7.6 (2020), 8.1 (2022), 8.9 (2024); target >= 10
    r = tracking_row(built["warehouse"], "public_transport_mode_share", 2024)
    assert (r["actual_value"], r["previous_value"], r["previous_value_year"]) == (8.9, 8.1, 2022)
    assert r["worsened_year_on_year"] is False  # 8.1 -> 8.9, not "no 2023 value"
    assert r["required_value"] == approx(7.6 + (10 - 7.6) * 4 / 5)  # 9.52
    # 2020 rule: progress 1.3 against 1.92 required, short by 0.62 / 1.92 = 32 % -> red;
    # 2021 rule: it improved but missed the requirement -> yellow
    assert r["shortfall_pct"] == approx(100 * (9.52 - 8.9) / (9.52 - 7.6))
    assert (r["barometer_2020"], r["barometer_2021"]) == ("red", "yellow")
    assert (r["is_met"], r["official_status"], r["official_rule"]) == (False, "red", "even path")
    r23 = tracking_row(built["warehouse"], "public_transport_mode_share", 2023)
    assert r23["tracking_status"] == "not_available" and r23["is_met"] is None


def test_met_period_total_pv_dengkou_2024(built):
    # project ledger P3-01a: 55 (2022), 85 (2023) of 85万千瓦: met in 2023 and held in 2024
    r = tracking_row(built["warehouse"], "pv_storage_dengkou", 2024, region="150822")
    assert (r["actual_value"], r["target_value"], r["is_met"]) == (85.0, 85.0, True)
    assert (r["first_met_year"], r["consecutive_years_met"]) == (2023, 2)
    assert (r["official_status"], r["official_rule"]) == ("green", "plan wording: target met")
    # a met target is met by every method
    assert (r["open_sdg_status"], r["unsd_status"]) == ("target_achieved", "target_achieved")


def test_a_met_target_is_achieved_by_every_method(built):
    bad = query(built["warehouse"], f"SELECT indicator_id, region_code, year, open_sdg_status, unsd_status FROM {TRACKING} "
                "WHERE is_met AND target_form <> 'direction_only' "
                "AND (open_sdg_status <> 'target_achieved' OR unsd_status <> 'target_achieved')")
    assert bad == []
    # and nothing meeting its bound is red (methods.md §7)
    assert query(built["warehouse"], f"SELECT count(*) FROM {TRACKING} WHERE is_met AND official_status = 'red'") == [(0,)]


def test_evaluation_stages_and_no_projection_in_the_final_year(built):
    stages = query(built["warehouse"], f"SELECT year, evaluation_stage, k, period_years, elapsed_share FROM {TRACKING} "
                   "WHERE indicator_id = 'forest_cover' ORDER BY year")
    assert stages == [(2021, "annual", 1, 5, 0.2), (2022, "annual", 2, 5, 0.4), (2023, "mid_term", 3, 5, 0.6),
                      (2024, "annual", 4, 5, 0.8), (2025, "final", 5, 5, 1.0)]
    # the sample has no 2025 delivery: a final row without a value has no verdict and no projection
    r = tracking_row(built["warehouse"], "forest_cover", 2025)
    assert (r["final_verdict"], r["projected_value"], r["projection_method"]) == (None, None, None)
    assert query(built["warehouse"], f"SELECT count(*) FROM {TRACKING} WHERE year = 2025 AND projected_value IS NOT NULL") == [(0,)]
