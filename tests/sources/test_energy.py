"""The energy source's bundled deliveries, read with their contracts.

Expected values are worked out by hand from the plan's published power figures and the sample
tables (scripts/samples/energy.py, raw/energy/README.md); the two intensity declines are
recomputed here from the delivered 2015 and 2020 balances, without the pipeline's code.
"""

from __future__ import annotations

import pytest

from orchestration import settings
from orchestration.deliveries import Contract, read_delivery

RAW = settings.RAW_DIR / "energy"


def contract(dataset: str) -> Contract:
    return Contract.load(settings.CONTRACTS_DIR / "energy" / f"{dataset}.yml")


def read(dataset: str, file: str, year: int | None):
    return read_delivery(contract(dataset), RAW / file, None if year is None else str(year))


def one(df, **where) -> dict:
    rows = df.filter(**where).to_dicts()
    assert len(rows) == 1, where
    return rows[0]


# --- energy_balance -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def balances():
    return {y: read("energy_balance", f"energy_balance_{y}.xlsx", y) for y in (2015, 2020, 2021, 2022, 2023, 2024)}


def q(df, category, fuel) -> float:
    """A balance cell; '—' (null) counts as 0."""
    return one(df, category=category, fuel=fuel)["quantity"] or 0.0


def test_balance_shape(balances):
    for year, df in balances.items():
        assert df.height == 18 * 13  # 18 flows x 13 fuels, unpivoted
        assert set(df["region_code"]) == {"150800"} and set(df["year"]) == {year}
        assert set(df["status"]) == {"illustrative"}
    df = balances[2020]
    assert one(df, category="primary_production", fuel="raw_coal")["unit"] == "万吨"
    assert one(df, category="primary_production", fuel="natural_gas")["unit"] == "亿立方米"
    assert one(df, category="losses", fuel="heat")["unit"] == "万百万千焦"


def test_balance_spot_values(balances):
    df = balances[2020]
    assert q(df, "thermal_power", "raw_coal") == -606.34  # inputs are negative, as printed
    assert q(df, "thermal_power", "electricity") == 115.27  # = coal 113.97 + gas 1.30 (power dataset)
    assert q(df, "primary_production", "electricity") == 115.18  # = the plan's renewable generation
    # 10 in + 115.18 + 115.27 - 8.2 losses - 136.5 final = 95.75 out
    assert q(df, "outflow_other_provinces", "electricity") == -95.75
    assert q(df, "final_consumption_total", "heat") == 3659.94  # printed "3,659.94"
    assert q(df, "final_industry_feedstock", "coke") == 3.0  # label with a footnote mark ①
    assert one(df, category="stock_change", fuel="coke")["quantity"] is None  # "—"
    assert one(df, category="final_industry_feedstock", fuel="coke")["_source_row"] == 17


def test_balance_closes(balances):
    """available + transformation - losses = final consumption, for every fuel and year."""
    for year, df in balances.items():
        for fuel in set(df["fuel"]):
            avail = q(df, "available_total", fuel)
            parts = sum(q(df, c, fuel) for c in ("primary_production", "inflow_other_provinces",
                                                 "outflow_other_provinces", "stock_change"))
            assert avail == pytest.approx(parts, abs=0.005), (year, fuel)
            assert avail + q(df, "transformation_total", fuel) - q(df, "losses", fuel) == pytest.approx(
                q(df, "final_consumption_total", fuel), abs=0.005), (year, fuel)


# Standard-coal factors (tce per unit: 万吨 -> 万tce, 亿m³ -> 万tce) and CO2 factors from
# NCV (GJ per t or per 万m³) x CC (tC/TJ) x OF x 44/12, as in methods.md §3. 洗精煤 is not in
# methods.md: GB/T 32150 default 26.344 GJ/t, 25.41 tC/TJ, 93 % (stated in raw/energy/README.md).
FOSSIL = {
    "raw_coal": (0.7143, 20.908, 26.32, 0.94),
    "cleaned_coal": (0.9000, 26.344, 25.41, 0.93),
    "coke": (0.9714, 28.435, 29.42, 0.93),
    "coke_oven_gas": (6.143, 173.854, 12.10, 0.99),
    "crude_oil": (1.4286, 41.816, 20.08, 0.98),
    "gasoline": (1.4714, 43.070, 18.90, 0.98),
    "kerosene": (1.4714, 43.070, 19.60, 0.98),
    "diesel": (1.4571, 42.652, 20.20, 0.98),
    "fuel_oil": (1.4286, 41.816, 21.10, 0.98),
    "lpg": (1.7143, 50.179, 17.20, 0.98),
    "natural_gas": (12.143, 389.31, 15.32, 0.99),
}
SUPPLY_COAL_RATE = {2015: 328, 2020: 316}  # gce/kWh, from the power deliveries (checked below)


