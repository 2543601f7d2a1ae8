"""Write the energy source's sample deliveries under raw/energy/ with a provenance file beside each.

Run by a maintainer when the sample changes (`.venv/bin/python -m scripts.samples.energy --force`);
the pipeline never runs it.

Published values: only the plan's power figures (巴彦淖尔市"十四五"应对气候变化规划, 第一章 一(五)):
2020 renewable capacity 69.56 % of the total and 156.29万千瓦 more than 2015 (share 6.2 points
higher), renewable generation 115.18亿千瓦时 = 49.98 % of generation and 52.86亿千瓦时 more than 2015
(share 9.98 points higher); and 城镇燃气普及率 93.57 % in 2020. Every other value is illustrative:
no city energy statistics were published.

The numbers are built to be internally consistent (raw/energy/README.md gives the derivation):
- the balance's electricity equals the power dataset's generation (thermal power output = coal +
  gas generation; primary production = wind + solar + biomass + hydro generation);
- raw coal into thermal power follows from coal generation, the supply coal rate and CHP heat;
- with real GDP 2020/2015 = 1.07 x 1.055 x 1.05 x 1.048 x 0.985, the balances give a 2015->2020
  decline of energy per unit of GDP of 8.4 % and of CO2 per unit of GDP of 18.4 % (checked below
  by `consistency()` every time the samples are written).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from scripts.samples._common import arguments, may_write, save_workbook, write_csv, write_provenance

LICENCE = "Sample data assembled for this project; published figures from 巴彦淖尔市人民政府 (政府信息公开)"
PLAN = "巴彦淖尔市\"十四五\"应对气候变化规划 (2021-2025), 第一章"
BALANCE_YEARS = [2015, 2020, 2021, 2022, 2023, 2024]

# ---------------------------------------------------------------------------------------------
# 2. Power: capacity (万千瓦) and generation (亿千瓦时) by type.
# ---------------------------------------------------------------------------------------------
TYPES = ["coal", "gas", "wind", "solar", "biomass", "hydro"]
RENEWABLE = ["wind", "solar", "biomass", "hydro"]
# Capacity, 万千瓦. Illustrative, except that the renewable sums and shares reproduce the plan:
# 2020 renewable 520.00 = 69.56 % of 747.56; 2015 renewable 363.71 = 520.00 - 156.29 (plan) and
# 63.36 % (= 69.56 - 6.2, plan) of 574.04. 2024 wind + solar 920.5 approaches the 942.1 target.
CAPACITY = {
    2015: dict(coal=210.33, gas=0.0, wind=300.00, solar=58.21, biomass=3.00, hydro=2.50),
    2020: dict(coal=220.00, gas=7.56, wind=390.00, solar=121.50, biomass=6.00, hydro=2.50),
    2021: dict(coal=220.00, gas=7.56, wind=420.00, solar=151.50, biomass=6.00, hydro=2.50),
    2022: dict(coal=220.00, gas=7.56, wind=480.00, solar=200.30, biomass=9.00, hydro=2.50),
    2023: dict(coal=286.00, gas=7.56, wind=560.00, solar=260.80, biomass=9.00, hydro=2.50),
    2024: dict(coal=266.00, gas=7.56, wind=620.00, solar=300.50, biomass=9.00, hydro=2.50),
}
# Coal units of 300 MW and above, 万千瓦 (illustrative; the plan's 2025 target is 75 % of thermal
# capacity): 2 x 330 + 2 x 300 MW, then 2 x 330 MW more in 2023.
COAL_300MW = {2015: 126.00, 2020: 126.00, 2021: 126.00, 2022: 126.00, 2023: 192.00, 2024: 192.00}
# Generation, 亿千瓦时. Renewable sums reproduce the plan: 2020 115.18 (49.98 % of 230.45);
# 2015 62.32 = 115.18 - 52.86 (plan), 40.00 % (= 49.98 - 9.98, plan) of 155.80. Split illustrative.
GENERATION = {
    2015: dict(coal=93.48, gas=0.0, wind=52.00, solar=8.02, biomass=1.50, hydro=0.80),
    2020: dict(coal=113.97, gas=1.30, wind=90.20, solar=20.48, biomass=3.50, hydro=1.00),
    2021: dict(coal=114.40, gas=1.30, wind=98.70, solar=25.00, biomass=3.50, hydro=1.00),
    2022: dict(coal=116.20, gas=1.25, wind=113.28, solar=32.65, biomass=5.20, hydro=0.95),
    2023: dict(coal=128.60, gas=1.20, wind=134.40, solar=42.25, biomass=5.40, hydro=1.05),
    2024: dict(coal=134.80, gas=1.20, wind=147.56, solar=48.08, biomass=5.50, hydro=1.00),
}
# Average supply coal rate of coal power, gce/kWh (illustrative; the region's 2025 target is
# about 305).
COAL_RATE = {2015: 328, 2020: 316, 2021: 314, 2022: 312, 2023: 309, 2024: 306}
POWER_MW_YEAR = 2022  # that year's file gives capacity in 兆瓦 (a new template; unit line 单位：兆瓦)

# ---------------------------------------------------------------------------------------------
# 1. Energy balance (实物量). Every value illustrative.
# ---------------------------------------------------------------------------------------------
# code, name, unit, standard-coal factor (methods.md §3; per 万吨, per 亿立方米 = 10^4 x 10^4 m³,
# per 万GJ), CO2 factor per unit (NCV x CC x OF x 44/12, methods.md §3; None: not a fossil fuel).
def _co2(ncv_gj: float, cc_tc_per_tj: float, of: float) -> float:
    return ncv_gj * cc_tc_per_tj / 1000 * of * 44 / 12


FUELS = [
    ("raw_coal", "原煤", "万吨", 0.7143, _co2(20.908, 26.32, 0.94)),
    # 洗精煤 is not in methods.md: GB/T 32150-2015 appendix default 26.344 GJ/t, 25.41 tC/TJ, 93 %.
    ("cleaned_coal", "洗精煤", "万吨", 0.9000, _co2(26.344, 25.41, 0.93)),
    ("coke", "焦炭", "万吨", 0.9714, _co2(28.435, 29.42, 0.93)),
    ("coke_oven_gas", "焦炉煤气", "亿立方米", 6.143, _co2(173.854, 12.10, 0.99)),
    ("crude_oil", "原油", "万吨", 1.4286, _co2(41.816, 20.08, 0.98)),
    ("gasoline", "汽油", "万吨", 1.4714, _co2(43.070, 18.90, 0.98)),
    ("kerosene", "煤油", "万吨", 1.4714, _co2(43.070, 19.60, 0.98)),
    ("diesel", "柴油", "万吨", 1.4571, _co2(42.652, 20.20, 0.98)),
    ("fuel_oil", "燃料油", "万吨", 1.4286, _co2(41.816, 21.10, 0.98)),
    ("lpg", "液化石油气", "万吨", 1.7143, _co2(50.179, 17.20, 0.98)),
    ("natural_gas", "天然气", "亿立方米", 12.143, _co2(389.31, 15.32, 0.99)),
    ("heat", "热力", "万百万千焦", 0.0341, None),
    ("electricity", "电力", "亿千瓦时", None, None),
]
FOSSIL = [f[0] for f in FUELS if f[4] is not None]
# Rows as the table prints them: (category code, label).
FLOWS = [
    ("available_total", "一、可供本地区消费的能源量"),
    ("primary_production", "  1.一次能源生产量"),
    ("inflow_other_provinces", "  2.外省(区、市)调入量"),
    ("outflow_other_provinces", "  3.本省(区、市)调出量(-)"),
    ("stock_change", "  4.库存增(-)减(+)量"),
    ("transformation_total", "二、加工转换投入(-)产出(+)量"),
    ("thermal_power", "  1.火力发电"),
    ("heat_supply", "  2.供热"),
    ("losses", "三、损失量"),
    ("final_consumption_total", "四、终端消费量"),
    ("final_agriculture", "  1.农、林、牧、渔业"),
    ("final_industry", "  2.工业"),
    ("final_industry_feedstock", "    其中:用作原料、材料"),
    ("final_construction", "  3.建筑业"),
    ("final_transport", "  4.交通运输、仓储和邮政业"),
    ("final_trade_hospitality", "  5.批发和零售业、住宿和餐饮业"),
    ("final_other", "  6.其他"),
    ("final_households", "  7.居民生活"),
]
SECTORS = ["final_agriculture", "final_industry", "final_construction", "final_transport",
           "final_trade_hospitality", "final_other", "final_households"]
# Illustrative split of each fuel's final consumption among the seven sectors (same every year),
# and the part of it used as feedstock (用作原料、材料, within industry).
SECTOR_SHARES = {
    "raw_coal": (0.03, 0.80, 0.005, 0.0, 0.02, 0.02, 0.125),
    "cleaned_coal": (0, 1.0, 0, 0, 0, 0, 0),
    "coke": (0, 0.97, 0, 0, 0, 0, 0.03),
    "gasoline": (0.03, 0.04, 0.02, 0.55, 0.04, 0.07, 0.25),
    "kerosene": (0, 0, 0, 0.9, 0, 0.1, 0),
    "diesel": (0.20, 0.13, 0.06, 0.55, 0.02, 0.04, 0),
    "fuel_oil": (0, 1.0, 0, 0, 0, 0, 0),
    "lpg": (0, 0.08, 0, 0, 0.30, 0.05, 0.57),
    "natural_gas": (0, 0.38, 0, 0.25, 0.10, 0.08, 0.19),
    "heat": (0, 0.30, 0, 0, 0.08, 0.17, 0.45),
    "electricity": (0.07, 0.78, 0.01, 0.015, 0.03, 0.035, 0.06),
}
FEEDSTOCK_SHARE = {"raw_coal": 0.04, "fuel_oil": 0.25, "lpg": 0.04}
# Coke used as feedstock (万吨): calcium carbide (电石) plants, most of which closed in 2017-2018
# (illustrative); their coke is counted in energy consumption but not combusted (no CO2).
COKE_FEEDSTOCK = {2015: 42.9, 2020: 3.0, 2021: 3.0, 2022: 2.8, 2023: 2.8, 2024: 2.6}
# Final consumption per fuel (万吨, 亿立方米, 亿千瓦时), illustrative. 2015 raw coal (319.75) and
# coke (92.9, of which 42.9 feedstock) were solved so that the 2015->2020 declines come out at
# 8.40 % and 18.40 % (see consistency()); everything else was set first.
FINAL = {
    2015: dict(raw_coal=319.75, cleaned_coal=28.0, coke=92.9, gasoline=24.0, kerosene=0.25, diesel=55.0,
               fuel_oil=1.5, lpg=4.2, natural_gas=3.37, electricity=110.0),
    2020: dict(raw_coal=311.5, cleaned_coal=35.0, coke=60.0, gasoline=31.5, kerosene=0.40, diesel=61.0,
               fuel_oil=1.0, lpg=5.3, natural_gas=6.3, electricity=136.5),
    2021: dict(raw_coal=322.0, cleaned_coal=37.0, coke=63.0, gasoline=33.0, kerosene=0.42, diesel=62.5,
               fuel_oil=1.0, lpg=5.5, natural_gas=6.9, electricity=146.0),
    2022: dict(raw_coal=318.0, cleaned_coal=38.5, coke=64.0, gasoline=32.0, kerosene=0.30, diesel=60.0,
               fuel_oil=0.9, lpg=5.4, natural_gas=7.2, electricity=152.0),
    2023: dict(raw_coal=326.0, cleaned_coal=40.0, coke=66.5, gasoline=34.5, kerosene=0.45, diesel=63.0,
               fuel_oil=0.9, lpg=5.6, natural_gas=7.8, electricity=163.0),
    2024: dict(raw_coal=330.0, cleaned_coal=41.0, coke=67.0, gasoline=35.0, kerosene=0.50, diesel=62.0,
               fuel_oil=0.8, lpg=5.7, natural_gas=8.3, electricity=171.0),
}
# Other flows, illustrative: local raw coal and crude oil production, outflows, stock changes,
# inputs to heat-only boilers, CHP heat (万GJ), electricity inflow and line losses (亿千瓦时).
PRODUCTION = {2015: dict(raw_coal=300.0), 2020: dict(raw_coal=350.0, crude_oil=8.0),
              2021: dict(raw_coal=380.0, crude_oil=12.0), 2022: dict(raw_coal=420.0, crude_oil=16.5),
              2023: dict(raw_coal=450.0, crude_oil=21.0), 2024: dict(raw_coal=460.0, crude_oil=26.0)}
OUTFLOW = {2015: dict(raw_coal=90.0), 2020: dict(raw_coal=120.0, crude_oil=8.0),
           2021: dict(raw_coal=130.0, crude_oil=12.0), 2022: dict(raw_coal=160.0, crude_oil=16.5),
           2023: dict(raw_coal=170.0, crude_oil=21.0), 2024: dict(raw_coal=175.0, crude_oil=26.0)}
STOCK = {2015: 2.0, 2020: -5.0, 2021: 3.0, 2022: -4.0, 2023: 1.5, 2024: -2.0}  # raw coal, 万吨
BOILER_COAL = {2015: 55.0, 2020: 60.0, 2021: 61.0, 2022: 60.0, 2023: 58.0, 2024: 56.0}  # 万吨
BOILER_GAS = {2015: 0.3, 2020: 0.8, 2021: 0.9, 2022: 1.0, 2023: 1.1, 2024: 1.2}  # 亿立方米
CHP_HEAT = {2015: 2100.0, 2020: 2600.0, 2021: 2700.0, 2022: 2750.0, 2023: 2900.0, 2024: 3000.0}  # 万GJ
ELEC_INFLOW = {2015: 6.0, 2020: 10.0, 2021: 9.5, 2022: 11.0, 2023: 10.5, 2024: 12.0}
ELEC_LOSSES = {2015: 7.6, 2020: 8.2, 2021: 8.6, 2022: 8.9, 2023: 9.4, 2024: 9.7}
# Engineering assumptions behind the derived inputs (illustrative): power plants' own use 6.5 %
# of coal generation; CHP heat raised at 92 % boiler efficiency; heat-only boilers 78 % (coal) and
# 88 % (gas); gas turbines 0.20 m³/kWh; 0.30万吨 diesel and 0.20万吨 fuel oil of start-up fuel; heat
# network losses 5 %.
OWN_USE, CHP_EFF, BOILER_EFF_COAL, BOILER_EFF_GAS, GAS_M3_PER_KWH = 0.065, 0.92, 0.78, 0.88, 0.20
STARTUP = dict(diesel=0.30, fuel_oil=0.20)
HEAT_LOSS = 0.05

# Real GDP 2020/2015, fixed by the statistics source; grid and heat emission factors (methods.md,
# published_figures.md: North China grid 2021, carried back to 2015-2020 and flagged).
GDP_2020_OVER_2015 = 1.07 * 1.055 * 1.05 * 1.048 * 0.985
GRID_TCO2_PER_MWH, HEAT_TCO2_PER_GJ = 0.7120, 0.11


def _r(x: float) -> float:
    return round(x + 0.0, 2)


def balance(year: int) -> dict[str, dict[str, float]]:
    """category -> fuel -> quantity (signed as printed; inputs negative), rounded to 2 decimals."""
    t = {code: {} for code, _ in FLOWS}
    gen = GENERATION[year]
    coal_tce = gen["coal"] * (1 - OWN_USE) * COAL_RATE[year] * 0.01 + CHP_HEAT[year] * 0.0341 / CHP_EFF
    t["thermal_power"] = {
        "raw_coal": -_r(coal_tce / 0.7143),
        "natural_gas": -_r(gen["gas"] * GAS_M3_PER_KWH),
        "diesel": -STARTUP["diesel"], "fuel_oil": -STARTUP["fuel_oil"],
        "heat": CHP_HEAT[year], "electricity": _r(gen["coal"] + gen["gas"]),
    }
    boiler_heat = _r(BOILER_COAL[year] * 20.908 * BOILER_EFF_COAL + BOILER_GAS[year] * 389.31 * BOILER_EFF_GAS)
    t["heat_supply"] = {"raw_coal": -BOILER_COAL[year], "natural_gas": -BOILER_GAS[year], "heat": boiler_heat}
    heat_out = CHP_HEAT[year] + boiler_heat
    t["losses"] = {"heat": _r(heat_out * HEAT_LOSS), "electricity": ELEC_LOSSES[year]}
    finals = dict(FINAL[year], heat=_r(heat_out - t["losses"]["heat"]))
    for fuel, total in finals.items():
        shares = SECTOR_SHARES[fuel]
        parts = [_r(total * s) for s in shares]
        parts[1] = _r(total - sum(p for i, p in enumerate(parts) if i != 1))  # industry takes the rounding
        for sector, part in zip(SECTORS, parts):
            if part:
                t[sector][fuel] = part
        t["final_consumption_total"][fuel] = _r(sum(parts))
        if fuel in FEEDSTOCK_SHARE:
            t["final_industry_feedstock"][fuel] = _r(total * FEEDSTOCK_SHARE[fuel])
        if fuel == "coke":
            t["final_industry_feedstock"][fuel] = COKE_FEEDSTOCK[year]
    t["primary_production"] = dict(PRODUCTION[year])
    t["primary_production"]["electricity"] = _r(sum(gen[k] for k in RENEWABLE))
    t["outflow_other_provinces"] = {f: -v for f, v in OUTFLOW[year].items()}
    t["stock_change"] = {"raw_coal": STOCK[year]}
    t["inflow_other_provinces"] = {"electricity": ELEC_INFLOW[year]}
    for fuel, *_ in FUELS:
        transf = _r(sum(t[c].get(fuel, 0) for c in ("thermal_power", "heat_supply")))
        if transf:
            t["transformation_total"][fuel] = transf
        need = _r(t["final_consumption_total"].get(fuel, 0) + t["losses"].get(fuel, 0) - transf)
        if fuel == "electricity":  # electricity balances through its outflow
            out = _r(t["primary_production"][fuel] + ELEC_INFLOW[year] - need)
            t["outflow_other_provinces"][fuel] = -out
        elif fuel != "heat":  # fuels balance through their inflow from other provinces
            inflow = _r(need - t["primary_production"].get(fuel, 0) - t["outflow_other_provinces"].get(fuel, 0)
                        - t["stock_change"].get(fuel, 0))
            if inflow:
                t["inflow_other_provinces"][fuel] = inflow
        avail = _r(sum(t[c].get(fuel, 0) for c in ("primary_production", "inflow_other_provinces",
                                                   "outflow_other_provinces", "stock_change")))
        if avail:
            t["available_total"][fuel] = avail
    return t


def energy_and_co2(year: int) -> tuple[float, float]:
    """Total energy consumption (万tce) and CO2 (万t) by the stated default accounting."""
    t = balance(year)
    energy = co2 = 0.0
    for fuel, _, _, sce, ef in FUELS:
        if ef is None:
            continue
        used = t["final_consumption_total"].get(fuel, 0) - t["thermal_power"].get(fuel, 0) - t["heat_supply"].get(fuel, 0)
        energy += used * sce
        co2 += (used - t["final_industry_feedstock"].get(fuel, 0)) * ef
    elec_net = t["inflow_other_provinces"].get("electricity", 0) + t["outflow_other_provinces"].get("electricity", 0)
    energy += (t["primary_production"]["electricity"] + elec_net) * COAL_RATE[year] * 0.01
    co2 += elec_net * 1e5 * GRID_TCO2_PER_MWH / 1e4
    heat_net = t["inflow_other_provinces"].get("heat", 0) + t["outflow_other_provinces"].get("heat", 0)
    energy += heat_net * 0.0341
    co2 += heat_net * HEAT_TCO2_PER_GJ
    return energy, co2


def consistency() -> dict[str, float]:
    (e15, c15), (e20, c20) = energy_and_co2(2015), energy_and_co2(2020)
    out = {
        "energy_intensity_decline_pct": 100 * (1 - (e20 / e15) / GDP_2020_OVER_2015),
        "co2_intensity_decline_pct": 100 * (1 - (c20 / c15) / GDP_2020_OVER_2015),
    }
    for y in BALANCE_YEARS:
        cap, gen = CAPACITY[y], GENERATION[y]
        out[f"renewable_capacity_share_{y}"] = 100 * sum(cap[k] for k in RENEWABLE) / sum(cap.values())
        out[f"renewable_generation_share_{y}"] = 100 * sum(gen[k] for k in RENEWABLE) / sum(gen.values())
    return out


def check_consistency() -> None:
    c = consistency()
    assert all(round(sum(v), 6) == 1 for v in INDUSTRY_COUNTY_SHARE.values())
    assert round(c["energy_intensity_decline_pct"], 1) == 8.4, c
    assert round(c["co2_intensity_decline_pct"], 1) == 18.4, c
    assert round(c["renewable_capacity_share_2020"], 2) == 69.56, c   # plan
    assert round(c["renewable_generation_share_2020"], 2) == 49.98, c  # plan
    assert round(c["renewable_capacity_share_2015"], 2) == 63.36, c   # plan: 6.2 points lower
    assert round(c["renewable_generation_share_2015"], 2) == 40.00, c  # plan: 9.98 points lower
    assert round(sum(CAPACITY[2020][k] - CAPACITY[2015][k] for k in RENEWABLE), 2) == 156.29
    assert round(sum(GENERATION[2020][k] - GENERATION[2015][k] for k in RENEWABLE), 2) == 52.86
    for y in BALANCE_YEARS:
        t = balance(y)
        assert t["outflow_other_provinces"]["electricity"] < 0 and t["inflow_other_provinces"]["raw_coal"] > 0



# ---------------------------------------------------------------------------------------------
# 3. Industrial energy consumption above designated size (规模以上工业综合能源消费量), illustrative:
#    a share of the balance's total energy consumption, split among the counties.
# ---------------------------------------------------------------------------------------------
COUNTIES = ["临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "乌拉特后旗", "杭锦后旗"]
INDUSTRY_SHARE_OF_TOTAL = {2015: 0.70, 2020: 0.72, 2021: 0.725, 2022: 0.72, 2023: 0.73, 2024: 0.73}
# County shares of the city's industrial energy (illustrative): the coal power plants sit in
# 乌拉特前旗 and 磴口县, the smelters in 乌拉特后旗 and 乌拉特中旗.
# Order: 临河区, 五原县, 磴口县, 乌拉特前旗, 乌拉特中旗, 乌拉特后旗, 杭锦后旗 (each year sums to 1).
INDUSTRY_COUNTY_SHARE = {
    2015: (0.15, 0.07, 0.13, 0.29, 0.12, 0.19, 0.05),  # the carbide plant still running in 乌拉特后旗
    2020: (0.16, 0.06, 0.14, 0.30, 0.12, 0.17, 0.05),
    2021: (0.16, 0.06, 0.14, 0.30, 0.12, 0.17, 0.05),
    2022: (0.17, 0.06, 0.14, 0.29, 0.12, 0.17, 0.05),
    2023: (0.16, 0.06, 0.13, 0.32, 0.12, 0.16, 0.05),  # a new 2 x 330 MW plant in 乌拉特前旗
    2024: (0.15, 0.06, 0.13, 0.34, 0.11, 0.16, 0.05),
}
# How the county column is spelled in the export (region name variants).
INDUSTRY_NAMES = {"乌拉特前旗": "乌前旗", "杭锦后旗": "杭后旗"}


def industrial_energy_tce(year: int) -> dict[str, int]:
    """Region name -> 吨标准煤 (integers, as the export gives them); the city row is the counties' sum."""
    total = energy_and_co2(year)[0] * 1e4 * INDUSTRY_SHARE_OF_TOTAL[year]
    counties = {c: round(total * s) for c, s in zip(COUNTIES, INDUSTRY_COUNTY_SHARE[year])}
    return {"巴彦淖尔市": sum(counties.values()), **counties}


