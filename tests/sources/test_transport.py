"""The transport bureau's (交通运输局) bundled deliveries, read through their contracts.

Every value is illustrative (see raw/transport/README.md); the expected numbers below were
worked out by hand from the values in scripts/samples/transport.py, and each quirk the deliveries
use is exercised: a two-row header, region variants and footnote marks, a GB18030 CSV with
blank merged cells, a UTF-8-BOM CSV with "/" and a 合计 row, full-width digits converted from 吨
and 立方米, and "—" for a year without a survey.
"""

from __future__ import annotations

import pytest

from orchestration import settings
from orchestration.deliveries import Contract, read_delivery

RAW = settings.RAW_DIR / "transport"


def contract(dataset: str) -> Contract:
    return Contract.load(settings.CONTRACTS_DIR / "transport" / f"{dataset}.yml")


def read(dataset: str, file: str, year: str | None = None):
    return read_delivery(contract(dataset), RAW / file, year)


def one(df, **where) -> dict:
    rows = df.filter(**where)
    assert rows.height == 1, where
    return rows.row(0, named=True)


# --- bus_fleet: two-row header, region variants, footnote marks --------------------------------

@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023, 2024])
def test_bus_fleet_every_year_has_the_city_and_seven_counties(year):
    df = read("bus_fleet", f"bus_fleet_{year}.xlsx", str(year))
    assert df.height == 8
    assert df["region_code"].n_unique() == 8
    assert set(df["status"]) == {"illustrative"}
    assert df["_source_row"].to_list() == list(range(5, 13))  # the notes under the table are not rows


def test_bus_fleet_2020_city_row():
    city = one(read("bus_fleet", "bus_fleet_2020.xlsx", "2020"), region_code="150800")
    # 2019 fleet 122 diesel, 183 gas, 146 BEV, 40 hybrid; 2020: +29 bought (20 new-energy), 24 retired
    assert (city["stock_total_buses"], city["stock_diesel_buses"], city["stock_natural_gas_buses"],
            city["stock_battery_electric_buses"], city["stock_hybrid_buses"], city["stock_hydrogen_buses"]) == (
            497, 101, 190, 166, 40, 0)
    assert city["added_total_buses"] + city["replaced_total_buses"] == 29
    new_energy_bought = sum(city[f"{g}_{t}_buses"] for g in ("added", "replaced")
                            for t in ("battery_electric", "hybrid", "hydrogen"))
    assert new_energy_bought == 20  # 69 % of the buses bought in 2020


def test_bus_fleet_new_energy_path_towards_469():
    new_energy = {}
    for year in (2020, 2024):
        city = one(read("bus_fleet", f"bus_fleet_{year}.xlsx", str(year)), region_code="150800")
        new_energy[year] = (city["stock_battery_electric_buses"] + city["stock_hybrid_buses"]
                            + city["stock_hydrogen_buses"])
    assert new_energy == {2020: 206, 2024: 412}  # 57 more needed in 2025 for the plan's 469


def test_bus_fleet_region_variant_and_footnote_mark():
    df = read("bus_fleet", "bus_fleet_2021.xlsx", "2021")
    front = one(df, region_code="150823")
    assert front["region_name_as_delivered"] == "乌前旗"
    # base (20, 20, 10, 5, 0); 2020: 3 BEV replace 3 diesel; 2021: +1 gas, 4 BEV and 2 hybrid replace 6 diesel
    assert (front["stock_diesel_buses"], front["stock_natural_gas_buses"], front["stock_battery_electric_buses"],
            front["stock_hybrid_buses"], front["stock_total_buses"]) == (11, 21, 17, 7, 56)
    assert one(df, region_code="150826")["region_name_as_delivered"] == "杭后旗"
    linhe = one(df, region_code="150802")  # delivered as 临河区①
    assert linhe["region_name_as_delivered"] == "临河区"
    assert (linhe["added_natural_gas_buses"], linhe["added_battery_electric_buses"],
            linhe["replaced_battery_electric_buses"]) == (4, 8, 22)


