"""The indicator and target catalog (seed `indicator_catalog`, mart `marts.dim_indicator`).

Expected values are written out by hand from the plan (巴彦淖尔市“十四五”应对气候变化规划): Table 1
(第二章 三 表1) and the text of chapters 3–5 and boxes 专栏1–8, never read back from the models.
For 达到自治区要求 the number is Inner Mongolia's own 2025 requirement (自治区“十四五”应对气候变化规划).
"""

from __future__ import annotations

import math

import polars as pl
import pytest

from tests.helpers import ROOT, query

SEED = ROOT / "transforms" / "seeds" / "catalog" / "indicator_catalog.csv"
PLANS = ROOT / "transforms" / "seeds" / "catalog" / "plans.csv"
SOURCES = {"statistics", "energy", "transport", "agriculture", "forestry", "housing", "meteorology", "projects"}


@pytest.fixture(scope="module")
def catalog() -> pl.DataFrame:
    return pl.read_csv(SEED, schema_overrides={
        "table1_number": pl.Int64, "baseline_year": pl.Int64, "target_year": pl.Int64,
        "baseline_value": pl.Float64, "target_value": pl.Float64, "region_code": pl.Utf8,
        "in_table1": pl.Boolean, "previous_period_value": pl.Float64, "bound_strict": pl.Boolean,
    })


def one(df: pl.DataFrame, indicator_id: str) -> dict:
    rows = df.filter(pl.col("indicator_id") == indicator_id).rows(named=True)
    assert len(rows) == 1, indicator_id
    return rows[0]


def same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b))


# Table 1 as printed: number, id, 2020 base ('/' -> None), 2025 column, 指标类别, 责任部门.
# [x] values are five-year cumulative declines in %: [16.5] -> 16.5. The 2020 column's [18.4] and
# [8.4] are what 2016-2020 achieved, not a 2020 base: previous_period_value (tested below).
TABLE1 = [
    (1, "co2_per_gdp", None, 16.5, "binding", "市生态环境局"),
    (2, "energy_per_gdp", None, 15.5, "binding", "市发展和改革委员会"),
    # 达到自治区要求: the region requires a fall of 20 % or more vs 2020.
    (3, "industrial_energy_per_value_added", None, 20.0, "expected", "市工业和信息化局"),
    (4, "coal_share_of_energy", None, 75.0, "expected", "市发展和改革委员会（能源局）"),
    # 达到自治区要求: the region's non-fossil share for 2025 is 18 %.
    (5, "non_fossil_share_of_energy", None, 18.0, "expected", "市发展和改革委员会（能源局）"),
    (6, "green_building_share_new_urban", 55.0, 100.0, "binding", "市住房和城乡建设局"),
    (7, "star_rated_green_building_share", 15.2, 30.0, "expected", "市住房和城乡建设局"),
    (8, "operating_vehicle_co2_per_turnover", None, 5.0, "binding", "市交通运输局"),
    (9, "new_energy_bus_share", None, 90.0, "expected", "市交通运输局"),
    (10, "forest_cover", 6.47, 6.97, "binding", "市林业和草原局"),
    (11, "grassland_vegetation_cover", 28.0, 28.0, "binding", "市林业和草原局"),
    (12, "weather_service_coverage", 92.0, 95.0, "expected", "市气象局"),
]


@pytest.mark.parametrize("number, indicator_id, baseline, target, category, department", TABLE1)
def test_table1_indicator_as_the_plan_prints_it(catalog, number, indicator_id, baseline, target, category, department):
    row = one(catalog, indicator_id)
    assert row["in_table1"] is True
    assert row["table1_number"] == number
    assert same(row["baseline_value"], baseline), row["baseline_value"]
    assert same(row["target_value"], target), row["target_value"]
    assert row["category"] == category
    assert row["department_zh"] == department
    assert (row["baseline_year"], row["target_year"]) == (2020, 2025)
    assert row["unit"] == "%"


def test_table1_has_exactly_twelve_rows(catalog):
    t1 = catalog.filter(pl.col("in_table1"))
    assert t1.height == 12
    assert sorted(t1["table1_number"].to_list()) == list(range(1, 13))
    # Every other target has no Table-1 number.
    assert catalog.filter(~pl.col("in_table1"))["table1_number"].null_count() == catalog.height - 12


def test_bracketed_values_are_cumulative_declines(catalog):
    # [16.5], [15.5] and [5] in the 2025 column: five-year cumulative changes, in %.
    for indicator_id in ("co2_per_gdp", "energy_per_gdp", "operating_vehicle_co2_per_turnover"):
        row = one(catalog, indicator_id)
        assert (row["target_form"], row["desired_direction"]) == ("cumulative_decline", "decrease")


