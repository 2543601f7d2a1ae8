"""Energy and carbon accounting (issue 4): marts.fct_energy_carbon and its intermediate models.

Expected values are worked out by hand from the delivered sample numbers (raw/energy, raw/statistics,
raw/transport, raw/agriculture) and the factors in shared/reference/methods.md and
published_figures.md, never read back from the models. The defaults under test: electricity at the
year's supply coal rate, North China grid factor of 2021 (carried back to 2015 and 2020), AR5.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import DagsterInstance, materialize

from orchestration import settings
from orchestration.assets.ingestion import ingestion_assets, years_config
from orchestration.deliveries import Contract
from tests.helpers import ROOT, query

MART = "marts.fct_energy_carbon"


def co2_factor(ncv, cc, of):
    """t CO2 per unit: NCV x CC (tC/TJ) / 1000 x OF x 44/12 (methods.md §3)."""
    return ncv * cc / 1000 * of * 44 / 12


RAW_COAL = co2_factor(20.908, 26.32, 0.94)
GDP_2020_OVER_2015 = 1.07 * 1.055 * 1.05 * 1.048 * 0.985  # real GDP, statistics source (1.22355)

# The delivered 2020 balance (energy_balance_2020.xlsx), fossil fuels:
# counted = final + thermal-power and heat-supply inputs, and the feedstock (用作原料、材料) part.
BALANCE_2020 = {  # fuel: (counted 万t or 亿m3, feedstock, standard-coal factor, NCV, CC, OF)
    "raw_coal": (311.5 + 606.34 + 60.0, 12.46, 0.7143, 20.908, 26.32, 0.94),
    "cleaned_coal": (35.0, 0.0, 0.9000, 26.344, 25.41, 0.93),
    "coke": (60.0, 3.0, 0.9714, 28.435, 29.42, 0.93),
    "diesel": (61.0 + 0.3, 0.0, 1.4571, 42.652, 20.20, 0.98),
    "fuel_oil": (1.0 + 0.2, 0.25, 1.4286, 41.816, 21.10, 0.98),
    "gasoline": (31.5, 0.0, 1.4714, 43.070, 18.90, 0.98),
    "kerosene": (0.4, 0.0, 1.4714, 43.070, 19.60, 0.98),
    "lpg": (5.3, 0.21, 1.7143, 50.179, 17.20, 0.98),
    "natural_gas": (6.3 + 0.8 + 0.26, 0.0, 12.143, 389.31, 15.32, 0.99),
}
ELEC_NET_2020 = 10.0 - 95.75  # 亿kWh: inflow + outflow (the city exports)
ELEC_PRIMARY_2020 = 115.18  # wind + solar + biomass + hydro generation (the plan's figure)


def one(built, sql, params=None):
    rows = query(built["warehouse"], sql, params)
    assert len(rows) == 1, (sql, params, rows)
    return rows[0]


def mart_value(built, indicator, year, breakdown="all", basis="plain_statistics", column="value"):
    return one(built, f"select {column} from {MART} where indicator = ? and year = ? and breakdown = ? "
                      "and basis = ? and coalesce(electricity_conversion, 'coal_rate_equivalent') = 'coal_rate_equivalent'",
               [indicator, year, breakdown, basis])[0]


def test_one_fuel_co2_by_hand(built):
    # raw coal 2020: (311.5 final + 606.34 power + 60.0 heat) - 12.46 feedstock = 965.38万t combusted
    expected = (311.5 + 606.34 + 60.0 - 12.46) * RAW_COAL  # = 965.38 x 1.89670 = 1831.03万t
    assert mart_value(built, "co2_emissions", 2020, "raw_coal") == pytest.approx(expected, abs=1e-6)
    assert round(expected, 2) == 1831.03


def test_one_year_total_by_hand(built):
    fuels_co2 = sum((c - f) * co2_factor(n, cc, of) for c, f, _, n, cc, of in BALANCE_2020.values())
    elec_co2 = ELEC_NET_2020 * 1e5 * 0.7120 / 1e4  # 亿kWh -> MWh, x tCO2/MWh, -> 万t: -610.54
    co2 = fuels_co2 + elec_co2  # no heat crosses the city boundary
    assert mart_value(built, "co2_emissions", 2020) == pytest.approx(co2, abs=1e-6)
    assert round(co2, 1) == 1924.3  # raw/energy/README.md
    assert mart_value(built, "co2_emissions", 2020, "electricity") == pytest.approx(-610.54, abs=1e-9)

    energy = sum(c * sce for c, _, sce, *_ in BALANCE_2020.values()) + (ELEC_PRIMARY_2020 + ELEC_NET_2020) * 316 / 100
    assert mart_value(built, "energy_consumption", 2020) == pytest.approx(energy, abs=1e-6)
    assert round(energy, 1) == 1117.7
    # feedstock deducted: less 12.46 raw coal, 3.0 coke, 0.25 fuel oil, 0.21 LPG at their factors
    deducted = energy - (12.46 * 0.7143 + 3.0 * 0.9714 + 0.25 * 1.4286 + 0.21 * 1.7143)
    assert mart_value(built, "energy_consumption", 2020, basis="feedstock_deducted") == pytest.approx(deducted, abs=1e-6)


def test_2015_to_2020_declines_are_the_plans(built):
    # plan Table 1: [8.4] and [18.4] in the 2020 column (2016-2020 achieved)
    assert round(-mart_value(built, "energy_per_gdp", 2020, column="change_since_base_pct"), 1) == 8.4
    assert round(-mart_value(built, "co2_per_gdp", 2020, column="change_since_base_pct"), 1) == 18.4
    # the same from the README's totals: 1 - (1117.7 / 997.2) / 1.22355 = 8.40 %
    assert round(100 * (1 - (1117.7 / 997.2) / GDP_2020_OVER_2015), 1) == 8.4
    assert round(100 * (1 - (1924.3 / 1927.3) / GDP_2020_OVER_2015), 1) == 18.4


def test_2020_renewable_shares(built):
    # 520.00 / 747.56 and 115.18 / 230.45 (the plan: 69.56 % and 49.98 %)
    assert round(mart_value(built, "renewable_capacity_share_pct", 2020), 2) == 69.56
    assert round(mart_value(built, "renewable_generation_share_pct", 2020), 2) == 49.98
    assert round(100 * 520.00 / 747.56, 2) == 69.56 and round(100 * 115.18 / 230.45, 2) == 49.98
    assert one(built, f"select status from {MART} where indicator = 'renewable_capacity_share_pct' and year = 2020")[0] == "final"
    # new energy (wind 390 + solar 121.5) against thermal (coal 220 + gas 7.56)
    assert mart_value(built, "new_energy_capacity", 2020) == pytest.approx(390 + 121.5)
    assert mart_value(built, "coal_300mw_plus_share_of_thermal_pct", 2020) == pytest.approx(100 * 126 / 227.56)
    assert mart_value(built, "supply_coal_rate", 2020) == 316


def test_converted_turnover_example(built):
    # 2020: freight 1,185,000万t·km + passenger 62,000万p·km x 0.1 = 1,191,200万t·km
    turnover = 1_185_000 + 0.1 * 62_000
    assert mart_value(built, "converted_turnover", 2020) == pytest.approx(1_191_200)
    # diesel 0.78 + 20.15万t, gasoline 0.035 + 0.12万t, natural gas 210 + 1850万m3 (taxis left out)
    co2 = ((0.78 + 20.15) * co2_factor(42.652, 20.20, 0.98) + (0.035 + 0.12) * co2_factor(43.070, 18.90, 0.98)
           + (210 + 1850) * co2_factor(389.31, 15.32, 0.99) / 1e4)  # 万t
    per = co2 * 1e4 / turnover  # t CO2 per 万t·km
    assert mart_value(built, "operating_vehicle_co2_per_converted_turnover", 2020) == pytest.approx(per, rel=1e-9)
    assert round(per, 4) == 0.5852  # raw/transport/README.md
    # 2021: 1,290,000 + 0.1 x 70,000; the sample's path falls 1.0 % on 2020
    assert mart_value(built, "converted_turnover", 2021) == pytest.approx(1_297_000)
    assert round(mart_value(built, "operating_vehicle_co2_per_converted_turnover", 2021, column="change_since_base_pct"), 1) == -1.0


def test_intensity_uses_real_not_nominal_gdp(built):
    e20 = mart_value(built, "energy_consumption", 2020)
    e21 = mart_value(built, "energy_consumption", 2021)
    real = 100 * ((e21 / e20) / 1.043 - 1)  # 2021 real growth 4.3 % (bulletin)
    nominal = 100 * ((e21 / e20) / (982.7 / 874.0) - 1)  # current prices: +12.4 %
    change = mart_value(built, "energy_per_gdp", 2021, column="change_prev_year_pct")
    assert change == pytest.approx(real, abs=1e-9)
    assert round(change, 1) == 0.9  # raw/energy/README.md: +0.9 % in 2021
    assert nominal < -6 and abs(change - nominal) > 7  # the nominal one would show a fall of about 6.4 %
    # industry: (852.4994 / 804.7327) / 1.046 - 1, value added chain-linked from its index
    ind = mart_value(built, "industrial_energy_per_value_added", 2021, column="change_prev_year_pct")
    assert ind == pytest.approx(100 * ((852.4994 / 804.7327) / 1.046 - 1), abs=1e-9)
    nominal_ind = 100 * ((852.4994 / 804.7327) / (226.28 / 169.74) - 1)
    assert abs(ind - nominal_ind) > 15
    # 2015 cannot be chain-linked to 2020 (no 2016-2019 indices): no industrial intensity for it
    assert query(built["warehouse"], f"select * from {MART} where indicator = 'industrial_energy_per_value_added' and year = 2015") == []


def test_grid_level_changes_electricity_co2_only(built):
    rows = query(built["warehouse"],
                 "select year, grid_level, fuel_co2_10k_t, heat_co2_10k_t, electricity_co2_10k_t, total_co2_10k_t, "
                 "grid_factor_tco2_per_mwh, is_chosen from intermediate.int_co2_emissions_totalled order by year, grid_level")
    by_year: dict = {}
    for year, level, fuel, heat, elec, total, factor, chosen in rows:
        by_year.setdefault(year, {})[level] = (fuel, heat, elec, total, factor, chosen)
    assert sorted(by_year) == [2015, 2020, 2021, 2022, 2023, 2024]
    for year, levels in by_year.items():
        assert set(levels) == {"inner_mongolia", "north_china", "national"}
        fuels = {(v[0], v[1]) for v in levels.values()}
        assert len(fuels) == 1, year  # fuels and heat do not depend on the grid level
        non_elec = {round(v[3] - v[2], 9) for v in levels.values()}
        assert len(non_elec) == 1, year  # total minus electricity is the same for every level
        assert len({v[2] for v in levels.values()}) == 3, year  # electricity differs
        assert [lvl for lvl, v in levels.items() if v[5]] == ["north_china"]
    # 2020 with the 2021 factors (carried back): -85.75亿kWh x 10 x factor
    assert by_year[2020]["inner_mongolia"][2] == pytest.approx(ELEC_NET_2020 * 10 * 0.7025)
    assert by_year[2020]["national"][2] == pytest.approx(ELEC_NET_2020 * 10 * 0.5568)
    assert by_year[2020]["north_china"][2] == pytest.approx(ELEC_NET_2020 * 10 * 0.7120)


def test_choices_recorded_on_each_row(built):
    rows = query(built["warehouse"],
                 f"select year, grid_level, grid_factor_tco2_per_mwh, grid_factor_year, grid_factor_carried from {MART} "
                 "where indicator = 'co2_emissions' and breakdown = 'electricity' order by year")
    assert [r[0] for r in rows] == [2015, 2020, 2021, 2022, 2023, 2024]
    assert {(r[1], r[2], r[3]) for r in rows} == {("north_china", 0.712, 2021)}
    assert [r[4] for r in rows] == ["carried_back", "carried_back", "own_year", "fixed_vintage", "fixed_vintage", "fixed_vintage"]
    convs = query(built["warehouse"], f"select distinct electricity_conversion from {MART} "
                                      "where indicator = 'energy_per_gdp'")
    assert convs == [("coal_rate_equivalent",)]
    assert query(built["warehouse"], f"select count(*) from {MART} where method is null or status is null") == [(0,)]


def test_agriculture_co2e_with_ar5(built):
    # 2020 city herd (万头/只): dairy 9.8, beef 18.6, sheep 781.5, goats 121.3, pigs 55.23;
    # kg CH4/head/yr 68, 47, 5, 5, 1 -> 万t CH4 = head x kg / 1000; x 28 (AR5)
    ch4 = (9.8 * 68 + 18.6 * 47 + 781.5 * 5 + 121.3 * 5 + 55.23 * 1) / 1000
    assert mart_value(built, "agriculture_ch4_co2e", 2020) == pytest.approx(ch4 * 28, rel=1e-9)
    # nitrogen fertiliser 120,705 t N = 12.0705万t x 0.01 x 44/28 x 265 (AR5)
    assert mart_value(built, "fertiliser_n2o_co2e", 2020) == pytest.approx(12.0705 * 0.01 * 44 / 28 * 265, rel=1e-6)
    assert one(built, f"select distinct gwp_set from {MART} where indicator = 'fertiliser_n2o_co2e'")[0] == "AR5"


def test_bus_shares(built):
    # 2020 stock 497: battery electric 166 + hybrid 40 (+ 0 hydrogen) new energy; + 190 natural gas clean
    assert mart_value(built, "new_energy_bus_share_pct", 2020) == pytest.approx(100 * (166 + 40) / 497)
    assert mart_value(built, "clean_energy_bus_share_pct", 2020) == pytest.approx(100 * (166 + 40 + 190) / 497)


VALUES = "marts.fct_indicator_value"


def test_energy_per_gdp_with_feedstock_and_added_renewable_deducted(built):
    # Renewable electricity kept in the city = primary (wind, solar, biomass, hydro) + net inflow,
    # 亿kWh, from the delivered balances: 2020 115.18 + 10.0 - 95.75 = 29.43; 2022 152.08 + 11.0
    # - 119.63 = 43.45. Only the part above the 2020 level is deducted, at the 2022 coal rate 312
    # gce/kWh: (43.45 - 29.43) x 312 / 100 = 14.02 x 3.12 = 43.7424万tce.
    added = (152.08 + 11.0 - 119.63 - (115.18 + 10.0 - 95.75)) * 312 / 100
    assert added == pytest.approx(43.7424, abs=1e-9)
    assert mart_value(built, "energy_consumption", 2022, basis="feedstock_deducted") - mart_value(
        built, "energy_consumption", 2022, basis="feedstock_and_added_renewable_deducted") == pytest.approx(added, abs=1e-6)
    # per unit of GDP at 2020 prices: GDP 2022 = 874.0 x 1.043 x 1.040 = 948.04528亿元
    gdp_2022 = 874.0 * 1.043 * 1.040
    assert mart_value(built, "energy_per_gdp", 2022, basis="feedstock_deducted") - mart_value(
        built, "energy_per_gdp", 2022, basis="feedstock_and_added_renewable_deducted") == pytest.approx(
        added / gdp_2022, abs=1e-8)  # 0.0461395 tce/万元
    # in the base year nothing is added: the two bases agree
    assert mart_value(built, "energy_per_gdp", 2020, basis="feedstock_and_added_renewable_deducted") == pytest.approx(
        mart_value(built, "energy_per_gdp", 2020, basis="feedstock_deducted"), abs=1e-12)
    # not all non-fossil energy: 2020 electricity term 29.43 x 3.16 = 92.9988万tce is NOT deducted
    energy = sum(c * sce for c, _, sce, *_ in BALANCE_2020.values()) + (ELEC_PRIMARY_2020 + ELEC_NET_2020) * 316 / 100
    feedstock = 12.46 * 0.7143 + 3.0 * 0.9714 + 0.25 * 1.4286 + 0.21 * 1.7143
    assert mart_value(built, "energy_per_gdp", 2020, basis="feedstock_and_added_renewable_deducted") == pytest.approx(
        (energy - feedstock) / 874.0, abs=1e-8)


def test_intensities_name_their_price_base_and_basis(built):
    rows = query(built["warehouse"], f"SELECT DISTINCT basis, price_base_year, unit FROM {VALUES} "
                 "WHERE indicator_id = 'energy_per_gdp' ORDER BY basis")
    # plans.csv: the 14th plan's price base is 2020, so one series at 2020 prices, three bases
    assert rows == [("feedstock_and_added_renewable_deducted", 2020, "tce/万元 (2020年价)"),
                    ("feedstock_deducted", 2020, "tce/万元 (2020年价)"),
                    ("plain_statistics", 2020, "tce/万元 (2020年价)")]
    (method,), = query(built["warehouse"], f"SELECT method FROM {VALUES} WHERE indicator_id = 'energy_per_gdp' "
                       "AND year = 2023 AND basis = 'feedstock_and_added_renewable_deducted'")
    assert "新增可再生能源" in method and "above its 2020 level" in method
    # quantities carry no price
    assert query(built["warehouse"], f"SELECT DISTINCT price_base_year FROM {VALUES} "
                 "WHERE indicator_id = 'forest_stock'") == [(None,)]


def test_lineage_lists_the_chain_and_the_coal_rate(built):
    (lineage, files), = query(built["warehouse"], f"SELECT lineage, source_files FROM {VALUES} WHERE indicator_id = "
                              "'energy_per_gdp' AND year = 2022 AND basis = 'feedstock_and_added_renewable_deducted'")
    # GDP at 2020 prices in 2022 rests on 2020's level (latest vintage: the plan's revision) and the
    # 2021 and 2022 indices; electricity is converted at the power delivery's coal rate; the added
    # renewable needs the 2020 balance and power rows too.
    assert files == ["energy/energy_balance_2020.xlsx", "energy/energy_balance_2022.xlsx", "energy/power_2020.xlsx",
                     "energy/power_2022.xlsx", "statistics/regional_gdp_2020_rev1.xlsx",
                     "statistics/regional_gdp_2021.xlsx", "statistics/regional_gdp_2022_rev1.xlsx"]
    assert "energy__power: energy/power_2022.xlsx [" in lineage
    # a ratio of the balance alone still names the power delivery (its coal rate converts electricity)
    (files,), = query(built["warehouse"], f"SELECT source_files FROM {VALUES} WHERE indicator_id = "
                      "'coal_share_of_energy' AND year = 2021")
    assert files == ["energy/energy_balance_2021.xlsx", "energy/power_2021.xlsx"]


def test_delivered_value_is_kept_when_a_recomputation_lacks_an_input(built):
    # gas_coverage_2020.xlsx: the city row gives 93.57 % (the plan's figure) without the populations
    (value, status, method), = query(built["warehouse"], f"SELECT value, status, method FROM {VALUES} WHERE "
                                     "indicator_id = 'piped_gas_coverage_county' AND year = 2020 AND region_code = '150800'")
    assert (value, status) == (93.57, "final") and method.startswith("coverage as delivered")
    # where the populations are delivered the rate is recomputed: 2021 city 88.61 / 93.9 = 94.366 %
    (value,), = query(built["warehouse"], f"SELECT value FROM {VALUES} WHERE indicator_id = "
                      "'piped_gas_coverage_county' AND year = 2021 AND region_code = '150800'")
    assert value == pytest.approx(100 * 88.61 / 93.9, abs=1e-6)


def test_county_gap_on_every_additive_row(built):
    # farmland_2022.xlsx sunflower base: city 352.5; counties 42.3 + 91.6 + 21.2 + 77.6 + 7.0 + 77.6
    # = 317.3, 乌中旗 not reported: 6 of 7, gap (317.3 - 352.5) / 352.5 = -9.985816 %
    row = query(built["warehouse"], f"SELECT county_sum, counties_reporting, counties_expected, county_gap_pct "
                f"FROM {VALUES} WHERE indicator_id = 'sunflower_base_area' AND year = 2022 AND region_code = '150800'")
    assert row == [(pytest.approx(317.3), 6, 7, pytest.approx(-9.985816, abs=1e-6))]
    # a city-only delivery (power): no county reported, said so rather than left blank
    assert query(built["warehouse"], f"SELECT county_sum, counties_reporting, counties_expected FROM {VALUES} "
                 "WHERE indicator_id = 'new_energy_capacity' AND year = 2022") == [(None, 0, 7)]


def test_each_plan_is_judged_at_its_own_price_base(tmp_path, monkeypatch):
    """A second plan in plans.csv (illustrative, price base 2022) gives a second constant-price
    series, with no change to a model: data only."""
    project = tmp_path / "transforms"
    shutil.copytree(ROOT / "transforms", project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    plans = project / "seeds" / "catalog" / "plans.csv"
    plans.write_text(plans.read_text("utf-8") + "test_plan_2022,示例规划,Illustrative plan,,,150800,2022,2023,2027,"
                     "2022,illustrative,test fixture\n", "utf-8")
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", tmp_path / "wh.duckdb")
    gdp = Contract.load(settings.CONTRACTS_DIR / "statistics" / "regional_gdp.yml")
    assert materialize([ingestion_assets([gdp])], instance=DagsterInstance.ephemeral(),
                       run_config=years_config("2015-2024")).success
    done = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "--quiet", "build", "--project-dir", str(project),
         "--profiles-dir", str(project), "--select", "plans stg_statistics__regional_gdp int_regional_gdp_chain_linked "
         "fct_regional_gdp", "--indirect-selection", "cautious"],
        env=os.environ | {"BAYANNUR_WAREHOUSE": str(tmp_path / "wh.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    rows = dict(((y, b), v) for y, b, v in query(
        tmp_path / "wh.duckdb", "SELECT year, price_base_year, gdp_constant_100m_yuan FROM marts.fct_regional_gdp "
        "WHERE region_code = '150800'"))
    # at 2020 prices (the 14th plan): 2022 = 874.0 x 1.043 x 1.040 = 948.04528
    assert rows[2022, 2020] == pytest.approx(874.0 * 1.043 * 1.040, abs=1e-9)
    # at 2022 prices (the second plan), anchored on the 2022 current-price GDP (revision: 1081.3):
    # 2024 = 1081.3 x 1.060 x 1.052 = 1205.779256; 2021 = 1081.3 / 1.040 = 1039.711538
    assert rows[2022, 2022] == pytest.approx(1081.3, abs=1e-9)
    assert rows[2024, 2022] == pytest.approx(1081.3 * 1.060 * 1.052, abs=1e-9)
    assert rows[2021, 2022] == pytest.approx(1081.3 / 1.040, abs=1e-9)
    # every region and year once per price base: 8 regions x 10 years x 2 bases
    assert len(query(tmp_path / "wh.duckdb", "SELECT * FROM marts.fct_regional_gdp")) == 8 * 10 * 2
