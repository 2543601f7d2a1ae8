"""The forestry and grassland bureau's (林草局) bundled deliveries, read through their contracts.

Expected values are worked out by hand from the plan's figures (forest cover 6.47 % in 2020, 6.5 %
in 2021, grassland cover 28 % / 28.2 % / 26.9 %) and from the delivered cells, one or more through
each quirk: hectares and cubic metres with thousands separators, footnote marks on figures and on
a region name, region-name variants, a merged two-row header, a GB18030 CSV with full-width digits.
"""

from __future__ import annotations

import pytest

from orchestration import settings
from orchestration.deliveries import Contract, DeliveryError, read_delivery
from tests.helpers import copy_raw, redeliver

CONTRACTS = settings.CONTRACTS_DIR / "forestry"
RAW = settings.RAW_DIR / "forestry"
CITY = "150800"


def contract(dataset: str) -> Contract:
    return Contract.load(CONTRACTS / f"{dataset}.yml")


def read(dataset: str, file: str, year: int | None = None):
    return read_delivery(contract(dataset), RAW / file, None if year is None else str(year))


def row(df, **where) -> dict:
    rows = df.filter(**where).rows(named=True)
    assert len(rows) == 1, where
    return rows[0]


# --- forest_resources (sheet 森林资源) ----------------------------------------------------------

@pytest.mark.parametrize("year", range(2020, 2025))
def test_forest_resources_has_the_city_and_seven_counties(year):
    df = read("forest_resources", f"forest_resources_{year}.xlsx", year)
    assert df.height == 8
    assert df["region_code"].n_unique() == 8
    assert set(df["status"]) == {"illustrative"}  # areas are not published, only the cover ratio


def test_forest_cover_2020_reproduces_the_plan():
    city = row(read("forest_resources", "forest_resources_2020.xlsx", 2020), region_code=CITY)
    # 625.0 / 9660 = 6.4700 %: the plan's 2020 baseline (表1: 6.47)
    assert (city["forest_area_10k_mu"], city["land_area_10k_mu"]) == (625.0, 9660.0)
    assert round(100 * city["forest_area_10k_mu"] / city["land_area_10k_mu"], 2) == 6.47
    assert city["region_name_as_delivered"] == "全市"
    assert (city["_source_row"], city["_source_sheet"]) == (5, "森林资源")


def test_forest_cover_2021_reproduces_the_work_report():
    df = read("forest_resources", "forest_resources_2021.xlsx", 2021)
    city = row(df, region_code=CITY)
    # 628.0 / 9660 = 6.501 % -> 6.5 (政府工作报告 2022)
    assert round(100 * city["forest_area_10k_mu"] / city["land_area_10k_mu"], 1) == 6.5
    # region variant 乌前旗 -> 乌拉特前旗: 0.20 × 628.0 = 125.6
    front = row(df, region_code="150823")
    assert (front["region_name_as_delivered"], front["forest_area_10k_mu"]) == ("乌前旗", 125.6)
    assert row(df, region_code="150826")["region_name_as_delivered"] == "杭后旗"


def test_hectares_with_thousands_separators_are_converted_to_10k_mu():
    df = read("forest_resources", "forest_resources_2022.xlsx", 2022)
    city = row(df, region_code=CITY)
    # 单位：公顷; "6,440,000" ha × 0.0015 = 9660万亩; "424,667" ha × 0.0015 = 637.0005万亩
    assert city["land_area_10k_mu"] == pytest.approx(9660.0)
    assert city["forest_area_10k_mu"] == pytest.approx(637.0005)
    # 临河区 "233,333" ha = 349.9995万亩 (350万亩 rounded to whole hectares by the bureau)
    assert row(df, region_code="150802")["land_area_10k_mu"] == pytest.approx(349.9995)
    # two-row header: 森林面积/乔木林 of 磴口县 "16,987" ha = 25.4805万亩
    assert row(df, region_code="150822")["tree_forest_area_10k_mu"] == pytest.approx(25.4805)


def test_footnote_mark_on_a_region_name():
    df = read("forest_resources", "forest_resources_2024.xlsx", 2024)
    front = row(df, region_code="150823")  # delivered as 乌拉特前旗①
    assert front["region_name_as_delivered"] == "乌拉特前旗"
    # 0.20 × 655.0 = 131.0; the notes under the table are not rows
    assert front["forest_area_10k_mu"] == 131.0
    assert df["_source_row"].max() == 12


def test_an_unknown_unit_line_is_rejected(tmp_path):
    raw = copy_raw(tmp_path / "raw")
    path = raw / "forestry" / "forest_resources_2021.xlsx"
    redeliver(path, lambda ws: ws.__setitem__("F2", "单位：平方公里"))  # the first sheet, 森林资源
    with pytest.raises(DeliveryError, match="unit line says '平方公里'"):
        read_delivery(contract("forest_resources"), path, "2021", raw_dir=raw)


# --- forest_stock (sheet 森林蓄积量 of the same workbook) ----------------------------------------

def test_forest_stock_2020():
    df = read("forest_stock", "forest_resources_2020.xlsx", 2020)
    assert df.height == 8
    city = row(df, region_code=CITY)
    assert (city["forest_stock_10k_m3"], city["live_stock_10k_m3"]) == (265.0, 323.3)  # 265.0 × 1.22
    assert city["_source_sheet"] == "森林蓄积量"