def test_region_requirements_are_marked_as_such(catalog):
    region = catalog.filter(pl.col("target_source") == "autonomous_region")
    # Table 1 nos. 3 and 5 say 达到自治区要求; nothing else does.
    assert sorted(region["table1_number"].to_list()) == [3, 5]
    assert region["note"].null_count() == 0
    assert all("内政办发〔2021〕60号" in s for s in region["source"])
    assert set(catalog["target_source"]) == {"plan", "autonomous_region"}


def test_catalog_size_and_ids(catalog):
    # 12 Table-1 indicators and about fifty more: at least 45 in all.
    assert catalog.height >= 45
    assert catalog["indicator_id"].n_unique() == catalog.height
    assert catalog["indicator_id"].str.contains(r"^[a-z][a-z0-9_]*$").all()
    assert catalog["name_zh"].n_unique() == catalog.height


def test_every_row_is_cited_and_classified(catalog):
    for column in ("name_zh", "name_en", "unit", "category", "department_zh", "plan_clause", "target_form",
                   "desired_direction", "formula", "quote_zh", "source"):
        assert catalog[column].null_count() == 0, column
    assert set(catalog["category"]) <= {"binding", "expected", "aspirational", "planned", "unspecified"}
    assert set(catalog["target_form"]) <= {"level_at_least", "level_at_most", "hold_at", "cumulative_decline",
                                           "completed_over_period", "direction_only"}
    assert set(catalog["desired_direction"]) <= {"increase", "decrease", "hold"}
    assert catalog["source"].str.contains("应对气候变化规划").all()
    # Only Table 1 uses 约束性/预期性; chapters 3-5 begin every in-text clause.
    text = catalog.filter(~pl.col("in_table1"))
    assert set(text["category"]) <= {"aspirational", "planned", "unspecified"}
    assert text["plan_clause"].str.contains(r"^第[三四五]章").all()


def test_source_slugs_name_real_sources(catalog):
    for slugs in catalog["source_slugs"].drop_nulls():
        assert set(slugs.split(",")) <= SOURCES, slugs
    # Every source the pipeline ingests feeds at least one target.
    used = {s for slugs in catalog["source_slugs"].drop_nulls() for s in slugs.split(",")}
    assert used == SOURCES


def test_only_direction_targets_lack_a_number(catalog):
    no_number = catalog.filter(pl.col("target_value").is_null())
    assert set(no_number["target_form"]) == {"direction_only"}
    assert set(no_number["indicator_id"]) == {"coal_power_supply_coal_rate", "fertiliser_per_mu"}


# Hand-picked targets, from the plan's sentences (chapter, form, number).
PICKED = [
    # 专栏6（2）: 2021-2025年计划完成造林任务82.5万亩 (a total over the period)
    ("afforestation_area", "completed_over_period", 82.5, "万亩", "planned"),
    # 第三章 七: 天然草原综合植被盖度稳定在28%
    ("grassland_vegetation_cover", "hold_at", 28.0, "%", "binding"),
    # 第三章 七: 森林蓄积量达到291.7万立方米
    ("forest_stock", "level_at_least", 291.7, "万立方米", "unspecified"),
    # 表1 no. 4 / 第三章 三: 煤炭消费比重下降至75%以下
    ("coal_share_of_energy", "level_at_most", 75.0, "%", "expected"),
    # 第三章 三: 力争……新能源发电装机规模……达到942.1万千瓦
    ("new_energy_capacity", "level_at_least", 942.1, "万千瓦", "aspirational"),
    # 第三章 三: 单机30万千瓦及以上机组占火电装机比重力争达到75%
    ("coal_units_300mw_share", "level_at_least", 75.0, "%", "aspirational"),
    # 第三章 七: “十四五”期间，完成退化草原生态修复任务100万亩
    ("degraded_grassland_restored", "completed_over_period", 100.0, "万亩", "unspecified"),
    # 第三章 五: 完成既有建筑节能改造90万平方米
    ("existing_building_energy_retrofit", "completed_over_period", 90.0, "万平方米", "unspecified"),
    # 第三章 五: 重点领域（公交）新能源车辆保有量达到469辆
    ("new_energy_bus_stock", "level_at_least", 469.0, "辆", "unspecified"),
    # 第三章 五: 充电桩已安装到位的停车位占比不低于10%
    ("charging_parking_space_share", "level_at_least", 10.0, "%", "unspecified"),
    # 第三章 六: 畜禽粪污资源化利用率达到92%以上
    ("manure_utilisation_rate", "level_at_least", 92.0, "%", "unspecified"),
    # 第三章 二: 高标准农田建设面积达到1014万亩
    ("high_standard_farmland_area", "level_at_least", 1014.0, "万亩", "unspecified"),
    # 第四章 一: 城市建成区35%以上的面积达到海绵城市建设目标要求
    ("sponge_city_area_share", "level_at_least", 35.0, "%", "unspecified"),
    # 第三章 五: 装配式建筑占新建建筑比重达到30%
    ("prefabricated_building_share", "level_at_least", 30.0, "%", "unspecified"),
    # 第三章 五: 单位建筑面积集中供热能耗同比降低10%以上
    ("central_heating_energy_per_area", "cumulative_decline", 10.0, "%", "unspecified"),
    # 专栏3（1）: 在磴口县布局建设85万千瓦, 乌拉特前旗15万千瓦 (85 + 15 = the project's 100万千瓦)
    ("pv_storage_dengkou", "completed_over_period", 85.0, "万千瓦", "planned"),
    ("pv_storage_urad_front", "completed_over_period", 15.0, "万千瓦", "planned"),
    # 第三章 七: 化肥亩均用量持续保持负增长 (no number)
    ("fertiliser_per_mu", "direction_only", None, "千克/亩", "unspecified"),
]