# ---------------------------------------------------------------------------------------------
# 4. Piped natural gas coverage of towns (城镇天然气管网覆盖率), by county.
# ---------------------------------------------------------------------------------------------
# Urban population and population with piped gas, 万人, illustrative. 2020 sums to 87.3 / 93.3 =
# 93.57 %, the plan's 2020 城镇燃气普及率 (the city row prints it; its populations are not given).
URBAN_POP = {
    2020: (43.0, 10.0, 6.0, 12.5, 5.8, 4.2, 11.8), 2021: (43.4, 10.0, 6.0, 12.6, 5.8, 4.2, 11.9),
    2022: (43.9, 10.1, 6.1, 12.6, 5.9, 4.2, 11.9), 2023: (44.3, 10.1, 6.1, 12.7, 5.9, 4.3, 12.0),
    2024: (44.8, 10.2, 6.1, 12.7, 5.9, 4.3, 12.0),
}
GAS_POP = {
    2020: (42.6, 8.9, 5.5, 11.3, 4.5, 3.4, 11.1), 2021: (43.1, 9.0, 5.6, 11.5, 4.65, 3.46, 11.3),
    2022: (43.6, 9.2, 5.7, 11.6, 4.87, 3.53, 11.4), 2023: (44.0, 9.3, 5.75, 11.8, 4.96, 3.69, 11.5),
    2024: (44.6, 9.5, 5.8, 11.9, 5.03, 3.74, 11.6),
}
GAS_CITY_2020_PCT = 93.57  # plan, 第一章 一(六): 城镇燃气普及率达到 93.57%
# Region names as each year's file spells them (variants on purpose).
GAS_NAMES = {
    2020: ("巴彦淖尔市", *COUNTIES),
    2021: ("全市", "临河区", "五原县", "磴口县", "乌前旗", "乌拉特中旗", "乌拉特后旗", "杭后旗"),
    2022: ("全市", "临河", "五原", "磴口", "乌拉特前旗", "乌中旗", "乌后旗", "杭锦后旗"),
    2023: ("巴彦淖尔市", "临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗①", "乌拉特后旗", "杭后旗"),
    2024: ("合计", "临河区", "五原县", "磴口县", "乌前旗", "乌中旗", "乌后旗", "杭锦后旗"),
}


