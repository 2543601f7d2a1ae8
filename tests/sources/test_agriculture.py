"""The agriculture sample deliveries (农牧局, 水利局) read through their contracts and suites.

Expected values are worked out by hand from the figures in scripts/samples/agriculture.py and the
delivered cells (published ones cited in the provenance files), never read back from the code.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys

import polars as pl
import pytest

from orchestration import settings
from orchestration.deliveries import Contract, read_delivery
from orchestration.validation import validate

CITY = "150800"
CODES = {CITY, "150802", "150821", "150822", "150823", "150824", "150825", "150826"}
RAW = settings.RAW_DIR / "agriculture"
DATASETS = ["fertiliser", "utilisation_rates", "livestock", "farmland", "irrigation"]


def contract(dataset: str) -> Contract:
    return Contract.load(settings.CONTRACTS_DIR / "agriculture" / f"{dataset}.yml")


def deliveries(dataset: str) -> dict:
    """{year in the file name (None for a multi-year file): parsed frame}, every bundled delivery."""
    c = contract(dataset)
    return {year: read_delivery(c, path, year) for path, year in c.deliveries()}


def one(frame: pl.DataFrame, **where) -> dict:
    picked = frame.filter(**where)
    assert picked.height == 1, picked
    return picked.row(0, named=True)


@pytest.fixture(scope="module")
def fertiliser():
    return deliveries("fertiliser")


@pytest.fixture(scope="module")
def rates():
    (frame,) = deliveries("utilisation_rates").values()
    return frame


@pytest.fixture(scope="module")
def livestock():
    return deliveries("livestock")


@pytest.fixture(scope="module")
def farmland():
    return deliveries("farmland")


@pytest.fixture(scope="module")
def irrigation():
    (frame,) = deliveries("irrigation").values()
    return frame


# --- fertiliser ------------------------------------------------------------------------------

def test_fertiliser_one_workbook_per_year_city_and_seven_counties(fertiliser):
    assert sorted(fertiliser) == ["2020", "2021", "2022", "2023", "2024"]
    for year, frame in fertiliser.items():
        assert frame.height == 8
        assert set(frame["region_code"]) == CODES
        assert set(frame["status"]) == {"illustrative"}
        assert set(frame["year"]) == {int(year)}


def test_fertiliser_tonnes_with_separators_become_10k_tonnes(fertiliser):
    city = one(fertiliser["2020"], region_code=CITY)
    assert city["fertiliser_total_10k_t"] == pytest.approx(26.24)  # '262,400' 吨
    # 2022 city row: '110,575' 吨 of N
    assert one(fertiliser["2022"], region_code=CITY)["nitrogen_10k_t"] == pytest.approx(11.0575)


def test_fertiliser_sown_area_in_mu_and_in_hectares(fertiliser):
    # 2020: unit line 亩, '11,046,000' 亩 = 1104.6万亩
    assert one(fertiliser["2020"], region_code=CITY)["sown_area_10k_mu"] == pytest.approx(1104.6)
    # 2022: unit line 公顷, '747,000' 公顷 x 15 = 11,205,000 亩 = 1120.5万亩
    assert one(fertiliser["2022"], region_code=CITY)["sown_area_10k_mu"] == pytest.approx(1120.5)
    # 临河区 2022: '126,990' 公顷 = 1,904,850 亩 = 190.485万亩
    assert one(fertiliser["2022"], region_code="150802")["sown_area_10k_mu"] == pytest.approx(190.485)


def test_fertiliser_parts_and_counties_add_up(fertiliser):
    for frame in fertiliser.values():
        parts = frame["nitrogen_10k_t"] + frame["phosphate_10k_t"] + frame["potash_10k_t"] + frame["compound_10k_t"]
        assert ((frame["fertiliser_total_10k_t"] - parts).abs() < 1e-6).all()
        counties = frame.filter(pl.col("region_code") != CITY)
        city = one(frame, region_code=CITY)
        assert counties["fertiliser_total_10k_t"].sum() == pytest.approx(city["fertiliser_total_10k_t"])
        assert counties["sown_area_10k_mu"].sum() == pytest.approx(city["sown_area_10k_mu"])


def test_fertiliser_per_mu_keeps_falling(fertiliser):
    # the plan: 化肥亩均用量持续保持负增长 (2020: 26.24万吨 / 1104.6万亩 = 23.8 kg/亩)
    per_mu = [one(fertiliser[str(y)], region_code=CITY) for y in range(2020, 2025)]
    kg = [r["fertiliser_total_10k_t"] * 1e7 / (r["sown_area_10k_mu"] * 1e4) for r in per_mu]
    assert kg[0] == pytest.approx(23.755, abs=0.001)
    assert all(b < a for a, b in zip(kg, kg[1:]))


# --- utilisation_rates (GB18030 CSV, one row per year and indicator) ---------------------------

def test_rates_csv_is_gb18030():
    data = (RAW / "utilisation_rates.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "化肥利用率" in data.decode("gb18030")


def test_rates_rows_and_published_baselines(rates):
    assert rates.height == 27  # 2017: 2 indicators; 2020-2024: 5 each
    assert sorted(set(rates["year"])) == [2017, 2020, 2021, 2022, 2023, 2024]
    # the plan: both rates 40 % at the end of 2020, 7.8 and 5 points up on 2017
    fert_2020 = one(rates, year=2020, indicator="fertiliser_utilisation_pct")
    assert (fert_2020["indicator_value"], fert_2020["unit"], fert_2020["status"]) == (40.0, "%", "final")
    assert one(rates, year=2020, indicator="pesticide_utilisation_pct")["indicator_value"] == 40.0
    assert one(rates, year=2017, indicator="fertiliser_utilisation_pct")["indicator_value"] == pytest.approx(40 - 7.8)
    assert one(rates, year=2017, indicator="pesticide_utilisation_pct")["indicator_value"] == pytest.approx(40 - 5)
    published = rates.filter(status="final")
    assert sorted(published["_source_row"]) == [3, 4, 5, 6]
    assert one(rates, year=2020, indicator="manure_produced_10k_t")["status"] == "illustrative"


def test_rates_quirks(rates):
    # '１，１１２．４' in full-width digits (2021), '41.9%' with a % sign (2023), '…' (2024)
    assert one(rates, year=2021, indicator="manure_produced_10k_t")["indicator_value"] == pytest.approx(1112.4)
    assert one(rates, year=2023, indicator="fertiliser_utilisation_pct")["indicator_value"] == pytest.approx(41.9)
    assert one(rates, year=2024, indicator="pesticide_utilisation_pct")["indicator_value"] is None
    assert one(rates, year=2022, indicator="manure_produced_10k_t")["indicator_value"] == pytest.approx(1146.0)


def test_manure_rate_is_utilised_over_produced(rates):
    # 2024: 1063.2 / 1150.6 = 92.40 %, above the plan's 92 % target
    assert one(rates, year=2024, indicator="manure_utilisation_pct")["indicator_value"] == pytest.approx(92.4)
    for year in range(2020, 2025):
        produced = one(rates, year=year, indicator="manure_produced_10k_t")["indicator_value"]
        used = one(rates, year=year, indicator="manure_utilised_10k_t")["indicator_value"]
        rate = one(rates, year=year, indicator="manure_utilisation_pct")["indicator_value"]
        assert rate == pytest.approx(100 * used / produced, abs=0.05)


# --- livestock (unpivoted two-row header) ------------------------------------------------------

def test_livestock_one_row_per_region_and_animal(livestock):
    assert sorted(livestock) == ["2020", "2021", "2022", "2023", "2024"]
    for frame in livestock.values():
        assert frame.height == 40  # 8 regions x 5 animals
        assert set(frame["animal"]) == {"dairy_cattle", "beef_cattle", "sheep", "goats", "pigs"}
        assert frame.select("region_code", "animal").is_unique().all()
    units = dict(livestock["2020"].select("animal", "unit").unique().iter_rows())
    assert units == {"dairy_cattle": "万头", "beef_cattle": "万头", "pigs": "万头", "sheep": "万只", "goats": "万只"}


def test_livestock_quirks(livestock):
    # 2021 city row typed in full-width digits: '１１．６' dairy cattle, '６２３，８００' 头 pigs
    assert one(livestock["2021"], region_code=CITY, animal="dairy_cattle")["year_end_stock_10k"] == pytest.approx(11.6)
    assert one(livestock["2021"], region_code=CITY, animal="pigs")["year_end_stock_10k"] == pytest.approx(62.38)
    # pigs in 头: '660,400' = 66.04万头
    assert one(livestock["2022"], region_code=CITY, animal="pigs")["year_end_stock_10k"] == pytest.approx(66.04)
    # region variants and a footnote mark
    rear = one(livestock["2023"], region_code="150825", animal="sheep")
    assert rear["region_name_as_delivered"] == "乌后旗"
    assert one(livestock["2024"], region_code="150826", animal="goats")["region_name_as_delivered"] == "杭后旗"
    assert one(livestock["2020"], region_code="150822", animal="sheep")["region_name_as_delivered"] == "磴口县"


def test_livestock_counties_add_up(livestock):
    frame = livestock["2022"]
    sheep = frame.filter(animal="sheep")
    assert sheep.filter(pl.col("region_code") != CITY)["year_end_stock_10k"].sum() == pytest.approx(829.8)
    assert one(sheep, region_code=CITY)["year_end_stock_10k"] == pytest.approx(829.8)


# --- farmland ("…", "/", region variants) ------------------------------------------------------

def test_farmland_rows_and_published_figures(farmland):
    assert sorted(farmland) == ["2020", "2021", "2022", "2023", "2024"]
    assert all(f.height == 8 and set(f["region_code"]) == CODES for f in farmland.values())
    city = {int(y): one(f, region_code=CITY) for y, f in farmland.items()}
    # 2024 construction task 185万亩 (内蒙古日报 2024-02-27); 1011.0 built by the end of 2024
    # against the plan's 1014 in 2025
    assert city[2024]["hsf_planned_new_10k_mu"] == 185.0
    assert city[2024]["hsf_cumulative_10k_mu"] == 1011.0
    # 2017-2021 newly built 199.7万亩: 46.5 + 48.5 delivered for 2020-2021 leave 104.7 for 2017-2019
    assert city[2020]["hsf_new_10k_mu"] + city[2021]["hsf_new_10k_mu"] == pytest.approx(95.0)
    assert 199.7 - 95.0 == pytest.approx(104.7)
    # the cumulative area grows by each year's new area: 566.5 + 48.5 = 615.0
    assert city[2021]["hsf_cumulative_10k_mu"] == pytest.approx(city[2020]["hsf_cumulative_10k_mu"] + 48.5)
    for y in range(2021, 2025):
        assert city[y]["hsf_cumulative_10k_mu"] == pytest.approx(
            city[y - 1]["hsf_cumulative_10k_mu"] + city[y]["hsf_new_10k_mu"])


def test_farmland_missing_values_and_region_variants(farmland):
    # '/' = not applicable: no task for 乌拉特后旗 in 2021, no wheat base in 乌拉特中旗
    rear_2021 = one(farmland["2021"], region_code="150825")
    assert rear_2021["hsf_planned_new_10k_mu"] is None and rear_2021["hsf_cumulative_10k_mu"] == 10.4
    assert one(farmland["2020"], region_code="150824")["wheat_base_10k_mu"] is None
    # '…' = not yet reported: 乌后旗 2024 new and cumulative area; the city total includes it
    rear_2024 = one(farmland["2024"], region_code="150825")
    assert rear_2024["region_name_as_delivered"] == "乌后旗"
    assert rear_2024["hsf_new_10k_mu"] is None and rear_2024["hsf_planned_new_10k_mu"] == 3.7
    # variants: 杭后旗 and 乌前旗 (2021), 乌中旗 (2022), 临河 (2023)
    hanggin = one(farmland["2021"], region_code="150826")
    assert (hanggin["region_name_as_delivered"], hanggin["hsf_new_10k_mu"]) == ("杭后旗", 13.1)
    assert one(farmland["2021"], region_code="150823")["region_name_as_delivered"] == "乌前旗"
    assert one(farmland["2022"], region_code="150824")["sunflower_base_10k_mu"] is None
    assert one(farmland["2023"], region_code="150802")["region_name_as_delivered"] == "临河"


# --- irrigation (UTF-8 with BOM, 水利局) ---------------------------------------------------------

def test_irrigation_coefficients(irrigation):
    assert (RAW / "irrigation_coefficient.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert irrigation["year"].to_list() == [2017, 2020, 2021, 2022, 2023, 2024]  # '2017年' etc.
    assert set(irrigation["region_code"]) == {CITY}
    # the plan: 0.412 in 2017, 0.467 in 2020 (target 0.488 in 2025)
    y2017, y2020 = one(irrigation, year=2017), one(irrigation, year=2020)
    assert (y2017["irrigation_water_coefficient"], y2017["status"]) == (0.412, "final")
    assert (y2020["irrigation_water_coefficient"], y2020["status"]) == (0.467, "final")
    assert y2020["_source_row"] == 4
    assert one(irrigation, year=2024)["status"] == "illustrative"
    assert irrigation["irrigation_water_coefficient"].max() < 0.488


# --- every dataset: suites, lineage, reproducible samples --------------------------------------

@pytest.mark.parametrize("dataset", DATASETS)
def test_suite_passes_and_columns_match_the_contract(dataset):
    c = contract(dataset)
    frame = pl.concat(list(deliveries(dataset).values()))
    assert frame.columns == list(c.warehouse_columns())
    assert frame["_source_file"].str.starts_with("agriculture/").all()
    result = validate(frame, c.suite_path)
    assert result.success, result.problems


def test_sample_writer_reproduces_the_bundled_files(tmp_path):
    subprocess.run([sys.executable, "-m", "scripts.samples.agriculture", "--raw-dir", str(tmp_path)],
                   cwd=settings.PROJECT_ROOT, check=True, capture_output=True)
    written = sorted(p.name for p in (tmp_path / "agriculture").iterdir())
    bundled = sorted(p.name for p in RAW.iterdir() if p.name != "README.md")
    assert written == bundled
    for name in written:
        assert hashlib.sha256((tmp_path / "agriculture" / name).read_bytes()).digest() == \
            hashlib.sha256((RAW / name).read_bytes()).digest(), name