def test_bus_fleet_hydrogen_pilot_in_linhe():
    linhe = one(read("bus_fleet", "bus_fleet_2023.xlsx", "2023"), region_code="150802")
    assert (linhe["added_hydrogen_buses"], linhe["stock_hydrogen_buses"]) == (5, 5)


# --- fleet_vehicles: GB18030 CSV, several years, blank merged cells filled down ----------------

def test_fleet_vehicles_gb18030_csv():
    assert (RAW / "fleet_vehicles_2020_2024.csv").read_bytes().decode("gb18030").startswith("巴彦淖尔市")
    df = read("fleet_vehicles", "fleet_vehicles_2020_2024.csv")
    assert df.height == 20
    assert sorted(set(df["year"])) == [2020, 2021, 2022, 2023, 2024]
    assert set(df["region_code"]) == {"150800"}
    assert df["_source_sheet"][0] == "fleet_vehicles_2020_2024.csv"
    # line 5 is ",,传统燃料汽车,"2,850",380": year and fleet carried down, thousands separator read
    conv = one(df, year=2020, fleet="urban_logistics", power_type="conventional")
    assert (conv["stock_vehicles"], conv["added_or_replaced_vehicles"], conv["_source_row"]) == (2850, 380, 5)
    gov_ne = one(df, year=2020, fleet="government", power_type="new_energy")  # line 6, year filled down
    assert (gov_ne["stock_vehicles"], gov_ne["added_or_replaced_vehicles"]) == (42, 12)


def test_fleet_vehicles_new_energy_shares_of_vehicles_bought():
    df = read("fleet_vehicles", "fleet_vehicles_2020_2024.csv")

    def share(year, fleet):
        ne = one(df, year=year, fleet=fleet, power_type="new_energy")["added_or_replaced_vehicles"]
        conv = one(df, year=year, fleet=fleet, power_type="conventional")["added_or_replaced_vehicles"]
        return 100 * ne / (ne + conv)

    assert share(2021, "government") == pytest.approx(25.93, abs=0.01)  # 28 / 108
    assert share(2024, "government") == pytest.approx(47.83, abs=0.01)  # 55 / 115, target 30
    assert share(2024, "urban_logistics") == pytest.approx(28.89, abs=0.01)  # 130 / 450, target 20


# --- operating_vehicles: full-width digits, 吨 -> 万吨 and 立方米 -> 万立方米, "—" ----------------

@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023, 2024])
def test_operating_vehicles_three_classes_a_year(year):
    df = read("operating_vehicles", f"operating_vehicles_{year}.xlsx", str(year))
    assert sorted(df["vehicle_class"]) == ["freight", "passenger", "taxi"]


def test_operating_vehicles_full_width_and_converted_units():
    df = read("operating_vehicles", "operating_vehicles_2020.xlsx", "2020")
    freight = one(df, vehicle_class="freight")
    assert freight["diesel_10k_t"] == pytest.approx(20.15)  # "２０１，５００" 吨
    assert freight["natural_gas_10k_m3"] == pytest.approx(1850)  # "１８，５００，０００" 立方米
    assert freight["freight_turnover_10k_tkm"] == 1_185_000
    assert freight["passenger_turnover_10k_pkm"] is None  # "—"
    taxi = one(df, vehicle_class="taxi")  # all taxis on natural gas (the plan, 第一章二)
    assert (taxi["diesel_10k_t"], taxi["gasoline_10k_t"], taxi["natural_gas_10k_m3"]) == (0, 0, pytest.approx(1080))
    assert taxi["freight_turnover_10k_tkm"] is None and taxi["passenger_turnover_10k_pkm"] is None