def test_cubic_metres_with_thousands_separators_are_converted():
    df = read("forest_stock", "forest_resources_2023.xlsx", 2023)
    # 单位：立方米; "2,810,000" m³ × 0.0001 = 281.0万立方米
    assert row(df, region_code=CITY)["forest_stock_10k_m3"] == pytest.approx(281.0)
    # 乌中旗 (variant of 乌拉特中旗): "224,800" m³ = 22.48万立方米 (0.08 × 281.0)
    middle = row(df, region_code="150824")
    assert middle["region_name_as_delivered"] == "乌中旗"
    assert middle["forest_stock_10k_m3"] == pytest.approx(22.48)
    # the seven counties add up to the city: 2,810,000 m³
    counties = df.filter(df["region_code"] != CITY)["forest_stock_10k_m3"].sum()
    assert counties == pytest.approx(281.0)


def test_stock_path_towards_the_2025_target():
    stocks = [row(read("forest_stock", f"forest_resources_{y}.xlsx", y), region_code=CITY)["forest_stock_10k_m3"]
              for y in range(2020, 2025)]
    assert stocks == sorted(stocks) and stocks[-1] < 291.7  # the plan: 291.7万立方米 in 2025


# --- afforestation ----------------------------------------------------------------------------

@pytest.mark.parametrize("year", range(2021, 2025))
def test_afforestation_rows(year):
    df = read("afforestation", f"afforestation_{year}.xlsx", year)
    assert df.height == 8 * 4  # eight regions × four methods, unpivoted
    assert set(df["method"]) == {"planting", "aerial_seeding", "enclosure", "degraded_forest_restoration"}
    assert set(df["unit"]) == {"万亩"}


def test_four_years_of_afforestation_on_the_way_to_82_5():
    total = 0.0
    for year in range(2021, 2025):
        df = read("afforestation", f"afforestation_{year}.xlsx", year)
        city = df.filter(region_code=CITY)
        total += city.filter(city["method"] != "degraded_forest_restoration")["area_10k_mu"].sum()
    # 17.20 + 16.85 + 16.40 + 16.05 = 66.50万亩 of 造林 (80.6 % of 82.5 after four of five years)
    assert total == pytest.approx(66.50)


def test_footnote_marks_on_figures_are_dropped():
    df = read("afforestation", "afforestation_2023.xlsx", 2023)
    # "1.77②" (乌拉特中旗 封山（沙）育林) and "0.74①" (乌拉特后旗 飞播造林)
    assert row(df, region_code="150824", method="enclosure")["area_10k_mu"] == 1.77
    assert row(df, region_code="150825", method="aerial_seeding")["area_10k_mu"] == 0.74
    # "—": no aerial seeding in 临河区 -> null
    assert row(df, region_code="150802", method="aerial_seeding")["area_10k_mu"] is None
    # 合计 is the city row; 杭后旗 is 杭锦后旗
    assert row(df, region_code=CITY, method="planting")["region_name_as_delivered"] == "合计"
    assert row(df, region_code="150826", method="planting")["region_name_as_delivered"] == "杭后旗"


def test_afforestation_2022_marked_figure():
    df = read("afforestation", "afforestation_2022.xlsx", 2022)
    # city 人工造林 = 16.85 − 2.53 (飞播, 15 %) − 6.74 (封育, 40 %) = 7.58; 磴口县 "1.66①" takes the
    # rounding remainder: 7.58 − (0.76 + 0.76 + 1.21 + 1.14 + 1.29 + 0.76) = 1.66
    assert row(df, region_code=CITY, method="planting")["area_10k_mu"] == 7.58
    assert row(df, region_code="150822", method="planting")["area_10k_mu"] == 1.66
    assert row(df, region_code=CITY, method="degraded_forest_restoration")["area_10k_mu"] == 3.5


# --- grassland (one GB18030 CSV, every year) ----------------------------------------------------

def test_grassland_csv_is_gb18030():
    data = (RAW / "grassland.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.decode("gb18030").startswith("年份,指标名称")


def test_grassland_rows_and_published_values():
    df = read("grassland", "grassland.csv")
    assert df.height == 16
    assert sorted(set(df["year"])) == [2017, 2020, 2021, 2022, 2023, 2024]
    assert set(df["region_code"]) == {CITY}
    cover = {r["year"]: (r["value"], r["status"]) for r in df.filter(indicator="vegetation_cover_pct").rows(named=True)}
    assert cover[2017] == (26.9, "final")   # work report 2022: 26.9 at the start of the term
    assert cover[2020] == (28.0, "final")   # the plan's baseline
    assert cover[2021] == (28.2, "final")   # work report 2022
    assert cover[2022][1] == "illustrative"
    rangers = row(df, year=2020, indicator="rangers_persons")
    assert (rangers["value"], rangers["unit"], rangers["_source_row"]) == (None, "人", 5)  # "—"


def test_grassland_full_width_digits():
    df = read("grassland", "grassland.csv")
    restored = row(df, year=2023, indicator="degraded_restored_10k_mu")  # delivered "２２．４"
    assert (restored["value"], restored["unit"], restored["status"]) == (22.4, "万亩", "illustrative")
    # 2021-2024 restoration: 21.5 + 20.0 + 22.4 + 19.8 = 83.7万亩 towards the plan's 100
    total = df.filter(df["year"] >= 2021, indicator="degraded_restored_10k_mu")["value"].sum()
    assert total == pytest.approx(83.7)