def gas_rows(year: int) -> list[tuple]:
    """(name as printed, urban population, population with piped gas, coverage %)."""
    urban, gas = URBAN_POP[year], GAS_POP[year]
    rows = [(n, u, g, _r(100 * g / u)) for n, u, g in zip(GAS_NAMES[year][1:], urban, gas)]
    if year == 2020:
        city = (GAS_NAMES[year][0], None, None, GAS_CITY_2020_PCT)
    else:
        su, sg = _r(sum(urban)), _r(sum(gas))
        city = (GAS_NAMES[year][0], su, sg, _r(100 * sg / su))
    return [city, *rows]


# ---------------------------------------------------------------------------------------------
# 5. Key energy-using units (重点用能单位), illustrative: the names are made up ("示例"), the
#    consumption (吨标准煤) is of the right order for such plants.
# ---------------------------------------------------------------------------------------------
# name, county as printed, industry as printed, 2021 tce, factors for 2022 / 2023 / 2024 (None: not
# on the list that year).
KEY_USERS = [
    ("示例发电有限责任公司A", "乌拉特前旗", "电力、热力生产和供应业", 1450000, (1.01, 1.05, 1.07)),
    ("示例发电有限责任公司B", "磴口县", "电力、热力生产和供应业", 980000, (1.02, 1.04, 1.03)),
    ("示例热电有限公司C", "临河区", "电力、热力生产和供应业", 620000, (1.01, 1.03, 1.04)),
    ("示例热电有限公司D", "杭后旗", "电力、热力生产和供应业", 410000, (1.00, 1.02, 1.02)),
    ("示例发电有限责任公司E", "乌拉特前旗", "电力、热力生产和供应业", None, (None, 0.55, 1.30)),
    ("示例铜冶炼有限公司", "乌拉特后旗", "有色金属冶炼和压延加工业", 520000, (1.03, 1.06, 1.08)),
    ("示例锌冶炼有限公司", "乌后旗", "有色金属冶炼和压延加工业", 380000, (0.98, 1.01, 1.03)),
    ("示例铅锌矿业有限公司", "乌中旗", "有色金属矿采选业", 150000, (1.02, 1.04, 1.05)),
    ("示例硅铁合金有限公司", "乌拉特中旗", "黑色金属冶炼和压延加工业", 260000, (0.97, 0.95, 0.90)),
    ("示例水泥有限公司", "乌前旗", "非金属矿物制品业", 180000, (0.93, 0.95, 0.92)),
    ("示例电石有限公司", "乌拉特后旗", "化学原料和化学制品制造业", 95000, (0.90, None, None)),
    ("示例化工有限公司", "临河区", "化学原料和化学制品制造业", 140000, (1.04, 1.08, 1.10)),
    ("示例洗煤有限公司", "乌拉特中旗", "煤炭开采和洗选业", 60000, (1.05, 1.08, 1.06)),
    ("示例乳业有限公司", "临河区", "食品制造业", 45000, (1.06, 1.10, 1.12)),
    ("示例制糖有限公司", "五原县", "农副食品加工业", 38000, (1.02, 0.98, 1.01)),
    ("示例番茄制品有限公司", "杭锦后旗", "农副食品加工业", 22000, (1.03, 1.05, 1.06)),
    ("示例面粉有限公司", "五原", "农副食品加工业", 15000, (1.00, 1.02, 1.02)),
    ("示例玻璃制品有限公司", "磴口", "非金属矿物制品业", 30000, (1.02, 1.05, 1.08)),
    ("示例供热有限责任公司", "临河区", "电力、热力生产和供应业", 12000, (1.03, 1.05, 1.06)),
]
E_2023_BASE = 680000  # 示例发电有限责任公司E: a 2 x 330 MW plant in service from mid-2023 (tce, full-year basis)