def _co2_per_converted_turnover(year: int) -> float:
    """t CO2 per 万吨公里 of passenger + freight vehicles (methods.md §3 factors, §4 road 0.1)."""
    df = read("operating_vehicles", f"operating_vehicles_{year}.xlsx", str(year))
    rows = df.filter(df["vehicle_class"] != "taxi")  # taxis carry no turnover
    co2 = 1e4 * (3.096 * rows["diesel_10k_t"].sum() + 2.925 * rows["gasoline_10k_t"].sum()) \
        + 21.65 * rows["natural_gas_10k_m3"].sum()
    turnover = rows["freight_turnover_10k_tkm"].sum() + 0.1 * rows["passenger_turnover_10k_pkm"].sum()
    return co2 / turnover


def test_operating_vehicles_intensity_path():
    # 2020: (209,300 × 3.096 + 1,550 × 2.925 + 2,060 × 21.65) t / (1,185,000 + 0.1 × 62,000) = 0.5852
    base = _co2_per_converted_turnover(2020)
    assert base == pytest.approx(697_125.55 / 1_191_200)
    # 2024: 854,637.02 t / 1,518,000 = 0.5630, 3.8 % below 2020 (plan: −5 % by 2025)
    assert _co2_per_converted_turnover(2024) == pytest.approx(854_637.02 / 1_518_000)
    assert 100 * (_co2_per_converted_turnover(2024) / base - 1) == pytest.approx(-3.80, abs=0.01)


# --- charging: UTF-8 CSV with BOM, region variants, 合计 row, "/" ------------------------------

def test_charging_utf8_bom_csv():
    assert (RAW / "charging_2020_2024.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    df = read("charging", "charging_2020_2024.csv")
    assert df.height == 40
    assert df.group_by("year").len()["len"].to_list() == [8] * 5
    city = one(df, year=2020, region_code="150800")  # the 合计 row
    assert city["region_name_as_delivered"] == "合计"
    assert (city["public_charging_points"], city["private_charging_points"], city["parking_spaces"]) == (
        310, 815, 204_000)  # private: the six counties that counted them


def test_charging_slash_and_region_variants():
    df = read("charging", "charging_2020_2024.csv")
    rear = one(df, year=2020, region_code="150825")
    assert rear["region_name_as_delivered"] == "乌后旗"
    assert rear["private_charging_points"] is None  # "/": not counted
    assert one(df, year=2021, region_code="150825")["private_charging_points"] == 40
    linhe = one(df, year=2021, region_code="150802")
    assert (linhe["public_charging_points"], linhe["private_charging_points"], linhe["parking_spaces"]) == (
        288, 936, 124_800)  # 180 × 1.6, 520 × 1.8, "120,000" × 1.04


def test_charging_points_per_parking_space_2024():
    city = one(read("charging", "charging_2020_2024.csv"), year=2024, region_code="150800")
    share = 100 * (city["public_charging_points"] + city["private_charging_points"]) / city["parking_spaces"]
    assert share == pytest.approx(100 * (2_023 + 8_760) / 240_946)  # 4.48 %, target 10 % by 2025


# --- mode_share: one workbook, several years, "—" where no survey ------------------------------

def test_mode_share_dash_for_years_without_survey():
    df = read("mode_share", "mode_share_2020_2024.xlsx")
    assert df["year"].to_list() == [2020, 2021, 2022, 2023, 2024]  # written "2020年"
    assert set(df["region_code"]) == {"150800"}
    y2021 = one(df, year=2021)
    assert (y2021["public_transport_share_pct"], y2021["green_travel_share_pct"]) == (None, None)
    assert y2021["survey_note"] == "未开展调查"
    y2023 = one(df, year=2023)
    assert (y2023["public_transport_share_pct"], y2023["green_travel_share_pct"]) == (None, 56.0)
    y2024 = one(df, year=2024)
    assert (y2024["public_transport_share_pct"], y2024["green_travel_share_pct"]) == (8.9, 57.5)  # targets 10, 60