@pytest.mark.parametrize("indicator_id, form, target, unit, category", PICKED)
def test_target_form_of_hand_picked_targets(catalog, indicator_id, form, target, unit, category):
    row = one(catalog, indicator_id)
    assert row["target_form"] == form
    assert same(row["target_value"], target), row["target_value"]
    assert row["unit"] == unit
    assert row["category"] == category
    assert row["target_year"] == 2025


def test_hold_and_direction_agree_with_the_form(catalog):
    assert set(catalog.filter(pl.col("target_form") == "hold_at")["desired_direction"]) == {"hold"}
    assert set(catalog.filter(pl.col("target_form") == "level_at_most")["desired_direction"]) == {"decrease"}
    assert set(catalog.filter(pl.col("target_form") == "cumulative_decline")["unit"]) == {"%"}


def test_baselines_from_the_review_chapter(catalog):
    # 第一章 二: 化肥利用率 40 % (2020) -> 43 %; 灌溉水有效利用系数 0.467 (2020) -> 0.488.
    fert = one(catalog, "fertiliser_utilisation_rate")
    assert (fert["baseline_value"], fert["target_value"]) == (40.0, 43.0)
    irr = one(catalog, "irrigation_water_coefficient")
    assert (irr["baseline_value"], irr["target_value"]) == (0.467, 0.488)
    # Dengkou 150822, Urad Front 150823 (GB/T 2260); county-wide targets apply to every county.
    assert one(catalog, "pv_storage_dengkou")["region_code"] == "150822"
    assert one(catalog, "pv_storage_urad_front")["region_code"] == "150823"
    assert one(catalog, "piped_gas_coverage_county")["scope"] == "each_county"
    assert one(catalog, "piped_gas_coverage_county")["region_code"] is None


def test_departments_of_in_text_targets(catalog):
    # 第三章 三: 〔市发展和改革委员会（能源局）牵头，工业和信息化局、住房和城乡建设局配合〕
    gas = one(catalog, "piped_gas_coverage_county")
    assert gas["department_zh"] == "市发展和改革委员会（能源局）"
    assert gas["supporting_departments_zh"] == "工业和信息化局、住房和城乡建设局"
    # 第四章 二: （市水利局牵头，工业和信息化局、生态环境局、农牧局、科学技术局配合）
    irr = one(catalog, "irrigation_water_coefficient")
    assert irr["department_zh"] == "市水利局"
    assert irr["supporting_departments_zh"] == "工业和信息化局、生态环境局、农牧局、科学技术局"
    # 专栏6（2）: （市林业和草原局负责）: no supporting department
    aff = one(catalog, "afforestation_area")
    assert (aff["department_zh"], aff["supporting_departments_zh"]) == ("市林业和草原局", None)


def test_dim_indicator_matches_the_seed(built, catalog):
    wh = built["warehouse"]
    [(n,)] = query(wh, "SELECT count(*) FROM marts.dim_indicator")
    assert n == catalog.height
    [(t1,)] = query(wh, "SELECT count(*) FROM marts.dim_indicator WHERE in_table1")
    assert t1 == 12
    # The comma-separated source list becomes an array: [16.5] for CO2 needs energy and GDP.
    [(slugs, form, target)] = query(wh, "SELECT source_slugs, target_form, target_value FROM marts.dim_indicator "
                                        "WHERE indicator_id = ?", ["co2_per_gdp"])
    assert (sorted(slugs), form, target) == (["energy", "statistics"], "cumulative_decline", 16.5)


