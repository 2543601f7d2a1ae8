"""The housing bureau's (住建局) sample deliveries read through their contracts and suites.

Every expected value is computed by hand from the figures in scripts/samples/housing.py (the
published 2020 shares are cited in the provenance file), never read back from the code.
"""

from __future__ import annotations

import polars as pl
import pytest
import yaml

from orchestration import settings
from orchestration.deliveries import Contract, read_delivery
from orchestration.validation import validate

CITY = "150800"
COUNTY_CODES = {"150802", "150821", "150822", "150823", "150824", "150825", "150826"}
DATASETS = ["new_buildings", "retrofits", "clean_heating", "sponge_city", "low_carbon_pilots"]


def contract(dataset: str) -> Contract:
    return Contract.load(settings.CONTRACTS_DIR / "housing" / f"{dataset}.yml")


def deliveries(dataset: str) -> dict:
    """{year in the file name (None for a multi-year file): parsed frame}, every bundled delivery."""
    c = contract(dataset)
    return {year: read_delivery(c, path, year) for path, year in c.deliveries()}


def row(frame: pl.DataFrame, region: str, year: int | None = None, **where) -> dict:
    picked = frame.filter(region_code=region, **where)
    if year is not None:
        picked = picked.filter(year=year)
    assert picked.height == 1, picked
    return picked.row(0, named=True)


@pytest.fixture(scope="module")
def new_buildings():
    return deliveries("new_buildings")


@pytest.fixture(scope="module")
def retrofits():
    return deliveries("retrofits")


@pytest.fixture(scope="module")
def heating():
    (frame,) = deliveries("clean_heating").values()
    return frame


@pytest.fixture(scope="module")
def sponge():
    return deliveries("sponge_city")


@pytest.fixture(scope="module")
def pilots():
    (frame,) = deliveries("low_carbon_pilots").values()
    return frame


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_delivery_passes_its_suite(dataset):
    c = contract(dataset)
    assert c.deliveries(), f"no bundled delivery for {dataset}"
    for path, year in c.deliveries():
        result = validate(read_delivery(c, path, year), c.suite_path)
        assert result.success, [str(p) for p in result.problems]


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_value_is_illustrative(dataset):
    # No area, rate or count of this source is published; only the 2020 shares are (below).
    for frame in deliveries(dataset).values():
        assert set(frame["status"]) == {"illustrative"}


# --- new_buildings ------------------------------------------------------------------------------

def test_new_buildings_one_workbook_per_year_with_eight_rows(new_buildings):
    assert sorted(new_buildings) == ["2020", "2021", "2022", "2023", "2024"]
    for frame in new_buildings.values():
        assert frame.height == 8
        assert set(frame["region_code"]) == {CITY} | COUNTY_CODES


def test_new_buildings_2020_city_shares_are_the_published_baselines(new_buildings):
    city = row(new_buildings["2020"], CITY)
    assert city["region_name_as_delivered"] == "全市"
    assert (city["new_building_area_10k_m2"], city["green_building_area_10k_m2"],
            city["star_rated_green_area_10k_m2"], city["prefabricated_area_10k_m2"]) == (250.0, 137.5, 38.0, 12.5)
    # plan, Table 1, indicators 6 and 7: 55 % and 15.2 % in 2020 (137.5 / 250 and 38.0 / 250)
    assert round(100 * city["green_building_area_10k_m2"] / city["new_building_area_10k_m2"], 1) == 55.0
    assert round(100 * city["star_rated_green_area_10k_m2"] / city["new_building_area_10k_m2"], 1) == 15.2
    prov = yaml.safe_load((settings.RAW_DIR / "housing" / "new_buildings_2020.xlsx.provenance.yml")
                          .read_text(encoding="utf-8"))
    assert "55 %" in prov["citation"] and "15.2 %" in prov["citation"]


def test_new_buildings_two_row_header_footnote_mark_and_dash(new_buildings):
    linhe = row(new_buildings["2020"], "150802")  # delivered as 临河区① (footnote mark)
    assert linhe["new_building_area_10k_m2"] == 115.0  # 46 % of 250.0
    assert linhe["green_building_area_10k_m2"] == 63.25  # 其中/绿色建筑: 46 % of 137.5
    assert (linhe["_source_row"], linhe["_source_sheet"]) == (6, "新建建筑")
    # `—`: no prefabricated building in 乌拉特中旗 and 乌拉特后旗 in 2020
    assert row(new_buildings["2020"], "150824")["prefabricated_area_10k_m2"] is None
    assert row(new_buildings["2020"], "150825")["prefabricated_area_10k_m2"] is None
    # 杭锦后旗 takes the remainder: 12.5 - (5.75 + 1.12 + 0.88 + 1.38) = 3.37
    assert row(new_buildings["2020"], "150826")["prefabricated_area_10k_m2"] == 3.37