def key_user_rows(year: int) -> list[tuple]:
    rows = []
    for name, county, industry, base, factors in KEY_USERS:
        if year == 2021:
            value = base
        else:
            factor = factors[year - 2022]
            if factor is None:
                value = None
            elif base is None:
                value = E_2023_BASE * factor
            else:
                value = base * factor
        if value is not None:
            rows.append((name, county, industry, int(round(value, -1))))
    return rows


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------
def _cell(v, thousands: bool = False):
    """How the table prints a value: '—' for nothing; large values as text with separators."""
    if v is None or v == 0:
        return "—"
    if thousands and abs(v) >= 1000:
        return f"{v:,.2f}"
    return v


def write_balance(year: int, path: Path) -> None:
    t = balance(year)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "能源平衡表"
    last = openpyxl.utils.get_column_letter(1 + len(FUELS))
    ws["A1"] = f"巴彦淖尔市{year}年能源平衡表（实物量）"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = "制表机关：巴彦淖尔市统计局（能源统计科）"
    ws["A3"] = "项    目"
    ws.merge_cells("A3:A4")
    for j, (_, name, unit, *_) in enumerate(FUELS, start=2):
        ws.cell(row=3, column=j, value=name)
        ws.cell(row=4, column=j, value=unit)  # the unit sits under the fuel name
    for i, (code, label) in enumerate(FLOWS, start=5):
        # a footnote mark on the feedstock line, explained under the table
        ws.cell(row=i, column=1, value=label + ("①" if code == "final_industry_feedstock" else ""))
        for j, (fuel, *_) in enumerate(FUELS, start=2):
            ws.cell(row=i, column=j, value=_cell(t[code].get(fuel), thousands=fuel == "heat"))
    n = 5 + len(FLOWS)
    notes = [
        "注：1. 加工转换投入量以负数表示，产出量以正数表示；本省(区、市)调出量以负数表示。",
        "    2. “—”表示无发生额。一次电力生产量为风电、太阳能发电、生物质发电和水电发电量。",
        "    ① 含电石生产用焦炭。",
        "    3. 本表为示意数据（非公布数）。",
    ]
    for k, note in enumerate(notes):
        ws.cell(row=n + k, column=1, value=note)
    ws.column_dimensions["A"].width = 34
    save_workbook(wb, path, datetime(year + 1, 9, 30))