def test_the_bundled_plan_as_data():
    plans = pl.read_csv(PLANS, schema_overrides={"region_code": pl.Utf8}).rows(named=True)
    # 前言 and 第二章 三: the city's plan, base year 2020, period 2021-2025, GDP at 2020 prices
    assert [(p["plan_id"], p["region_code"], p["base_year"], p["first_year"], p["last_year"], p["price_base_year"],
             p["status"]) for p in plans] == [("bayannur_climate_14th", "150800", 2020, 2021, 2025, 2020, "published")]


def test_catalog_is_keyed_by_plan(catalog):
    assert set(catalog["plan_id"]) == {"bayannur_climate_14th"}
    assert catalog.select("plan_id", "indicator_id").is_unique().all()


def test_previous_period_values_in_their_own_column(catalog):
    # Table 1's 2020 column: [18.4] (CO2) and [8.4] (energy) are the 2016-2020 declines
    prev = {r["indicator_id"]: r["previous_period_value"] for r in catalog.filter(
        pl.col("previous_period_value").is_not_null()).rows(named=True)}
    assert prev == {"co2_per_gdp": 18.4, "energy_per_gdp": 8.4}
    assert one(catalog, "co2_per_gdp")["baseline_value"] is None
    assert one(catalog, "energy_per_gdp")["baseline_value"] is None


def test_strict_words_are_recorded(catalog):
    # <75 (Table 1 no. 4), 突破30% (no. 7), 超过火电装机规模 (第三章 三): strict; 以上/以下/达到 are not
    strict = set(catalog.filter(pl.col("bound_strict"))["indicator_id"])
    assert strict == {"coal_share_of_energy", "star_rated_green_building_share", "new_energy_vs_thermal_capacity"}
    assert catalog["bound_strict"].null_count() == 0


def test_official_method(catalog):
    # the dual-control barometer judges energy and CO2 intensity; the plan's words the rest
    barometer = set(catalog.filter(pl.col("official_method") == "dual_control_barometer")["indicator_id"])
    assert barometer == {"co2_per_gdp", "energy_per_gdp"}
    assert set(catalog["official_method"]) == {"dual_control_barometer", "plan_wording"}


def test_restatements_in_chapter_two(catalog):
    # 第二章 三: 单位地区生产总值能耗下降率达到15.5%，规模以上单位工业增加值能耗降低达到自治区要求
    for indicator_id in ("energy_per_gdp", "industrial_energy_per_value_added"):
        clauses = one(catalog, indicator_id)["plan_clause"].split("；")
        assert clauses[:2] == ["第二章 三 表1", "第二章 三"], clauses


def test_yearless_completions(catalog):
    # 第三章 二: 引导铁合金行业限制类产能全部有序退出; 第三章 六: 旗县区级及以上城市建成区实现污水全收集、全处理.
    # Like 重点用能单位建立能源管理中心 (no year either): 100 %, by the plan's last year.
    ferro = one(catalog, "ferroalloy_restricted_capacity_exited")
    sewage = one(catalog, "urban_sewage_collection_treatment")
    centre = one(catalog, "key_energy_users_management_centre")
    for row in (ferro, sewage, centre):
        assert (row["target_value"], row["target_year"], row["unit"]) == (100.0, 2025, "%")
        assert "No year in the text" in row["note"]
    assert ferro["target_form"] == "completed_over_period" and ferro["department_zh"] == "市工业和信息化局"
    assert sewage["target_form"] == "level_at_least" and sewage["department_zh"] == "市发展和改革委员会"
    assert sewage["plan_clause"] == "第三章 六（减少废弃物处理温室气体排放）"


def test_low_carbon_pilot_reading_is_stated(catalog):
    # 各旗县区均建有1个以上低碳社区试点（城镇社区和农村社区）: any pilot, or one urban and one rural
    note = one(catalog, "low_carbon_community_pilots_per_county")["note"]
    assert "Reading used: any pilot community, urban or rural" in note


def test_dim_plan_derives_the_period(built):
    # 2021-2025 from base 2020: five years, the mid-term evaluation in year 3 = 2023
    assert query(built["warehouse"], "SELECT plan_id, period_years, mid_term_year, price_base_year FROM marts.dim_plan") == [
        ("bayannur_climate_14th", 5, 2023, 2020)]