def test_new_buildings_full_width_digits(new_buildings):
    # 2021, 五原县's green area typed "１６．８８": 70 % of 268.0 = 187.6; 9 % of it = 16.884 -> 16.88
    assert row(new_buildings["2021"], "150821")["green_building_area_10k_m2"] == 16.88


def test_new_buildings_square_metres_with_separators_become_10k_m2(new_buildings):
    city = row(new_buildings["2023"], CITY)  # 单位：平方米, "2,150,000" and "2,042,500"
    assert city["new_building_area_10k_m2"] == pytest.approx(215.0)
    assert city["green_building_area_10k_m2"] == pytest.approx(204.25)  # 95 %
    assert row(new_buildings["2023"], "150802")["new_building_area_10k_m2"] == pytest.approx(98.9)  # "989,000"
    city_2024 = row(new_buildings["2024"], CITY)  # every new building green in 2024 (target 100 %)
    assert city_2024["green_building_area_10k_m2"] == pytest.approx(city_2024["new_building_area_10k_m2"])
    assert city_2024["prefabricated_area_10k_m2"] == pytest.approx(48.96)  # "489,600": 24 % of 204.0


def test_new_buildings_counties_add_up_to_the_city(new_buildings):
    for frame in new_buildings.values():
        city = row(frame, CITY)
        rest = frame.filter(pl.col("region_code") != CITY)
        for col in ("new_building_area_10k_m2", "green_building_area_10k_m2", "prefabricated_area_10k_m2"):
            assert rest[col].sum() == pytest.approx(city[col]), col


# --- retrofits ----------------------------------------------------------------------------------

def test_retrofits_utf8_bom_csv_with_region_variants(retrofits):
    assert sorted(retrofits) == ["2021", "2022", "2023", "2024"]
    frame = retrofits["2021"]
    assert frame.height == 8
    hanghou = row(frame, "150826")
    # 2021 city 15.20; 杭锦后旗 takes the remainder of the county shares: 13 % of 15.20 = 1.976 -> 1.98
    assert (hanghou["region_name_as_delivered"], hanghou["energy_retrofit_area_10k_m2"]) == ("杭后旗", 1.98)
    front = row(frame, "150823")
    assert (front["region_name_as_delivered"], front["energy_retrofit_area_10k_m2"]) == ("乌前旗", 1.82)  # 12 %
    assert row(frame, "150802")["region_name_as_delivered"] == "临河"
    assert row(frame, "150802")["note"] == "老旧小区改造"
    city = row(frame, CITY)
    assert (city["region_name_as_delivered"], city["_source_row"], city["_source_sheet"]) == (
        "合计", 10, "retrofits_2021.csv")


def test_retrofits_cumulative_against_the_90_target(retrofits):
    done = sum(row(f, CITY)["energy_retrofit_area_10k_m2"] for f in retrofits.values())
    assert done == pytest.approx(15.2 + 18.6 + 20.4 + 19.8)  # 74.0 of 90万平方米 after four years
    city_2024 = row(retrofits["2024"], CITY)
    assert (city_2024["residential_retrofit_area_10k_m2"], city_2024["wall_insulation_integrated_area_10k_m2"]) == (
        15.4, 22.0)


# --- clean_heating ------------------------------------------------------------------------------

def test_clean_heating_gb18030_multi_year_csv(heating):
    assert heating.height == 15
    assert sorted(set(heating["year"])) == [2020, 2021, 2022, 2023, 2024]
    assert set(heating["region_code"]) == {CITY}  # fixed region: the contract says so
    assert heating.group_by("year").len()["len"].to_list() == [3] * 5
    urban_2020 = row(heating, CITY, 2020, area_type="urban_district")  # year written "2020年"
    assert (urban_2020["clean_heating_rate_pct"], urban_2020["central_heating_kgce_per_m2"]) == (88.0, 22.5)
    assert urban_2020["_source_row"] == 3 and urban_2020["_source_sheet"] == "clean_heating.csv"


def test_clean_heating_full_width_and_slash(heating):
    assert row(heating, CITY, 2023, area_type="county_towns")["clean_heating_rate_pct"] == 87.0  # "８７．０"
    rural = heating.filter(area_type="rural")
    assert rural["central_heating_kgce_per_m2"].null_count() == 5  # "/": no central heating
    assert row(heating, CITY, 2024, area_type="rural")["clean_heating_rate_pct"] == 55.0  # target ≥ 80