POWER_ROWS = [  # (label as printed, what it holds)
    ("总计", "total"), ("火电", "thermal"), ("  其中：煤电", "coal"),
    ("    其中：单机30万千瓦及以上", "coal_300mw_plus"), ("  气电", "gas"), ("可再生能源", "renewable"),
    ("  风电", "wind"), ("  太阳能发电", "solar"), ("  生物质发电", "biomass"), ("  水电", "hydro"),
]


def power_values(year: int) -> dict[str, tuple]:
    """plant type -> (capacity 万千瓦, capacity share %, generation, generation share %, coal rate)."""
    cap, gen = CAPACITY[year], GENERATION[year]
    groups = {"total": TYPES, "thermal": ["coal", "gas"], "renewable": RENEWABLE, **{k: [k] for k in TYPES}}
    tc, tg = sum(cap.values()), sum(gen.values())
    out = {}
    for code, members in groups.items():
        c, g = _r(sum(cap[k] for k in members)), _r(sum(gen[k] for k in members))
        out[code] = (c, _r(100 * c / tc) if c else None, g, _r(100 * g / tg) if g else None,
                     COAL_RATE[year] if code == "coal" else None)
    out["coal_300mw_plus"] = (COAL_300MW[year], None, None, None, None)
    return out


def write_power(year: int, path: Path) -> None:
    values = power_values(year)
    mw = year == POWER_MW_YEAR
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "电力"
    ws["A1"] = f"{year}年全市电源装机及发电情况"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    ws["A2"] = "制表机关：巴彦淖尔市能源局"  # not "填报单位：": it would read as the unit line
    ws["F2"] = "单位：兆瓦" if mw else "单位：万千瓦"  # the unit line is about capacity
    ws["F2"].alignment = Alignment(horizontal="right")
    ws["A3"], ws["B3"], ws["D3"], ws["F3"] = "电源类型", "装机容量", "发电量（亿千瓦时）", "煤电平均供电煤耗（克标准煤/千瓦时）"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:E3")
    ws.merge_cells("F3:F4")
    ws["B4"], ws["C4"], ws["D4"], ws["E4"] = "年末容量", "占比（%）", "发电量", "占比（%）"
    for i, (label, code) in enumerate(POWER_ROWS, start=5):
        cap, cap_share, gen, gen_share, rate = values[code]
        ws.cell(row=i, column=1, value=label)
        # 兆瓦 = 万千瓦 x 10; that template prints them as text with thousands separators
        ws.cell(row=i, column=2, value=(f"{cap * 10:,.1f}" if cap else "—") if mw else _cell(cap))
        for j, v in enumerate((cap_share, gen, gen_share, rate), start=3):
            ws.cell(row=i, column=j, value=_cell(v))
    n = 5 + len(POWER_ROWS)
    ws.cell(row=n, column=1, value="注：可再生能源含风电、太阳能发电、生物质发电和水电；占比为占全市总装机（总发电量）的比重。")
    ws.cell(row=n + 1, column=1, value="    “—”表示无该类电源或不适用。" + (
        "2015、2020年可再生能源合计及占比与市“十四五”应对气候变化规划一致，分项为示意数据。"
        if year in (2015, 2020) else "本表为示意数据。"))
    ws.column_dimensions["A"].width = 30
    save_workbook(wb, path, datetime(year + 1, 3, 15))