def energy_and_co2(df, year):
    energy = co2 = 0.0
    for fuel, (sce, ncv, cc, of) in FOSSIL.items():
        # local consumption = final + inputs to thermal power and heat (inputs printed negative)
        used = q(df, "final_consumption_total", fuel) - q(df, "thermal_power", fuel) - q(df, "heat_supply", fuel)
        energy += used * sce  # 万tce
        co2 += (used - q(df, "final_industry_feedstock", fuel)) * ncv * cc / 1000 * of * 44 / 12  # 万t
    net_elec = q(df, "inflow_other_provinces", "electricity") + q(df, "outflow_other_provinces", "electricity")
    energy += (q(df, "primary_production", "electricity") + net_elec) * SUPPLY_COAL_RATE[year] / 100
    co2 += net_elec * 1e5 * 0.7120 / 1e4  # 亿kWh -> MWh, x tCO2/MWh, -> 万t
    net_heat = q(df, "inflow_other_provinces", "heat") + q(df, "outflow_other_provinces", "heat")
    energy += net_heat * 0.0341
    co2 += net_heat * 0.11
    return energy, co2


def test_2015_to_2020_intensity_declines_are_the_plans(balances):
    gdp = 1.07 * 1.055 * 1.05 * 1.048 * 0.985  # real GDP 2020 / 2015 (statistics source)
    e15, c15 = energy_and_co2(balances[2015], 2015)
    e20, c20 = energy_and_co2(balances[2020], 2020)
    assert 900 < e15 < e20 < 1300  # 万tce: plausible for the city
    assert round(100 * (1 - (e20 / e15) / gdp), 1) == 8.4  # plan, Table 1: [8.4]
    assert round(100 * (1 - (c20 / c15) / gdp), 1) == 18.4  # plan, Table 1: [18.4]


# --- power ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def power():
    return {y: read("power", f"power_{y}.xlsx", y) for y in (2015, 2020, 2021, 2022, 2023, 2024)}


def test_power_reproduces_the_plan(power):
    p20, p15 = power[2020], power[2015]
    assert all(df.height == 10 for df in power.values())
    r20 = one(p20, plant_type="renewable")
    assert (r20["capacity_share_pct"], r20["generation_100m_kwh"], r20["generation_share_pct"]) == (69.56, 115.18, 49.98)
    assert r20["status"] == "final" and one(p20, plant_type="wind")["status"] == "illustrative"
    total20 = one(p20, plant_type="total")
    assert total20["generation_100m_kwh"] == 230.45  # 115.18 / 49.98 %
    # recomputed from the parts, not read: 520.00 / 747.56 and 115.18 / 230.45
    ren = ["wind", "solar", "biomass", "hydro"]
    cap = {t: one(p20, plant_type=t)["capacity_10k_kw"] or 0 for t in ["coal", "gas", *ren]}
    gen = {t: one(p20, plant_type=t)["generation_100m_kwh"] or 0 for t in ["coal", "gas", *ren]}
    assert round(100 * sum(cap[t] for t in ren) / sum(cap.values()), 2) == 69.56
    assert round(100 * sum(gen[t] for t in ren) / sum(gen.values()), 2) == 49.98
    r15 = one(p15, plant_type="renewable")
    assert round(r20["capacity_10k_kw"] - r15["capacity_10k_kw"], 2) == 156.29  # plan
    assert round(r20["generation_100m_kwh"] - r15["generation_100m_kwh"], 2) == 52.86  # plan
    assert round(r20["capacity_share_pct"] - r15["capacity_share_pct"], 2) == 6.2  # plan
    assert round(r20["generation_share_pct"] - r15["generation_share_pct"], 2) == 9.98  # plan
    assert one(p15, plant_type="gas")["capacity_10k_kw"] is None  # "—": no gas plant in 2015


def test_power_in_megawatts_is_converted(power):
    p22 = power[2022]  # unit line 单位：兆瓦, capacities printed "2,200.0"
    assert one(p22, plant_type="coal")["capacity_10k_kw"] == pytest.approx(220.0)
    assert one(p22, plant_type="total")["capacity_10k_kw"] == pytest.approx(919.36)
    assert one(p22, plant_type="coal_300mw_plus")["capacity_10k_kw"] == pytest.approx(126.0)
    assert one(p22, plant_type="coal")["generation_100m_kwh"] == 116.2  # not scaled


def test_balance_electricity_equals_power_generation(balances, power):
    for year, df in balances.items():
        p = power[year]
        gen = {r["plant_type"]: r["generation_100m_kwh"] or 0 for r in p.to_dicts()}
        assert q(df, "thermal_power", "electricity") == pytest.approx(gen["coal"] + gen["gas"], abs=0.005)
        assert q(df, "primary_production", "electricity") == pytest.approx(gen["renewable"], abs=0.005)
    assert one(power[2015], plant_type="coal")["supply_coal_rate_gce_per_kwh"] == SUPPLY_COAL_RATE[2015]
    assert one(power[2020], plant_type="coal")["supply_coal_rate_gce_per_kwh"] == SUPPLY_COAL_RATE[2020]