def test_clean_heating_energy_per_m2_falls(heating):
    first = row(heating, CITY, 2020, area_type="urban_district")["central_heating_kgce_per_m2"]
    last = row(heating, CITY, 2024, area_type="urban_district")["central_heating_kgce_per_m2"]
    assert round(100 * (last / first - 1), 1) == -8.9  # 20.5 / 22.5 - 1


# --- sponge_city --------------------------------------------------------------------------------

def test_sponge_city_dash_for_counties_without_data(sponge):
    assert sorted(sponge) == ["2020", "2021", "2022", "2023", "2024"]
    frame = sponge["2020"]
    assert frame.height == 8
    assert frame["sponge_city_area_km2"].null_count() == 3  # 磴口县, 乌拉特中旗, 乌拉特后旗: "—"
    assert row(frame, "150822")["sponge_city_share_pct"] is None
    assert row(frame, "150822")["built_up_area_km2"] == 9.8
    city = row(frame, CITY)
    # 62.0 + 14.5 + 9.8 + 16.2 + 8.4 + 7.6 + 15.5 = 134.0; 12.4 + 1.2 + 1.5 + 1.4 = 16.5 = 12.3 %
    assert (city["built_up_area_km2"], city["sponge_city_area_km2"], city["sponge_city_share_pct"]) == (
        134.0, 16.5, 12.3)


def test_sponge_city_2024_against_the_35_percent_target(sponge):
    frame = sponge["2024"]
    assert frame["sponge_city_area_km2"].null_count() == 0
    city = row(frame, CITY)
    # 141.4 km² built up, 46.9 km² compliant: 33.2 %
    assert (city["built_up_area_km2"], city["sponge_city_area_km2"], city["sponge_city_share_pct"]) == (
        141.4, 46.9, 33.2)
    assert row(frame, "150802")["sponge_city_share_pct"] == 36.9  # 24.2 / 65.5


# --- low_carbon_pilots --------------------------------------------------------------------------

def test_low_carbon_pilots_merged_county_cells_are_filled_down(pilots):
    assert pilots.height == 32
    assert pilots.group_by("region_code").len()["len"].to_list() == [4] * 8
    assert sorted(set(pilots["year"])) == [2021, 2022, 2023, 2024]
    hanghou = pilots.filter(region_code="150826").sort("year")
    assert set(hanghou["region_name_as_delivered"]) == {"杭后旗"}  # variant, carried down the merge
    assert hanghou["_source_row"].to_list() == [29, 30, 31, 32]
    assert hanghou["planned_urban_pilots"].to_list() == [1, 2, 2, 3]
    assert row(pilots, "150821", 2021)["note"] == "自治区级低碳示范县"
    assert row(pilots, "150821", 2022)["note"] is None


def test_low_carbon_pilots_city_rows_and_target(pilots):
    city = row(pilots, CITY, 2024)
    assert (city["planned_urban_pilots"], city["planned_rural_pilots"], city["established_urban_pilots"],
            city["established_rural_pilots"], city["_source_row"]) == (14, 11, 10, 8, 36)
    # by 2024 every county has at least one designated pilot (target: ≥1 established by 2025)
    counties_2024 = pilots.filter((pl.col("year") == 2024) & (pl.col("region_code") != CITY))
    designated = counties_2024["planned_urban_pilots"] + counties_2024["planned_rural_pilots"]
    assert designated.min() >= 1
    established = counties_2024["established_urban_pilots"] + counties_2024["established_rural_pilots"]
    assert (established == 0).sum() == 0


def test_square_metres_under_a_wrong_unit_line_fail_the_suite(tmp_path):
    # If the bureau left 单位：万平方米 on a table in 平方米, nothing is converted and the suite's
    # plausibility bound (≤ 1000万平方米 per region) rejects 2,150,000.
    import shutil

    from tests.helpers import redeliver

    folder = tmp_path / "housing"
    folder.mkdir()
    for name in ("new_buildings_2023.xlsx", "new_buildings_2023.xlsx.provenance.yml"):
        shutil.copy(settings.RAW_DIR / "housing" / name, folder / name)
    redeliver(folder / "new_buildings_2023.xlsx", lambda ws: ws.__setitem__("E2", "单位：万平方米"))
    c = contract("new_buildings")
    frame = read_delivery(c, folder / "new_buildings_2023.xlsx", "2023", raw_dir=tmp_path)
    assert row(frame, CITY)["new_building_area_10k_m2"] == 2150000
    result = validate(frame, c.suite_path)
    assert not result.success
    assert any("new_building_area_10k_m2" in str(p) and "row 5" in str(p) for p in result.problems)