def write_gas(year: int, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "燃气"
    ws["A1"] = f"{year}年各旗县区城镇天然气管网覆盖情况"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:D1")
    ws["D2"] = "单位：万人"
    ws["A3"], ws["B3"], ws["C3"] = "地  区", "城镇常住人口", "管道天然气"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:D3")
    ws["C4"], ws["D4"] = "用气人口", "覆盖率（%）"
    rows = gas_rows(year)
    for i, row in enumerate(rows, start=5):
        for j, v in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=_cell(v) if j > 1 else v)
    n = 5 + len(rows)
    ws.cell(row=n, column=1, value="注：覆盖率＝管道天然气用气人口÷城镇常住人口×100%。")
    ws.cell(row=n + 1, column=1, value=(
        "    2020年全市数为市“十四五”应对气候变化规划所载城镇燃气普及率；旗县区数为示意数据。" if year == 2020
        else "    本表为示意数据。"))
    if year == 2023:
        ws.cell(row=n + 2, column=1, value="    ① 含乌拉特中旗海流图镇新建管网。")
    save_workbook(wb, path, datetime(year + 1, 2, 28))


def write_industrial(path: Path) -> None:
    lines: list[list[object]] = [["规模以上工业综合能源消费量（2015年、2020—2024年）"],
                                 ["年份", "地区", "综合能源消费量（吨标准煤）", "比上年增长（%）"]]
    previous: dict[str, int] = {}
    for year in BALANCE_YEARS:
        values = industrial_energy_tce(year)
        for name, tce in values.items():
            prev = previous.get(name) if year - 1 in BALANCE_YEARS else None
            growth = f"{100 * (tce / prev - 1):.1f}" if prev else "…"
            lines.append([f"{year}", INDUSTRY_NAMES.get(name, name), f"{tce:,}", growth])
        previous = values
    lines += [[], ["注：规模以上工业指年主营业务收入2000万元及以上的工业法人单位；2019年未报送，2020年增长率空缺。"],
              ["本表为示意数据。"]]
    write_csv(path, lines, "utf-8-sig")