# --- gas_coverage -------------------------------------------------------------------------------

def test_gas_coverage():
    g20 = read("gas_coverage", "gas_coverage_2020.xlsx", 2020)
    assert g20.height == 8
    city = one(g20, region_code="150800")
    assert (city["coverage_pct"], city["status"], city["urban_population_10k"]) == (93.57, "final", None)
    # the counties' populations give the same: 87.3 / 93.3 = 93.57 %
    counties = g20.filter(g20["region_code"] != "150800")
    assert round(100 * counties["piped_gas_population_10k"].sum() / counties["urban_population_10k"].sum(), 2) == 93.57
    assert one(g20, region_code="150824")["coverage_pct"] == 77.59  # below the 85 % target for 2025
    g21 = read("gas_coverage", "gas_coverage_2021.xlsx", 2021)
    assert one(g21, region_code="150823")["region_name_as_delivered"] == "乌前旗"
    assert one(g21, region_code="150826")["region_name_as_delivered"] == "杭后旗"
    assert one(g21, region_code="150800")["region_name_as_delivered"] == "全市"
    g23 = read("gas_coverage", "gas_coverage_2023.xlsx", 2023)
    assert one(g23, region_code="150824")["coverage_pct"] == 84.07  # "乌拉特中旗①": 4.96 / 5.9
    g24 = read("gas_coverage", "gas_coverage_2024.xlsx", 2024)
    assert one(g24, region_code="150800")["region_name_as_delivered"] == "合计"
    assert one(g24, region_code="150825")["coverage_pct"] == 86.98  # 3.74 / 4.3


# --- industrial_energy ---------------------------------------------------------------------------

def test_industrial_energy_csv_with_bom_in_tce():
    assert (RAW / "industrial_energy_2015_2024.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    df = read("industrial_energy", "industrial_energy_2015_2024.csv", None)
    assert df.height == 6 * 8 and sorted(set(df["year"])) == [2015, 2020, 2021, 2022, 2023, 2024]
    city15 = one(df, year=2015, region_code="150800")
    assert city15["industrial_energy_10k_tce"] == pytest.approx(698.0502)  # "6,980,502" 吨标准煤
    assert city15["growth_pct"] is None  # "…"
    front15 = one(df, year=2015, region_code="150823")
    assert front15["region_name_as_delivered"] == "乌前旗"
    assert front15["industrial_energy_10k_tce"] == pytest.approx(202.4346)  # "2,024,346"
    assert one(df, year=2021, region_code="150800")["growth_pct"] == 5.9
    for year in set(df["year"]):
        rows = df.filter(year=year)
        counties = rows.filter(rows["region_code"] != "150800")["industrial_energy_10k_tce"].sum()
        assert counties == pytest.approx(one(rows, region_code="150800")["industrial_energy_10k_tce"])


# --- key_energy_users ----------------------------------------------------------------------------

def test_key_energy_users_gb18030():
    raw = (RAW / "key_energy_users_2023.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "重点用能单位" in raw.decode("gb18030")
    frames = {y: read("key_energy_users", f"key_energy_users_{y}.csv", y) for y in (2021, 2022, 2023, 2024)}
    assert [frames[y].height for y in sorted(frames)] == [18, 18, 18, 18]
    k23 = frames[2023]
    a = one(k23, unit_name="示例发电有限责任公司A")
    assert (a["energy_consumption_tce"], a["industry"], a["region_code"]) == (1522500, "power_heat", "150823")
    assert one(k23, unit_name="示例发电有限责任公司E")["energy_consumption_tce"] == 374000  # 680,000 x 0.55
    zinc = one(k23, unit_name="示例锌冶炼有限公司")
    assert (zinc["region_name_as_delivered"], zinc["region_code"]) == ("乌后旗", "150825")
    assert zinc["energy_consumption_tce"] == 383800  # 380,000 x 1.01
    assert k23.filter(unit_name="示例电石有限公司").height == 0  # off the list from 2023
    assert one(frames[2021], unit_name="示例玻璃制品有限公司")["region_code"] == "150822"  # "磴口"
    # the key units use less than all industry above designated size
    ind = read("industrial_energy", "industrial_energy_2015_2024.csv", None)
    for year, df in frames.items():
        assert df["energy_consumption_tce"].sum() / 1e4 < one(ind, year=year, region_code="150800")["industrial_energy_10k_tce"]


def test_every_delivery_has_its_contract():
    names = {p.name for p in RAW.glob("*") if not p.name.endswith((".yml", ".md"))}
    matched = {p.name for ds in ("energy_balance", "power", "gas_coverage", "industrial_energy", "key_energy_users")
               for p, _ in contract(ds).deliveries()}
    assert names == matched and len(names) == 22