def write_key_users(year: int, path: Path) -> None:
    lines: list[list[object]] = [[f"{year}年重点用能单位能源消费情况"],
                                 ["序号", "单位名称", "所在旗县区", "所属行业", "综合能源消费量（吨标准煤）", "备注"]]
    for k, (name, county, industry, tce) in enumerate(key_user_rows(year), start=1):
        note = "建立能源管理中心" if tce >= 10000 else ""
        if name.endswith("E") and year == 2023:
            note = "2023年7月投产"
        lines.append([k, name, county, industry, f"{tce:,}", note])
    lines += [[], ["注：重点用能单位指年综合能源消费量1万吨标准煤及以上，以及自治区确定的5000吨标准煤及以上的用能单位。"],
              ["单位名称及数据均为示意。"]]
    write_csv(path, lines, "gb18030")


def main() -> int:
    args = arguments(__doc__)
    check_consistency()
    folder = args.raw_dir / "energy"
    common = dict(source="energy", licence=LICENCE)
    for year in BALANCE_YEARS:
        path = folder / f"energy_balance_{year}.xlsx"
        if may_write(path, args.force):
            write_balance(year, path)
            write_provenance(
                path, **common, publisher="巴彦淖尔市统计局", department_zh="统计局能源统计科",
                title=f"巴彦淖尔市{year}年能源平衡表（实物量）（样例交付）", received=f"{year + 1}-09-30",
                status="illustrative",
                citation="none: no energy balance of the city was published; every value is illustrative "
                         "(built so that thermal power output and primary electricity equal the power "
                         "dataset, and the 2015->2020 intensity declines are the plan's 8.4 % and 18.4 %)")
        path = folder / f"power_{year}.xlsx"
        if may_write(path, args.force):
            write_power(year, path)
            rows = {"renewable": 10}  # Excel row of the 可再生能源 line
            published = year in (2015, 2020)
            write_provenance(
                path, **common, publisher="巴彦淖尔市能源局", department_zh="能源局",
                title=f"{year}年全市电源装机及发电情况（样例交付）", received=f"{year + 1}-03-15",
                status="final" if published else "illustrative",
                citation=(f"{PLAN} 一(五), grade A: renewable capacity share "
                          + ("69.56 %, renewable generation 115.18亿千瓦时 = 49.98 % (the 可再生能源 row)"
                             if year == 2020 else
                             "63.36 % and generation 62.32亿千瓦时 = 40.00 %, derived from the 2020 figures "
                             "less the plan's 2015->2020 changes (+156.29万千瓦, +6.2 points, +52.86亿千瓦时, "
                             "+9.98 points) (the 可再生能源 row)")
                          + "; the row's capacity in 万千瓦 is not published (only its share and its "
                            "2015->2020 increase); every other value illustrative") if published
                         else "none: no power statistics for this year were found; every value illustrative",
                **({"illustrative": {"except_rows": [rows["renewable"]],
                                     "reason": "the split by type, thermal rows and coal rate are illustrative; "
                                               "only the renewable total and shares come from the plan"}}
                   if published else {}))
    for year in sorted(URBAN_POP):
        path = folder / f"gas_coverage_{year}.xlsx"
        if may_write(path, args.force):
            write_gas(year, path)
            write_provenance(
                path, **common, publisher="巴彦淖尔市住房和城乡建设局", department_zh="住房和城乡建设局（燃气）",
                title=f"{year}年各旗县区城镇天然气管网覆盖情况（样例交付）", received=f"{year + 1}-02-28",
                status="final" if year == 2020 else "illustrative",
                citation=(f"{PLAN} 一(六), grade A: 城镇燃气普及率 93.57 % (2020), printed as the city's "
                          "coverage; note the plan's measure is 燃气普及率 (all gas, including LPG), not "
                          "strictly pipeline coverage; its populations are left blank") if year == 2020
                         else "none: every value illustrative",
                **({"illustrative": {"except_rows": [5], "reason": "county rows are illustrative"}}
                   if year == 2020 else {}))
    path = folder / "industrial_energy_2015_2024.csv"
    if may_write(path, args.force):
        write_industrial(path)
        write_provenance(
            path, **common, publisher="巴彦淖尔市统计局", department_zh="统计局能源统计科",
            title="规模以上工业综合能源消费量（2015年、2020—2024年）（样例交付）", received="2025-04-30",
            status="illustrative", citation="none: every value illustrative (a share of the sample balance's "
                                            "total energy consumption, split among the counties)")
    for year in (2021, 2022, 2023, 2024):
        path = folder / f"key_energy_users_{year}.csv"
        if may_write(path, args.force):
            write_key_users(year, path)
            write_provenance(
                path, **common, publisher="巴彦淖尔市发展和改革委员会", department_zh="发展和改革委员会（节能）",
                title=f"{year}年重点用能单位能源消费情况（样例交付）", received=f"{year + 1}-03-31",
                status="illustrative", citation="none: unit names are made up (示例) and every value is illustrative")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
